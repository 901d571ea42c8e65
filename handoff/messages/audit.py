"""Messages of the audit findings. code -> (ja, en).

Each finding names the rule, the entries and items concerned and what to do — ids and dates only."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- 1. returns ----------------------------------------------------------------------------------------
    "audit.return_overdue": (
        "ジョブ {job} の {item} は {handed} に引き渡されましたが、返却期限 {due_date} を {days} 日過ぎても返却も廃棄も記録されていません（{as_of} 現在）。"
        "業者に返却させて handoff custody return で記録するか、所在が分からなければ事故として記録してください（handoff incident record）。",
        "Item {item} of job {job} was handed over on {handed} and is {days} day(s) past its return deadline {due_date} with "
        "no return or destruction recorded (as of {as_of}). Have the vendor return it and record it with handoff custody "
        "return, or record an incident if its whereabouts are unknown (handoff incident record).",
    ),
    "audit.return_late": (
        "ジョブ {job} の {item} は {handed} に引き渡され、返却期限 {due_date} より {days} 日遅れて {back} に戻りました。"
        "遅れた理由を業者に確認し、監査記録に残してください。",
        "Item {item} of job {job} was handed over on {handed} and came back on {back}, {days} day(s) after its return "
        "deadline {due_date}. Ask the vendor why and keep the answer with the audit record.",
    ),
    # --- 2. the deletion certificate -----------------------------------------------------------------------
    "audit.certificate_missing": (
        "ジョブ {job} の媒体は {last_return} にすべて返却されましたが、データ消去報告書（消去証明書）が期限 {due_date} を過ぎても"
        "受領されていません（{as_of} 現在）。業者に提出させ、handoff certificate record で記録してください。",
        "Every medium of job {job} came back by {last_return}, but no deletion certificate was received by its deadline "
        "{due_date} (as of {as_of}). Have the vendor submit it and record it with handoff certificate record.",
    ),
    "audit.certificate_late": (
        "ジョブ {job} のデータ消去報告書（消去証明書）は {received} に受領されました。最後の媒体の返却（{last_return}）からの期限 "
        "{due_date} より {days} 日遅れています。遅れた理由を業者に確認し、監査記録に残してください。",
        "The deletion certificate of job {job} was received on {received}, {days} day(s) after its deadline {due_date} "
        "(counted from the last medium's return on {last_return}). Ask the vendor why and keep the answer with the audit record.",
    ),
    "audit.certificate_incomplete": (
        "ジョブ {job} のデータ消去報告書（連番 {entries}）に媒体 {missing} が記載されていません。業者に全媒体を記載した報告書を"
        "提出させ、handoff certificate record で記録してください。",
        "The deletion certificate(s) of job {job} (entries {entries}) do not name medium {missing}. Have the vendor submit "
        "a certificate naming every medium and record it with handoff certificate record.",
    ),
    # --- 3. returned media that did not read back as written -----------------------------------------------
    "audit.hash_mismatch_open": (
        "ジョブ {job} の媒体 {medium} は返却時の照合で作成時の内容と一致しない（または読めない）まま終結していません（連番 {entries}）。"
        "ディスクを保管したまま事故として調査し、監督者が handoff incident close で終結してください。",
        "Medium {medium} of job {job} did not match what was written (or could not be read) on return, and this is not "
        "settled (entries {entries}). Keep the disc, investigate it as an incident, and have a supervisor close it with "
        "handoff incident close.",
    ),
    # --- 4. the medium first, the notice on another day ----------------------------------------------------
    "audit.same_day": (
        "ジョブ {job} のパスワード通知書 {notice} が媒体と同じ日（{date}）に引き渡されています（連番 {entries}）。"
        "媒体と通知書は別の日に手渡す決まりです。業者に確認し、事故として記録するか監査記録に理由を残してください。",
        "Password notice {notice} of job {job} was handed over on the same day as its medium ({date}; entries {entries}). "
        "The medium and the notice must go on different days. Check with the vendor, and record an incident or keep "
        "the reason with the audit record.",
    ),
    "audit.notice_first": (
        "ジョブ {job} のパスワード通知書 {notice} が、媒体より先に（{date}）引き渡されています。媒体を先に引き渡す決まりです。"
        "業者に確認し、事故として記録するか監査記録に理由を残してください。",
        "Password notice {notice} of job {job} was handed over on {date}, before any medium of the job. The medium goes "
        "first. Check with the vendor, and record an incident or keep the reason with the audit record.",
    ),
    # --- 5. who received it, under which contract and certification ---------------------------------------
    "audit.vendor_unknown": (
        "ジョブ {job} の委託先 {vendor} が site.toml にありません。契約どおりの委託先か確認し、site.toml に登録してから再度監査してください。",
        "Vendor {vendor} of job {job} is not in site.toml. Check that it is the contracted vendor, register it in "
        "site.toml and audit again.",
    ),
    "audit.handler_unregistered": (
        "ジョブ {job} の {item} を {date} に受け取った {handler} は、委託先 {vendor} の取扱者として登録されていません。"
        "業者から取扱者名簿を取り寄せて確認し、site.toml の handlers を直すか事故として記録してください。",
        "Item {item} of job {job} was received on {date} by {handler}, who is not a registered handler of vendor "
        "{vendor}. Obtain the vendor's list of handlers, then correct handlers in site.toml or record an incident.",
    ),
    "audit.outside_contract": (
        "ジョブ {job} の {item} は {date} に引き渡されましたが、委託先 {vendor} の契約期間（{start}〜{end}）の外です。"
        "契約書を確認し、site.toml の契約期間を直すか事故として記録してください。",
        "Item {item} of job {job} was handed over on {date}, outside the contract of vendor {vendor} ({start} to {end}). "
        "Check the contract, then correct the period in site.toml or record an incident.",
    ),
    "audit.certification_invalid": (
        "ジョブ {job} の {item} を引き渡した {date} に、委託先 {vendor} の認証 {certification}（有効期限 {expires}）が有効では"
        "ありません（または契約上必要な認証の記載がありません）。認証の更新状況を業者に確認し、site.toml の certifications を直してください。",
        "On {date}, when item {item} of job {job} was handed over, certification {certification} of vendor {vendor} "
        "(expires {expires}) was not valid, or the contract requires one and none is listed. Check the vendor's renewal "
        "and correct certifications in site.toml.",
    ),
    # --- 6. on-site inspections of the vendors -------------------------------------------------------------
    "audit.vendor_not_inspected": (
        "委託先 {vendor} には {fiscal_year} 年度に引渡しが {handovers} 件ありましたが、年度内（{end} まで）の実地検査が記録されていません。"
        "実地検査の記録を確認し、handoff vendor inspect で記録してください。",
        "Vendor {vendor} had {handovers} handover(s) in fiscal year {fiscal_year}, but no on-site inspection is "
        "recorded in that year (up to {end}). Find the inspection record and record it with handoff vendor inspect.",
    ),
    "audit.inspection_one_person": (
        "委託先 {vendor} の実地検査（{date}、連番 {entry}）は {count} 人で行われています。{minimum} 人以上の職員で行う決まりです。"
        "立ち会った職員を確認し、訂正するか再検査してください。",
        "The on-site inspection of vendor {vendor} on {date} (entry {entry}) was made by {count} person(s); at least "
        "{minimum} staff must inspect. Check who took part, then correct the record or inspect again.",
    ),
    # --- 7. the delivery inspection -------------------------------------------------------------------------
    "audit.delivery_not_inspected": (
        "ジョブ {job} の媒体は {last_return} までに返却されましたが、納品検査が記録されていません。"
        "納品物を検査し、handoff inspect delivery で記録してください。",
        "The media of job {job} came back by {last_return}, but no delivery inspection is recorded. Inspect the "
        "delivery and record it with handoff inspect delivery.",
    ),
    "audit.delivery_short": (
        "ジョブ {job} の納品検査（連番 {entries}）の検査数 {inspected} が、作成した通数 {pieces} と一致しません。"
        "不足分・過剰分を業者に確認し、検査し直して記録してください。",
        "The delivery inspection of job {job} (entries {entries}) counted {inspected} piece(s), but {pieces} were "
        "prepared. Check the difference with the vendor, then inspect again and record it.",
    ),
    "audit.delivery_defects": (
        "ジョブ {job} の納品検査（連番 {entries}）で {inspected} 通中 {defects} 通が不合格でした（合格 {passed}）。"
        "不合格分の処置（再作成・差替え）が済んでいるか確認してください。",
        "The delivery inspection of job {job} (entries {entries}) failed {defects} of {inspected} piece(s) "
        "({passed} passed). Check that the failed pieces were remade or replaced.",
    ),
    # --- 8. incidents left open -----------------------------------------------------------------------------
    "audit.incident_overdue": (
        "ジョブ {job} の事故（連番 {entry}、種類 {kind}）は {recorded} に記録され、期限 {due_date} を過ぎても終結していません。"
        "対応を確認し、監督者が handoff incident close {entry} で終結してください。",
        "Incident entry {entry} of job {job} (kind {kind}) was recorded on {recorded} and is still open past its "
        "deadline {due_date}. Check what was done and have a supervisor close it with handoff incident close {entry}.",
    ),
    # --- 11. data the vendor sent back ------------------------------------------------------------------------
    "audit.inbound_unread": (
        "ジョブ {job} で {received} に受領した業者からの媒体が、期限 {due_date} を過ぎても読み込まれていません。"
        "handoff intake で読み込むか、使わないなら業者に返すか廃棄して（custody handover / destroy）記録してください。",
        "The disc received from the vendor on {received} (job {job}) is still not read past its deadline {due_date}. "
        "Read it with handoff intake, or hand it back or destroy it (custody handover / destroy) and record that.",
    ),
    "audit.inbound_kept": (
        "ジョブ {job} の業者からのデータは {read} に読み込まれましたが、{kept} が期限 {due_date} を過ぎても返却も廃棄も"
        "されていません。業者に返すか廃棄して、custody handover / destroy で記録してください。",
        "The vendor's data of job {job} was read on {read}, but {kept} is neither handed back nor destroyed past its "
        "deadline {due_date}. Hand it back or destroy it and record that with custody handover / destroy.",
    ),
    # --- 9. corrections -------------------------------------------------------------------------------------
    "audit.correction_not_supervisor": (
        "訂正（連番 {entry}、対象 {target}、ジョブ {job}）は職員 {staff}（役割 {role}）が記録しています。訂正は監督者（supervisor）だけが行えます。"
        "訂正の内容を監督者が確認し、誤りなら取り消して記録し直してください。",
        "Correction entry {entry} (of entry {target}, job {job}) was recorded by staff {staff} (role {role}); only a supervisor "
        "may correct. Have a supervisor review it and, if it is wrong, void it and record it again.",
    ),
    "audit.correction_no_reason": (
        "訂正（連番 {entry}、対象 {target}、ジョブ {job}、職員 {staff}）に理由が記載されていません。理由を確認し、監査記録に残してください。",
        "Correction entry {entry} (of entry {target}, job {job}, by staff {staff}) gives no reason. Find the reason and keep it "
        "with the audit record.",
    ),
    # --- 10. approvals ---------------------------------------------------------------------------------------
    "audit.approval_mismatch": (
        "ジョブ {job}（{date} 作成）の提供項目が、その日に審議会で承認されていた {programme} の項目と一致しません"
        "（承認外: {unapproved}、不足: {missing}）。審議会資料とプログラム設定を確認し、承認外の項目が提供されていれば事故として記録してください。",
        "The items of job {job} (prepared {date}) differ from those of {programme} approved on that day (not "
        "approved: {unapproved}; missing: {missing}). Check the council documents and the programme file, and record "
        "an incident if an unapproved item was handed over.",
    ),
    "audit.programme_unknown": (
        "ジョブ {job} のプログラム {programme} の設定ファイルがありません。承認項目と期限を確認できないため、"
        "pipelines/{programme}.toml を戻してから再度監査してください（期限は既定値で判定しました）。",
        "The programme file of {programme} (job {job}) is missing, so its approved items and deadlines cannot be "
        "checked. Restore pipelines/{programme}.toml and audit again (the default deadlines were used).",
    ),
}
