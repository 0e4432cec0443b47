"""gongkai's own wording of every letter, used where an agency has not written its own.

The texts are Django templates rendered as plain text (no HTML, no escaping) with the context built
in ``letters.drafting``; paragraphs are separated by one blank line, and a first paragraph ending in
"：" is the salutation. What a template can see:

    application.name / tracking_code / received_on / due_on / description / channel /
        provision_form / received_rule           dates already written as 2026年1月5日
    application.correction / corrected_on    what a 补正 added and the day it was received ("" without)
    agency.name / short_name / review_body / office.name / office.address / office.postcode /
        office.hours / office.phone / office.fax / office.email / office.website
    today, law (《中华人民共和国政府信息公开条例》), basis (law and articles of this letter),
    remedy (the 行政复议 and 行政诉讼 sentence), contact (the office's phone and address, or "")
    correction: items, deadline          extension: days, reason, due
    delay: until, reason                 third_party: party, answer_by
    fee: quote.describe / quote.amount / quote.method, pay_by, payment (how to pay, a per-agency setting)
    reply: reply.type / label / variant / article / reason_code / reason_label / reason_phrase / reason /
        decision / published.title / .index_number / .published_on / .link (已主动公开 replies)

Every letter cites its legal basis (``{{ basis }}``) and every 答复书 tells the applicant how to
challenge it (``{{ remedy }}``): ``letters.drafting`` appends either sentence to a text that lost it,
and refuses to save an agency template without them. Notices are steps inside one case; the
remedy is given in the 答复书 that concludes it, the decision an applicant can challenge
(条例第51条).
"""

LAW = "《中华人民共和国政府信息公开条例》"
FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

# The articles each notice rests on (国务院令第711号).
NOTICE_ARTICLES: dict[str, str] = {
    "receipt": "第三十一条、第三十三条",  # the day of receipt, the 20-working-day reply period
    "correction": "第三十条",  # one notice listing everything to correct, and the consequence
    "extension": "第三十三条第二款",  # at most 20 more working days, approved by the office head
    "delay": "第三十五条",  # requests manifestly beyond a reasonable range
    "third_party": "第三十二条",  # written consultation, 15 working days to answer
    "fee": "第四十二条",  # the fee, with 国办函〔2020〕109号 cited alongside
}

# Reply types whose rule cites no article (replies.RULES, article ""): the letter still has to name
# a legal basis. These are the provisions the decision follows from [P: local practice, to be
# reviewed by counsel]: a 行政查询事项 is information whose acquisition a law or administrative
# regulation governs, answered under 第36条第（七）项 (告知申请人依照有关法律、行政法规的规定办理) with
# the query channel's own law named in the reason, never as a 第14–16条 withholding; a request
# still unclear after 补正 ends under 第30条; a demand to confirm or re-issue information already obtained is not a request for
# existing government information as 第2条 defines it.
REPLY_FALLBACK_ARTICLES: dict[str, str] = {
    "withheld_admin_query": "第三十六条第（七）项",
    "unavailable_still_unclear": "第三十条",
    "not_processed_confirmation": "第二条",
}

# 不予公开 decisions are made under 第36条第（三）项 on the ground of 第14–16条: both are cited (for a
# reply type with a 第14–16条 reason code only; 行政查询 has none, see above).
WITHHELD_PROCEDURE_ARTICLE = "第三十六条第（三）项"

# The article behind each 不予公开 reason code (spec §1.1), cited for the withheld part of a 部分公开.
EXEMPTION_ARTICLES: dict[str, str] = {
    "X14-1": "第十四条",
    "X14-2": "第十四条",
    "X14-3": "第十四条",
    "X15": "第十五条",
    "X16-1": "第十六条第一款",
    "X16-2": "第十六条第二款",
    "X16-3": "第十六条第二款",
}

# 第31条: how the day of receipt was fixed, by channel.
RECEIVED_RULES: dict[str, str] = {
    "in_person": "当面提交的申请，以提交之日为收到申请之日",
    "oral": "口头提出并由本机关代为填写的申请，以提出之日为收到申请之日",
    "post": "以邮寄方式提交的申请，以本机关签收之日为收到申请之日",
    "plain_letter": "以平常信函等无需签收的方式提交的申请，以本机关与申请人确认之日为收到申请之日",
    "online": "通过互联网渠道提交的申请，以双方确认之日为收到申请之日",
    "email": "以电子邮件提交的申请，以双方确认之日为收到申请之日",
    "fax": "以传真方式提交的申请，以双方确认之日为收到申请之日",
}

REVIEW_BODY_UNKNOWN = "依法履行行政复议职责的行政机关"

REMEDY = (
    "您如认为本答复侵犯了您的合法权益，可以自收到本答复书之日起60日内向{review_body}申请行政复议，"
    "也可以自收到本答复书之日起6个月内依法向人民法院提起行政诉讼。"
)

TITLES: dict[str, str] = {
    "receipt": "政府信息公开申请受理回执",
    "correction": "政府信息公开申请补正告知书",
    "extension": "政府信息公开申请延期答复告知书",
    "delay": "政府信息公开申请延迟答复告知书",
    "third_party": "政府信息公开征求第三方意见书",
    "fee": "政府信息公开信息处理费收费通知书",
    "reply": "政府信息公开申请答复书",
}

_CASE = ("本机关于{{ application.received_on }}收到您提出的政府信息公开申请（查询码：{{ application.tracking_code }}）"
         "{% if application.corrected_on %}，于{{ application.corrected_on }}收到您补正后的申请{% endif %}")
# The request as the applicant wrote it and, after a 补正, as corrected.
_REQUEST = ("“{{ application.description }}”"
            "{% if application.correction %}，补正后明确为：“{{ application.correction }}”{% endif %}")

BODIES: dict[str, str] = {
    "receipt": """{{ application.name }}：

{{ agency.name }}已于{{ application.received_on }}收到您提出的政府信息公开申请，查询码为{{ application.tracking_code }}。您申请获取的信息是：“{{ application.description }}”。

根据{{ basis }}的规定，{{ application.received_rule }}。本机关将自收到申请之日起20个工作日内作出答复{% if application.due_on %}，答复期限届满日为{{ application.due_on }}{% endif %}。需要延长答复期限的，本机关将另行书面告知；征求第三方或者其他机关意见所需的时间，不计算在答复期限内。

您可以凭查询码和查询密码在政府信息公开平台查看办理进度和答复文书。""",
    "correction": """{{ application.name }}：

""" + _CASE + """。经审查，申请中的内容不够明确，本机关无法据此确定您所需要的政府信息。根据{{ basis }}的规定，现将需要补正的事项一次性告知如下：

{{ items }}

请您在{{ deadline }}前提交补正后的申请，可以凭查询码在政府信息公开平台在线补正，也可以邮寄或者当面提交。答复期限自本机关收到补正后的申请之日起重新计算。

无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。""",
    "extension": """{{ application.name }}：

""" + _CASE + """。因该申请不能在20个工作日内答复完毕，经本机关政府信息公开工作机构负责人同意，根据{{ basis }}的规定，答复期限延长{{ days }}个工作日{% if due %}，本机关将在{{ due }}前作出答复{% endif %}。

延长答复期限的理由：{{ reason }}

特此告知。""",
    "delay": """{{ application.name }}：

""" + _CASE + """。经审查，您申请公开政府信息的数量、频次明显超过合理范围，本机关无法在法定期限内答复。根据{{ basis }}的规定，本机关确定延迟答复的合理期限，将在{{ until }}前作出答复。

确定延迟答复期限的理由：{{ reason }}

特此告知。""",
    "third_party": """{{ party }}：

本机关于{{ application.received_on }}收到一份政府信息公开申请，申请获取的信息是：“{{ application.description }}”。

经审查，公开该信息可能损害贵方的合法权益。根据{{ basis }}的规定，现书面征求贵方意见。请贵方自收到本意见书之日起15个工作日内，即在{{ answer_by }}前，书面答复是否同意公开；不同意公开的，请说明理由并提供相关材料。

贵方逾期未提出意见的，由本机关依照条例的规定决定是否公开。贵方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响而决定公开的，将把决定公开的内容和理由书面告知贵方。""",
    "fee": """{{ application.name }}：

""" + _CASE + """。经审查，您申请公开政府信息的数量、频次明显超过合理范围。根据{{ basis }}的规定，本机关依法收取信息处理费。

收费标准及数额：{{ quote.describe }}

请您自收到本通知次日起20个工作日内，即在{{ pay_by }}前缴纳上述费用。缴纳方式：{{ payment }}。{% if agency.office.phone %}如有疑问，请致电{{ agency.office.phone }}。{% endif %}逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。""",
    "reply": """{{ application.name }}：

""" + _CASE + """，申请获取的信息是：""" + _REQUEST + """。{% if application.corrected_on %}答复期限自收到补正后的申请之日起计算。{% endif %}

经审查，现答复如下：

{{ reply.decision }}

{{ remedy }}""",
}

# The decision paragraph of each reply type, grouped by the 答复书 variant (replies.RULES letter_kind).
# Each cites {{ basis }}: the article of its RULES entry (or the fallback above).
_REASON = "{% if reply.reason %}{{ reply.reason }}{% endif %}"

REPLY_DECISIONS: dict[str, dict[str, str]] = {
    "reply_public": {
        "public_already": "您申请获取的信息本机关已经主动公开。"
                          "{% if reply.published %}该信息为《{{ reply.published.title }}》，已于{{ reply.published.published_on }}"
                          "在本机关政府信息公开平台发布，索引号为{{ reply.published.index_number }}"
                          "{% if reply.published.link %}，网址为{{ reply.published.link }}{% endif %}，您可以查阅和下载。"
                          "{% elif agency.office.website %}您可以在本机关网站（{{ agency.office.website }}）的政府信息公开栏目检索、查阅和下载。"
                          "{% else %}您可以在本机关政府信息公开平台检索、查阅和下载。{% endif %}"
                          "{{ reply.reason }}根据{{ basis }}的规定，特此告知您获取该信息的方式和途径。",
        "public_provided": "您申请获取的信息属于可以公开的政府信息。根据{{ basis }}的规定，本机关予以公开，"
                           "按照您选择的方式（{{ application.provision_form }}）向您提供。"
                           "{% if reply.reason %}{{ reply.reason }}{% endif %}",
    },
    "reply_partial": {
        "partial": "您申请获取的信息中，部分内容{% if reply.reason_phrase %}属于{{ reply.reason_phrase }}，{% endif %}"
                   "依法不予公开；其余部分可以公开。根据{{ basis }}的规定，本机关作区分处理，向您提供可以公开的部分，"
                   "按照您选择的方式（{{ application.provision_form }}）提供。" + _REASON,
    },
    "reply_withheld": {
        "withheld_state_secret": "您申请获取的信息属于依法确定为国家秘密的政府信息。根据{{ basis }}的规定，本机关决定不予公开。"
                                 + _REASON,
        "withheld_law_prohibits": "您申请获取的信息属于法律、行政法规禁止公开的政府信息。根据{{ basis }}的规定，本机关决定不予公开。"
                                  + _REASON,
        "withheld_security": "您申请获取的信息公开后可能危及国家安全、公共安全、经济安全或者社会稳定。"
                             "根据{{ basis }}的规定，本机关决定不予公开。" + _REASON,
        "withheld_third_party": "您申请获取的信息涉及商业秘密、个人隐私等，公开会损害第三方合法权益。"
                                "根据{{ basis }}的规定，本机关决定不予公开。" + _REASON,
        "withheld_internal": "您申请获取的信息属于本机关的人事管理、后勤管理、内部工作流程等内部事务信息。"
                             "根据{{ basis }}的规定，本机关决定不予公开。" + _REASON,
        "withheld_process": "您申请获取的信息属于本机关在履行行政管理职能过程中形成的过程性信息。"
                            "根据{{ basis }}的规定，本机关决定不予公开。" + _REASON,
        "withheld_enforcement_file": "您申请获取的信息属于行政执法案卷信息。根据{{ basis }}的规定，本机关决定不予公开。"
                                     + _REASON,
        # No 不予公开 decision: 第36条第（七）项 tells the applicant to use the channel the law provides.
        "withheld_admin_query": "您申请获取的信息属于行政查询事项，有关法律、行政法规对该信息的获取有特别规定。" + _REASON
                                + "根据{{ basis }}的规定，请您依照有关法律、行政法规的规定，通过相应的查询渠道办理。特此告知。",
    },
    "reply_unavailable": {
        # The reason (where and how it was searched; who holds the information) comes before
        # 「特此告知」, which closes the decision.
        "unavailable_not_exist": "经检索，本机关没有制作或者获取过您申请的政府信息，该政府信息不存在。" + _REASON
                                 + "根据{{ basis }}的规定，特此告知。",
        "unavailable_not_responsible": "您申请获取的信息不属于本机关负责公开的政府信息。" + _REASON
                                       + "根据{{ basis }}的规定，特此告知。",
        "unavailable_needs_creation": "本机关没有您申请的现成信息，提供该信息需要对现有政府信息进行加工、分析。"
                                      "根据{{ basis }}的规定，本机关不予提供。" + _REASON,
        "unavailable_still_unclear": "本机关已告知您补正申请，您补正后的申请内容仍不明确，本机关无法确定您所需要的政府信息。"
                                     "根据{{ basis }}的规定，本机关无法提供。" + _REASON,
    },
    "reply_not_processed": {
        "not_processed_petition": "您以政府信息公开申请的形式提出的是信访、投诉、举报等诉求，不作为政府信息公开申请处理。"
                                  + _REASON + "根据{{ basis }}的规定，特此告知，您可以通过相应渠道提出。",
        "not_processed_repeat": "本机关已就您此前提出的相同申请作出答复，您再次提出的申请属于重复申请。"
                                "根据{{ basis }}的规定，本机关不予重复处理。" + _REASON,
        "not_processed_publication": "您要求提供的是政府公报、报刊、书籍等公开出版物。根据{{ basis }}的规定，"
                                     "本机关告知您获取途径，不另行提供。" + _REASON,
        "not_processed_excessive": "您申请公开政府信息的数量、频次明显超过合理范围，说明的理由不合理。"
                                   "根据{{ basis }}的规定，本机关不予处理。" + _REASON,
        "not_processed_confirmation": "您的申请是要求本机关确认或者重新出具您已经获取的信息，不属于获取现有政府信息的申请。"
                                      "根据{{ basis }}的规定，本机关不予处理。" + _REASON,
    },
    "reply_other": {
        "other_no_correction": "本机关已书面告知您补正申请，您无正当理由未在补正期限内补正，视为放弃申请。"
                               "根据{{ basis }}的规定，本机关不再处理该政府信息公开申请。",
        "other_fee_unpaid": "本机关已向您发出信息处理费收费通知，您未在规定期限内缴纳费用，视为放弃申请。"
                            "根据{{ basis }}的规定，本机关不再处理该政府信息公开申请。",
        "other": _REASON + "根据{{ basis }}的规定，特此告知。",
    },
}

REPLY_DECISION_BY_TYPE: dict[str, str] = {
    reply_type: text for decisions in REPLY_DECISIONS.values() for reply_type, text in decisions.items()
}
