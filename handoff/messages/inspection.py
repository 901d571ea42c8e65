"""Messages of the inspection commands. code -> (ja, en).

Every text names the rule, the item or job and what to do — never a value from an export.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- errors ------------------------------------------------------------------------------------------
    "inspection.no_codes": (
        "ジョブ {job} には封入制御コードの一覧（internal/{file}）がありません（はがきのジョブ、またはこの機能より前に"
        "作成されたジョブ）。納品検査はコードを読み取れる封書のジョブで行ってください。記録しませんでした。",
        "Job {job} has no list of inserter control codes (internal/{file}): a postcard job, or a job made before"
        " this feature. Inspect a job of sealed envelopes with codes. Nothing was recorded.",
    ),
    "inspection.codes_unreadable": (
        "ジョブ {job} の封入制御コードの一覧（internal/{file}）を読めません。ファイルが壊れています。"
        "システム担当に連絡してください。記録しませんでした。",
        "The list of inserter control codes of job {job} (internal/{file}) cannot be read: the file is damaged."
        " Contact the system administrator. Nothing was recorded.",
    ),
    "inspection.no_scans": (
        "読み取ったコードが1件もありません。--scans のファイル（1行に1コード）を確認してください。記録しませんでした。",
        "No code was scanned. Check the --scans file (one code a line). Nothing was recorded.",
    ),
    "inspection.scans_unreadable": (
        "読取りファイル {path} を読めません（存在しない、または UTF-8 の文字でない）。ファイルを確認してください。",
        "The scans file {path} cannot be read (missing, or not UTF-8 text). Check the file.",
    ),
    "inspection.bad_date": (
        "{field} は YYYY-MM-DD の形の日付で指定してください（例: 2026-06-01）。記録しませんでした。",
        "Give {field} as a date YYYY-MM-DD (e.g. 2026-06-01). Nothing was recorded.",
    ),
    "custody.inspectors_too_few": (
        "実地検査の検査者が {count} 名です（規則: 委託業者の実地検査は区の職員 {minimum} 名以上で行う）。"
        "--by に異なる職員IDを {minimum} 名以上、カンマ区切りで指定してください。記録しませんでした。",
        "The on-site inspection names {count} inspector(s) (rule: a vendor is inspected on site by at least"
        " {minimum} different ward staff). Give {minimum} or more different staff ids to --by, separated by"
        " commas. Nothing was recorded.",
    ),
    "custody.inspector_unknown": (
        "検査者の職員ID {staff} は site.toml の staff に登録されていません（規則: 実地検査は登録済みの区の職員が行う）。"
        "登録済みの職員IDを --by に指定してください。記録しませんでした。",
        "Inspector staff id {staff} is not in site.toml staff (rule: registered ward staff inspect the vendor)."
        " Give registered staff ids to --by. Nothing was recorded.",
    ),
    "custody.inspection_future": (
        "実地検査の日付 {date} は今日（{today}）より後です（規則: 実施した検査だけを記録する）。"
        "実施日を --date に指定してください。記録しませんでした。",
        "The inspection date {date} is after today ({today}) (rule: only an inspection already made is"
        " recorded). Give the day it was made with --date. Nothing was recorded.",
    ),
    # --- delivery inspection: what the command prints ------------------------------------------------------
    "inspection.ui.prompt": (
        "封筒のコードを読み取ってください（1行に1コード。空行で終了）。",
        "Scan the envelopes' codes (one a line; an empty line ends).",
    ),
    "inspection.ui.running": (
        "読取り {scanned} 件（このジョブ {inspected}/{quantity} 通、重複 {duplicated}、他 {other}）",
        "Scanned {scanned} (this job {inspected}/{quantity} pieces, duplicated {duplicated}, other {other})",
    ),
    "inspection.ui.summary": (
        "ジョブ {job}: 予定 {quantity} 通、検査 {inspected} 通、合格 {passed} 通、不良 {defects} 通"
        "（読取り {scanned} 件）",
        "Job {job}: expected {quantity} pieces, inspected {inspected}, passed {passed}, defects {defects}"
        " ({scanned} scans)",
    ),
    "inspection.ui.missing": (
        "未読取り（封筒を抜き取って再確認してください）: {count} 通",
        "MISSING (pull these envelopes and check again): {count}",
    ),
    "inspection.ui.duplicated": ("重複（同じコードを2回以上読取り）: {count} 件",
                                 "DUPLICATED (a code scanned twice or more): {count}"),
    "inspection.ui.unknown": ("不明（どのジョブのコードでもない）: {count} 件",
                              "UNKNOWN (not a code of any job): {count}"),
    "inspection.ui.other_job": ("他ジョブ（このサイトの別のジョブのコード）: {count} 件",
                                "OTHER-JOB (a code of another job of this site): {count}"),
    "inspection.ui.piece": ("  通番 {piece}  コード {value}", "  piece {piece}  code {value}"),
    "inspection.ui.piece_times": ("  通番 {piece}  コード {value}  {times} 回", "  piece {piece}  code {value}  {times} times"),
    "inspection.ui.other_piece": ("  ジョブ {job} 通番 {piece}  コード {value}",
                                  "  job {job} piece {piece}  code {value}"),
    "inspection.ui.unknown_code": ("  {line} 行目  コード {value}", "  line {line}  code {value}"),
    "inspection.ui.unknown_line": ("  {line} 行目  コードの形式でない読取り（{length} 文字）",
                                   "  line {line}  not a control code ({length} characters)"),
    "inspection.ui.needs_yes": (
        "端末から実行していないため確認できません。内容を確かめたうえで --yes を付けて実行してください。",
        "Not run from a terminal, so nothing can be confirmed. Check the content, then run again with --yes.",
    ),
    "inspection.ui.needs_scans": (
        "端末から実行していません。読み取ったコードのファイルを --scans に指定してください（「-」で標準入力）。",
        "Not run from a terminal. Give the file of scanned codes with --scans ('-' reads standard input).",
    ),
    "inspection.ui.all_matched": ("すべて一致しました。", "Everything matched."),
    "inspection.ui.confirm": ("この結果を管理簿に記録します。よろしいですか？", "Record this result in the ledger?"),
    "inspection.ui.recorded": (
        "管理簿に記録しました: 連番 {seq}（{event}）。チェックポイント {short}",
        "Recorded in the ledger: entry {seq} ({event}). Checkpoint {short}",
    ),
}
