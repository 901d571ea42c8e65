"""Messages of the media area (disc images, burning, read-back) and of jobs that were never completed
(interrupted runs, abandoned job folders): code -> (ja, en).

Parameters are ids, device addresses, file names handoff made, sizes and counts — never a value or a password.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "media.tool_missing": (
        "{tool} が見つかりません。apt-get install {package} を実行してください。",
        "{tool} is missing. Run apt-get install {package}.",
    ),
    "media.no_drive": (
        "書込みできる光学ドライブが見つかりません。ドライブの接続を確認するか、--device "
        "で指定してください。",
        "No optical drive found. Check the drive or give --device.",
    ),
    "media.several_drives": (
        "光学ドライブが複数あります。--device で書き込むドライブを指定してください。",
        "Several optical drives found; choose one with --device.",
    ),
    "media.drive_unavailable": (
        "ドライブ {device} を使用できません（媒体が入っていない、または他のプログラムが使用中）。",
        "Drive {device} cannot be used (no medium, or busy).",
    ),
    "media.not_blank": (
        "ドライブ {device} の媒体は未使用（ブランク）ではありません。未使用のディスク（業者設定の種類）を入れてください。",
        "The medium in {device} is not blank. Insert a blank disc of the type the vendor profile declares.",
    ),
    "media.wrong_type": (
        "ドライブ {device} のディスクは {found} です。業者設定（vendor_profiles の medium.type）は {expected} です。"
        "{expected} の未使用ディスクを入れてください。",
        "The disc in {device} is {found}; the vendor profile (medium.type) declares {expected}. "
        "Insert a blank {expected}.",
    ),
    "media.no_space": (
        "ドライブ {device} の媒体の容量が足りません（必要 {needed} ブロック、空き {free} ブロック）。",
        "The medium in {device} is too small (needs {needed} blocks, {free} free).",
    ),
    "media.burn_failed": (
        "媒体への書込みに失敗しました（{device}、終了コード {rc}）。このディスクは使用できません。"
        "破棄（裁断）し、管理簿に記録してください。",
        "Writing to {device} failed (exit code {rc}). This disc must not be used: destroy (shred) it and "
        "record that in the ledger.",
    ),
    "media.check_media_failed": (
        "書き込んだ媒体に読めないブロックがあります（{device}、正常 {good} / {blocks} ブロック）。"
        "このディスクは使用できません。破棄（裁断）し、管理簿に記録してください。",
        "The written medium has unreadable blocks ({device}: {good} of {blocks} good). This disc must not "
        "be used: destroy (shred) it and record that in the ledger.",
    ),
    "media.readback_short": (
        "媒体から読み戻せたデータがイメージより短いです（{device}、{read} / {expected} バイト）。"
        "このディスクは使用できません。破棄（裁断）し、管理簿に記録してください。",
        "The read-back from {device} is shorter than the image ({read} of {expected} bytes). This disc "
        "must not be used: destroy (shred) it and record that in the ledger.",
    ),
    "media.readback_failed": (
        "媒体 {device} を読み戻せませんでした（{reason}）。このディスクは使用できません。破棄（裁断）し、"
        "管理簿に記録してください。",
        "Could not read back {device} ({reason}). This disc must not be used: destroy (shred) it and "
        "record that in the ledger.",
    ),
    "media.readback_mismatch": (
        "読み戻した媒体の内容がイメージと一致しません（{device}、SHA-256 不一致）。"
        "このディスクは使用できません。破棄（裁断）し、管理簿に記録してください。",
        "The read-back of {device} differs from the image (SHA-256 mismatch). This disc must not be used: "
        "destroy (shred) it and record that in the ledger.",
    ),
    "media.image_changed": (
        "媒体 {medium} のイメージファイルが作成時から変わっています。書き込みません。"
        "新しいジョブを作成してください。",
        "The image of medium {medium} changed since it was made; not burning. Run a new job.",
    ),
    "media.image_payload_mismatch": (
        "作成したイメージ {image} の中の ZIP が元の ZIP と一致しません。"
        "イメージは削除しました（不具合として報告してください）。",
        "The ZIP inside image {image} differs from the original; the image was removed (please report).",
    ),
    "media.zip_changed": (
        "ジョブ {job} の暗号化ZIPが作成時から変わっています。イメージは作成しません。",
        "The encrypted ZIP of job {job} changed since it was sealed; no image was made.",
    ),
    "media.zip_short": (
        "暗号化ZIPが想定より短く読めました（{expected} バイト）。イメージは作成しません。",
        "The encrypted ZIP read shorter than expected ({expected} bytes); no image was made.",
    ),
    "media.capacity_too_small": (
        "媒体の容量 {capacity} バイトでは収録できません。",
        "A capacity of {capacity} bytes cannot hold anything.",
    ),
    "media.too_large": (
        "媒体 {medium} のイメージ（{size} バイト）が容量 {capacity} バイトを超えました。",
        "The image of medium {medium} ({size} bytes) exceeds the capacity of {capacity} bytes.",
    ),
    "media.exists": (
        "媒体 {medium} のイメージは既に存在します。上書きはしません。",
        "The image of medium {medium} exists already; it is never overwritten.",
    ),
    "media.status_invalid": (
        "媒体 {medium} の状態ファイルが読めません。ジョブフォルダを確認してください。",
        "The status file of medium {medium} is unreadable. Check the job folder.",
    ),
    "media.not_verified": (
        "媒体 {medium} は読み戻し検証が済んでいないため（状態: {state}）、受け渡しできません。",
        "Medium {medium} was not verified by read-back (state: {state}) and cannot be handed over.",
    ),
    "media.state_missing": (
        "媒体 {medium} のイメージがありません。ジョブIDと媒体IDを確認してください。",
        "Medium {medium} has no image. Check the job and medium ids.",
    ),
    "media.state_written": (
        "媒体 {medium} はまだ書込み・検証されていません。",
        "Medium {medium} has not been burned and verified yet.",
    ),
    "media.state_verified": (
        "媒体 {medium} は既に書込み・検証済みです。同じ媒体IDのディスクを2枚作ることはできません。",
        "Medium {medium} is burned and verified already; a second disc of the same medium id is not "
        "allowed.",
    ),
    "media.state_unusable": (
        "媒体 {medium} は使用不可と記録されています（書込みまたは検証の失敗）。ディスクを破棄し、"
        "新しいジョブを作成してください。",
        "Medium {medium} is recorded as unusable (burn or verification failed). Destroy the disc and run a "
        "new job.",
    ),
    "media.nothing_to_burn": (
        "ジョブ {job} に書込み待ちの媒体はありません（media list で状態を確認できます）。",
        "Job {job} has no medium waiting to be burned (see media list).",
    ),
    "media.unknown_medium": (
        "媒体 {medium} はこのジョブにありません。",
        "Medium {medium} is not part of this job.",
    ),
    "media.ui.drives": ("使用できるドライブ:", "Drives:"),
    "media.ui.device": ("書込み先: {device}", "Writing to: {device}"),
    "media.ui.insert_blank": (
        "媒体 {medium}（{index} / {count} 枚目）を書き込みます。未使用の DVD-R を {device} "
        "に入れてください。準備ができましたか？",
        "Burning medium {medium} ({index} of {count}). Insert a blank DVD-R into {device}. Ready?",
    ),
    "media.ui.burn": ("書込み中", "Writing"),
    "media.ui.check": ("読取り検査中", "Checking blocks"),
    "media.ui.readback": ("読み戻し照合中", "Reading back"),
    "media.ui.verified": (
        "媒体 {medium} を書き込み、読み戻して照合しました（SHA-256 一致）。ラベル: {label}",
        "Medium {medium} burned and verified by read-back (SHA-256 equal). Label: {label}",
    ),
    "media.ui.recorded_verified": (
        "管理簿に記録しました: 媒体 {medium} 書込み・検証済み（連番 {seq}、チェックポイント {short}）",
        "Recorded in the ledger: medium {medium} written and verified (entry {seq}, checkpoint {short})",
    ),
    "media.ui.recorded_failed": (
        "管理簿に記録しました: 媒体 {medium} 書込み・検証失敗（連番 {seq}、チェックポイント {short}）。"
        "このディスクは受け渡せません。破棄して custody destroy で記録してください。",
        "Recorded in the ledger: medium {medium} written, verification FAILED (entry {seq}, checkpoint "
        "{short}). This disc can never be handed over; destroy it and record that with custody destroy.",
    ),
    "media.ui.caught_up": (
        "媒体 {medium} は書込み済みでしたが管理簿に未記録だったため、媒体の状態ファイルから記録しました。",
        "Medium {medium} had been burned but was not in the ledger; recorded it from its status file.",
    ),
    "media.ui.label_written": ("ラベル: {path}", "Label: {path}"),
    "media.ledger_not_recorded": (
        "媒体 {medium} の書込み結果を管理簿に記録できませんでした（{error}）。原因を解消してから "
        "media burn を再実行すると記録されます。",
        "Could not record the burn of medium {medium} in the ledger ({error}). Fix the cause and run "
        "media burn again to record it.",
    ),
    "media.ui.verify_ok": (
        "媒体 {medium} の読み戻し照合は一致しました。",
        "Medium {medium} reads back equal to its image.",
    ),
    "media.ui.list_header": ("媒体ID", "Medium id"),
    "media.ui.state": ("状態", "State"),
    "media.ui.size": ("サイズ（バイト）", "Size (bytes)"),
    "media.ui.image_sha": ("イメージ SHA-256（先頭16桁）", "Image SHA-256 (first 16)"),
    "media.ui.state.written": ("書込み待ち", "waiting to be burned"),
    "media.ui.state.verified": ("検証済み（受渡し可）", "verified (may be handed over)"),
    "media.ui.state.unusable": ("使用不可（破棄すること）", "unusable (destroy it)"),
    "media.ui.state.missing": ("なし", "none"),
    "media.ui.state.burning": ("書込み中", "being burned"),
    "media.busy": (
        "媒体 {medium} は別の media burn が書込み中です。終わるまで待ってください。",
        "Medium {medium} is being burned by another media burn. Wait until it has finished.",
    ),
    "media.state_burning": (
        "媒体 {medium} は書込み中です。書込みが終わってから、もう一度実行してください。",
        "Medium {medium} is being burned. Run the command again once the burn has finished.",
    ),
    "media.burn_interrupted": (
        "媒体 {medium} の書込みは途中で止まりました（書込み中に handoff が終了しました）。このディスクは"
        "使用できません。破棄（裁断）し、管理簿に記録してください。",
        "The burn of medium {medium} was cut off (handoff ended while it was writing). This disc must not be "
        "used: destroy (shred) it and record that in the ledger.",
    ),
    "media.ui.cancelled": ("書込みを取りやめました。", "Burning cancelled."),
    # --- jobs that were never completed ---------------------------------------------------------------------
    "job.incomplete": (
        "ジョブ {job} は完成していません（作成が中断されたか、まだ作成中です。internal/job.json がありません）。"
        "このジョブの媒体の書込み・引渡しはできません。中断されたジョブは次のコマンドの開始時に破棄されます。"
        "同じ発送サイクルは run でもう一度作成できます（--reason は不要です）。",
        "Job {job} is not complete (its run was interrupted or is still running: internal/job.json is "
        "missing). None of its media can be burned or handed over. An interrupted job is abandoned when the "
        "next command starts; run the same cycle again (no --reason needed).",
    ),
    "job.abandoned_removed": (
        "作成が中断されたジョブ {job} を破棄し、ファイル {count} 件を削除しました（{files}）。",
        "Abandoned job {job}, whose run was interrupted, and removed {count} files ({files}).",
    ),
    "job.abandoned_recorded": (
        "管理簿に破棄を記録しました（連番 {seq}）。同じ発送サイクルは run でもう一度作成できます。",
        "Recorded in the ledger as abandoned (entry {seq}); the same cycle may be run again.",
    ),
    "job.abandoned_unrecorded": (
        "管理簿に破棄を記録できませんでした（{error}）。原因を解消すると、次のコマンドの開始時に記録します。",
        "Could not record the abandonment in the ledger ({error}); it is recorded when a command next starts "
        "after the cause is fixed.",
    ),
    "job.abandon_failed": (
        "作成が中断されたジョブ {job} のフォルダを片付けられませんでした（{error}）。原因を解消すると、次のコマンドの"
        "開始時にもう一度片付けます。",
        "Could not clear the folder of job {job}, whose run was interrupted ({error}); it is tried again when a "
        "command next starts after the cause is fixed.",
    ),
    "job.has_records": (
        "ジョブ {job} のフォルダに internal/job.json がありませんが、管理簿には媒体の書込みか通知書の印刷が"
        "記録されています。フォルダは削除しません。システム管理者に確認してください。",
        "The folder of job {job} lacks internal/job.json, but the ledger records a disc burned or a notice "
        "printed for it: the folder is kept. Ask the system administrator to check it.",
    ),
    "run.interrupted": (
        "中断しました。作成途中のジョブ {job} は使用できないため破棄し、ファイル {count} 件を削除しました"
        "（{removed}）。同じ発送サイクルは run でもう一度作成できます。",
        "Interrupted. The unfinished job {job} cannot be used: it was abandoned and {count} files were removed "
        "({removed}). Run the same cycle again.",
    ),
    "run.interrupted_before_files": (
        "中断しました（ジョブ {job}）。ファイルはまだ作成していません。",
        "Interrupted (job {job}) before any file was written.",
    ),
    "run.interrupted_left": (
        "中断しました。作成途中のジョブ {job} のフォルダを削除できませんでした。次のコマンドの開始時に削除します。",
        "Interrupted. The folder of the unfinished job {job} could not be removed now; the next command to start "
        "removes it.",
    ),
    "run.interrupted_finished": (
        "中断しましたが、ジョブ {job} は作成を終えていました。ジョブはそのまま使用できます。",
        "Interrupted, but job {job} had already been completed; it can be used as it is.",
    ),
}
