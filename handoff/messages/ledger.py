"""Messages of the ledger area (管理簿): code -> (Japanese, English).

Each says what happened, which rule, and what to do. Only ids, sizes, dates and codes are filled in: never a
personal value, never a password.
"""

_VERIFY_HINT_JA = "管理簿が書き換えられた可能性があります。追記を止め、監査担当に連絡し、handoff ledger verify の結果を保存してください。"
_VERIFY_HINT_EN = (
    "The ledger may have been rewritten. Stop recording, tell the auditor and keep the output of handoff ledger verify."
)

MESSAGES: dict[str, tuple[str, str]] = {
    # --- malformed calls (exit 4) ----------------------------------------------------------------------
    "ledger.unknown_event": (
        "管理簿に未定義の事象「{event}」は記録できません。事象の種類を確認してください。",
        "The ledger has no event type '{event}'. Check the event name.",
    ),
    "ledger.missing_field": (
        "事象「{event}」に必須の項目「{field}」がありません。指定して記録し直してください。",
        "Event '{event}' needs '{field}'. Supply it and record again.",
    ),
    "ledger.undeclared_field": (
        "事象「{event}」に定義外の項目「{field}」があります。管理簿には定義済みの項目だけを記録します（個人情報を載せないため）。",
        "Event '{event}' has an undeclared field '{field}'. Only declared fields are recorded (so no personal data"
        " rides along).",
    ),
    "ledger.bad_field": (
        "事象「{event}」の項目「{field}」の形式が正しくありません（期待: {kind}）。値を確認してください。",
        "Event '{event}': field '{field}' has the wrong form (expected {kind}). Check the value.",
    ),
    # --- configuration and state (exit 3 / 9) ----------------------------------------------------------
    "ledger.bad_key_name": (
        "署名鍵の名前「{name}」は使えません（空白と + は不可）。site.toml の ledger.origin を修正してください。",
        "Key name '{name}' is not allowed (no spaces or '+'). Fix ledger.origin in site.toml.",
    ),
    "ledger.key_missing": (
        "管理簿の鍵ファイル {path} がありません。handoff init で作成したサイトか確認してください。",
        "Ledger key file {path} is missing. Check that the site was created with handoff init.",
    ),
    "ledger.key_invalid": (
        "管理簿の鍵ファイル {path} の内容が正しくありません。バックアップから戻し、監査担当に連絡してください。",
        "Ledger key file {path} is not a valid key. Restore it from backup and tell the auditor.",
    ),
    "ledger.key_exists": (
        "鍵ファイル {path} は既にあります。既存の鍵は上書きしません。",
        "Key file {path} already exists; an existing key is never replaced.",
    ),
    "ledger.bad_schema": (
        "PostgreSQL のスキーマ名「{schema}」は使えません（英小文字・数字・_ のみ）。ledger.url を修正してください。",
        "PostgreSQL schema name '{schema}' is not allowed (lower-case letters, digits, _). Fix ledger.url.",
    ),
    "ledger.no_url": (
        "site.toml の ledger.backend が postgresql ですが ledger.url がありません。接続 URL を設定してください。",
        "site.toml sets ledger.backend = postgresql but no ledger.url. Set the connection URL.",
    ),
    "ledger.not_initialised": (
        "管理簿 {location} がまだ作成されていません。先に handoff init --dir でサイトを作成してください。",
        "Ledger {location} does not exist yet. Create the site with handoff init --dir first.",
    ),
    "ledger.exists": (
        "管理簿 {location} は既にあります。既存の管理簿は作り直しません。",
        "Ledger {location} already exists; an existing ledger is never recreated.",
    ),
    "ledger.db_unreachable": (
        "管理簿のデータベース {location} に接続できません。サーバーの稼働と ledger.url を確認してください。",
        "Cannot connect to the ledger database {location}. Check the server and ledger.url.",
    ),
    "ledger.site_exists": (
        "{path} には既にサイトがあります。既存のサイトは上書きしません。別のフォルダを指定してください。",
        "{path} already holds a site; it is never overwritten. Choose another folder.",
    ),
    "ledger.output_exists": (
        "{path} は既にあります。既存のファイルは上書きしません。別の出力先を指定してください。",
        "{path} already exists and is never overwritten. Choose another output path.",
    ),
    "ledger.init_needs_dir": (
        "作成するサイトフォルダを --dir で指定してください。",
        "Give the site folder to create with --dir.",
    ),
    # --- integrity (exit 7) ----------------------------------------------------------------------------
    "ledger.key_mismatch": (
        "データベース内の公開鍵が鍵ファイルと一致しません（鍵の差し替え）。" + _VERIFY_HINT_JA,
        "The public key in the database differs from the key file (key replaced). " + _VERIFY_HINT_EN,
    ),
    "ledger.entry_missing": (
        "管理簿の連番 {seq} の記録がありません（削除または欠落）。" + _VERIFY_HINT_JA,
        "Ledger entry {seq} is missing (deleted). " + _VERIFY_HINT_EN,
    ),
    "ledger.entry_altered": (
        "管理簿の連番 {seq} の記録が変更されています。" + _VERIFY_HINT_JA,
        "Ledger entry {seq} has been altered. " + _VERIFY_HINT_EN,
    ),
    "ledger.entry_misplaced": (
        "管理簿の {seq} 番目の位置に連番 {recorded} の記録があります（並べ替え・入替え）。" + _VERIFY_HINT_JA,
        "Position {seq} of the ledger holds entry {recorded} (rows moved or swapped). " + _VERIFY_HINT_EN,
    ),
    "ledger.checkpoint_bad_signature": (
        "件数 {size} のチェックポイントの署名が正しくありません。" + _VERIFY_HINT_JA,
        "The checkpoint at size {size} has no valid signature. " + _VERIFY_HINT_EN,
    ),
    "ledger.checkpoint_mismatch": (
        "件数 {size} のチェックポイントが記録内容と一致しません。変更された記録は連番 {first}〜{last} にあります。"
        + _VERIFY_HINT_JA,
        "The checkpoint at size {size} does not match the entries; the altered entry is among {first}–{last}. "
        + _VERIFY_HINT_EN,
    ),
    "ledger.truncated": (
        "件数 {size} のチェックポイントがありますが、記録は {entries} 件しかありません（末尾の削除）。"
        + _VERIFY_HINT_JA,
        "A checkpoint covers {size} entries but only {entries} remain (tail deleted). " + _VERIFY_HINT_EN,
    ),
    "ledger.unsigned_entries": (
        "連番 {first} 以降の記録（全 {entries} 件まで）に署名付きチェックポイントがありません（記録の挿入）。"
        + _VERIFY_HINT_JA,
        "Entries from {first} on (of {entries}) are covered by no signed checkpoint (rows inserted). "
        + _VERIFY_HINT_EN,
    ),
    "ledger.no_checkpoint": (
        "管理簿に署名付きチェックポイントが一つもありません。" + _VERIFY_HINT_JA,
        "The ledger holds no signed checkpoint. " + _VERIFY_HINT_EN,
    ),
    "ledger.external_missing": (
        "データベース外に保管したチェックポイントファイルがありません。" + _VERIFY_HINT_JA,
        "The checkpoint file kept outside the database is missing. " + _VERIFY_HINT_EN,
    ),
    "ledger.external_bad_signature": (
        "データベース外のチェックポイントファイルの署名が正しくありません。" + _VERIFY_HINT_JA,
        "The checkpoint file kept outside the database has no valid signature. " + _VERIFY_HINT_EN,
    ),
    "ledger.external_truncated": (
        "データベース外のチェックポイント（件数 {size}）より記録が少なくなっています（{entries} 件: 切り詰めまたは"
        "古いバックアップからの復元）。" + _VERIFY_HINT_JA,
        "The checkpoint kept outside the database covers {size} entries but only {entries} remain (truncated or"
        " restored from an old backup). " + _VERIFY_HINT_EN,
    ),
    "ledger.external_mismatch": (
        "データベース外のチェックポイント（件数 {size}）と記録内容が一致しません（分岐または書換え）。"
        + _VERIFY_HINT_JA,
        "The checkpoint kept outside the database (size {size}) does not match the entries (fork or rewrite). "
        + _VERIFY_HINT_EN,
    ),
    "ledger.witness_bad_signature": (
        "{witness} 番目の照合用チェックポイントはこの管理簿の鍵で署名されていません。写しを確認してください。",
        "Witness checkpoint {witness} is not signed by this ledger's key. Check the copy.",
    ),
    "ledger.witness_mismatch": (
        "照合用チェックポイント（件数 {size}）と管理簿が一致しません（分岐または書換え）。" + _VERIFY_HINT_JA,
        "The witness checkpoint (size {size}) does not match the ledger (fork or rewrite). " + _VERIFY_HINT_EN,
    ),
    "ledger.witness_ahead": (
        "照合用チェックポイントは {size} 件ですが、管理簿は {entries} 件しかありません（切り詰め）。"
        + _VERIFY_HINT_JA,
        "The witness checkpoint covers {size} entries but the ledger has only {entries} (truncated). "
        + _VERIFY_HINT_EN,
    ),
    "ledger.store_damaged": (
        "管理簿のデータベース {location} が壊れていて読めません（ファイルの破損・書換え・切り詰め）。追記を止めてください。"
        "壊れたファイルは監査担当のためにそのまま保管し（上書き・削除しない）、バックアップから管理簿を復元してください。",
        "The ledger database {location} is damaged and cannot be read (file corrupted, overwritten or truncated)."
        " Stop recording. Keep the damaged file as it is for the auditor (do not overwrite or delete it) and restore"
        " the ledger from backup.",
    ),
    "ledger.store_missing": (
        "管理簿のデータベース {location} がありませんが、データベース外のチェックポイントファイルには {size} 件まで"
        "記録済みとあります（削除または移動）。handoff init で作り直さず、バックアップから管理簿を復元し、監査担当に連絡してください。",
        "The ledger database {location} is missing, but the checkpoint file kept outside it says {size} entries were"
        " recorded (deleted or moved). Do not recreate it with handoff init: restore the ledger from backup and"
        " tell the auditor.",
    ),
    "ledger.time_backwards": (
        "管理簿の連番 {seq} の日時（{time}）が直前の記録の日時（{previous}）より前です（時計の巻戻しまたは記録の書換え）。"
        + _VERIFY_HINT_JA,
        "Ledger entry {seq} is dated {time}, before the entry preceding it ({previous}): the clock was set back or"
        " entries were rewritten. " + _VERIFY_HINT_EN,
    ),
    "ledger.clock_behind": (
        "この端末の時計（{time}）が管理簿の最後の記録の日時（{last}）より前になっているため、記録しませんでした"
        "（規則: 記録の日時は戻らない）。システムの時計を正しい日時に合わせてから記録し直してください。"
        "時計が正しい場合は、管理簿に未来の日時の記録があります: 監査担当に連絡してください。",
        "This computer's clock ({time}) is before the time of the ledger's last entry ({last}), so nothing was"
        " recorded (rule: recorded times never go backwards). Set the system clock right and record again. If the"
        " clock is right, the ledger holds an entry dated in the future: tell the auditor.",
    ),
    "ledger.head_mismatch": (
        "管理簿の末尾（{size} 件）が最後の署名付きチェックポイントと一致しないため、記録を追加しません。"
        + _VERIFY_HINT_JA,
        "The ledger head ({size} entries) does not match its last signed checkpoint; nothing is appended. "
        + _VERIFY_HINT_EN,
    ),
    # --- custody rules (exit 6) ------------------------------------------------------------------------
    "custody.unknown_staff": (
        "職員ID {staff} は site.toml の staff に登録されていません。記録しませんでした。登録済みの職員IDを --staff に指定してください。",
        "Staff id {staff} is not in site.toml staff. Nothing was recorded; give a registered id with --staff.",
    ),
    "custody.job_exists": (
        "ジョブ {job} は既に管理簿に登録されています（ジョブIDは一意）。記録しませんでした。",
        "Job {job} is already in the ledger (job ids are unique). Nothing was recorded.",
    ),
    "custody.job_not_prepared": (
        "ジョブ {job} は管理簿に登録されていないため「{event}」を記録できません。ジョブIDを確認してください。",
        "Job {job} is not in the ledger, so '{event}' cannot be recorded. Check the job id.",
    ),
    "custody.job_abandoned": (
        "ジョブ {job} は中止（完成しなかったジョブ）として記録されているため「{event}」を記録できません。"
        "同じ事業・周期をもう一度 handoff run で作成してください。",
        "Job {job} is recorded as abandoned (it was never completed), so '{event}' cannot be recorded. "
        "Run the programme's cycle again with handoff run.",
    ),
    "custody.abandon_handed_over": (
        "ジョブ {job} の媒体または通知書はすでに引き渡されているため、中止として記録できません。"
        "返却・廃棄を記録してください。",
        "Items of job {job} have already been handed over, so it cannot be recorded as abandoned. "
        "Record their return and destruction.",
    ),
    "custody.correction_target": (
        "訂正の対象（連番 {entry}）が管理簿にありません。訂正は既存の記録を参照してください。記録しませんでした。",
        "The correction refers to entry {entry}, which does not exist. Refer to an earlier entry. Nothing recorded.",
    ),
    "custody.already_void": (
        "連番 {entry} の記録は既に取り消されています。記録しませんでした。",
        "Entry {entry} is already voided. Nothing was recorded.",
    ),
    "custody.unknown_vendor": (
        "委託業者 {vendor} は site.toml に登録されていません。記録しませんでした。",
        "Vendor {vendor} is not registered in site.toml. Nothing was recorded.",
    ),
    "custody.unknown_handler": (
        "{handler} は委託業者 {vendor} から届出のあった取扱者ではありません（規則: 届出済みの取扱責任者・取扱者のみ）。"
        "記録しませんでした。届出済みの取扱者IDを指定してください。",
        "{handler} is not a handler vendor {vendor} registered in advance (rule: registered handlers only)."
        " Nothing was recorded; give a registered handler id.",
    ),
    "custody.wrong_vendor": (
        "ジョブ {job} の委託業者は {expected} です。{vendor} には引き渡せません。記録しませんでした。",
        "Job {job} belongs to vendor {expected}, not {vendor}. Nothing was recorded.",
    ),
    "custody.outside_contract": (
        "{date} は委託業者 {vendor} の契約期間（{start}〜{end}）外です（規則: 契約期間内のみ引渡し可）。"
        "記録しませんでした。",
        "{date} is outside vendor {vendor}'s contract ({start} to {end}); handovers only within the contract."
        " Nothing was recorded.",
    ),
    "custody.quantity_mismatch": (
        "数量 {quantity} がジョブ {job} の件数 {expected} と一致しません（規則: 数量はジョブと一致）。記録しませんでした。"
        "件数を数え直してください。",
        "Quantity {quantity} differs from job {job}'s {expected} (rule: quantities match the job). Nothing was"
        " recorded; count again.",
    ),
    "custody.bag_required": (
        "{item} の引渡しに鍵付きカバンまたは封印の番号がありません（規則: 鍵付きカバンで運搬）。--bag で指定してください。"
        "記録しませんでした。",
        "The handover of {item} has no locked-bag or seal number (rule: locked bag). Give --bag. Nothing recorded.",
    ),
    "custody.same_day": (
        "ジョブ {job} の媒体とパスワード通知書を同じ日（{date}）に引き渡すことはできません（規則: 別の機会に渡す）。"
        "記録しませんでした。別の日に引き渡してください。",
        "Medium and password notice of job {job} cannot both be handed over on {date} (rule: separate"
        " occasions). Nothing was recorded; hand it over on another day.",
    ),
    "custody.notice_before_medium": (
        "ジョブ {job} の媒体がまだ引き渡されていないため、パスワード通知書は引き渡せません（規則: 媒体の受領後、別の機会に）。"
        "記録しませんでした。",
        "Job {job}'s medium has not been handed over yet, so its password notice cannot be (rule: after the"
        " medium, on another occasion). Nothing was recorded.",
    ),
    "custody.item_exists": (
        "{item} は既に管理簿に登録されています（媒体・通知書・紙のIDは一意）。記録しませんでした。",
        "{item} is already in the ledger (medium, notice and paper ids are unique). Nothing was recorded.",
    ),
    "custody.unknown_id": (
        "{item} は管理簿に媒体・通知書・紙として記録されていません。IDを確認してください。記録しませんでした。",
        "{item} is not a medium, notice or paper in the ledger. Check the id. Nothing was recorded.",
    ),
    "custody.unknown_item": (
        "{item} はジョブ {job} の媒体・通知書・紙として管理簿にありません。IDを確認してください。記録しませんでした。",
        "{item} is not a medium, notice or paper of job {job} in the ledger. Check the id. Nothing was recorded.",
    ),
    "custody.item_destroyed": (
        "{item} は既に廃棄済みです。「{event}」は記録できません。",
        "{item} has already been destroyed; '{event}' cannot be recorded.",
    ),
    "custody.already_out": (
        "{item} は既に引渡し済みで、まだ返却されていません。記録しませんでした。",
        "{item} has been handed over and not returned yet. Nothing was recorded.",
    ),
    "custody.not_verified": (
        "{item} は書込み後の検証に失敗した媒体です。引き渡せません。廃棄して作り直してください。記録しませんでした。",
        "{item} failed read-back verification and cannot be handed over. Destroy it and write a new one."
        " Nothing was recorded.",
    ),
    "custody.not_out": (
        "{item} は引き渡されていない（状態: {state}）ため返却を記録できません。記録しませんでした。",
        "{item} was not handed over (state: {state}), so no return can be recorded. Nothing was recorded.",
    ),
    "custody.item_out": (
        "{item} は委託業者に引渡し中です。「{event}」は返却を記録してから行ってください。記録しませんでした。",
        "{item} is with the vendor; record its return before '{event}'. Nothing was recorded.",
    ),
    "custody.bad_transition": (
        "{item} は状態「{state}」のため「{event}」を記録できません。記録しませんでした。",
        "{item} is in state '{state}', so '{event}' cannot be recorded. Nothing was recorded.",
    ),
    "custody.unknown_cabinet": (
        "保管庫「{cabinet}」は site.toml の cabinets にありません。記録しませんでした。",
        "Cabinet '{cabinet}' is not in site.toml cabinets. Nothing was recorded.",
    ),
    "custody.same_cabinet": (
        "{item} を {other} と同じ保管庫「{cabinet}」には保管できません（規則: 媒体と通知書は別の施錠保管庫）。"
        "別の保管庫を指定してください。記録しませんでした。",
        "{item} cannot go into cabinet '{cabinet}' with {other} (rule: medium and notice in separate locked"
        " cabinets). Choose another cabinet. Nothing was recorded.",
    ),
    "custody.inspection_counts": (
        "合格数 {passed} が検査数 {inspected} を超えています。数え直してください。記録しませんでした。",
        "Passed ({passed}) exceeds inspected ({inspected}). Count again. Nothing was recorded.",
    ),
    # --- operator commands -----------------------------------------------------------------------------
    "ledger.cli.cancelled": ("中止しました。何も記録・作成していません。", "Cancelled. Nothing was recorded or created."),
    "ledger.cli.confirm": ("この内容で管理簿に記録します。よろしいですか？", "Record this in the ledger?"),
    "ledger.cli.recorded": (
        "管理簿に記録しました: 連番 {seq}（{event}）。チェックポイント {short}",
        "Recorded in the ledger: entry {seq} ({event}). Checkpoint {short}",
    ),
    "ledger.cli.receipt": ("受領書を作成しました: {path}", "Receipt written: {path}"),
    "ledger.cli.verified": (
        "管理簿は正常です: 記録 {entries} 件、チェックポイント {checkpoints} 件を検証しました。現在 {short}",
        "The ledger verifies: {entries} entries and {checkpoints} checkpoints checked. Now {short}",
    ),
    "ledger.cli.exported": ("管理簿を書き出しました: {path}", "Ledger exported: {path}"),
    "ledger.cli.init_confirm": ("{path} に新しいサイトを作成します。よろしいですか？", "Create a new site in {path}?"),
    "ledger.cli.initialised": (
        "サイトを作成しました: {path}（管理簿 {short}）。鍵ファイルは {key} です。バックアップを取ってください。",
        "Site created: {path} (ledger {short}). The key file is {key}; back it up.",
    ),
    "ledger.cli.one_item": (
        "--medium・--notice・--paper のどれか一つを指定してください。",
        "Give exactly one of --medium, --notice and --paper.",
    ),
}

EVENT_LABELS: dict[str, tuple[str, str]] = {
    "job.prepared": ("ジョブ作成", "job prepared"),
    "job.abandoned": ("ジョブ中止", "job abandoned"),
    "medium.written": ("媒体作成", "medium written"),
    "medium.stored": ("媒体保管", "medium stored"),
    "notice.printed": ("通知書印刷", "notice printed"),
    "notice.stored": ("通知書保管", "notice stored"),
    "medium.handed_over": ("媒体引渡し", "medium handed over"),
    "notice.handed_over": ("通知書引渡し", "notice handed over"),
    "medium.returned": ("媒体返却", "medium returned"),
    "notice.returned": ("通知書返却", "notice returned"),
    "deletion_certificate.received": ("消去証明書受領", "deletion certificate received"),
    "medium.destroyed": ("媒体廃棄", "medium destroyed"),
    "notice.destroyed": ("通知書廃棄", "notice destroyed"),
    "paper.registered": ("紙の登録", "paper registered"),
    "paper.handed_over": ("紙の引渡し", "paper handed over"),
    "paper.returned": ("紙の返却", "paper returned"),
    "paper.destroyed": ("紙の廃棄", "paper destroyed"),
    "delivery.inspected": ("納品検査", "delivery inspected"),
    "inbound.received": ("受領データ受入", "inbound data received"),
    "vendor.inspected": ("業者実地検査", "vendor inspected"),
    "correction": ("訂正", "correction"),
}
MESSAGES.update({f"ledger.event.{k}": v for k, v in EVENT_LABELS.items()})
# --- corrections (handoff ledger correct) ---------------------------------------------------------------
MESSAGES.update({
    "correction.set_form": ("--set は キー=値 の形で指定してください（例: --set place=本庁舎1階）。記録しませんでした。",
                                    "Give --set as key=value (e.g. --set place=HQ-1F). Nothing was recorded."),
    "correction.nothing": ("--void か --set のどちらか一方を指定してください。記録しませんでした。",
                                   "Give either --void or --set. Nothing was recorded."),
    "correction.of_correction": (
        "連番 {entry} は訂正の記録です。訂正は訂正できません。元の記録を訂正してください。記録しませんでした。",
        "Entry {entry} is a correction, which cannot be corrected; correct the original entry. Nothing recorded."),
    "correction.subject": (
        "「{key}」は連番 {entry} の対象（ID）で、訂正では変更できません。取り消して（--void）正しく記録し直してください。"
        "記録しませんでした。",
        "'{key}' names what entry {entry} is about and cannot be changed; void it (--void) and record it again. "
        "Nothing was recorded."),
    "correction.key": (
        "「{key}」は {event} の記録にない項目です。訂正できる項目: {keys}。記録しませんでした。",
        "'{key}' is not a field of {event}. Fields that can be corrected: {keys}. Nothing was recorded."),
    "correction.list": (
        "「{key}」（種類 {kind}）は一覧のため訂正では変更できません。取り消して（--void）記録し直してください。記録しませんでした。",
        "'{key}' ({kind}) is a list and cannot be changed by a correction; void the entry and record it again. "
        "Nothing was recorded."),
    "correction.value": (
        "「{key}」に指定した値はこの項目の種類（{kind}）に合いません。記録しませんでした。",
        "The value given for '{key}' is not a valid {kind}. Nothing was recorded."),
    "ledger.cli.correct_target": ("訂正の対象: 連番 {seq}（{event}）{what}", "Correcting entry {seq} ({event}) {what}"),
    "ledger.cli.correct_void": ("この記録を取り消します（元の記録は残ります）。", "This entry will be voided (it stays recorded)."),
    "ledger.cli.correct_change": ("  {key}: {old} → {new}", "  {key}: {old} → {new}"),
    "ledger.cli.correct_reason": ("理由: {reason}", "Reason: {reason}"),
    "ledger.mark.voided": ("取消（連番 {seq}）", "voided (entry {seq})"),
    "ledger.mark.corrected": ("訂正: {keys}（連番 {seqs}）", "corrected: {keys} (entry {seqs})"),
})
