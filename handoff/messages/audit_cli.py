"""Messages of the audit command and its integrity checks. code -> (ja, en)."""

_HINT_JA = (
    "管理簿の記録を信用せず、監査担当の控え・紙のチェックポイント・バックアップと照らし合わせて経緯を調べ、"
    "情報セキュリティ責任者に報告してください。"
)
_HINT_EN = (
    "Do not trust the ledger: compare it with the auditor's witness file, the paper checkpoints and the backups,"
    " find out what happened, and report to the information security officer."
)

MESSAGES: dict[str, tuple[str, str]] = {
    "ledger.paper_mismatch": (
        "紙から入力したチェックポイント（件数 {size}）と管理簿が一致しません（分岐または書換え）。" + _HINT_JA,
        "The checkpoint typed from paper (size {size}) does not match the ledger (fork or rewrite). " + _HINT_EN,
    ),
    "ledger.paper_ahead": (
        "紙から入力したチェックポイントは {size} 件ですが、管理簿は {entries} 件しかありません（切り詰め）。" + _HINT_JA,
        "The checkpoint typed from paper covers {size} entries but the ledger has only {entries} (truncated). "
        + _HINT_EN,
    ),
    "audit.checkpoint_form": (
        "{index} 番目の --checkpoint の形が違います。受領書・ラベルに印字された「件数/ハッシュ先頭16桁」"
        "（例: 1234/0123456789abcdef）の形で入力してください。",
        "--checkpoint number {index} is not in the right form. Type it as printed on the receipt or label:"
        " size/first 16 hex digits of the root (e.g. 1234/0123456789abcdef).",
    ),
    "audit.witness_unreadable": (
        "監査担当の控えファイル {path} を読めません（UTF-8 の文字でない、または権限がない）。ファイルを確認してください。",
        "The auditor's witness file {path} cannot be read (not UTF-8 text, or no permission). Check the file.",
    ),
    "audit.no_verifier": (
        "管理簿の公開鍵ファイル {path} がありません。監査には管理簿・公開鍵（ledger.pub）・チェックポイント"
        "（checkpoint.txt）の3つが必要です。システム担当から受け取ってください。",
        "The ledger's public key file {path} is missing. An audit needs the ledger, the public key (ledger.pub) and"
        " the checkpoint file (checkpoint.txt). Get them from the system administrator.",
    ),
    "audit.no_programmes": (
        "事業ファイルのフォルダ {path} がありません。監査は各事業の承認項目と期限を事業ファイルから読みます。"
        "site.toml の pipelines_dir を確認するか、操作端末の pipelines フォルダを写してください。",
        "The programme folder {path} is missing. The audit reads each programme's approved items and deadlines"
        " from its file. Check pipelines_dir in site.toml, or copy the pipelines folder from the operators' PC.",
    ),
    "audit.role_refused": (
        "職員 {staff} の役割は {role} です。監査は監査担当（auditor）または責任者（supervisor）が行います。"
        "site.toml の役割を確認してください。",
        "Staff {staff} has role {role}. An audit is done by an auditor or a supervisor. Check the role in"
        " site.toml.",
    ),
    "audit.cli.bad_date": (
        "{flag} は YYYY-MM-DD の形の日付で指定してください（例: 2027-04-30）。",
        "Give {flag} as a date YYYY-MM-DD (e.g. 2027-04-30).",
    ),
    "audit.cli.bad_format": (
        "--format は text・json・html・pdf のいずれかを指定してください。",
        "--format must be one of text, json, html, pdf.",
    ),
    "audit.cli.out_required": (
        "--format {format} では --out で保存先のファイルを指定してください。",
        "With --format {format}, give the file to write with --out.",
    ),
    "audit.cli.written": (
        "監査報告書を {path} に保存しました。",
        "The audit report was written to {path}.",
    ),
}
