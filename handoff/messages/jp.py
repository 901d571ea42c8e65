"""Messages of the jp area: code -> (Japanese, English).

Japanese domain rules (和暦, 検証番号, 年齢, 文字コード). Texts name the rule, the format or the position and
code point — never the value that was checked.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- 検証番号 -------------------------------------------------------------------------------------------
    "jp.checkdigit_body": (
        "検証番号を計算する番号本体（{length} 文字）が数字だけではありません。"
        "数字1桁以上を渡してください。",
        "The number body ({length} characters) for the check digit is not all digits. "
        "Pass one or more digits.",
    ),
    # --- 和暦・日付 -----------------------------------------------------------------------------------------
    "jp.date_format": (
        "日付が宣言された書式 {fmt} に合いません。"
        "事業ファイルの date_format か、抽出データの日付欄を確認してください。",
        "The date does not match the declared format {fmt}. Check date_format in the programme file or the "
        "export's date column.",
    ),
    "jp.date_impossible": (
        "暦にない日付です（書式 {fmt}：元号の年0、13月、2月30日など）。"
        "ホストシステムの日付を修正してください。"
        "「なし」を表す値（0000000 など）なら事業ファイルの sentinels に宣言してください。",
        "The date does not exist in the calendar (format {fmt}: era year 0, month 13, 30 February …). "
        "Correct it in the host system; if the value means \"none\" (0000000 …), declare it in the "
        "column's sentinels.",
    ),
    "jp.date_era_range": (
        "日付が元号「{era}」の期間（{first}〜{last}）の外です。元号か日付をホストシステムで修正してください。",
        "The date lies outside the era {era_en} ({first} to {last}). Correct the era or the date in the host "
        "system.",
    ),
    "jp.date_format_unknown": (
        "日付書式 {fmt} は使えません。次のいずれかを指定してください：{allowed}。",
        "Date format {fmt} is not supported. Use one of: {allowed}.",
    ),
    "jp.date_before_meiji": (
        "明治より前の日付は和暦で表記できません。生年月日などの日付をホストシステムで確認してください。",
        "A date before the Meiji era cannot be written in the Japanese calendar. Check the date in the host "
        "system.",
    ),
    # --- 年齢 ---------------------------------------------------------------------------------------------
    "jp.age_negative": (
        "年齢に負の値が指定されました。事業ファイルの年齢条件を確認してください。",
        "A negative age was given. Check the age rule in the programme file.",
    ),
    "jp.age_before_birth": (
        "基準日が生年月日より前のため年齢を計算できません。基準日か生年月日をホストシステムで確認してください。",
        "The reference date is before the date of birth, so no age exists. Check the reference date or the "
        "date of birth in the host system.",
    ),
    # --- 文字コード・外字 ----------------------------------------------------------------------------------
    "jp.unencodable": (
        "{position} 文字目の文字 {codepoint}（分類 {kind}）は委託業者向けの文字コード {encoding} "
        "では出力できないか、業者設定で許可されていません。外字置換表に登録するか、ホストシステムで文字を修正してください。"
        "置換や文字の変更で自動的に処理することはありません。",
        "Character {position} ({codepoint}, class {kind}) cannot be written in the vendor's encoding "
        "{encoding}, or the vendor profile does not allow it. Add it to the 外字 substitution table or "
        "correct the character in the host system. Nothing is replaced or dropped automatically.",
    ),
    "jp.encoding_unknown": (
        "出力文字コード {encoding}／拡張文字の形式 {form} は使えません。"
        "業者設定の encoding は cp932 か utf-8、extension_byte_form は ibm か nec を指定してください。",
        "Output encoding {encoding} / extension form {form} is not supported. Set the vendor profile's "
        "encoding to cp932 or utf-8 and extension_byte_form to ibm or nec.",
    ),
    "jp.substitution_entry": (
        "外字置換表の見出し {key} が不正です。見出しは1文字、または1文字＋異体字セレクタとし、"
        "置換後の文字を空にしないでください。",
        "The 外字 substitution table entry {key} is invalid. A key is one character, or one character "
        "plus a variation selector, and its replacement must not be empty.",
    ),
}
