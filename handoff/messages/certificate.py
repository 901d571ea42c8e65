"""Messages of the certificate commands. code -> (ja, en).

Every text names the rule, the item or job and what to do — never a value from an export.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "certificate.unknown_job": (
        "ジョブ {job} は管理簿にありません。ジョブIDを確認してください（handoff ledger show で一覧できます）。",
        "Job {job} is not in the ledger. Check the job id (handoff ledger show lists the jobs).",
    ),
    "certificate.scan_unreadable": (
        "消去証明書のスキャン {path} を読めません。ファイルの場所と名前を確認してください。記録しませんでした。",
        "The scan of the deletion certificate {path} cannot be read. Check the file's folder and name. Nothing was recorded.",
    ),
    "custody.certificate_incomplete": (
        "消去証明書がジョブ {job} の媒体 {missing} を含んでいません。業者に全媒体を記載した証明書を求めてください（--field media= に全媒体IDを指定）。記録しませんでした。",
        "The deletion certificate does not cover medium {missing} of job {job}. Ask the vendor for a certificate naming every medium (give every medium id in --field media=). Nothing was recorded.",
    ),
    "custody.certificate_field_missing": (
        "消去証明書の必須項目「{label}」（{field}）がありません。証明書の記載を確認し --field {field}=… で指定してください。記録しませんでした。",
        "The deletion certificate lacks the mandatory field '{label}' ({field}). Check the certificate and give it with --field {field}=…. Nothing was recorded.",
    ),
    "certificate.cli.bad_field": (
        "--field は 項目=値 の形で、項目は {fields} のいずれかです。",
        "--field takes key=value, the key being one of {fields}.",
    ),
    "certificate.cli.prompt": ("{label}（{field}）を入力してください", "Enter {label} ({field})"),
    "certificate.cli.template_written": (
        "消去証明書のひな形を作成しました: {path}（チェックポイント {short}）。業者に記入・押印を依頼してください。",
        "Deletion certificate template written: {path} (checkpoint {short}). Ask the vendor to fill it in and seal it.",
    ),
    "certificate.field.method": ("消去方法", "method"),
    "certificate.field.performed_on": ("実施日（YYYY-MM-DD）", "date performed (YYYY-MM-DD)"),
    "certificate.field.performed_by": ("実施者の取扱者ID", "performed by (vendor staff id)"),
    "certificate.field.verified_by": ("確認者の取扱者ID", "verified by (vendor staff id)"),
    "certificate.field.media": ("証明書に記載の媒体ID（カンマ区切り）", "media ids on the certificate (comma-separated)"),
    "certificate.field.media_type": ("媒体の種類", "media type"),
    "certificate.field.tool": ("使用した機器・ツール", "tool"),
    "certificate.field.verification": ("検証方法", "verification method"),
    "certificate.field.place": ("実施場所", "place performed"),
    "certificate.field.checkpoint": ("証明書に記載のチェックポイント", "checkpoint printed on the certificate"),
}
