"""The demo county: a fictional 清河县 under 青山市, 江北省, shaped like the counties in the seeds.

Area codes start with 99, a prefix no real province uses, so demo data can never be mistaken
for a real administrative division. Agency codes follow the 18-character 统一社会信用代码 layout.
"""

PASSWORD = "gongkai-demo-2026"

AREAS = [
    # (code, name, level, parent code)
    ("990000", "江北省", "province", None),
    ("990100", "青山市", "city", "990000"),
    ("990121", "清河县", "county", "990100"),
    ("990121100", "城关镇", "township", "990121"),
    ("990121101", "湖沟镇", "township", "990121"),
    ("990121102", "大渡口镇", "township", "990121"),
    ("990121001", "任楼街道", "township", "990121"),
]

OFFICE_HOURS = "工作日 上午8:30—12:00，下午14:30—17:30（法定节假日除外）"

# (key, name, kind, area code, parent key, office address, phone, units)
AGENCIES = [
    ("qsszf", "青山市人民政府", "government", "990100", None, "青山市政务中心大道1号", "0999-2100001", ["办公室"]),
    ("qhxzf", "清河县人民政府", "government", "990121", "qsszf", "清河县人民路88号县政府大楼", "0999-6120001",
     ["县政府办公室", "政务公开办公室"]),
    ("qhzfb", "清河县人民政府办公室", "department", "990121", "qhxzf", "清河县人民路88号县政府大楼3楼", "0999-6120012",
     ["秘书科", "政务公开科", "督查科"]),
    ("fgj", "清河县发展和改革局", "department", "990121", "qhxzf", "清河县人民路90号", "0999-6120101",
     ["办公室", "规划科", "价格管理股"]),
    ("jyj", "清河县教育局", "department", "990121", "qhxzf", "清河县文昌路12号", "0999-6120201",
     ["办公室", "基础教育股", "学生资助中心"]),
    ("gaj", "清河县公安局", "department", "990121", "qhxzf", "清河县平安大道6号", "0999-6120301",
     ["办公室", "法制大队", "户政科"]),
    ("mzj", "清河县民政局", "department", "990121", "qhxzf", "清河县民生路20号", "0999-6120401",
     ["办公室", "社会救助股", "养老服务股"]),
    ("sfj", "清河县司法局", "department", "990121", "qhxzf", "清河县法治路3号", "0999-6120501",
     ["办公室", "行政复议股", "公共法律服务股"]),
    ("czj", "清河县财政局", "department", "990121", "qhxzf", "清河县人民路92号", "0999-6120601",
     ["办公室", "预算股", "国库股", "政府采购股"]),
    ("rsj", "清河县人力资源和社会保障局", "department", "990121", "qhxzf", "清河县民生路22号", "0999-6120701",
     ["办公室", "就业促进股", "社会保险股"]),
    ("zrj", "清河县自然资源局", "department", "990121", "qhxzf", "清河县建设路15号", "0999-6120801",
     ["办公室", "国土空间规划股", "耕地保护股"]),
    ("zjj", "清河县住房和城乡建设局", "department", "990121", "qhxzf", "清河县建设路17号", "0999-6120901",
     ["办公室", "房地产管理股", "村镇建设股"]),
    ("nyj", "清河县农业农村局", "department", "990121", "qhxzf", "清河县丰收路8号", "0999-6121001",
     ["办公室", "农村经营管理股", "种植业股"]),
    ("wjj", "清河县卫生健康局", "department", "990121", "qhxzf", "清河县健康路5号", "0999-6121101",
     ["办公室", "医政医管股", "疾病预防控制股"]),
    ("yjj", "清河县应急管理局", "department", "990121", "qhxzf", "清河县平安大道10号", "0999-6121201",
     ["办公室", "安全生产监督股", "防灾减灾股"]),
    ("sjj", "清河县审计局", "department", "990121", "qhxzf", "清河县人民路94号", "0999-6121301",
     ["办公室", "财政审计股"]),
    ("tjj", "清河县统计局", "department", "990121", "qhxzf", "清河县人民路96号", "0999-6121401",
     ["办公室", "综合统计股"]),
    ("scj", "清河县市场监督管理局", "department", "990121", "qhxzf", "清河县商贸街30号", "0999-6121501",
     ["办公室", "食品安全监管股", "登记注册股"]),
    ("cgz", "清河县城关镇人民政府", "government", "990121100", "qhxzf", "清河县城关镇中心街1号", "0999-6130001",
     ["党政办公室", "社会事务办公室"]),
    ("hgz", "清河县湖沟镇人民政府", "government", "990121101", "qhxzf", "清河县湖沟镇湖滨路2号", "0999-6130101",
     ["党政办公室", "农业综合服务中心"]),
    ("ddkz", "清河县大渡口镇人民政府", "government", "990121102", "qhxzf", "清河县大渡口镇码头路1号", "0999-6130201",
     ["党政办公室", "便民服务中心"]),
    ("rljd", "清河县任楼街道办事处", "dispatched", "990121001", "qhxzf", "清河县任楼街道任楼路18号", "0999-6130301",
     ["党政办公室", "社区管理办公室"]),
]

# 机关代字 that start each agency's 文号 (清财依申公复〔2026〕1号): the county's 清 and the agency's own.
NUMBER_CODES = {
    "qsszf": "青政", "qhxzf": "清政", "qhzfb": "清政办", "fgj": "清发改", "jyj": "清教", "gaj": "清公", "mzj": "清民",
    "sfj": "清司", "czj": "清财", "rsj": "清人社", "zrj": "清自然", "zjj": "清建", "nyj": "清农", "wjj": "清卫健",
    "yjj": "清应急", "sjj": "清审", "tjj": "清统", "scj": "清市监", "cgz": "城政", "hgz": "湖政", "ddkz": "渡政",
    "rljd": "任办",
}

# (username, full name, [(agency key or None, role), ...], what the account is for)
PEOPLE = [
    ("admin", "系统管理员", [(None, "system_admin")], "全平台：机构、区划、人员、节假日日历"),
    ("auditor", "审计管理员", [(None, "audit_admin")], "全平台：只查看和导出审计日志（三权分立）"),
    ("security", "安全管理员", [(None, "security_admin")], "全平台：授予角色、重置双因素认证（三权分立）"),
    ("qs_jiandu", "赵敏", [("qsszf", "supervisor")], "市政务公开办：监督全市下级机构"),
    ("qh_admin", "王晓峰", [("qhxzf", "office_admin"), ("qhzfb", "office_admin")], "县政府办：工作机构管理员"),
    ("qh_jiandu", "李娜", [("qhxzf", "supervisor")], "县政务公开办：监督县直部门和乡镇"),
    ("qh_leader", "陈刚", [("qhxzf", "leader")], "分管副县长：只读"),
    ("czj_xxy", "刘洋", [("czj", "drafter")], "县财政局：信息员"),
    ("czj_cs", "周静", [("czj", "first_reviewer")], "县财政局：初审"),
    ("czj_fs", "孙磊", [("czj", "second_reviewer")], "县财政局：复审/保密审查"),
    ("czj_admin", "吴婷", [("czj", "office_admin")], "县财政局：工作机构管理员"),
    ("czj_leader", "郑伟", [("czj", "leader")], "县财政局：分管领导"),
    ("jyj_xxy", "冯雪", [("jyj", "drafter")], "县教育局：信息员"),
    ("jyj_admin", "何军", [("jyj", "office_admin"), ("jyj", "first_reviewer")], "县教育局：管理员兼初审"),
    ("hgz_xxy", "高丽", [("hgz", "drafter")], "湖沟镇：信息员"),
    ("hgz_admin", "马超", [("hgz", "office_admin"), ("hgz", "second_reviewer")], "湖沟镇：管理员兼复审"),
    ("shared_xxy", "罗佳", [("sjj", "drafter"), ("tjj", "drafter")], "审计局、统计局两处兼职信息员（演示机构切换）"),
]

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(area_code: str, serial: int) -> str:
    """A 统一社会信用代码-shaped code (GB 32100-2015 layout and check character)."""
    body = f"11{area_code[:6]}MB{serial:07d}"
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_CHARS[(31 - total % 31) % 31]
