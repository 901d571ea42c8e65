"""Messages of the mailing calendar, handoff due, run --due and schedule install. code -> (ja, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "run.blocked": (
        "事業 {programme} の回 {cycle} は作成できません: {reason} 作成した媒体を引き渡せないためです。契約・認証を"
        "確認し、site.toml または事業ファイルの期間を直してから実行してください。何も作成していません。",
        "Cycle {cycle} of programme {programme} cannot be made: {reason} A disc made now could not be handed over."
        " Check the contract and certification, correct the period in site.toml or the programme file, then run"
        " again. Nothing was made.",
    ),
    "summary.warning": ("注意: {text}", "Note: {text}"),
    "run.cycle_unknown": (
        "事業 {programme} の発送カレンダーに回「{cycle}」はありません。{fiscal_year}年度の回: {valid}。--cycle に回のID（発送年月 YYYY-MM）を指定してください。",
        "Programme {programme}'s mailing calendar has no cycle '{cycle}'. The cycles of fiscal year {fiscal_year}: {valid}. Pass a cycle id (mailing year and month, YYYY-MM) to --cycle.",
    ),
    "run.due_with_programme": (
        "--due は発送カレンダーから事業と抽出ファイルを決めます。事業ID・--input・--cycle と一緒には指定できません。",
        "--due takes the programmes and exports from the mailing calendars; it cannot be combined with a programme id, --input or --cycle.",
    ),
    "run.needs_programme": (
        "事業IDと --input を指定してください（発送カレンダーに従って実行するには --due）。",
        "Give a programme id and --input (or --due to run what the mailing calendars say is due).",
    ),
    "run.needs_staff": (
        "実行する職員IDを --staff（または環境変数 HANDOFF_STAFF）で指定してください。",
        "Give the staff id that runs it with --staff (or HANDOFF_STAFF).",
    ),
    "schedule.batch_staff": (
        "site.toml に役割 batch（定期実行の専用アカウント）の職員がちょうど1人必要です（現在 {count} 人: {found}）。site.toml の [[staff]] を直すか、--staff で実行する職員IDを指定してください。",
        "site.toml needs exactly one staff entry with role batch (the service account of scheduled runs); it has {count}: {found}. Fix [[staff]] in site.toml or pass --staff.",
    ),
    "schedule.blocked": (
        "事業 {programme} の回 {cycle} は作成できません（{reason}）。handoff due で理由を確認し、契約・認証・返却の記録を確かめてください。ファイルは作成していません。",
        "Programme {programme}, cycle {cycle} cannot be prepared ({reason}). See handoff due for the reason and check the contract, certification or return records. No file was made.",
    ),
    "schedule.inbox_ambiguous": (
        "事業 {programme} の回 {cycle} の抽出ファイルが受け取りフォルダ {inbox} に {count} 件あります。どれを使うかは推測しません。不要なファイルを移動してから再度実行してください。",
        "The inbox {inbox} holds {count} exports for programme {programme}, cycle {cycle}. handoff does not guess which one to use: move the others away and run again.",
    ),
    "schedule.export_missing": (
        "事業 {programme} の回 {cycle} の抽出ファイルが期限 {due} を過ぎても届いていません。受け取りフォルダ: {inbox}（サイトフォルダからの相対パス）。基幹システムの担当に抽出を依頼してください。",
        "The export of programme {programme}, cycle {cycle} has not arrived, and it was due on {due}. Inbox: {inbox} (relative to the site folder). Ask the host system's staff for the export.",
    ),
    "schedule.busy": (
        "別の handoff run --due が実行中です。今回は何もせずに終了します（実行中のものが処理します）。",
        "Another handoff run --due is running; this one does nothing and ends (the running one does the work).",
    ),
    "schedule.cycle_assumed": (
        "回 {cycle} は審議会資料に記載がなく、区の設定（仮定）による回です。",
        "Cycle {cycle} is not stated in the council document: it is the ward's assumption.",
    ),
    "schedule.previous_out": (
        "前回 {cycle} のジョブ {job} で引き渡した {items} がまだ返却（または廃棄）されていません。",
        "What job {job} of the previous cycle {cycle} handed over has not come back (or been destroyed): {items}.",
    ),
    "schedule.programme_contract_expired": (
        "事業 {who} の委託期間（{start}〜{end}）は終了しています。",
        "Programme {who}'s contract period ({start} to {end}) has ended.",
    ),
    "schedule.programme_contract_not_started": (
        "事業 {who} の委託期間（{start}〜{end}）はまだ始まっていません（回 {cycle}、発送日 {mailing}）。",
        "Programme {who}'s contract period ({start} to {end}) has not started (cycle {cycle}, mailing {mailing}).",
    ),
    "schedule.programme_contract_outside": (
        "回 {cycle} の発送日 {mailing} は事業 {who} の委託期間（{start}〜{end}）の外です。",
        "Cycle {cycle}'s mailing day {mailing} is outside programme {who}'s contract period ({start} to {end}).",
    ),
    "schedule.programme_contract_ending": (
        "事業 {who} の委託期間は {end} に終わります（あと {days} 日）。",
        "Programme {who}'s contract period ends on {end} ({days} days left).",
    ),
    "schedule.vendor_contract_expired": (
        "業者 {who} との契約期間（{start}〜{end}）は終了しています。",
        "The contract with vendor {who} ({start} to {end}) has ended.",
    ),
    "schedule.vendor_contract_not_started": (
        "業者 {who} との契約期間（{start}〜{end}）はまだ始まっていません。",
        "The contract with vendor {who} ({start} to {end}) has not started.",
    ),
    "schedule.vendor_contract_outside": (
        "回 {cycle} の発送日 {mailing} は業者 {who} との契約期間（{start}〜{end}）の外です。",
        "Cycle {cycle}'s mailing day {mailing} is outside the contract with vendor {who} ({start} to {end}).",
    ),
    "schedule.vendor_contract_ending": (
        "業者 {who} との契約は {end} に終わります（あと {days} 日）。",
        "The contract with vendor {who} ends on {end} ({days} days left).",
    ),
    "schedule.certification_expired": (
        "業者 {vendor} の{kind}（{number}）は {expires} に有効期限が切れています。",
        "Vendor {vendor}'s {kind} ({number}) expired on {expires}.",
    ),
    "schedule.certification_ending": (
        "業者 {vendor} の{kind}（{number}）の有効期限は {expires} です（あと {days} 日）。",
        "Vendor {vendor}'s {kind} ({number}) expires on {expires} ({days} days left).",
    ),
    "schedule.certification_missing": (
        "業者 {vendor} は認証が必要ですが、有効な認証がありません。",
        "Vendor {vendor} needs a certification and has no valid one.",
    ),
    "schedule.show_outside_programme": (
        "注意: 回 {cycle}（{cycle_label} 発送日 {mailing}）は事業の委託期間（{start}〜{end}）の外です。run --due はこの回を作成しません。契約担当に期間を確認してください。",
        "Warning: cycle {cycle} ({cycle_label} mailing {mailing}) is outside the programme's contract period ({start} to {end}). run --due will not prepare it; check the period with the contract section.",
    ),
    "schedule.show_outside_vendor": (
        "注意: 回 {cycle}（{cycle_label} 発送日 {mailing}）は業者 {vendor} との契約期間（{start}〜{end}）の外です。",
        "Warning: cycle {cycle} ({cycle_label} mailing {mailing}) is outside the contract with vendor {vendor} ({start} to {end}).",
    ),
    # handoff due / run --due / programmes show: headings and statuses
    "due.title": ("{date} の発送予定", "Mailings due on {date}"),
    "due.none": ("{date} に作成期間中の回はありません。", "No cycle is due on {date}."),
    "due.col_programme": ("事業", "Programme"),
    "due.col_cycle": ("回", "Cycle"),
    "due.col_mailing": ("発送日", "Mailing"),
    "due.col_export_due": ("抽出期限", "Export due"),
    "due.col_status": ("状態", "Status"),
    "due.col_export": ("抽出ファイル", "Export"),
    "due.col_job": ("ジョブID", "Job"),
    "due.export_line": ("{path}（{size} バイト、{age} 時間前）", "{path} ({size} bytes, {age} hours old)"),
    "due.export_none": ("未着（{inbox}）", "not arrived ({inbox})"),
    "due.status.done": ("作成済み", "done"),
    "due.status.ran": ("今回作成", "prepared now"),
    "due.status.ready": ("作成可（到着済み）", "ready (export arrived)"),
    "due.status.waiting": ("到着待ち", "waiting for the export"),
    "due.status.missing": ("期限超過・未着", "late: export missing"),
    "due.status.missed": ("発送日を過ぎて未作成", "missed: mailing day passed, no job"),
    "due.missed_hint": (
        "  発送日 {mailing} を過ぎても、この回のジョブがありません。遅れて作るときは "
        "handoff run {programme} --cycle {cycle} --input 抽出ファイル。作らないと決めたときは、その理由を記録に残してください。",
        "  The mailing day {mailing} has passed with no job for this cycle. To make it late: handoff run "
        "{programme} --cycle {cycle} --input EXPORT. If it is not to be made, keep a record of why."),
    "due.status.blocked": ("停止", "blocked"),
    "due.status.failed": ("失敗", "failed"),
    "due.status.ambiguous": ("ファイルが複数", "several exports"),
    "due.blocker": ("  停止の理由: {message}", "  Blocked: {message}"),
    "due.warning": ("  注意: {message}", "  Warning: {message}"),
    "due.error": ("  エラー: {message}", "  Error: {message}"),
    "due.summary": ("実行結果: {path}", "Summary: {path}"),
    "due.nothing_new": ("新しく作成した回はありません（作成済みの回は再作成しません）。", "Nothing new was prepared (a cycle already prepared is never run again)."),
    "cal.title": ("発送カレンダー（{fiscal_year}年度）", "Mailing calendar (fiscal year {fiscal_year})"),
    "cal.none": ("発送カレンダーはありません（手動実行のみ）。", "No mailing calendar (runs by hand only)."),
    "cal.col_cycle": ("回", "Cycle"),
    "cal.col_label": ("内容", "Mailing"),
    "cal.col_opens": ("受付開始", "Opens"),
    "cal.col_export_due": ("抽出期限", "Export due"),
    "cal.col_mailing": ("発送日", "Mailing"),
    "cal.col_note": ("根拠・注記", "Source / note"),
    "cal.assumed": ("仮定", "assumed"),
    "cal.inbox": ("受け取りフォルダ: {inbox}", "Inbox: {inbox}"),
    "cal.contract": ("委託期間（事業）: {start}〜{end}", "Contract period (programme): {start} to {end}"),
    # handoff schedule install
    "schedule.install_choose": ("--systemd か --cron のどちらかを指定してください。", "Give one of --systemd or --cron."),
    "schedule.install_at": ("--at は HH:MM（例 06:30）で指定してください。", "--at takes HH:MM (e.g. 06:30)."),
    # a cycle the ward decided not to make (handoff schedule skip)
    "due.status.skipped": ("作成しないと記録済み", "skipped (recorded not to be made)"),
    "ledger.event.cycle.skipped": ("回の作成中止", "cycle skipped"),
    "schedule.skip_confirm_line": ("事業 {programme} の回 {cycle} を「作成しない」と管理簿に記録します。",
                                   "Programme {programme}, cycle {cycle} will be recorded as not to be made."),
    "schedule.skip_made": (
        "事業 {programme} の回 {cycle} はジョブ {job} ですでに作成されています。作成しないとは記録できません。",
        "Programme {programme}, cycle {cycle} is already made by job {job}; it cannot be recorded as skipped."),
    "schedule.skip_twice": (
        "事業 {programme} の回 {cycle} は、すでに作成しないと記録されています（連番 {entry}）。",
        "Programme {programme}, cycle {cycle} is already recorded as skipped (entry {entry})."),
    "schedule.skip_reason": ("作成しない理由（--reason）を書いてください。", "Give the reason not to make it (--reason)."),
    "schedule.no_calendar": (
        "事業 {programme} には発送カレンダー（[calendar]）がありません。",
        "Programme {programme} has no mailing calendar ([calendar])."),
}
