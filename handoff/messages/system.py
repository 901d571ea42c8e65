"""Messages of the machine around handoff: files that cannot be written, logs, interruptions. code -> (ja, en).

Every text names the folder or file and what to do — never a value from an export, never a password.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "system.disk_full": (
        "フォルダ {folder} に書き込めませんでした。ディスクの空き容量（または利用者ごとの割当て）が足りません。不要なファイルを削除して空きを作るか、空きのある場所を指定してから、もう一度実行してください。",
        "Could not write to the folder {folder}: the disk (or your quota) is full. Free some space or choose a place with room, then run the command again.",
    ),
    "system.read_only": (
        "フォルダ {folder} に書き込めませんでした。読取り専用のディスク（またはフォルダ）です。書き込めるディスク・場所を指定するか、システム管理者に書込みできるようにしてもらってから、もう一度実行してください。",
        "Could not write to the folder {folder}: it is on a read-only disk. Choose a writable place, or ask the system administrator to make it writable, then run the command again.",
    ),
    "system.no_permission": (
        "フォルダ {folder} に書き込む（または読み取る）権限がありません。フォルダとファイルの所有者・権限をシステム管理者に確認してもらうか、権限のある場所を指定してから、もう一度実行してください。",
        "No permission to write (or read) in the folder {folder}. Ask the system administrator to check the owner and permissions of the folder and its files, or choose a place you may write to, then run the command again.",
    ),
    "system.folder_unknown": ("（場所不明）", "(unknown place)"),
    "system.interrupted": (
        "中断しました。途中のファイルは次回の起動時に片付けられます。",
        "Interrupted. Any half-made files are cleaned up the next time handoff starts.",
    ),
    "system.declined": ("中止しました（記録していません）。", "Stopped: nothing was recorded."),
    "system.declined_label": ("中止", "Stopped"),
    "system.error_label": ("エラー", "Error"),
    "system.interrupted_label": ("中断", "Interrupted"),
    "system.exit_code": ("終了コード", "Exit code"),
    "system.deprecated_option": (
        "{old} は廃止予定です。{new} を使ってください。",
        "{old} is deprecated; use {new} instead.",
    ),
    "system.version": ("handoff {version}（Python {python}）", "handoff {version} (Python {python})"),
    "system.internal": (
        "予期しないエラー（{error}、{where}）で処理を完了できませんでした。プログラムの不具合です。ログファイル（データフォルダの logs/handoff.jsonl）を添えてシステム管理者に報告してください。",
        "An unexpected error ({error}, {where}) stopped the command before it finished. This is a bug in handoff: report it to the system administrator with the log file (logs/handoff.jsonl in the data folder).",
    ),
    "system.hard_stop": (
        "中断の操作が繰り返されたため、直ちに停止しました。途中のファイルは次回の起動時に片付けられます。",
        "Stopped at once: the interrupt was repeated. Unfinished files are cleaned up at the next start.",
    ),
}
