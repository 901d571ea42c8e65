"""Messages of the custody commands. code -> (ja, en).

Every text names the rule, the item or job and what to do — never a value from an export.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- returns: the disc is read back and compared with what was written -------------------------------
    "custody.return_hash_mismatch": (
        "返却された媒体 {medium} の内容が作成時と一致しません（SHA-256 不一致）。返却としては記録せず、"
        "事故（連番 {seq}）として記録しました。ディスクは廃棄・再利用せずに保管し、監督者に報告してください。",
        "The returned medium {medium} does not match what was written (SHA-256 mismatch). It was not recorded "
        "as returned; incident entry {seq} was recorded. Keep the disc (do not destroy or reuse it) and report "
        "to your supervisor.",
    ),
    "custody.return_unreadable": (
        "返却された媒体 {medium} を最後まで読み取れませんでした（読めない・短い）。返却としては記録せず、"
        "事故（連番 {seq}）として記録しました。ディスクは廃棄せずに保管し、監督者に報告してください。",
        "The returned medium {medium} could not be read in full (unreadable or short). It was not recorded as "
        "returned; incident entry {seq} was recorded. Keep the disc (do not destroy it) and report to your "
        "supervisor.",
    ),
    "custody.return_image_missing": (
        "媒体 {medium} の読取りファイル {path} がありません。パスを確認してください。何も記録していません。",
        "The read-back file {path} for medium {medium} does not exist. Check the path. Nothing was recorded.",
    ),
    "custody.return_source": (
        "媒体の返却には --image（読み取ったファイル）か --device（ドライブ）のどちらか一つを指定してください。",
        "A medium's return needs exactly one of --image (a read-back file) and --device (a drive).",
    ),
    "custody.return_not_medium": (
        "{item} は媒体ではありません。通知書の返却は --notice で記録してください。何も記録していません。",
        "{item} is not a medium. Record a notice's return with --notice. Nothing was recorded.",
    ),
    "custody.return_no_size": (
        "媒体 {medium} のイメージの大きさがジョブ {job} のフォルダにありません。読み取って照合できないため"
        "記録しませんでした。ジョブのフォルダを確認し、監督者に相談してください。",
        "The image size of medium {medium} is not in the folder of job {job}, so the disc cannot be compared. "
        "Nothing was recorded; check the job folder and ask your supervisor.",
    ),
    "custody.cli.one_source": (
        "媒体の返却には --image か --device のどちらか一つを指定してください（入力したハッシュは使えません）。",
        "Give exactly one of --image and --device for a medium's return (a typed hash is not accepted).",
    ),
    "custody.cli.notice_no_read": (
        "通知書の返却に --image / --device は使いません。--notice と --handler だけを指定してください。",
        "A notice's return takes no --image / --device: give --notice and --handler only.",
    ),
    "custody.cli.reading": ("媒体 {medium} を読み取って照合しています…", "Reading medium {medium} to compare it…"),
    "custody.cli.readback_ok": (
        "媒体 {medium} は作成時の内容と一致しました（SHA-256）。",
        "Medium {medium} matches what was written (SHA-256).",
    ),
    "custody.incident.note.hash_mismatch": ("返却時の読取り照合でハッシュ不一致", "hash mismatch on return"),
    "custody.incident.note.unreadable": ("返却時に最後まで読み取れず", "unreadable on return"),
    # --- incidents ---------------------------------------------------------------------------------------
    "custody.open_incident": (
        "{item} には終結していない事故（連番 {entry}）があるため、{event} を記録できません。監督者が事故を"
        "終結する（handoff incident close {entry}）か、監督者の職員IDで記録してください。記録しませんでした。",
        "{item} has an open incident (entry {entry}), so {event} cannot be recorded. A supervisor must close the "
        "incident (handoff incident close {entry}) or record this step. Nothing was recorded.",
    ),
    "custody.close_needs_supervisor": (
        "職員 {staff} は監督者（site.toml の role = \"supervisor\"）ではないため、事故を終結できません。"
        "監督者に依頼してください。記録しませんでした。",
        "Staff {staff} is not a supervisor (role = \"supervisor\" in site.toml) and cannot close an incident. "
        "Ask a supervisor. Nothing was recorded.",
    ),
    "custody.incident_not_open": (
        "連番 {entry} は終結していない事故の記録ではありません。handoff ledger show で連番を確認してください。"
        "記録しませんでした。",
        "Entry {entry} is not an open incident. Check the number with handoff ledger show. Nothing was recorded.",
    ),
    "custody.incident_kind": (
        "事故の種類 {kind} は使えません。次のいずれかを指定してください: {kinds}。記録しませんでした。",
        "Incident kind {kind} is not known. Use one of: {kinds}. Nothing was recorded.",
    ),
    "custody.incident_subject": (
        "事故の対象として --job（ジョブID）か --item（媒体・通知書ID）を指定してください。",
        "Give the incident's subject: --job (job id) or --item (medium or notice id).",
    ),
    "ledger.event.incident.recorded": ("事故記録", "incident recorded"),
    "ledger.event.incident.closed": ("事故終結", "incident closed"),
    # --- roles, witnesses, vendors' contracts ------------------------------------------------------------
    "custody.role_refused": (
        "職員 {staff} の役割（site.toml の role）は {role} のため、{event} を記録できません（必要な役割: "
        "{needed}）。該当する役割の職員の職員IDで行ってください。何も記録・作成していません。",
        "Staff {staff} has role {role} (site.toml), which may not record {event} (role needed: {needed}). Use the "
        "staff id of someone with that role. Nothing was recorded or made.",
    ),
    "custody.witness_unknown": (
        "立会者 {witness} は site.toml に登録された職員ではありません。登録済みの職員IDを指定してください。"
        "記録しませんでした。",
        "Witness {witness} is not registered staff in site.toml. Give a registered staff id. Nothing was "
        "recorded.",
    ),
    "custody.witness_self": (
        "立会者 {witness} は記録する職員本人です。本人以外の職員に立ち会ってもらい、その職員IDを指定してください。"
        "記録しませんでした。",
        "Witness {witness} is the person recording. Another staff member must witness; give their id. Nothing "
        "was recorded.",
    ),
    "custody.certification_expired": (
        "委託事業者 {vendor} の認証（{kind} {number}）の有効期限 {expires} が引渡し日 {date} より前に切れています。"
        "更新後の認証を site.toml に記載してから引き渡してください。記録しませんでした。",
        "Vendor {vendor}'s certification ({kind} {number}) expired on {expires}, before the handover date {date}. "
        "Enter the renewed certification in site.toml before handing over. Nothing was recorded.",
    ),
    "custody.certification_missing": (
        "委託事業者 {vendor} は契約上認証が必要です（site.toml の require_certification = true）が、認証"
        "（certifications）が記載されていません。記載してから引き渡してください。記録しませんでした。",
        "Vendor {vendor} must hold a certification under its contract (require_certification = true in "
        "site.toml), but none is listed (certifications). Add it before handing over. Nothing was recorded.",
    ),
    # --- declared dates: an event recorded after the fact (--on DATE) ---------------------------------------
    "custody.on_after_recorded": (
        "実施日 {date} が記録日 {recorded} より後です。実施日（--on）は記録する日か、それより前の日を指定してください。"
        "記録しませんでした。",
        "The declared date {date} is after the day it is recorded ({recorded}). Give --on as the recording day "
        "or an earlier one. Nothing was recorded.",
    ),
    "custody.on_too_early": (
        "実施日 {date} は記録日 {recorded} の {days} 日より前です（site.toml の [ledger] backdate_days = {days}。"
        "指定できるのは {earliest} 以降）。日付を確認し、それより前の出来事は監督者に相談してください。"
        "記録しませんでした。",
        "The declared date {date} is more than {days} days before the day it is recorded ({recorded}) "
        "([ledger] backdate_days = {days} in site.toml; the earliest allowed is {earliest}). Check the date; ask "
        "your supervisor about anything older. Nothing was recorded.",
    ),
    "custody.on_before_job": (
        "実施日 {date} はジョブ {job} の作成日 {prepared} より前です。実施日（--on）を確認してください。"
        "記録しませんでした。",
        "The declared date {date} is before job {job} was prepared ({prepared}). Check --on. Nothing was "
        "recorded.",
    ),
    "custody.cli.on": ("実施日: {date}", "Declared date: {date}"),
    "custody.cli.on_gap": ("記録日との差: {days} 日", "Days before the recording day: {days}"),
    "custody.cli.show_on": ("{time}（実施日 {date}）", "{time} (declared date {date})"),
    # --- paper other than the password notice (printed proofs, lists) ----------------------------------------
    "custody.paper_kind": (
        "紙の種類「{kind}」は登録できません。--kind には {kinds} のどれかを指定してください"
        "（proof = 校正紙、list = 名簿、other = その他）。記録しませんでした。",
        "Paper kind '{kind}' cannot be registered. Give --kind as one of {kinds} (proof = printed proofs, list ="
        " lists, other = anything else). Nothing was recorded.",
    ),
    "custody.paper_pages": (
        "{item} の枚数が 0 です（規則: 紙は1枚以上で登録）。--pages に枚数を指定してください。記録しませんでした。",
        "{item} has no pages (rule: paper is registered with one page or more). Give --pages. Nothing was"
        " recorded.",
    ),
    "custody.paper_quantity": (
        "数量 {quantity} が {item} の登録枚数 {expected} と一致しません（規則: 紙の引渡しの数量は登録した枚数）。"
        "枚数を数え直してください。記録しませんでした。",
        "Quantity {quantity} differs from the {expected} pages {item} was registered with (rule: a paper's"
        " handover quantity is its registered pages). Count again. Nothing was recorded.",
    ),
    "custody.cli.paper_registered": (
        "紙を登録しました: {paper}（{kind}、{pages} 枚）。この ID を紙に記入し、引渡し・返却・廃棄は --paper {paper} で"
        "記録してください。",
        "Paper registered: {paper} ({kind}, {pages} pages). Write this id on the paper; record its handover, return"
        " and destruction with --paper {paper}.",
    ),
    "custody.paper_kind.proof": ("校正紙", "printed proofs"),
    "custody.paper_kind.list": ("名簿", "list"),
    "custody.paper_kind.other": ("その他の紙", "other paper"),
}
