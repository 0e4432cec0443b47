"""Review levels: who approves at each level, for an agency configured with 1 to 3 levels.

条例第17条 requires a review before publication, including 保密审查, so even a one-level agency
has its single review done by the 复审/保密审查 role.
"""

from gongkai.orgs.roles import Perm

LEVEL_PERMS: dict[int, list[str]] = {
    1: [Perm.REVIEW_SECOND],
    2: [Perm.REVIEW_FIRST, Perm.REVIEW_SECOND],
    3: [Perm.REVIEW_FIRST, Perm.REVIEW_SECOND, Perm.REVIEW_FINAL],
}
LEVEL_LABELS = {Perm.REVIEW_FIRST: "初审", Perm.REVIEW_SECOND: "复审（保密审查）", Perm.REVIEW_FINAL: "工作机构审核"}


def perm_for(levels: int, level: int) -> str:
    return LEVEL_PERMS[levels][level - 1]


def label_for(levels: int, level: int) -> str:
    return LEVEL_LABELS[perm_for(levels, level)]
