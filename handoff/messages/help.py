"""Help for the ``handoff`` command: commands, arguments, options, prompt labels, the exit-code table and
the words of the command-line library itself. code -> (ja, en).

Help texts are read when the command line is built (``cli.common.h``), so ``HANDOFF_LANG`` chooses their language
as it does for every other message. ``help.<module>.<command>[.<parameter>]`` follows the module in ``handoff/cli``
that defines the command. The module is one unit: one catalogue of every text the command line shows, checked
whole by the help-coverage test.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "help.root.app": (
        "委託業者への個人情報の受渡しを安全に行うツール（抽出・最小化・暗号化・媒体・管理簿）。",
        "Hand personal data to contracted vendors safely (extract, minimise, encrypt, media, custody ledger).",
    ),
    "help.root.root.home": ("サイトフォルダ（site.toml のある場所）。", "Site folder (where site.toml is)."),
    "help.root.root": (
        "handoff — 区役所から委託業者への個人情報の受渡しを安全に行います。",
        "handoff — hand personal data from the ward office to contracted vendors safely.",
    ),
    "help.audit.audit.staff": ("監査する職員ID（監査担当）", "Staff id of the auditor."),
    "help.audit.audit.as_of": ("この日の時点で判定します（YYYY-MM-DD、既定: 今日）", "Judge as of this day (YYYY-MM-DD; default: today)."),
    "help.audit.audit.fiscal_year": (
        "年度（4月〜翌3月。2026 は 2026-04-01〜2027-03-31）",
        "Fiscal year (April to March: 2026 is 2026-04-01 to 2027-03-31).",
    ),
    "help.audit.audit.programme": ("この事業だけを見ます", "Only this programme."),
    "help.audit.audit.vendor": ("この業者だけを見ます", "Only this vendor."),
    "help.audit.audit.witness": (
        "監査担当が自分で保管するチェックポイントの控え（問題がなければ追記します）",
        "The auditor's own copy of checkpoints (appended to when all is well).",
    ),
    "help.audit.audit.checkpoint": (
        "受領書・ラベルから入力したチェックポイント（件数/先頭16桁、複数可）",
        "A checkpoint typed from a receipt or label (entries/first 16 digits; may repeat).",
    ),
    "help.audit.audit.fmt": ("text | json | html | pdf", "text | json | html | pdf"),
    "help.audit.audit.out": ("報告書を保存するファイル（html・pdf では必須）", "File to save the report to (required for html and pdf)."),
    "help.audit.audit.home": (
        "サイトフォルダ（site.toml のある場所）。handoff-audit 用",
        "Site folder (where site.toml is), for handoff-audit.",
    ),
    "help.audit.audit": (
        "管理簿を監査します（読み取り専用）。完全性を検証し、返却・消去証明書・検査・期限を照合します。 終了コード: 0 指摘なし、1 指摘あり、7 管理簿の完全性に問題。",
        "Audit the ledger (read-only): prove its integrity, then check returns, erasure certificates, inspections and deadlines. Exit code: 0 no findings, 1 findings, 7 the ledger's integrity failed.",
    ),
    "help.certificate.app": (
        "消去証明書（ひな形の作成・返送された証明書の記録）。",
        "Erasure certificates (make the template, record the certificate the vendor returns).",
    ),
    "help.certificate.opt.job": ("ジョブID", "Job id."),
    "help.certificate.opt.yes": (
        "確認せずに実行（スクリプト用）。不足項目は質問せずエラー",
        "Do not ask (for scripts); a missing field is an error instead of a question.",
    ),
    "help.certificate.opt.staff": ("証明書を確認し記録する職員ID", "Staff id of the person who checks and records the certificate."),
    "help.certificate.template.out": (
        "作成する PDF（既にあるファイルには書きません）",
        "PDF to make (an existing file is never overwritten).",
    ),
    "help.certificate.template": (
        "業者に渡す消去証明書のひな形 PDF（ジョブ・媒体・ZIP ハッシュ・チェックポイント記入済み）を作成します。",
        "Make the erasure certificate template PDF for the vendor (job, media, ZIP hash and checkpoint filled in).",
    ),
    "help.certificate.record.scan": (
        "返送された証明書のスキャン（PDF・画像）。ハッシュだけを記録",
        "Scan of the returned certificate (PDF or image); only its hash is recorded.",
    ),
    "help.certificate.record.field": (
        "証明書の記載 項目=値（method, performed_on, media など。繰返し可）",
        "A field of the certificate as key=value (method, performed_on, media …; may repeat).",
    ),
    "help.certificate.record": (
        "返送された消去証明書を管理簿に記録します（全媒体の記載と必須項目を確認）。",
        "Record a returned erasure certificate in the ledger (every medium and required field is checked).",
    ),
    "help.check.check.programme": ("事業ID（handoff programmes list で確認）", "Programme id (see handoff programmes list)."),
    "help.check.check.input_file": ("基幹システムの抽出ファイル", "Export file from the host system."),
    "help.check.check.as_json": ("実行報告（個人情報なし）を JSON で出力", "Print the run report (no personal data) as JSON."),
    "help.check.check": (
        "抽出ファイルを検査します（業者用データは作りません）。除外行があれば終了コード 1。",
        "Check an export file (no vendor data is made). Exit code 1 when rows are excepted.",
    ),
    "help.due.due.day": ("この日について表示（既定: 今日）YYYY-MM-DD", "Show for this day (default: today) YYYY-MM-DD."),
    "help.due.due.as_json": ("JSON で出力", "Print as JSON."),
    "help.due.due": (
        "発送カレンダーで作成期間中の回・抽出ファイルの到着・止めている理由（契約・認証・未返却）を表示します。",
        "Show the mailing-calendar cycles due now, whether their exports arrived, and what holds them (contract, approval, unreturned media).",
    ),
    "help.incident.app": (
        "事故（紛失・破損・ハッシュ不一致など）を管理簿に記録・終結します。",
        "Record and close incidents (lost, damaged, hash mismatch …) in the ledger.",
    ),
    "help.incident.kinds_help": (
        "種類: lost（紛失）| damaged（破損）| hash_mismatch（ハッシュ不一致）| unreadable（読取り不能）| late（返却遅延）| other",
        "Kind: lost | damaged | hash_mismatch | unreadable | late (return overdue) | other",
    ),
    "help.incident.record.reported_by": ("報告した職員ID", "Staff id of the person who reported it."),
    "help.incident.record.job": ("ジョブID", "Job id."),
    "help.incident.record.item": ("媒体IDまたは通知書ID", "Medium id or notice id."),
    "help.incident.record.note": (
        "内容（氏名・住所などは書かないこと）",
        "What happened (never names, addresses or other personal data).",
    ),
    "help.incident.record": (
        "事故を記録します。媒体・通知書の事故が終結するまで、その保管・引渡し・返却・廃棄は監督者だけが記録できます。",
        "Record an incident. Until an incident about a medium or notice is closed, only a supervisor may record its storage, handover, return or destruction.",
    ),
    "help.incident.close.seq": (
        "事故の記録の連番（handoff ledger show で確認）",
        "Sequence number of the incident entry (see handoff ledger show).",
    ),
    "help.incident.close.outcome": ("結果・措置", "Outcome and measures taken."),
    "help.incident.close.staff": ("終結する監督者の職員ID", "Staff id of the supervisor closing it."),
    "help.incident.close": (
        "事故を終結します（site.toml で role = \"supervisor\" の職員だけ）。",
        "Close an incident (only staff with role = \"supervisor\" in site.toml).",
    ),
    "help.incident.list.as_json": ("JSON で出力", "Print as JSON."),
    "help.incident.list": (
        "記録された事故の一覧（未終結を先に、終結期限つき）を表示します。",
        "List recorded incidents (open ones first, with their closing deadlines).",
    ),
    "help.inspect.inspect_app": (
        "検査（封入封緘後の封筒の納品検査）を管理簿に記録します。",
        "Record inspections (delivery inspection of sealed envelopes) in the ledger.",
    ),
    "help.inspect.vendor_app": ("委託業者（実地検査の記録）。", "Contracted vendors (on-site inspection records)."),
    "help.inspect.delivery.job": ("ジョブID", "Job id."),
    "help.inspect.delivery.scans": (
        "読み取ったコードのファイル（1行に1コード）。「-」または省略で端末から読取り",
        "File of scanned codes (one per line); \"-\" or omitted reads from the terminal.",
    ),
    "help.inspect.delivery.log": (
        "封入封緘機が出力したログ（形式は site.toml の vendor_profiles.<プロファイル>.inserter.log）。--scans と併用可",
        "Log written by the inserter (format: site.toml vendor_profiles.<profile>.inserter.log); may be used with --scans.",
    ),
    "help.inspect.delivery.as_json": ("照合結果を JSON で出力", "Print the reconciliation as JSON."),
    "help.inspect.delivery": (
        "封筒のコード（または封入機のログ）を予定のコードと照合して管理簿に記録します（不一致は終了コード 1）。",
        "Reconcile the envelopes' codes (or the inserter's log) with the planned codes and record it in the ledger (a mismatch is exit code 1).",
    ),
    "help.inspect.vendor_inspect.vendor": ("委託業者ID（site.toml の vendors）", "Vendor id (site.toml vendors)."),
    "help.inspect.vendor_inspect.date": (
        "実施日 YYYY-MM-DD（今日以前）",
        "Day of the inspection YYYY-MM-DD (today or earlier).",
    ),
    "help.inspect.vendor_inspect.by": (
        "検査した職員ID（2名以上、カンマ区切り: S001,S002）",
        "Staff ids of the inspectors (two or more, comma-separated: S001,S002).",
    ),
    "help.inspect.vendor_inspect.result": ("結果（例: 適正、要改善 …）", "Result (for example: adequate, needs improvement …)."),
    "help.inspect.vendor_inspect.place": ("場所", "Place."),
    "help.inspect.vendor_inspect": (
        "委託業者の実地検査（年1回以上、区の職員2名以上）を管理簿に記録します。",
        "Record an on-site inspection of a vendor (at least once a year, by two or more ward staff) in the ledger.",
    ),
    "help.intake.intake.programme": (
        "事業ID（事業ファイルに [inbound] があること）",
        "Programme id (its programme file must have [inbound]).",
    ),
    "help.intake.intake.staff": ("記録する職員ID（site.toml の staff）", "Staff id recording it (site.toml staff)."),
    "help.intake.intake.image": (
        "受け取った媒体を読み取ったイメージ（ISO）、または ZIP そのもの",
        "Image (ISO) read from the medium received, or the ZIP itself.",
    ),
    "help.intake.intake.device": ("受け取った媒体を入れたドライブ（/dev/sr0 など）", "Drive holding the medium received (/dev/sr0 …)."),
    "help.intake.intake.notice": (
        "パスワード通知書の受領を記録（媒体とは別の日）",
        "Record receipt of the password notice (on another day than the medium).",
    ),
    "help.intake.intake.job": (
        "受領ジョブID（--notice で、待っている媒体が複数のとき）",
        "Intake job id (with --notice, when several media are waiting).",
    ),
    "help.intake.intake.handler": (
        "持参した業者の取扱者ID（届出済み）",
        "Vendor handler id of the person who brought it (registered).",
    ),
    "help.intake.intake.quantity": (
        "件数（委託業者の記載。読取り時に照合）",
        "Number of records (as the vendor states; checked when read).",
    ),
    "help.intake.intake.vendor": ("委託業者ID（省略時は事業の業者）", "Vendor id (default: the programme's vendor)."),
    "help.intake.intake.bag": ("鍵付きカバン・封印の番号", "Number of the locked bag or seal."),
    "help.intake.intake.place": ("場所", "Place."),
    "help.intake.intake.condition": ("状態（封印の状態など）", "Condition (of the seal …)."),
    "help.intake.intake.on": (
        "受領日（日本時間、YYYY-MM-DD）: 後から記録するとき",
        "Day received (Japan time, YYYY-MM-DD), when recorded afterwards.",
    ),
    "help.intake.intake.password_fd": (
        "パスワードをこのファイル記述子から読む（スクリプト用。引数・環境変数では渡せません）",
        "Read the password from this file descriptor (for scripts; never as an argument or environment variable).",
    ),
    "help.intake.intake.yes": ("確認せずに実行（スクリプト用）", "Do not ask (for scripts)."),
    "help.intake.intake.as_json": (
        "結果を JSON で出力（ID・件数・ハッシュのみ）",
        "Print the result as JSON (ids, counts and hashes only).",
    ),
    "help.intake.intake": (
        "委託業者から戻るデータ（暗号化 ZIP の媒体）の受領、通知書の受領、読取りと取込みファイルの作成を行います。",
        "Receive data coming back from a vendor (a medium with an encrypted ZIP), receive its notice, read it and make the intake files.",
    ),
    "help.ledger.ledger_app": ("管理簿（表示・書出し・検証・チェックポイント）。", "Custody ledger (show, export, verify, checkpoints)."),
    "help.ledger.custody_app": (
        "媒体・パスワード通知書・紙（校正紙・名簿など）の保管・引渡し・返却・廃棄を管理簿に記録します。",
        "Record storage, handover, return and destruction of media, password notices and paper (proofs, lists …) in the ledger.",
    ),
    "help.ledger.opt.yes": ("確認せずに実行（スクリプト用）", "Do not ask (for scripts)."),
    "help.ledger.opt.staff": ("記録する職員ID（site.toml の staff）", "Staff id recording it (site.toml staff)."),
    "help.ledger.opt.medium": ("媒体ID", "Medium id."),
    "help.ledger.opt.notice": ("パスワード通知書ID", "Password notice id."),
    "help.ledger.opt.paper": (
        "紙（校正紙・名簿など）のID（custody paper で登録）",
        "Paper id (proofs, lists …; registered with custody paper).",
    ),
    "help.ledger.opt.place": ("場所", "Place."),
    "help.ledger.opt.condition": ("状態（封印の状態など）", "Condition (of the seal …)."),
    "help.ledger.init.target": ("作成するサイトフォルダ", "Site folder to create."),
    "help.ledger.init": (
        "新しいサイト（設定・事業ファイル・データフォルダ・署名鍵・管理簿）を作成します。",
        "Create a new site (settings, programme files, data folder, signing key, ledger).",
    ),
    "help.ledger.opt.from": (
        "この日（日本時間、YYYY-MM-DD）以降に記録したもの",
        "Recorded on or after this day (Japan time, YYYY-MM-DD).",
    ),
    "help.ledger.opt.to": ("この日（日本時間、YYYY-MM-DD）までに記録したもの", "Recorded on or before this day (Japan time, YYYY-MM-DD)."),
    "help.ledger.opt.programme": ("この事業のジョブの記録だけ", "Only entries of this programme's jobs."),
    "help.ledger.opt.vendorid": ("この委託業者の記録だけ", "Only entries of this vendor."),
    "help.ledger.opt.jobid": ("このジョブの記録だけ", "Only entries of this job."),
    "help.ledger.opt.on": (
        "実施日（日本時間、YYYY-MM-DD）: 後から記録するときの実際の日（記録日の backdate_days 日前まで）",
        "Day it was done (Japan time, YYYY-MM-DD) when recorded afterwards (at most backdate_days days before the day recorded).",
    ),
    "help.ledger.show.limit": ("最後の N 件（0 = すべて）", "The last N entries (0 = all)."),
    "help.ledger.show.as_json": ("記録をそのまま JSON Lines で出力", "Print the entries as they are, as JSON Lines."),
    "help.ledger.show": (
        "管理簿の記録を表示します（日時は日本時間。取り消し・訂正された記録には印が付きます）。",
        "Show the ledger's entries (times in Japan time; voided and corrected entries are marked).",
    ),
    "help.ledger.export.out": ("出力ファイル（拡張子 .csv / .xlsx / .pdf）", "Output file (.csv, .xlsx or .pdf)."),
    "help.ledger.export": (
        "管理簿を CSV・XLSX・PDF に書き出します（見出し: 日時・取扱者・情報の内容・数量 … 訂正・取消）。",
        "Export the ledger to CSV, XLSX or PDF (columns: time, handler, content, quantity … correction, void).",
    ),
    "help.ledger.correct.seq": (
        "訂正する記録の連番（ledger show で確認）",
        "Sequence number of the entry to correct (see ledger show).",
    ),
    "help.ledger.correct.reason": ("訂正の理由", "Reason for the correction."),
    "help.ledger.correct.void": ("記録を取り消す（元の記録は残ります）", "Void the entry (the original entry stays)."),
    "help.ledger.correct.sets": ("訂正する項目 キー=値（複数指定可）", "Field to correct as key=value (may repeat)."),
    "help.ledger.correct": (
        "誤った記録を訂正・取消します。元の記録は書き換えず、訂正の記録を追加します。",
        "Correct or void a wrong entry. The original is never rewritten; a correction entry is added.",
    ),
    "help.ledger.verify.witness": (
        "照合するチェックポイント（監査担当の控え・紙から入力したもの）",
        "Checkpoints to check against (the auditor's copy, or typed from paper).",
    ),
    "help.ledger.verify": (
        "管理簿を全件検証します。改ざん・欠落・切り詰めがあれば終了コード 7。",
        "Verify every ledger entry. Exit code 7 on tampering, a gap or truncation.",
    ),
    "help.ledger.checkpoint.out": ("署名付きチェックポイントを保存するファイル", "File to save the signed checkpoint to."),
    "help.ledger.checkpoint": (
        "現在のチェックポイント（署名付き）を表示します。監査担当はこれを控えとして保管します。",
        "Show the current signed checkpoint. The auditor keeps it as a witness copy.",
    ),
    "help.ledger.store.cabinet": ("保管庫（site.toml の cabinets）", "Cabinet (site.toml cabinets)."),
    "help.ledger.store": (
        "媒体または通知書を施錠保管庫に保管したことを記録します（媒体と通知書は別の保管庫）。",
        "Record that a medium or notice was put in a locked cabinet (media and notices in different cabinets).",
    ),
    "help.ledger.handover.handler": ("受領する業者の取扱者ID（届出済み）", "Vendor handler id of the receiver (registered)."),
    "help.ledger.handover.quantity": ("廃止予定: --media-count を使ってください", "Deprecated: use --media-count."),
    "help.ledger.handover.bag": ("鍵付きカバン・封印の番号", "Number of the locked bag or seal."),
    "help.ledger.handover.vendor": ("委託業者ID（省略時はジョブの業者）", "Vendor id (default: the job's vendor)."),
    "help.ledger.handover.receipt": ("受領書 PDF の保存先", "Where to save the receipt PDF."),
    "help.ledger.handover": (
        "媒体・通知書・紙の引渡しを記録し、チェックポイント入りの受領書 PDF を作成します（紙の数量は登録した枚数）。",
        "Record the handover of a medium, notice or paper and make the receipt PDF with the checkpoint (for paper the quantity is the pages registered).",
    ),
    "help.ledger.return.handler": ("返却した業者の取扱者ID", "Vendor handler id of the person returning it."),
    "help.ledger.return.image": (
        "返却媒体を読み取ったファイル（stdio: 疑似ドライブのファイルなど）",
        "File read from the returned medium (a pseudo-drive file for stdio: …).",
    ),
    "help.ledger.return.device": ("返却媒体を入れたドライブ（/dev/sr0 など）", "Drive holding the returned medium (/dev/sr0 …)."),
    "help.ledger.return.bag": ("鍵付きカバン・封印の番号", "Number of the locked bag or seal."),
    "help.ledger.return": (
        "媒体・通知書・紙の返却を記録します。媒体は読み取って作成時のハッシュと照合し、一致したときだけ返却とします。",
        "Record the return of a medium, notice or paper. A medium is read and compared with the hash it was made with, and is returned only when they match.",
    ),
    "help.ledger.destroy.method": (
        "廃棄方法（既定: 媒体は破砕、通知書・紙は裁断）",
        "How it was destroyed (default: media shredded, notices and paper cut).",
    ),
    "help.ledger.destroy.witness": ("立会職員ID", "Staff id of the witness."),
    "help.ledger.destroy": ("媒体・通知書・紙の廃棄を記録します。", "Record the destruction of a medium, notice or paper."),
    "help.ledger.paper.job": ("ジョブID", "Job id."),
    "help.ledger.paper.kind": ("紙の種類: proof（校正紙）・list（名簿）・other（その他）", "Kind of paper: proof | list | other."),
    "help.ledger.paper.pages": ("枚数（引渡しの数量はこの枚数）", "Number of pages (the quantity handed over)."),
    "help.ledger.paper.note": ("メモ（何の紙か。個人の情報は書かない）", "Note (what the paper is; never personal data)."),
    "help.ledger.paper": (
        "委託業者に渡す紙（校正紙・名簿など）を登録し、ID（<ジョブ>-P1, -P2 …）を表示します。",
        "Register paper handed to the vendor (proofs, lists …) and show its id (<job>-P1, -P2 …).",
    ),
    "help.package_cmds.notice_app": (
        "パスワード通知書（印刷するとファイルは削除されます）。",
        "Password notices (the file is deleted once printed).",
    ),
    "help.package_cmds.media_app": (
        "受渡し媒体（DVD-R）の書込み・読み戻し検証・一覧。",
        "Handover media (DVD-R): burn, read back and verify, list.",
    ),
    "help.package_cmds.opt.jobarg": ("ジョブID", "Job id."),
    "help.package_cmds.to_file": ("印刷せずにこのファイルへ保存（0600）", "Save to this file instead of printing (0600)."),
    "help.package_cmds.device": ("ドライブ（/dev/sr0、stdio:/パス.iso など）", "Drive (/dev/sr0, stdio:/path.iso …)."),
    "help.package_cmds.yes": ("確認せずに書き込む（未使用媒体の確認を省略）", "Burn without asking (skips the blank-medium question)."),
    "help.package_cmds.notice_print": (
        "パスワード通知書を印刷（lp）またはファイルに保存し、ジョブフォルダから削除して管理簿に記録します。",
        "Print the password notice (lp) or save it to a file, delete it from the job folder and record it in the ledger.",
    ),
    "help.package_cmds.media_list.job": ("ジョブID（省略時はすべてのジョブ）", "Job id (default: every job)."),
    "help.package_cmds.media_list.as_json": ("JSON で出力", "Print as JSON."),
    "help.package_cmds.media_list": (
        "媒体と状態（書込み待ち・検証済み・使用不可）を表示します。ジョブIDを省略すると、すべてのジョブの媒体。",
        "Show media and their state (waiting to burn, verified, unusable). Without a job id, the media of every job.",
    ),
    "help.package_cmds.media_burn.medium": ("この媒体IDだけを書き込む", "Burn only this medium id."),
    "help.package_cmds.media_burn": (
        "媒体を DVD-R に書き込み、読み戻して照合し、管理簿に記録して、チェックポイント入りのラベルPDFを作成します。",
        "Burn media to DVD-R, read them back and compare, record them in the ledger and make the label PDF with the checkpoint.",
    ),
    "help.package_cmds.media_verify.medium": ("媒体ID", "Medium id."),
    "help.package_cmds.media_verify": (
        "書込み済みの媒体（返却された媒体など）を読み戻し、イメージと照合します。不一致なら使用不可にします。",
        "Read back a burned medium (a returned one …) and compare it with its image; a mismatch marks it unusable.",
    ),
    "help.programmes.app": (
        "事業（承認された業務委託）の一覧と内容を表示します。",
        "List the programmes (approved contracted work) and show them.",
    ),
    "help.programmes.list_": ("事業の一覧を表示します。", "List the programmes."),
    "help.programmes.list_.as_json": ("一覧を JSON で出力", "Print the list as JSON"),
    "help.programmes.show.programme": ("事業ID", "Programme id."),
    "help.programmes.show.fiscal_year": (
        "発送カレンダーを表示する年度（既定: 今年度）",
        "Fiscal year of the mailing calendar shown (default: this fiscal year).",
    ),
    "help.programmes.show": (
        "事業の承認項目・審議会資料・入出力の定義・発送カレンダーを表示します。",
        "Show a programme's approved items, council documents, input and output definitions and mailing calendar.",
    ),
    "help.proof.proof.programme": ("事業ID（handoff programmes list で確認）", "Programme id (see handoff programmes list)."),
    "help.proof.proof.input_file": ("基幹システムの抽出ファイル", "Export file from the host system."),
    "help.proof.proof.pieces": ("先頭・末尾から表示する通数", "Number of pieces shown from the start and the end."),
    "help.proof.proof": (
        "抽出ファイルから校正刷り（先頭・末尾の数通、宛名・バーコード）を作成します（庁内限り）。",
        "Make a proof (the first and last few pieces, address and barcode) from an export file (for the office only).",
    ),
    "help.run.run.programme": ("事業ID（--due のときは指定しない）", "Programme id (not with --due)."),
    "help.run.run.input_file": ("基幹システムの抽出ファイル", "Export file from the host system."),
    "help.run.run.staff": (
        "実行する職員ID（site.toml の staff。--due の既定は役割 batch の職員）",
        "Staff id running it (site.toml staff; with --due the default is the staff with role batch).",
    ),
    "help.run.run.cycle": (
        "発送サイクル（発送カレンダーの回 YYYY-MM。既定: 次の回）",
        "Mailing cycle (YYYY-MM, a cycle of the mailing calendar; default: the next one).",
    ),
    "help.run.run.reason": ("同じサイクルを再度作成する理由（管理簿に記録）", "Reason to make the same cycle again (recorded in the ledger)."),
    "help.run.run.due": (
        "発送カレンダーで作成期間中の回を、届いた抽出ファイルで作成",
        "Make the cycles the mailing calendar has due, from the exports that arrived.",
    ),
    "help.run.run.day": ("--due: この日として実行（既定: 今日）", "--due: run as on this day (default: today)."),
    "help.run.run.as_json": ("ジョブIDとファイルの場所を JSON で出力", "Print the job id and file locations as JSON."),
    "help.run.run": (
        "業者に渡す暗号化データ（ZIP・ディスクイメージ）とパスワード通知書を作成し、管理簿に記録します。",
        "Make the encrypted data for the vendor (ZIP, disc images) and the password notice, and record them in the ledger.",
    ),
    "help.schedule.app": (
        "定期実行（handoff run --due）の設定を表示し、作成しない回を記録します。",
        "Show the settings for scheduled runs (handoff run --due), and record a cycle not to be made.",
    ),
    "help.schedule.skip": (
        "発送カレンダーの回を「作成しない」と管理簿に記録する（監督者、理由つき）。以後その回は作成期間・未作成に出ない",
        "Record in the ledger that a mailing-calendar cycle is not to be made (a supervisor, with the reason); it is "
        "then neither due nor missed."),
    "help.schedule.skip.programme": ("事業ID", "Programme id."),
    "help.schedule.skip.cycle": ("回のID（発送年月 YYYY-MM）", "Cycle id (mailing month YYYY-MM)."),
    "help.schedule.skip.reason": ("作成しない理由（管理簿に記録）", "Why it is not made (recorded in the ledger)."),
    "help.schedule.install.systemd": ("systemd のユニットとタイマーを表示", "Show the systemd unit and timer."),
    "help.schedule.install.cron": ("crontab の行を表示", "Show the crontab line."),
    "help.schedule.install.user": ("実行するOSのユーザー（systemd）", "Operating-system user that runs it (systemd)."),
    "help.schedule.install.at": ("毎日の実行時刻 HH:MM", "Time of the daily run HH:MM."),
    "help.schedule.install": (
        "このサイトの定期実行（毎日 handoff run --due）の設定ファイルを表示します（書き込みはしません）。",
        "Show the settings files for this site's scheduled run (handoff run --due each day); nothing is written.",
    ),
    "help.status.status.day": (
        "この日について表示（既定: 今日、日本時間）YYYY-MM-DD",
        "Show for this day (default: today, Japan time) YYYY-MM-DD.",
    ),
    "help.status.status.staff": (
        "次のコマンドに入れる職員ID（省略時は「職員ID」）",
        "Staff id to put in the next commands (default: the word \"staff id\").",
    ),
    "help.status.status.as_json": ("JSON で出力", "Print as JSON."),
    "help.status.status": (
        "作業一覧: 書込み・印刷・保管・引渡し・返却・証明書・検査・事故の待ち（期限超過が先）と次のコマンド。",
        "Work list: media to burn, notices to print, items to store, hand over and get back, certificates, inspections and incidents waiting (overdue first), each with its next command.",
    ),
    "help.ledger.handover.media_count": ("媒体の数（枚）。紙のときは枚数", "Number of media (discs); for paper: number of pages."),
    "help.sample.sample": (
        "試験用の架空データ（ダミー）を作成します。FILE.expected.json に仕込んだ不備の件数を書きます。",
        "Make a synthetic export (dummy data) for testing; FILE.expected.json gets the counts of the planted defects.",
    ),
    "help.sample.sample.programme": ("事業ID", "Programme id."),
    "help.sample.sample.out": ("出力ファイル", "Output file."),
    "help.sample.sample.rows": ("行数", "Number of rows."),
    "help.sample.sample.seed": ("乱数の種（同じ種なら同じデータ）", "Random seed (the same seed makes the same data)."),
    "help.sample.sample.progress": (
        "進み具合を標準エラーに表示します（既定: 端末のときだけ）",
        "Show progress on standard error (default: only on a terminal).",
    ),
    "help.root.version": ("版（バージョン）と Python の版を表示して終了します。", "Show the version and Python's version, then exit."),
    "help.root.exit_codes": (  # "\b": the help printer keeps these lines as they are
        "\b\n終了コード:\n"
        "  0 正常\n"
        "  1 除外行・監査の指摘あり\n"
        "  2 使い方の誤り\n"
        "  3 設定の誤り\n"
        "  4 入力を読めない\n"
        "  5 安全のための停止\n"
        "  6 管理簿の規則により拒否（未登録の職員ID など）\n"
        "  7 検証の失敗\n"
        "  8 外部ツールの失敗\n"
        "  9 状態の衝突\n"
        "  10 内部エラー\n"
        "  11 書き込めない\n"
        "  12 抽出ファイル未着\n"
        "  13 確認で「いいえ」（記録なし）\n"
        "  130 中断",
        "\b\nExit codes:\n"
        "  0 done\n"
        "  1 rows excepted or audit findings\n"
        "  2 wrong usage\n"
        "  3 configuration error\n"
        "  4 input unreadable\n"
        "  5 stopped for safety\n"
        "  6 refused by a ledger rule (unknown staff id …)\n"
        "  7 verification failed\n"
        "  8 external tool failed\n"
        "  9 state conflict\n"
        "  10 internal error\n"
        "  11 cannot write\n"
        "  12 export not arrived\n"
        "  13 answered no at a confirmation (nothing recorded)\n"
        "  130 interrupted",
    ),
    # What a custody step shows before asking to record it: one label per payload key.
    "help.field.cabinet": ("保管庫", "cabinet"),
    "help.field.vendor": ("委託業者", "vendor"),
    "help.field.handler": ("取扱者", "handler"),
    "help.field.quantity": ("数量", "quantity"),
    "help.field.bag": ("カバン・封印", "bag or seal"),
    "help.field.place": ("場所", "place"),
    "help.field.condition": ("状態", "condition"),
    "help.field.method": ("廃棄方法", "method"),
    "help.field.witness": ("立会職員", "witness"),
    "help.field.readback_sha256": ("読み戻しのハッシュ", "read-back hash"),
    "help.field.kind": ("種類", "kind"),
    "help.field.pages": ("枚数", "pages"),
    "help.field.note": ("メモ", "note"),
    "help.field.reported_by": ("報告した職員", "reported by"),
    "help.field.outcome": ("結果・措置", "outcome"),
    "help.field.closed_by": ("終結した監督者", "closed by"),
    "help.field.performed_on": ("実施日", "performed on"),
    "help.field.inspectors": ("検査した職員", "inspectors"),
    "help.field.result": ("結果", "result"),
    "help.field.scan_sha256": ("スキャンのハッシュ", "scan hash"),
    "help.prompt.drive_number": ("番号", "Number"),
    # The command-line library's own words (its English is the en text).
    "click.usage": ("使い方: ", "Usage: "),
    "click.help_option": ("この説明を表示して終了します。", "Show this message and exit."),
    "click.arguments": ("引数", "Arguments"),
    "click.options": ("オプション", "Options"),
    "click.commands": ("コマンド", "Commands"),
    "click.required": ("必須", "required"),
    "click.default": ("既定: {default}", "default: {default}"),
    "click.env_var": ("環境変数: {var}", "env var: {var}"),
    "click.dynamic": ("（実行時に決定）", "(dynamic)"),
    "click.deprecated": ("（廃止予定） ", "(deprecated) "),
    "click.error": ("エラー", "Error"),
    "click.try_help": ("説明は '{command} {option}' で表示できます。", "Try '{command} {option}' for help."),
    "click.missing_command": ("コマンドを指定してください。", "Missing command."),
    "click.no_such_command": ("コマンド「{name}」はありません。", "No such command {name!r}."),
    "click.missing": ("{what} {hint} を指定してください。{rest}", "Missing {what} {hint}.{rest}"),
    "click.invalid_for": ("{hint} の値が正しくありません: {rest}", "Invalid value for {hint}: {rest}"),
    "click.invalid": ("値が正しくありません: {rest}", "Invalid value: {rest}"),
    "click.no_such_option": ("オプション {hint} はありません。{rest}", "No such option: {hint}{rest}"),
    "click.extra_arguments": ("余分な引数があります（{hint}）。", "Got unexpected extra arguments ({hint})."),
    "click.needs_value": ("オプション {hint} には値が必要です。", "Option {hint} requires {rest}"),
    "click.option": ("オプション", "option"),
    "click.argument": ("引数", "argument"),
    "click.parameter": ("値", "parameter"),
    "click.aborted": ("中止しました（記録していません）。", "Stopped: nothing was recorded."),
}
