"""Messages of the core: configuration, input, policy, jobs, findings, summaries. code -> (ja, en).

Every text names the rule, the place (file/line/row/field) and what to do — never a value from an export.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- configuration -------------------------------------------------------------------------------
    "config.site_missing": (
        "サイト設定 {path} が見つかりません。handoff init --dir で作成するか、--dir / HANDOFF_HOME を確認してください。",
        "Site configuration {path} not found. Create one with handoff init --dir, or check --dir / HANDOFF_HOME.",
    ),
    "config.toml_syntax": (
        "設定ファイル {path} の書式が正しくありません（{detail}）。該当箇所を修正してください。",
        "Configuration file {path} is not valid TOML ({detail}). Fix the place shown.",
    ),
    "config.invalid": (
        "設定ファイル {path} のキー「{key}」が規則「{rule}」に違反しています。事業は開始しません。設定を修正してください。",
        "Configuration file {path}: key '{key}' breaks rule '{rule}'. The programme does not start; fix the file.",
    ),
    "config.unknown_vendor": (
        "委託業者 {vendor} はサイト設定に登録されていません。site.toml の vendors を確認してください。",
        "Vendor {vendor} is not registered in the site configuration. Check vendors in site.toml.",
    ),
    "config.unknown_programme": (
        "事業 {programme} は {path} にありません。handoff programmes list で事業IDを確認してください。",
        "Programme {programme} is not in {path}. See handoff programmes list for the ids.",
    ),
    # --- input ---------------------------------------------------------------------------------------
    "input.not_found": ("入力ファイル {path} が見つかりません。パスを確認してください。",
                        "Input file {path} not found. Check the path."),
    "input.symlink": (
        "入力ファイル {path} はシンボリックリンクです。リンク先のファイルそのものを指定してください"
        "（リンクを読む必要がある場合は、サイト設定 site.toml の [input] follow_symlinks = true で許可できます）。",
        "Input file {path} is a symbolic link. Give the file itself (or allow links with [input] follow_symlinks = true in site.toml).",
    ),
    "input.directory": ("入力ファイル {path} はフォルダです。フォルダの中の抽出ファイルを指定してください。",
                        "Input {path} is a folder. Give the export file inside it."),
    "input.fifo": (
        "入力ファイル {path} は名前付きパイプ（FIFO）です。通常のファイルだけを読みます。抽出ファイルを保存してから指定してください。",
        "Input {path} is a named pipe (FIFO); only regular files are read. Save the export to a file and give that.",
    ),
    "input.device": ("入力ファイル {path} はデバイスファイルです。通常のファイル（抽出ファイル）を指定してください。",
                     "Input {path} is a device; only regular files are read. Give the export file."),
    "input.not_regular": ("入力ファイル {path} は通常のファイルではありません（ソケットなど）。抽出ファイルを指定してください。",
                          "Input {path} is not a regular file (a socket, say). Give the export file."),
    "input.no_permission": ("入力ファイル {path} を読む権限がありません。ファイルの権限を確認してください。",
                            "No permission to read input file {path}. Check its permissions."),
    "input.unreadable": ("入力ファイル {path} を読めません（{reason}）。ファイルとディスクを確認してください。",
                         "Input file {path} cannot be read ({reason}). Check the file and the disk."),
    "input.too_many_columns": (
        "入力ファイルの列数（{found} 列）が事業の上限 {limit} 列を超えています。別のファイルでないか確認してください。"
        "正しいファイルであれば、事業ファイル（pipelines/{programme}.toml）の [limits] max_columns を上げてください。",
        "The input has {found} columns, over the programme's limit of {limit}. Check it is the right file; if it is, "
        "raise [limits] max_columns in pipelines/{programme}.toml.",
    ),
    "input.too_many_rows": (
        "入力ファイルのデータ行が事業の上限 {limit} 行を超えています（読込を中止しました）。別のファイルでないか確認してください。"
        "正しいファイルであれば、事業ファイル（pipelines/{programme}.toml）の [limits] max_rows を上げてください。",
        "The input holds more than the programme's limit of {limit} data rows (reading stopped). Check it is the "
        "right file; if it is, raise [limits] max_rows in pipelines/{programme}.toml.",
    ),
    "input.too_many_cells": (
        "xlsx のシートの範囲（{rows} 行 × {columns} 列）が事業の上限 {limit} セルを超えています（読込を中止しました）。"
        "不要な行・列を削除して保存し直すか、事業ファイル（pipelines/{programme}.toml）の [limits] max_cells を上げてください。",
        "The xlsx sheet spans {rows} rows × {columns} columns, over the programme's limit of {limit} cells "
        "(reading stopped). Delete unused rows and columns and save again, or raise [limits] max_cells in "
        "pipelines/{programme}.toml.",
    ),
    "input.empty": ("入力ファイル {path} は空です。抽出をやり直してください。",
                    "Input file {path} is empty. Extract the data again."),
    "input.no_rows": ("入力ファイル {path} にデータ行がありません（見出し行のみ）。抽出条件を確認してください。",
                      "Input file {path} has no data rows (header only). Check the extraction."),
    "input.nul_byte": (
        "入力ファイルの {line} 行目（{offset} バイト目）に NUL 文字があります。テキストの抽出ファイルではない可能性があります。抽出をやり直してください。",
        "Line {line} (byte {offset}) of the input holds a NUL byte; this is not a text export. Extract again.",
    ),
    "input.encoding_mismatch": (
        "入力ファイルの文字コードが宣言（{declared}）と異なります（{found}）。事業ファイルの source.encoding か抽出設定を確認してください。",
        "The input's encoding differs from the declared {declared} (found {found}). Check source.encoding or the export.",
    ),
    "input.decode": (
        "入力ファイルの {line} 行目（{offset} バイト目）が {encoding} として読めません。抽出時の文字コードを確認してください。",
        "Line {line} (byte {offset}) of the input is not valid {encoding}. Check the export's encoding.",
    ),
    "input.header_missing": (
        "見出し行が見つかりません（1行目に事業ファイルの列名が1つもなく、1行目がデータのように見えます。1行目は {found} 列、"
        "定義は {expected} 列）。見出し行を付けて抽出し直すか、事業ファイルの source.header を確認してください。",
        "No header row found: line 1 holds none of the programme's column names and looks like data ({found} "
        "columns; the programme declares {expected}). Export with the header row, or check source.header.",
    ),
    "input.header_duplicate": (
        "見出し行で同じ列名が {count} 組重複しています（列 {columns}）。抽出設定を確認してください。",
        "The header repeats {count} column names (columns {columns}). Check the export.",
    ),
    "input.header_mismatch": (
        "見出し行が事業ファイルの定義と一致しません。不足している列（{missing_count} 列）: {missing}／想定外の列（{unexpected_count} 列）: "
        "列 {unexpected}。抽出項目か事業ファイルを確認してください。",
        "The header does not match the programme. Missing ({missing_count}): {missing}; unexpected "
        "({unexpected_count}): columns {unexpected}. Check the export or the programme file.",
    ),
    "input.header_other_programme": (
        "このファイルは事業 {other} の抽出ファイルのようです（1行目が事業 {other} の見出し {count} 列と一致します）。"
        "事業 {programme} には事業 {programme} の抽出ファイルを指定してください。事業IDと --input のファイルの組合せを確認してください。",
        "This file looks like an export of programme {other} (its first line matches the {count} header columns "
        "of {other}). Give programme {programme} its own export: check the programme id and the --input file.",
    ),
    "input.header_encoding": (
        "入力ファイルの文字コードが事業 {programme} の宣言（{declared}）と違うようです。{found} として読むと、見出し行が"
        "事業ファイルの {count} 列と一致します。{declared} で抽出し直すか、事業ファイルの source.encoding を確認してください。",
        "The input's encoding seems not to be the declared {declared} of programme {programme}: read as {found}, "
        "its header matches the programme's {count} columns. Export again in {declared}, or check source.encoding.",
    ),
    "input.encoding_probable": (
        "入力ファイルの1行目が、事業 {programme} の宣言する文字コード（{declared}）では文字化けしているようです。"
        "文字コードはおそらく {found} です。抽出時の文字コードと、事業ファイルの source.encoding・事業IDを確認してください。",
        "The input's first line looks garbled in the declared encoding {declared} of programme {programme}; it is "
        "probably {found}. Check the export's encoding, source.encoding and the programme id.",
    ),
    "input.too_few_columns": ("{line} 行目の列数が {found} で、定義に必要な {expected} 列に足りません。",
                              "Line {line} has {found} columns; the programme needs {expected}."),
    "input.column_count": (
        "{line} 行目の列数が {found} で、{expected} 列ではありません（最終行の欠け・区切り文字の誤りの可能性）。抽出をやり直してください。",
        "Line {line} has {found} columns instead of {expected} (truncated line or stray delimiter). Extract again.",
    ),
    "input.blank_line": ("{line} 行目が空行です。抽出ファイルを確認してください。",
                         "Line {line} is empty. Check the export."),
    "input.unterminated_quote": (
        "{line} 行目付近で引用符（\"）が閉じていません。ファイルが途中で切れている可能性があります。抽出をやり直してください。",
        "A quote (\") opened near line {line} is never closed; the file may be truncated. Extract again.",
    ),
    "input.quote_misplaced": (
        "{line} 行目で、引用符（\"）で囲んだ値の後に区切り文字以外の文字が続いています。引用符の付け方が正しくありません。抽出をやり直してください。",
        "Line {line}: a quoted value (\") is followed by something other than a delimiter; the quoting is malformed. Extract again.",
    ),
    "input.parse": ("入力ファイルを CSV として解析できません（{line} 行目以降）。抽出設定を確認してください。",
                    "The input cannot be parsed as CSV (from line {line}). Check the export."),
    "input.field_too_long": (
        "{row} 行目（列 {column}）の値が {limit} 文字を超えています。引用符の誤りか別のファイルの可能性があります。",
        "Row {row} (column {column}) holds a value over {limit} characters: a broken quote or a wrong file.",
    ),
    "input.record_length": (
        "固定長レコードの {line} 件目の長さが {found} バイトで、定義の {expected} バイトではありません。抽出をやり直してください。",
        "Fixed-width record {line} is {found} bytes, not the declared {expected}. Extract again.",
    ),
    "input.fixed_decode": (
        "固定長レコードの {line} 件目、項目「{field}」（{offset} バイト目から）が文字の途中で切れているか読めません。レイアウト定義を確認してください。",
        "Fixed-width record {line}, field '{field}' (from byte {offset}) splits a character or cannot be read. Check the layout.",
    ),
    "input.xlsx_unreadable": ("{path} は xlsx として開けません。Excel で保存し直してください。",
                              "{path} cannot be opened as xlsx. Save it again from Excel."),
    "input.xlsx_sheet": ("シート「{sheet}」がありません。事業ファイルの source.sheet を確認してください。",
                         "Sheet '{sheet}' not found. Check source.sheet in the programme file."),
    "input.xlsx_formula": (
        "セル {cell} に数式があります。数式の結果は推測しません。値として貼り付けてから保存し直してください。",
        "Cell {cell} holds a formula; handoff does not guess its result. Paste values and save again.",
    ),
    "input.xlsx_merged": (
        "結合されたセル（{cells} など）があります。結合を解除してから保存し直してください。",
        "The sheet has merged cells (e.g. {cells}). Unmerge them and save again.",
    ),
    # --- policy (fail closed) ------------------------------------------------------------------------
    "policy.unapproved_item": (
        "事業 {programme} の出力に承認されていない項目「{field}」が含まれます。審議会で承認された項目以外は出力しません。",
        "Programme {programme} would output the unapproved item '{field}'. Only council-approved items leave.",
    ),
    "policy.my_number": (
        "{row} 行目の項目「{field}」に個人番号と思われる12桁の数字があります。処理を停止しました。基幹システムのデータを確認してください。",
        "Row {row}, field '{field}' holds a probable 個人番号 (12 digits passing the check). The run stopped; check the host data.",
    ),
    # --- jobs and runs -------------------------------------------------------------------------------
    "job.exists": ("ジョブ {job} は既に存在します。既存のジョブは上書きしません。",
                   "Job {job} already exists; existing jobs are never overwritten."),
    "job.not_found": ("ジョブ {job} が見つかりません。ジョブIDを確認してください。",
                      "Job {job} not found. Check the job id."),
    "run.conservation": (
        "件数が一致しません（読込 {read} 件）。読込 = 対象 + 対象外 + 除外 が成り立たないため、結果を使用しないでください（不具合として報告してください）。",
        "Counts do not add up (read {read}); read = selected + not selected + excepted fails. Do not use the result; report a bug.",
    ),
    "tool.font_missing": (
        "日本語フォント（IPAex ゴシック）が見つかりません。apt-get install fonts-ipaexfont-gothic を実行するか、HANDOFF_FONT に TrueType フォントを指定してください。",
        "No Japanese font (IPAex Gothic) found. Run apt-get install fonts-ipaexfont-gothic or set HANDOFF_FONT to a TrueType font.",
    ),
    # --- findings: code -> what it means and what to do (field = the item's Japanese label) ------------
    "finding.required.missing": ("「{field}」が空です。基幹システムで入力してください。",
                                 "'{field}' is empty. Enter it in the host system."),
    "finding.postal.format": ("「{field}」が7桁の数字ではありません。", "'{field}' is not 7 digits."),
    "finding.postal.unknown": ("「{field}」は存在しない郵便番号です。住所と照合して修正してください。",
                               "'{field}' is not an existing postal code. Check it against the address."),
    "finding.postal.address_mismatch": (
        "郵便番号の都道府県・市区町村が住所の先頭と一致しません（誤送付のおそれ）。",
        "The postal code's prefecture and city do not begin the address (risk of mis-delivery).",
    ),
    "finding.postal.daihyo": ("代表番号の郵便番号です（カスタマバーコードは印字されません）。町域の番号を確認してください。",
                              "A representative postal code (no customer barcode). Check the town's own code."),
    "finding.checkdigit.invalid": ("「{field}」の検証番号（チェックデジット）が正しくありません。番号を確認してください。",
                                   "'{field}' fails its check digit. Verify the number."),
    "finding.number.format": ("「{field}」が数字だけになっていません。", "'{field}' is not digits only."),
    "finding.date.invalid": ("「{field}」が日付として正しくありません（存在しない日付・元号の範囲外など）。",
                             "'{field}' is not a valid date (impossible date or outside its era)."),
    "finding.date.sentinel_undeclared": (
        "「{field}」に「日付なし」を表す値がありますが、事業ファイルで宣言されていません。宣言するか、基幹システムで修正してください。",
        "'{field}' holds a 'no date' marker that the programme does not declare. Declare it or fix the data.",
    ),
    "finding.date.heisei_after_end": ("「{field}」は平成31年4月30日より後を平成で表しています（有効ですが確認してください）。",
                                      "'{field}' is written in 平成 after 2019-04-30 (valid, but please check)."),
    "finding.length.over": ("「{field}」が業者レイアウトのバイト数を超えています。表記を短くするか業者と調整してください。",
                            "'{field}' exceeds the byte length of the vendor layout. Shorten it or agree a layout."),
    "finding.charset.not_cp932": ("「{field}」に業者の文字コード（CP932）にない文字があります。外字置換表への登録を検討してください。",
                                  "'{field}' holds a character outside CP932. Consider the 外字 substitution table."),
    "finding.charset.private_use": ("「{field}」に外字（私用領域の文字）があります。業者側で別の字形になるため、置換表で置き換えてください。",
                                    "'{field}' holds a private-use character (外字), printed as the vendor's own glyph. Map it in the table."),
    "finding.charset.variation_selector": ("「{field}」に異体字セレクタがあります。字形の違いが失われるため、置換表で扱いを決めてください。",
                                           "'{field}' holds a variation selector whose glyph variant would be lost."),
    "finding.charset.roundtrip_change": ("「{field}」に変換で別の文字に変わる文字があります（〜・− など）。置換表で扱いを決めてください。",
                                         "'{field}' holds a character that changes on a CP932 round trip (〜, − …)."),
    "finding.charset.vendor_extension": ("「{field}」に機種依存文字（NEC/IBM拡張）がありますが、業者の設定で許可されていません。",
                                         "'{field}' holds a vendor-extension character that this vendor does not accept."),
    "finding.charset.vendor_extension_allowed": ("「{field}」に機種依存文字（NEC/IBM拡張）があります（業者の設定で許可）。",
                                                 "'{field}' holds a vendor-extension character (allowed by the vendor)."),
    "finding.charset.substituted": ("「{field}」の文字を外字置換表に従って置き換えます（ジョブ報告に記載）。",
                                    "A character in '{field}' is replaced from the 外字 table (listed in the job report)."),
    "finding.csv.formula_injection": ("「{field}」が = + - @ などで始まり、表計算ソフトで数式として扱われるおそれがあります。",
                                      "'{field}' begins with = + - @ (or tab/CR) and could run as a spreadsheet formula."),
    "finding.charset.control": ("「{field}」に改行・タブ・ベル（BEL）などの制御文字があります。業者用データには出力できません。基幹システムのデータを修正してください。",
                                "'{field}' holds a control character (line break, tab, BEL …), which cannot go into the vendor file. Fix the host data."),
    "finding.approval.unconfirmed": (
        "仮定の承認項目（assumed = true）がサイトで未確認です（項目数）。検査はできますが、handoff run は "
        "site.toml の confirmations の表で確認するまで拒否します。",
        "Assumed approved items (assumed = true) not confirmed by the site (count). The check stands, but "
        "handoff run refuses until the confirmations table of site.toml confirms them.",
    ),
    "finding.duplicate.row_key": ("「{field}」が他の行と重複しています。重複した行はすべて除外しました。",
                                  "'{field}' repeats another row's key; every row of the group is excluded."),
    # --- summaries and labels ------------------------------------------------------------------------
    "severity.error": ("除外", "excluded"),
    "severity.warning": ("警告", "warning"),
    "severity.info": ("情報", "info"),
    "stage.extract": ("抽出", "extract"),
    "stage.validate": ("検査", "validate"),
    "stage.select": ("対象者の選定", "select"),
    "stage.minimise": ("承認項目への限定", "minimise"),
    "stage.household": ("名寄せ", "household"),
    "stage.sort": ("郵便番号順の並べ替え", "sort"),
    "stage.barcode": ("バーコード", "barcode"),
    "stage.render": ("業者用データ作成", "render"),
    "stage.internal": ("庁内用の除外一覧・校正刷り", "in-house exceptions list and proof"),
    "stage.package": ("暗号化ZIP", "package"),
    "stage.iso": ("ディスクイメージ", "disc image"),
    "stage.notice": ("パスワード通知書", "password notice"),
    "progress.stage": ("処理中: {stage}", "Working: {stage}"),
    "summary.title": ("事業: {programme}（{id}）", "Programme: {programme} ({id})"),
    "summary.rows_read": ("読込件数", "rows read"),
    "summary.rows_selected": ("対象（業者へ渡す）", "selected (to the vendor)"),
    "summary.rows_not_selected": ("対象外", "not selected"),
    "summary.rows_excepted": ("除外（要修正）", "excepted (to fix)"),
    "summary.conserved": ("件数確認: 読込 = 対象 + 対象外 + 除外 ✓", "Count check: read = selected + not selected + excepted ✓"),
    "summary.not_conserved": ("件数確認: 一致しません ✗", "Count check: does NOT add up ✗"),
    "summary.finding_code": ("検出コード", "finding"),
    "summary.severity": ("扱い", "severity"),
    "summary.count": ("件数", "count"),
    "summary.meaning": ("内容", "meaning"),
    "summary.substitutions": ("外字置換: {count} 文字（詳細は実行報告）", "外字 substitutions: {count} characters (see the report)"),
    "summary.approved": ("承認項目: {items}", "Approved items: {items}"),
    "summary.path.exceptions": ("除外リスト（庁内用）: {path}", "Exceptions list (in-house): {path}"),
    "summary.path.report": ("実行報告: {path}", "Run report: {path}"),
    "prog.id": ("事業ID", "id"),
    "prog.title": ("事業名", "title"),
    "prog.department": ("担当課", "department"),
    "prog.vendor": ("委託先", "vendor"),
    "prog.items": ("承認項目数", "approved items"),
    "prog.council": ("審議会資料", "council reference"),
    "prog.cycle": ("周期", "cycle"),
    "prog.volume": ("件数", "volume"),
    "prog.note": ("備考", "note"),
    "prog.no": ("No.", "No."),
    "prog.item": ("承認項目", "approved item"),
    "prog.fields": ("データ項目", "fields"),
    "prog.assumed": ("仮定", "assumed"),
    "prog.assumed_yes": ("仮定", "assumed"),
    "prog.approved": ("承認項目（審議会資料の記載順）", "Approved items (council order)"),
    "prog.output_field": ("出力項目", "output field"),
    "prog.bytes": ("バイト数", "bytes"),
    "prog.output": ("業者用データ（{fmt}・{encoding}）", "Vendor file ({fmt}, {encoding})"),
    "prog.source": ("入力: {fmt}・{encoding}・{columns} 列", "Input: {fmt}, {encoding}, {columns} columns"),
    "sample.progress.made": ("架空データを作成中: {done} / {total} 行", "Making synthetic rows: {done} / {total}"),
    "sample.progress.written": ("ファイルに書込み中: {done} / {total} 行", "Writing the file: {done} / {total} rows"),
    "sample.written": ("架空データ {rows} 行を {path} に作成しました（期待件数: {expected}）。",
                       "Wrote {rows} synthetic rows to {path} (expected counts: {expected})."),
    "run.cycle_done": (
        "事業 {programme} のサイクル {cycle} は既にジョブ {job} で作成済みです。作り直す場合は理由を --reason で指定してください（管理簿に記録されます）。",
        "Programme {programme} cycle {cycle} was already prepared as job {job}. To prepare it again, give a reason with --reason (it is recorded in the ledger).",
    ),
    "run.approval_unconfirmed": (
        "事業 {programme} の承認項目のうち「{items}」は事業ファイルで仮定したもの（assumed = true。シードに項目の記載がない）で、"
        "サイトが確認していないため、業者に渡すデータを作りません。審議会資料と照合したうえで、site.toml の confirmations の表に "
        "programme = \"{programme}\"、reference = 照合した資料、date = 確認日、confirmed_by = 職員ID を"
        "記載してください（違っていれば事業ファイルを直してください）。",
        "Programme {programme}: the approved items {items} are assumed in its programme file (assumed = true; the "
        "seed does not list them) and the site has not confirmed them, so no vendor data is made. Check them against "
        "the council document, then add an entry to the confirmations table of site.toml (programme = \"{programme}\", "
        "reference = the document checked, date, confirmed_by = a staff id); if they differ, fix the programme file.",
    ),
    "prog.unconfirmed": (
        "未確認の仮定の承認項目: {items}（site.toml の confirmations の表で確認するまで handoff run は作成を拒否します）",
        "Assumed approved items not confirmed: {items} (handoff run refuses until the confirmations table of site.toml confirms them)",
    ),
    "proof.ui.unconfirmed": (
        "注意: 仮定の承認項目「{items}」はサイトで未確認です。校正刷りは作成しましたが、handoff run は確認まで拒否します。",
        "Note: the assumed approved items {items} are not confirmed by the site. The proof is made, but handoff run refuses until they are.",
    ),
    "run.nothing_selected": ("事業 {programme} で業者に渡す対象が1件もありません。除外リストと選定条件を確認してください。",
                             "Programme {programme} selects no rows to hand over. Check the exceptions list and the selection rule."),
    "run.done": ("ジョブ {job} を作成しました（{pieces} 通）。", "Prepared job {job} ({pieces} mail pieces)."),
    "run.paths": ("暗号化ZIP: {zip}\nディスクイメージ: {iso}\nパスワード通知書: {notice}",
                  "Encrypted ZIP: {zip}\nDisc image: {iso}\nPassword notice: {notice}"),
    "run.next": (
        "次の作業: handoff media burn {job}（媒体の書込みと検証）→ handoff notice print {job}（通知書の印刷）→ handoff custody …（保管・受渡しの記録）",
        "Next: handoff media burn {job} (write and verify the disc) → handoff notice print {job} (print the notice) → handoff custody … (record storage and handovers)",
    ),
    "summary.path.proof": ("校正紙（庁内用）: {path}", "Proof sheet (in-house): {path}"),
    "finding.mail.window_overflow": (
        "「{field}」が窓あき封筒の宛名の行に収まりません（切り詰めません）。住所・方書を確認するか、業者設定の window を見直してください。",
        "'{field}' does not fit the envelope window's lines (it is never cut). Check the address and 方書, or the "
        "vendor profile's window."),
    "finding.mail.cb_no_barcode": ("カスタマバーコードを印字できません（代表番号・町域の不一致など）。住所と郵便番号を確認してください。",
                                   "No customer barcode can be printed (representative code, town mismatch …). Check address and postal code."),
}
