"""Messages of handoff status (the operator's work list) and of the listings (media list, incident list).
code -> (ja, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "status.title": (
        "作業一覧（{date} 現在）: {count}件、うち期限超過 {overdue}件",
        "Work list as of {date}: {count} tasks, {overdue} overdue",
    ),
    "status.none": (
        "{date} 現在、待っている作業はありません。",
        "Nothing is waiting as of {date}.",
    ),
    "status.col.due": ("期限", "Due"),
    "status.col.task": ("内容", "Task"),
    "status.col.id": ("ID", "Id"),
    "status.col.command": ("次のコマンド", "Next command"),
    "status.due.overdue": ("{due}（{days}日超過）", "{due} ({days} days overdue)"),
    "status.due.today": ("{due}（今日まで）", "{due} (today)"),
    "status.due.left": ("{due}（あと{days}日）", "{due} ({days} days left)"),
    "status.due.none": ("—", "—"),
    "status.task.burn": (
        "媒体の書込み待ち（{count}枚: {media}）",
        "Media waiting to be burned ({count}: {media})",
    ),
    "status.task.print": (
        "パスワード通知書の印刷待ち",
        "Password notice waiting to be printed",
    ),
    "status.task.store": (
        "保管庫への保管待ち（{since} 作成）",
        "Waiting to be stored in a cabinet (made {since})",
    ),
    "status.task.handover": (
        "業者 {vendor} への引渡し待ち（保管庫: {cabinet}）",
        "Waiting to be handed over to vendor {vendor} (cabinet: {cabinet})",
    ),
    "status.task.return": (
        "業者 {vendor} に引渡し中（{since} から）: 返却待ち",
        "Out with vendor {vendor} since {since}: waiting for its return",
    ),
    "status.task.destroy": (
        "返却済み（{since}）: 廃棄待ち",
        "Returned ({since}): waiting to be destroyed",
    ),
    "status.task.certificate": (
        "消去証明書の受領待ち（業者 {vendor}、媒体の返却 {since}）",
        "Deletion certificate due from vendor {vendor} (media back {since})",
    ),
    "status.task.delivery": (
        "納品検査が未記録（{since} 引渡し）",
        "Delivery inspection not recorded yet (handed over {since})",
    ),
    "status.task.vendor_inspection": (
        "業者 {vendor} の実地検査が{fiscal_year}年度は未記録（引渡し {since} から）",
        "No on-site inspection of vendor {vendor} recorded in fiscal year {fiscal_year} (handovers since {since})",
    ),
    "status.task.incident": (
        "未終結の事故（連番 {entry}、{incident}、{since} 記録）",
        "Open incident (entry {entry}, {incident}, recorded {since})",
    ),
    "status.task.missed": (
        "発送日を過ぎても回 {cycle} のジョブがありません（作らないと決めたときは理由を記録に残す）",
        "No job for cycle {cycle} though its mailing day has passed (if it is not to be made, keep a record of why)",
    ),
    "status.task.inbound_read": (
        "業者 {vendor} から受領したデータ（{since} 受領）: 読込み待ち",
        "Data received from vendor {vendor} ({since}): waiting to be read",
    ),
    "status.task.inbound_return": (
        "業者 {vendor} からのデータは {since} に読込み済み: 返却か廃棄を待つ",
        "Data from vendor {vendor} read on {since}: waiting to be handed back or destroyed",
    ),
    "status.placeholder.export": ("抽出ファイル", "EXPORT"),
    "status.placeholder.staff": ("職員ID", "STAFF_ID"),
    "status.placeholder.handler": ("取扱者ID", "HANDLER_ID"),
    "status.placeholder.cabinet": ("保管庫", "CABINET"),
    "status.placeholder.bag": ("カバン番号", "BAG_NO"),
    "status.placeholder.scan": ("証明書のスキャン.pdf", "certificate-scan.pdf"),
    "status.placeholder.outcome": ("結果・措置", "OUTCOME"),
    "status.placeholder.result": ("結果", "RESULT"),
    "status.placeholder.inspectors": ("職員ID,職員ID", "STAFF_ID,STAFF_ID"),
    # media list (every job's media, or one job's)
    "status.media.col.job": ("ジョブ", "Job"),
    "status.media.none": ("媒体はありません。", "No media."),
    # incident list
    "status.incident.col.seq": ("連番", "Entry"),
    "status.incident.col.kind": ("種類", "Kind"),
    "status.incident.col.job": ("ジョブ", "Job"),
    "status.incident.col.item": ("媒体・通知書", "Item"),
    "status.incident.col.recorded": ("記録日", "Recorded"),
    "status.incident.col.due": ("終結期限", "Close by"),
    "status.incident.col.state": ("状態", "State"),
    "status.incident.open": ("未終結", "open"),
    "status.incident.closed": ("終結（連番 {seq}）", "closed (entry {seq})"),
    "status.incident.none": ("記録された事故はありません。", "No incident has been recorded."),
}
