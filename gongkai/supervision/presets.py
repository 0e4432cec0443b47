"""The schemes shipped as editable presets (spec supervision.md §1–5). Points marked UNCONFIRMED in
the spec are this file's guesses; once loaded they are ordinary rows the office edits.

Each indicator: (name, kind, automatic indicator or "", points, per finding, veto line).
"""

from decimal import Decimal as D

WEBSITE_2019 = {
    "key": "website_2019",
    "name": "政府网站检查指标（国办秘函〔2019〕19号）",
    "description": "单项否决＋扣分（100分）＋加分（最多30分，仅政府门户网站）。任一单项否决即不合格；扣分得分低于60分不合格，"
                   "高于80分可计加分。部门网站无办事服务的，办事服务（25分）不适用，得分按75分折算为百分制。"
                   "除办事服务25分外，各一级指标分值未经核实（UNCONFIRMED），请按本地方案修改。",
    "fail_below": D(60), "bonus_above": D(80), "bonus_max": D(30),
    "areas": [
        ("单项否决", D(0), False, [
            ("安全、泄密等严重问题", "veto", "", D(0), D(0), 1),
            ("站点无法访问", "veto", "", D(0), D(0), 1),
            ("首页不更新", "veto", "", D(0), D(0), 1),
            ("栏目不更新（动态要闻2周、通知公告与政策文件6个月）", "veto", "column_stale", D(0), D(0), 5),
            ("空白栏目", "veto", "column_blank", D(0), D(0), 5),
            ("互动回应差", "veto", "", D(0), D(0), 1),
            ("服务不实用", "veto", "", D(0), D(0), 1),
        ]),
        ("发布解读", D(35), False, [
            ("政策文件一级栏目6个月未更新", "deduction", "", D(5), D(5), 1),
            ("主动公开不及时", "deduction", "disclosure_late", D(5), D("0.2"), 1),
            ("政策文件未解读", "deduction", "interpretation_missing", D(5), D(1), 1),
            ("政策解读发布不及时", "deduction", "interpretation_late", D(3), D("0.5"), 1),
            ("政策文件与解读未双向关联", "deduction", "", D(5), D(1), 1),
        ]),
        ("办事服务", D(25), True, [
            ("办事服务统计数据3个月未更新", "deduction", "", D(2), D(2), 1),
            ("办事指南要素缺失", "deduction", "", D(10), D(1), 1),
        ]),
        ("互动交流", D(20), False, [
            ("留言办理答复2个月未公开", "deduction", "", D(3), D(3), 1),
            ("简单咨询超过5个工作日答复", "deduction", "", D(5), D(1), 1),
        ]),
        ("功能设计", D(20), False, [
            ("站内搜索不可用", "deduction", "", D(5), D(2), 1),
            ("未设置找错入口", "deduction", "", D(2), D(2), 1),
            ("未支持IPv6", "deduction", "", D(2), D(2), 1),
        ]),
        ("加分", D(0), False, [
            ("创新做法", "bonus", "", D(30), D(5), 1),
        ]),
    ],
}

OPENNESS = {
    "key": "openness_2024",
    "name": "政务公开工作考核（四个方面，示例）",
    "description": "参照北京（2024）、湖北（2023）等地方案：主动公开、决策公开、依申请公开、平台建设与管理各25分，"
                   "按条扣分并设每项扣分上限。分值为示例（UNCONFIRMED），请按本地方案修改。",
    "fail_below": D(60), "bonus_above": None, "bonus_max": D(0),
    "areas": [
        ("主动公开", D(25), False, [
            ("主动公开不及时（每条扣0.2分）", "deduction", "disclosure_late", D(5), D("0.2"), 1),
            ("栏目不更新", "deduction", "column_stale", D(5), D(1), 1),
            ("空白栏目", "deduction", "column_blank", D(5), D(1), 1),
            ("核心元数据（索引号等）缺失", "deduction", "", D(3), D(1), 1),
        ]),
        ("决策公开", D(25), False, [
            ("政策文件未解读", "deduction", "interpretation_missing", D(5), D(1), 1),
            ("政策解读发布不及时", "deduction", "interpretation_late", D(3), D("0.5"), 1),
            ("重大决策未预公开", "deduction", "", D(10), D(2), 1),
        ]),
        ("依申请公开", D(25), False, [
            ("逾期答复（每件扣6分）", "deduction", "application_overdue", D(15), D(6), 1),
            ("补正告知超过7个工作日", "deduction", "correction_late", D(5), D(1), 1),
            ("答复被复议、诉讼纠错（每件扣3分）", "deduction", "", D(9), D(3), 1),
        ]),
        ("平台建设与管理", D(25), False, [
            ("年度报告未按时报送或发布（扣5分）", "deduction", "annual_report_late", D(10), D(5), 1),
            ("政府信息公开平台功能不全", "deduction", "", D(10), D(2), 1),
        ]),
    ],
}

PRESETS = [WEBSITE_2019, OPENNESS]
