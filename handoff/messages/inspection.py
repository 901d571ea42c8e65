"""Messages of the inspection commands. code -> (ja, en).

Every text names the rule, the item or job and what to do — never a value from an export.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- errors ------------------------------------------------------------------------------------------
    "summary.path.inserter_codes": ("納品検査用の封入制御コード一覧（庁内用）: {path}",
                                    "Control codes for the delivery inspection (in-house): {path}"),
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
    # --- the inserter's own output log (--log) -------------------------------------------------------------
    "inspection.log_not_declared": (
        "委託業者 {vendor} のプロファイル {profile} に封入機ログの形式が書かれていません。site.toml に {setting} を追加し、"
        "format・code_column・status_column・ok_values を書いてください（例は handoff/defaults/site.toml）。"
        "記録しませんでした。",
        "The profile {profile} of vendor {vendor} declares no inserter log format. Add {setting} to site.toml with"
        " format, code_column, status_column and ok_values (see the example in handoff/defaults/site.toml)."
        " Nothing was recorded.",
    ),
    "inspection.log_too_large": (
        "封入機ログ {path} が大きすぎます（上限 {limit} MiB）。ファイルを確認してください。記録しませんでした。",
        "The inserter log {path} is too large (limit {limit} MiB). Check the file. Nothing was recorded.",
    ),
    "inspection.log_line_long": (
        "封入機ログの {line} 行目が長すぎます（上限 {limit} バイト）。封入機ログのファイルか確認してください。"
        "記録しませんでした。",
        "Line {line} of the inserter log is too long (limit {limit} bytes). Check that this is the inserter's"
        " log. Nothing was recorded.",
    ),
    "inspection.log_encoding": (
        "封入機ログの {line} 行目が文字コード {encoding} として読めません。site.toml の inserter.log の encoding と"
        "ファイルを確認してください。記録しませんでした。",
        "Line {line} of the inserter log cannot be read as {encoding}. Check the encoding of inserter.log in"
        " site.toml and the file. Nothing was recorded.",
    ),
    "inspection.log_malformed": (
        "封入機ログの {line} 行目を区切り文字どおりに読めません（引用符の対応など）。記録しませんでした。",
        "Line {line} of the inserter log cannot be split by the declared delimiter (unbalanced quotes?)."
        " Nothing was recorded.",
    ),
    "inspection.log_short_line": (
        "封入機ログの {line} 行目にコードまたは結果の列がありません。site.toml の code_column・status_column を"
        "確認してください。記録しませんでした。",
        "Line {line} of the inserter log has no code or status column. Check code_column and status_column in"
        " site.toml. Nothing was recorded.",
    ),
    "inspection.log_column": (
        "封入機ログの見出しに列「{column}」がありません。site.toml の code_column・status_column を確認してください。"
        "記録しませんでした。",
        "The inserter log's heading has no column '{column}'. Check code_column and status_column in site.toml."
        " Nothing was recorded.",
    ),
    "inspection.log_empty": (
        "封入機ログに封入の記録が1件もありません。ファイルを確認してください。記録しませんでした。",
        "The inserter log reports no document at all. Check the file. Nothing was recorded.",
    ),
    "inspection.ui.source_log": ("【封入機ログとの照合】", "[Reconciled with the inserter's log]"),
    "inspection.ui.source_scans": ("【読み取ったコードとの照合】", "[Reconciled with the scanned codes]"),
    "inspection.ui.faulted": (
        "封入機が異常と報告（封筒を抜き取って再確認してください）: {count} 件",
        "FAULTED by the inserter (pull these envelopes and check again): {count}",
    ),
    "inspection.ui.faulted_piece": ("  {line} 行目  ジョブ {job} 通番 {piece}  コード {value}{later}",
                                    "  line {line}  job {job} piece {piece}  code {value}{later}"),
    "inspection.ui.faulted_code": ("  {line} 行目  コード {value}{later}", "  line {line}  code {value}{later}"),
    "inspection.ui.faulted_line": ("  {line} 行目  コードの形式でない値（{length} 文字）",
                                   "  line {line}  not a control code ({length} characters)"),
    "inspection.ui.ok_later": ("（後に正常と報告あり）", " (later reported OK)"),
}
