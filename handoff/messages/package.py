"""Messages of the package area (vendor data file, encrypted ZIP, password notice, label): code -> (ja, en).

Parameters are ids, row numbers, field names, code points, counts and paths — never a value or a password.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "render.column_not_approved": (
        "事業 {programme} の業者用データに、出力項目でない列「{field}」が含まれています。"
        "承認された項目以外は出力しません（処理を停止しました）。",
        "Programme {programme}: the vendor file would hold the column '{field}', which is not an output "
        "item. Only approved items leave; stopped.",
    ),
    "render.column_missing": (
        "事業 {programme} の出力項目「{field}」がデータにありません。"
        "事業ファイルと処理段階を確認してください（不具合の可能性があります）。",
        "Programme {programme}: output item '{field}' is missing from the table. Check the programme file "
        "(possible bug).",
    ),
    "render.unencodable": (
        "{row} 行目の項目「{field}」の文字 {char} は業者の文字コードで出力できません（{rule}）。"
        "外字置換表に登録するか、基幹システムのデータを修正してください。",
        "Row {row}, field '{field}': character {char} cannot be written in the vendor's encoding ({rule}). "
        "Add it to the 外字 table or fix the host data.",
    ),
    "render.too_long": (
        "{row} 行目の項目「{field}」が {bytes} バイトで、上限 {limit} バイトを超えています。"
        "切り捨てはしません。データを修正するか、業者と桁数を調整してください。",
        "Row {row}, field '{field}' is {bytes} bytes, over the limit of {limit}. Values are never "
        "truncated; fix the data or agree a wider field with the vendor.",
    ),
    "render.control_char": (
        "{row} 行目の項目「{field}」に改行などの制御文字があります。業者用データには出力できません。"
        "基幹システムのデータを修正してください。",
        "Row {row}, field '{field}' holds a control character (e.g. a line break); it cannot go into the "
        "vendor file. Fix the host data.",
    ),
    "render.not_digits": (
        "{row} 行目の項目「{field}」が半角数字だけになっていません（出力形式: 数字）。",
        "Row {row}, field '{field}' is not ASCII digits only (output style: digits).",
    ),
    "render.bad_date": (
        "{row} 行目の項目「{field}」が日付（YYYY-MM-DD）になっていないため、"
        "和暦・日付の形式で出力できません。",
        "Row {row}, field '{field}' is not an ISO date (YYYY-MM-DD); it cannot be printed as a date.",
    ),
    "render.unencodable_missed": (
        "業者用データの作成中に、業者の文字コードで表せない文字が検査をすり抜けました（不具合）。"
        "データは作成していません。ログを添えて報告してください。",
        "A character the vendor's encoding cannot carry slipped past the checks while rendering (a bug); no "
        "vendor file was made. Report it with the log.",
    ),
    "package.exists": (
        "ジョブ {job} の暗号化ZIPは既に作成されています。上書きはしません。",
        "The encrypted ZIP of job {job} exists already; it is never overwritten.",
    ),
    "package.members_differ": (
        "暗号化ZIP {path} の収録ファイルが想定と一致しません。このZIPは使用できません。",
        "The encrypted ZIP {path} does not hold exactly the expected members; do not use it.",
    ),
    "package.not_aes256": (
        "暗号化ZIP {path} の {member} が AES-256（AE-2）で暗号化されていません。このZIPは使用できません。",
        "Member {member} of {path} is not AES-256 (AE-2) encrypted; do not use this ZIP.",
    ),
    "package.member_mismatch": (
        "暗号化ZIP {path} の {member} を復号した内容が作成時と一致しません（SHA-256 不一致）。"
        "このZIPは使用できません。",
        "Member {member} of {path} does not decrypt to what was written (SHA-256 mismatch); do not use it.",
    ),
    "package.key_derivation": (
        "暗号化ZIPの鍵の導出が pyzipper と一致しません（ライブラリの更新による変更の可能性）。ZIP は作成しません。"
        "システム担当者に連絡してください。",
        "The encrypted ZIP's key derivation does not match pyzipper's (possibly changed by a library update); "
        "no ZIP is made. Contact the system administrator.",
    ),
    "package.unreadable": (
        "暗号化ZIP {path} をパスワードで開けませんでした（{reason}）。このZIPは使用できません。",
        "The encrypted ZIP {path} could not be opened with its password ({reason}); do not use it.",
    ),
    "notice.exists": (
        "ジョブ {job} のパスワード通知書は既に作成されています。",
        "The password notice of job {job} exists already.",
    ),
    "notice.ledger_not_recorded": (
        "通知書 {notice} は印刷（保存）しましたが、管理簿に記録できませんでした（{error}）。原因を解消してから "
        "notice print を再実行すると、印刷の記録だけが行われます（再印刷はされません）。",
        "Notice {notice} was printed (saved) but could not be recorded in the ledger ({error}). Fix the cause and "
        "run notice print again: it records the print without printing again.",
    ),
    "notice.missing": (
        "ジョブ {job} のパスワード通知書のファイルがありません（印刷済みで削除されたか、"
        "作成されていません）。パスワードは保存されないため再発行できません。通知書を紛失した場合は、"
        "新しいジョブを作成してください。",
        "Job {job} has no password notice file (printed and deleted, or never made). The password is not "
        "stored, so it cannot be reissued: if the notice is lost, run a new job.",
    ),
    "notice.lp_missing": (
        "印刷コマンド lp（CUPS）が見つかりません。apt-get install cups-client を実行するか、--to-file "
        "で保存してください。",
        "The print command lp (CUPS) is missing. Run apt-get install cups-client, or use --to-file.",
    ),
    "notice.print_failed": (
        "パスワード通知書を印刷できませんでした（プリンタ {printer}、終了コード {rc}）。"
        "ファイルは削除していません。プリンタを確認して再実行してください。",
        "The notice could not be printed (printer {printer}, exit code {rc}). The file was kept; check the "
        "printer and try again.",
    ),
    "notice.target_exists": (
        "保存先 {path} は既に存在します。上書きはしません。",
        "{path} exists already; it is not overwritten.",
    ),
    "notice.ui.printed": (
        "ジョブ {job} のパスワード通知書を印刷に送り、ファイルを削除しました。{request}",
        "Sent the password notice of job {job} to the printer and deleted the file. {request}",
    ),
    "notice.ui.exported": (
        "パスワード通知書を {path} に保存し、ジョブフォルダのファイルを削除しました。",
        "Saved the password notice to {path} and deleted it from the job folder.",
    ),
    "notice.ui.caught_up": (
        "通知書 {notice} は印刷済みでしたが管理簿に未記録だったため、印刷時の記録ファイルから記録しました。",
        "Notice {notice} had been printed but was not in the ledger; recorded it from the print marker.",
    ),
    "notice.ui.reminder": (
        "通知書は媒体とは別の機会に、鍵付きカバンで手渡してください。媒体と同じ日には渡せません。",
        "Hand the notice over on a different occasion from the medium, in a locked bag — never the same "
        "day.",
    ),
    "notice.ui.recorded": (
        "管理簿に記録しました: パスワード通知書 {notice} 印刷（連番 {seq}、チェックポイント {short}）",
        "Recorded in the ledger: password notice {notice} printed (entry {seq}, checkpoint {short})",
    ),
    "proof.nothing_selected": (
        "事業 {programme} で発送対象になった行がないため、校正刷りは作成しませんでした。"
        "handoff check で内容を確認してください。",
        "No row of programme {programme} was selected for mailing, so no proof sheet was made. See "
        "handoff check.",
    ),
    "proof.ui.written": (
        "校正刷り（庁内限り・個人情報を含む）を作成しました: {path}",
        "Proof sheet written (in-house only, holds personal data): {path}",
    ),
    "proof.ui.excepted": (
        "除外された行が {count} 行あります（校正刷りには含まれません）。handoff check で確認してください。",
        "{count} rows were excluded (not on the proof sheet). See handoff check.",
    ),
    "label.barcode_mismatch": (
        "媒体ラベルのバーコード（{value}）を読み取り検証できませんでした。"
        "ラベルは作成していません（不具合として報告してください）。",
        "The label barcode ({value}) did not decode to its value; no label was written (please report).",
    ),
}
