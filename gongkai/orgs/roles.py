"""Staff roles and what each may do. The rule exists here once; views and services ask ``can``."""

from django.db import models


class Role(models.TextChoices):
    DRAFTER = "drafter", "信息员"
    FIRST_REVIEWER = "first_reviewer", "初审"
    SECOND_REVIEWER = "second_reviewer", "复审/保密审查"
    OFFICE_ADMIN = "office_admin", "工作机构管理员"
    LEADER = "leader", "领导"
    SUPERVISOR = "supervisor", "监督"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    # 三权分立 (GB/T 22239-2019 等保三级 安全管理中心): the system administrator runs the platform,
    # the audit administrator only reads the audit trail, the security administrator sets the
    # security policy and hands out roles. No account holds two of them (orgs/models.py).
    AUDIT_ADMIN = "audit_admin", "审计管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"


class Perm(models.TextChoices):
    VIEW_WORK = "view_work", "查看本机构工作"
    DRAFT = "draft", "起草信息"
    REVIEW_FIRST = "review_first", "初审"
    REVIEW_SECOND = "review_second", "复审/保密审查"
    REVIEW_FINAL = "review_final", "工作机构审核"
    MANAGE_PUBLISHED = "manage_published", "更正、撤回、废止已发布信息"
    HANDLE_APPLICATIONS = "handle_applications", "办理政府信息公开申请"
    HEAD_APPLICATIONS = "head_applications", "审批延期、督办、查看申请人完整信息"
    EDIT_AGENCY = "edit_agency", "维护机构信息"
    MANAGE_PEOPLE = "manage_people", "管理人员与角色"
    VIEW_AUDIT = "view_audit", "查看审计日志"
    CREATE_AGENCY = "create_agency", "新建机构"
    MANAGE_CALENDAR = "manage_calendar", "维护节假日日历"
    # 年度报告 (条例第49–50条): compile the draft; review it internally, file and publish it; and,
    # for the 本级 office, accept or return the reports its subordinate agencies file with it.
    PREPARE_REPORT = "prepare_report", "编制年度报告"
    APPROVE_REPORT = "approve_report", "审核、报送、发布年度报告"
    ACCEPT_REPORTS = "accept_reports", "审核下级机关报送的年度报告"
    GRANT_ROLES = "grant_roles", "授予、撤销平台角色和监督角色"
    MANAGE_SECURITY = "manage_security", "安全设置、重置双因素认证"
    # 政民互动: open consultations, moderate comments and publish 采纳情况; answer the public's messages.
    RUN_CONSULTATIONS = "run_consultations", "意见征集：发起、审核意见、发布采纳情况"
    ANSWER_ENQUIRIES = "answer_enquiries", "留言咨询：分办、答复、转办"


ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.DRAFTER: frozenset({
        Perm.VIEW_WORK, Perm.DRAFT, Perm.HANDLE_APPLICATIONS, Perm.PREPARE_REPORT,
        Perm.RUN_CONSULTATIONS, Perm.ANSWER_ENQUIRIES,
    }),
    Role.FIRST_REVIEWER: frozenset({Perm.VIEW_WORK, Perm.REVIEW_FIRST}),
    Role.SECOND_REVIEWER: frozenset({Perm.VIEW_WORK, Perm.REVIEW_SECOND, Perm.MANAGE_PUBLISHED}),
    Role.OFFICE_ADMIN: frozenset({
        Perm.VIEW_WORK, Perm.EDIT_AGENCY, Perm.MANAGE_PEOPLE, Perm.VIEW_AUDIT, Perm.REVIEW_FINAL, Perm.MANAGE_PUBLISHED,
        # The office admin is the 工作机构负责人 who approves extensions (第33条).
        Perm.HANDLE_APPLICATIONS, Perm.HEAD_APPLICATIONS,
        Perm.PREPARE_REPORT, Perm.APPROVE_REPORT,
        Perm.RUN_CONSULTATIONS, Perm.ANSWER_ENQUIRIES,
    }),
    # The leader signs off the annual report (内部审核) before it is filed.
    Role.LEADER: frozenset({Perm.VIEW_WORK, Perm.APPROVE_REPORT}),
    # A superior office reads its own and every subordinate agency's work (see access.py), and
    # accepts or returns the annual reports filed with it.
    Role.SUPERVISOR: frozenset({Perm.VIEW_WORK, Perm.ACCEPT_REPORTS}),
    # Everything but reading the audit trail and the security administrator's own powers.
    Role.SYSTEM_ADMIN: frozenset(Perm.values) - {Perm.VIEW_AUDIT, Perm.GRANT_ROLES, Perm.MANAGE_SECURITY},
    Role.AUDIT_ADMIN: frozenset({Perm.VIEW_AUDIT}),
    Role.SECURITY_ADMIN: frozenset({Perm.GRANT_ROLES, Perm.MANAGE_SECURITY}),
}

# Roles held for the whole platform, without an agency; one account holds at most one of them.
PLATFORM_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.SECURITY_ADMIN})

# Roles that reach down the agency tree instead of stopping at the agency they are held in.
TREE_ROLES = frozenset({Role.SUPERVISOR})
# Roles an agency's 工作机构管理员 (and the 系统管理员, who manages people) may hand out. 监督 reaches
# into other agencies' records and the platform roles reach everything, so only the 安全管理员
# grants those (otherwise an administrator could widen their own reach).
GRANTABLE_BY_OFFICE_ADMIN = frozenset(set(Role.values) - PLATFORM_ROLES - {Role.SUPERVISOR})
