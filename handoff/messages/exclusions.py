"""Messages of 異動 (exclusion files) and pull lists (引抜きリスト). code -> (ja, en).

A row of an exclusion file is named by its number and field, never by its value; a pull list is counted in
documents and pieces.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "exclusions.not_declared": (
        "事業 {programme} は異動ファイルを定めていません（事業ファイルに [exclusions] がありません）。"
        "異動を除外するには、事業ファイルに [exclusions] を加えてください。",
        "Programme {programme} declares no exclusion file (its programme file has no [exclusions]). Add "
        "[exclusions] to the programme file to leave out residents with a change."),
    "exclusions.bad_row": (
        "{title} の {row} 行目の {field} に誤りがあります（{rule}。誤りのある行は全部で {count} 行）。"
        "異動ファイルは一部の行だけを使うことができません（除外されるべき人に送ってしまうため）。"
        "元のシステムで直して出力し直し、もう一度実行してください。何も作っていません。",
        "Row {row} of the {title}, field {field}, is in error ({rule}; {count} row(s) in error in all). An "
        "exclusion file cannot be used in part (someone to be left out could be mailed). Fix it in the source "
        "system, export it again and rerun. Nothing was made."),
    "exclusions.unknown_reason": (
        "{title} の {row} 行目の {field} は、事業 {programme} の設定にない事由コードです。除外するかどうかは"
        "区が決めることなので推測しません。事業ファイルの [exclusions] の reasons（除外する）か ignore（除外しない）"
        "に加えてから、もう一度実行してください。何も作っていません。",
        "Row {row} of the {title}, field {field}, has a reason code programme {programme} does not list. Whether "
        "it excludes is the ward's decision and is not guessed: add it to reasons (excludes) or ignore (does not) "
        "under [exclusions] in the programme file and rerun. Nothing was made."),
    "exclusions.ambiguous": (
        "事業 {programme} の回 {cycle} の異動ファイルが {inbox} に {count} 個あります。どれを使うかは推測しません。"
        "使うファイルだけを残してから、もう一度実行してください。この回は作っていません。",
        "{count} exclusion files for programme {programme}, cycle {cycle}, are in {inbox}. Which to apply is not "
        "guessed: leave only the one to use and rerun. Nothing was made for this cycle."),
    "summary.exclusions": (
        "{title}: {rows:,} 行読取り、除外の対象 {excluding:,} 行、{cutoff} より後の異動 {later:,} 行（適用せず）、"
        "除外しない事由 {ignored:,} 行",
        "{title}: {rows:,} rows read, {excluding:,} excluding, {later:,} dated after {cutoff} (not applied), "
        "{ignored:,} with a reason that does not exclude"),
    "summary.excluded": (
        "異動により対象外: {count:,} 行（{reasons}）",
        "Left out for a change (異動): {count:,} rows ({reasons})"),
    "pull.none": (
        "ジョブ {job} の郵便物に、新しく引き抜く文書はありません。引抜きリストは作っていません。",
        "No document of job {job} is newly named by the exclusion file. No pull list was made."),
    "pull.already": (
        "異動ファイルに載っている文書のうち {count:,} 通は、すでに引抜きリスト {jobs} で業者に渡しています（今回は載せません）。",
        "{count:,} of the documents the file names are already on pull list(s) {jobs} given to the vendor "
        "(not listed again)."),
    "pull.done": (
        "引抜きリスト {job} を作りました（ジョブ {of_job} から {documents:,} 通の文書、郵便物 {pieces:,} 通のうち "
        "{whole:,} 通は郵便物ごと）。業者に渡すリストには通し番号と封入制御コードだけを載せています。",
        "Made pull list {job} ({documents:,} document(s) of job {of_job}, in {pieces:,} piece(s), {whole:,} of "
        "them whole). The vendor's list holds piece numbers and control codes only."),
    "summary.path.pull_index": ("引抜き用の索引（庁内用）: {path}", "Pull index (in-house): {path}"),
    "pull.in_house": (
        "ジョブ {job} は納品検査済みで、封筒は区にあります。業者への引抜きリストは作らず、区で引き抜く {documents:,} 通の"
        "文書（郵便物 {pieces:,} 通）の一覧を作り、管理簿に記録しました: {path}",
        "Job {job}'s delivery was inspected: its envelopes are at the ward. No list goes to the vendor; the ward pulls "
        "{documents:,} document(s) in {pieces:,} piece(s) itself, listed here and recorded in the ledger: {path}"),
    "ledger.event.mail.pulled": ("区での引抜き", "pieces pulled at the ward"),
    "pull.internal": ("引抜きリスト（庁内用、事由つき）: {path}", "Pull list (in-house, with reasons): {path}"),
    "pull.no_index": (
        "ジョブ {job} には引抜き用の索引（internal/pull_index.tsv）がありません。事業が異動ファイル（[exclusions]）を"
        "定める前に作ったジョブか、異動を扱わない事業です。引抜きは業者と直接、文書で確認してください。",
        "Job {job} has no pull index (internal/pull_index.tsv): it was made before its programme declared "
        "[exclusions], or its programme has none. Agree the pull with the vendor in writing."),
    "pull.job_abandoned": (
        "ジョブ {job} は中断されて無効になっているため、引抜きリストは要りません。",
        "Job {job} was abandoned; it needs no pull list."),
    "pull.of_pull_list": (
        "ジョブ {job} は引抜きリストです。引抜きリストの引抜きリストは作れません。元のジョブを指定してください。",
        "Job {job} is itself a pull list. Give the job it pulls from."),
    "help.pull.pull": (
        "準備済みのジョブから、異動ファイルに載った人の郵便物の引抜きリストを作る（暗号化ZIP・ディスク・通知書）",
        "Make the vendor's pull list for a prepared job's pieces that an exclusion file names (encrypted ZIP, "
        "disc, notice)."),
    "help.pull.job": ("引抜く郵便物のジョブID", "The job whose pieces are pulled."),
    "help.pull.exclusions": ("異動ファイル（事業ファイルの [exclusions] の形式）",
                             "The exclusion file (as the programme's [exclusions] declares it)."),
    "help.pull.staff": ("実行する職員ID（管理簿に記録）", "Staff id of who makes it (recorded in the ledger)."),
    "help.pull.json": ("結果を JSON で出力", "Print the result as JSON."),
    "help.check.check.exclusions": (
        "異動ファイル: run と同じように、載っている人の行を「対象外（異動）」として数える",
        "Exclusion file: rows of the people it names are counted as not selected (異動), as run does."),
    "help.run.run.exclusions": (
        "異動ファイル: 載っている人の行を「対象外（異動）」として数え、業者に渡さない",
        "Exclusion file: rows of the people it names are counted as not selected (異動) and not sent."),
}
