"""Messages of handoff intake (data the vendor sends back). code -> (ja, en).

A member of a vendor's archive is named by its place in the archive (#1, #2 …), never by its name, and no
message carries the password or a value of the data.
"""

_KEEP = ("媒体は受け取らずに委託業者に返すか、受領済みなら custody handover で返却してください。",
         "Do not accept the disc, or if it was received, hand it back with custody handover.")


def _hostile(ja: str, en: str) -> tuple[str, str]:
    """A refusal of a hostile or malformed archive: nothing was read or written (exit 5)."""
    return (f"{ja}（規則: 受領データの安全な展開）。何も読み取らず、何も書き込んでいません。{_KEEP[0]}",
            f"{en} (rule: safe opening of inbound data). Nothing was read or written. {_KEEP[1]}")


MESSAGES: dict[str, tuple[str, str]] = {
    # --- configuration and input --------------------------------------------------------------------------
    "intake.no_inbound": (
        "事業 {programme} には受領データの定義（[inbound]）がありません。事業ファイルに [inbound] を追加してください。",
        "Programme {programme} declares no inbound data ([inbound]). Add an [inbound] table to its file."),
    "intake.no_source": ("--image か --device のどちらか一方を指定してください。",
                         "Give exactly one of --image and --device."),
    "intake.device_unreadable": (
        "ドライブ {device} を読み取れません（{reason}）。媒体が入っているか、読取りの権限があるか確認してください。",
        "Drive {device} cannot be read ({reason}). Check that the disc is in and that you may read the drive."),
    "intake.not_disc": (
        "指定されたファイルは ZIP でもディスクイメージ（ISO）でもありません。委託業者から受け取った媒体を指定してください。",
        "The file is neither a ZIP nor a disc image (ISO). Give the medium received from the vendor."),
    "intake.disc_unreadable": (
        "媒体のファイルシステムを読み取れません（{reason}）。媒体の傷・汚れを確認し、読めなければ委託業者に再作成を依頼してください。",
        "The disc's file system cannot be read ({reason}). Check the disc; if it stays unreadable, ask the vendor "
        "for a new one."),
    "intake.no_archive": (
        "媒体に ZIP（{pattern}）がありません。委託業者に確認してください。",
        "The disc holds no ZIP ({pattern}). Ask the vendor."),
    "intake.several_archives": (
        "媒体に ZIP（{pattern}）が {count} 個あります。1 個だけの媒体にするよう委託業者に依頼してください。",
        "The disc holds {count} ZIPs ({pattern}). Ask the vendor for a disc with exactly one."),
    "intake.not_zip": (
        "ZIP として読めません（{reason}）。壊れているか ZIP ではありません。委託業者に再作成を依頼してください。",
        "The ZIP cannot be read ({reason}): damaged, or not a ZIP. Ask the vendor for a new one."),
    # --- hostile or malformed archives (PolicyError, exit 5) ---------------------------------------------
    "intake.archive_too_large": _hostile(
        "ZIP が大きすぎます（{size} バイト、上限 {limit} バイト: [inbound] max_archive_bytes）",
        "The ZIP is too large ({size} bytes, limit {limit}: [inbound] max_archive_bytes)"),
    "intake.empty_archive": _hostile("ZIP にファイルがありません", "The ZIP holds no file"),
    "intake.too_many_members": _hostile("ZIP のファイル数（{count}）が上限（{limit}）を超えます",
                                        "The ZIP holds {count} members, more than {limit}"),
    "intake.bad_name": _hostile("ZIP の {member} 番目の名前が空か、制御文字を含みます",
                                "Member {member} has an empty name or one with control characters"),
    "intake.absolute_name": _hostile("ZIP の {member} 番目の名前が絶対パスです",
                                     "Member {member} has an absolute path as its name"),
    "intake.traversal": _hostile("ZIP の {member} 番目の名前に「..」があり、フォルダの外を指しています",
                                 "Member {member} has '..' in its name, pointing outside the folder"),
    "intake.symlink": _hostile("ZIP の {member} 番目はシンボリックリンクです",
                               "Member {member} is a symbolic link"),
    "intake.not_file": _hostile("ZIP の {member} 番目はフォルダか特殊ファイルで、データではありません",
                                "Member {member} is a folder or a special file, not data"),
    "intake.duplicate_member": _hostile("ZIP の {member} 番目は前のファイルと同じ名前です",
                                        "Member {member} has the same name as an earlier member"),
    "intake.unexpected_member": _hostile(
        "ZIP の {member} 番目は事業ファイルで定めたファイル（{pattern}）ではありません",
        "Member {member} is not a file the programme expects ({pattern})"),
    "intake.no_data_member": _hostile("ZIP にデータファイル（{pattern}）がありません",
                                      "The ZIP holds no data member ({pattern})"),
    "intake.several_data_members": _hostile("ZIP にデータファイル（{pattern}）が {count} 個あります（1 個だけ）",
                                            "The ZIP holds {count} data members ({pattern}); exactly one is allowed"),
    "intake.not_encrypted": _hostile("ZIP の {member} 番目が暗号化されていません",
                                     "Member {member} is not encrypted"),
    "intake.zipcrypto": _hostile(
        "ZIP の {member} 番目の暗号化が AES ではありません（ZipCrypto など、破られやすい方式）",
        "Member {member} is not encrypted with AES (ZipCrypto or similar, which is easily broken)"),
    "intake.weak_aes": _hostile("ZIP の {member} 番目の暗号化が AES-256 ではありません",
                                "Member {member} is not encrypted with AES-256"),
    "intake.method": _hostile("ZIP の {member} 番目の圧縮方式（{method}）は受け付けません（無圧縮か Deflate のみ）",
                              "Member {member} uses compression method {method} (only stored or Deflate)"),
    "intake.bomb": _hostile(
        "ZIP の {member} 番目の展開が上限を超えました（合計 {limit} バイト、圧縮率 {ratio} 倍: [inbound] max_bytes・"
        "max_ratio）。展開を途中で止めました",
        "Member {member} inflated past the limits ({limit} bytes in all, ratio {ratio}: [inbound] max_bytes, "
        "max_ratio); inflating was stopped"),
    "intake.header_mismatch": _hostile("ZIP の {member} 番目のヘッダが中央ディレクトリと一致しません",
                                       "Member {member}'s local header does not match the central directory"),
    "intake.trailing_data": _hostile("ZIP の {member} 番目の圧縮データの後ろに余分なデータがあります",
                                     "Member {member} has extra bytes after its compressed data"),
    "intake.size_lies": _hostile("ZIP の {member} 番目の展開後の大きさがヘッダの記載と違います",
                                 "Member {member} inflated to another size than its header says"),
    # --- password and authentication ------------------------------------------------------------------
    "intake.wrong_password": (
        "パスワードが違います（ZIP の {member} 番目）。パスワード通知書のとおりに入力し直してください。"
        "何も読み取っていません。",
        "Wrong password (member {member}). Type it again exactly as the password notice shows. Nothing was read."),
    "intake.no_password": ("パスワードが入力されていません。パスワード通知書のとおりに入力してください。",
                           "No password was typed. Type it as the password notice shows."),
    "intake.no_tty": (
        "パスワードを入力する端末がありません。端末から実行するか、--password-fd で渡してください"
        "（コマンドの引数や環境変数では渡せません）。",
        "There is no terminal to type the password at. Run from a terminal or use --password-fd (never an "
        "argument or an environment variable)."),
    "intake.password_fd": (
        "--password-fd {fd} からパスワードを読めません（{reason}）。",
        "The password cannot be read from --password-fd {fd} ({reason})."),
    "intake.password_prompt": ("パスワード通知書のパスワード（入力は表示されません）: ",
                               "Password from the notice (not shown as you type): "),
    "intake.hmac": (
        "ZIP の {member} 番目の認証（HMAC）が一致しません。パスワードの誤りか、データが改ざん・破損しています"
        "（規則: 認証できたデータだけ使う）。何も書き込んでいません。パスワードを確かめ、それでも一致しなければ"
        "委託業者に報告してください。",
        "Member {member} failed authentication (HMAC): a wrong password, or the data was altered or damaged "
        "(rule: only authenticated data is used). Nothing was written. Check the password; if it still fails, "
        "report it to the vendor."),
    "intake.crc": ("ZIP の {member} 番目の CRC が一致しません（破損）。何も書き込んでいません。委託業者に報告してください。",
                   "Member {member} fails its CRC (damaged). Nothing was written. Report it to the vendor."),
    "intake.truncated": (
        "ZIP の {member} 番目が途中で切れています（破損）。何も書き込んでいません。委託業者に再作成を依頼してください。",
        "Member {member} is cut short (damaged). Nothing was written. Ask the vendor for a new disc."),
    "intake.corrupt": (
        "ZIP の {member} 番目の圧縮データが壊れています。何も書き込んでいません。委託業者に再作成を依頼してください。",
        "Member {member}'s compressed data is damaged. Nothing was written. Ask the vendor for a new disc."),
    "intake.disc_changed": (
        "媒体 {medium} の ZIP が受領時と違います（SHA-256 不一致）。受領した媒体か確認してください"
        "（規則: 受領した媒体だけを読む）。何も読み取っていません。",
        "The ZIP on medium {medium} is not the one received (SHA-256 differs). Check that this is the disc "
        "received (rule: only the received disc is read). Nothing was read."),
    "intake.count_mismatch": (
        "ジョブ {job} の件数が合いません: 読み取った行 {read} 件、受領時の件数（委託業者の記載）{declared} 件。"
        "何も書き込んでいません。委託業者に確認してください。",
        "Job {job}: {read} rows were read but the vendor declared {declared} at receipt. Nothing was written. "
        "Ask the vendor."),
    "intake.not_conserved": (
        "件数が保存されません（読取り {read} = 取込み {imported} + 除外 {excepted} になりません）。不具合として報告してください。",
        "Counts are not conserved (read {read} ≠ imported {imported} + excepted {excepted}). Please report it."),
    "intake.unencodable": ("{row} 行目の {field} は取込みファイルの文字コードで書けません。何も書き込んでいません。",
                           "Row {row}, {field} cannot be written in the import file's encoding. Nothing was written."),
    "intake.too_long": ("{row} 行目の {field} が取込みファイルの桁数（{bytes} バイト）を超えます。何も書き込んでいません。",
                        "Row {row}, {field} is longer than the import field ({bytes} bytes). Nothing was written."),
    # --- state -------------------------------------------------------------------------------------------
    "intake.nothing_awaiting": (
        "事業 {programme} にはパスワード通知書を待っている受領媒体がありません。先に媒体の受領を記録してください。",
        "Programme {programme} has no received medium awaiting its password notice. Record the medium first."),
    "intake.several_awaiting": (
        "事業 {programme} にはパスワード通知書を待っている受領媒体が複数あります（{jobs}）。--job で指定してください。",
        "Programme {programme} has several received media awaiting their notice ({jobs}). Name one with --job."),
    "intake.busy": ("受領ジョブ {job} は別の処理が使用中です。終わってからやり直してください。",
                    "Inbound job {job} is in use by another process. Try again when it has finished."),
    # --- custody rules (CustodyError, exit 6) --------------------------------------------------------------
    "intake.same_day": (
        "受領ジョブ {job} のパスワード通知書を、媒体と同じ日（{date}）に受け取ったと記録することはできません"
        "（規則: 媒体とパスワード通知書は別の機会に受け渡す。seed 002）。記録しませんでした。別の日に受け取ってください。",
        "The password notice of inbound job {job} cannot be received on the medium's day ({date}) (rule: medium "
        "and notice on separate occasions). Nothing was recorded. Receive it on another day."),
    "intake.notice_before_medium": (
        "受領ジョブ {job} のパスワード通知書の日（{date}）が媒体の受領日（{received}）より前です。記録しませんでした。",
        "The notice of inbound job {job} is dated {date}, before its medium was received ({received}). "
        "Nothing was recorded."),
    "intake.not_received": (
        "ジョブ {job} の媒体の受領が記録されていないため、{event} は記録できません。先に媒体の受領を記録してください。",
        "Job {job} has no received medium, so {event} cannot be recorded. Record the medium's receipt first."),
    "intake.notice_missing": (
        "受領ジョブ {job} のパスワード通知書の受領が記録されていません（規則: 通知書は媒体と別の日に受け取る）。"
        "通知書を受け取った日に handoff intake … --notice で記録してから読み取ってください。",
        "The password notice of inbound job {job} has not been recorded as received (rule: on another day than "
        "the medium). Record it with handoff intake … --notice, then read the disc."),
    "intake.already_read": (
        "受領ジョブ {job} のデータは読取り済みです（連番 {entry}）。記録しませんでした。",
        "The data of inbound job {job} was read already (entry {entry}). Nothing was recorded."),
    "intake.other_archive": ("受領ジョブ {job} で受領した ZIP と違います。記録しませんでした。",
                             "This is not the ZIP inbound job {job} received. Nothing was recorded."),
    "intake.medium_not_here": (
        "受領ジョブ {job} の媒体 {medium} は区の手元にありません（状態: {state}）。記録しませんでした。",
        "Medium {medium} of inbound job {job} is not in the ward's hands (state: {state}). Nothing was recorded."),
    "intake.outbound_job": (
        "ジョブ {job} は区が作成したジョブです。{event} は受領データのジョブにだけ記録できます。記録しませんでした。",
        "Job {job} is one the ward prepared; {event} belongs to inbound jobs only. Nothing was recorded."),
    "intake.inbound_job": (
        "ジョブ {job} は委託業者から受け取ったデータのジョブです。{event} は記録できません"
        "（保管・返却のための引渡し・廃棄・事故・訂正だけ）。記録しませんでした。",
        "Job {job} holds data received from the vendor; {event} cannot be recorded there (only storing, handing "
        "back, destroying, incidents and corrections). Nothing was recorded."),
    # --- the command -------------------------------------------------------------------------------------
    "intake.cli.receipt_needs": (
        "この媒体はまだ受領が記録されていません。受領を記録するには --handler（業者の取扱者ID）と --quantity"
        "（委託業者が記載した件数）を指定してください。",
        "This disc has not been received yet. To record its receipt give --handler (the vendor's handler) and "
        "--quantity (the count the vendor declared)."),
    "intake.cli.notice_needs": ("通知書の受領には --handler（業者の取扱者ID）を指定してください。",
                                "Give --handler (the vendor's handler) to record the notice's receipt."),
    "intake.cli.notice_no_disc": ("--notice には --image・--device を指定しません（通知書は紙です）。",
                                  "--notice takes no --image or --device (the notice is paper)."),
    "intake.cli.archive": ("ZIP: SHA-256 {sha} / {size} バイト / ファイル {members} 個（確認済み: AES-256・想定どおり）",
                           "ZIP: SHA-256 {sha} / {size} bytes / {members} member(s) (checked: AES-256, as expected)"),
    "intake.cli.receive": ("媒体の受領: 事業 {programme}（{title}）、業者 {vendor}、取扱者 {handler}、件数 {quantity}",
                           "Medium received: programme {programme} ({title}), vendor {vendor}, handler {handler}, "
                           "count {quantity}"),
    "intake.cli.received": ("受領ジョブ {job}、媒体 {medium} を記録しました（連番 {seq}、チェックポイント {short}）。",
                            "Recorded inbound job {job}, medium {medium} (entry {seq}, checkpoint {short})."),
    "intake.cli.next_notice": (
        "次に: 媒体を施錠保管し（custody store --medium {medium}）、パスワード通知書は別の日に受け取って "
        "handoff intake {programme} --notice --job {job} --handler … で記録してください。",
        "Next: lock the medium away (custody store --medium {medium}); receive the password notice on another "
        "day and record it with handoff intake {programme} --notice --job {job} --handler …"),
    "intake.cli.notice": ("パスワード通知書の受領: 受領ジョブ {job}、取扱者 {handler}",
                          "Password notice received: inbound job {job}, handler {handler}"),
    "intake.cli.noticed": ("通知書 {notice} の受領を記録しました（連番 {seq}、チェックポイント {short}）。",
                           "Recorded notice {notice} as received (entry {seq}, checkpoint {short})."),
    "intake.cli.next_read": (
        "次に: 媒体を入れて handoff intake {programme} --image … または --device … を実行し、通知書のパスワードを入力してください。",
        "Next: run handoff intake {programme} --image … or --device … with the disc and type the notice's password."),
    "intake.cli.reading": ("受領ジョブ {job} の媒体 {medium} を読み取ります（パスワードは記録・表示しません）。",
                           "Reading medium {medium} of inbound job {job} (the password is never recorded or shown)."),
    "intake.cli.read": (
        "読取り: {read} 行 → 取込み {imported} 行 + 除外 {excepted} 行。連番 {seq}、チェックポイント {short}",
        "Read: {read} rows → imported {imported} + excepted {excepted}. Entry {seq}, checkpoint {short}"),
    "intake.cli.import_file": ("取込みファイル: {path}（SHA-256 {sha}）", "Import file: {path} (SHA-256 {sha})"),
    "intake.cli.exceptions": ("除外一覧: {path}", "Exceptions list: {path}"),
    "intake.cli.next_return": (
        "次に: 取込み後、媒体 {medium} と通知書 {notice} を別の日に委託業者へ返却（custody handover）するか、"
        "廃棄（custody destroy）を記録してください。",
        "Next: after the import, hand medium {medium} and notice {notice} back to the vendor on separate days "
        "(custody handover) or record their destruction (custody destroy)."),
    # --- ledger event labels -----------------------------------------------------------------------------
    "ledger.event.inbound.notice_received": ("受領データ通知書受領", "inbound notice received"),
    "ledger.event.inbound.read": ("受領データ読取り", "inbound data read"),
}
