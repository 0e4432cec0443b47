"""Agency catalogues (目录): the default tree and edits to it."""

from django.db import transaction

from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.disclosure.models import CatalogueNode, DisclosureSettings
from gongkai.disclosure.taxonomy import DEFAULT_CATALOGUE
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm


def ensure_catalogue(agency) -> None:
    """Give an agency the default tree and settings (idempotent).

    Run for every new agency through settings.GONGKAI_AGENCY_SETUP, so the organisation app does
    not import this one; also safe to call for agencies that predate it. Seeding is not audited:
    it is the platform's default, not anyone's edit.
    """
    if CatalogueNode.objects.filter(agency=agency).exists():
        return
    with transaction.atomic():
        DisclosureSettings.objects.get_or_create(agency=agency)
        for order, (code, name, children) in enumerate(DEFAULT_CATALOGUE, start=1):
            parent = CatalogueNode.objects.create(agency=agency, code=code, name=name, sort_order=order * 10)
            CatalogueNode.objects.bulk_create(
                CatalogueNode(agency=agency, parent=parent, code=child_code, name=child_name, sort_order=i * 10)
                for i, (child_code, child_name) in enumerate(children, start=1)
            )


def settings_for(agency) -> DisclosureSettings:
    ensure_catalogue(agency)
    return DisclosureSettings.objects.get(agency=agency)


def catalogue_tree(agency, counts: dict[int, int] | None = None) -> list[dict]:
    """[{node, count, children: [...]}] with each parent's count including its children's."""
    ensure_catalogue(agency)
    counts = counts or {}
    nodes = list(CatalogueNode.objects.filter(agency=agency))
    by_parent: dict[int | None, list] = {}
    for node in nodes:
        by_parent.setdefault(node.parent_id, []).append(node)

    def build(parent_id):
        branch = []
        for node in by_parent.get(parent_id, []):
            children = build(node.pk)
            total = counts.get(node.pk, 0) + sum(c["count"] for c in children)
            branch.append({"node": node, "count": total, "children": children})
        return branch

    return build(None)


NODE_FIELDS = ["code", "name", "parent", "sort_order"]


def node_create(*, actor, agency, name: str, code: str, parent: CatalogueNode | None = None, sort_order: int = 100):
    access.require(actor, Perm.EDIT_AGENCY, agency)
    name, code = (name or "").strip(), (code or "").strip().lower()
    if not name:
        raise ServiceError("CATALOGUE_NAME_REQUIRED", "请填写分类名称。", field="name")
    if not code or not code.replace("-", "").replace("_", "").isalnum() or not code.isascii():
        raise ServiceError("CATALOGUE_CODE_INVALID", "分类代码应为英文字母、数字、“-”或“_”。", field="code")
    if parent is not None and (parent.agency_id != agency.pk or parent.parent_id is not None):
        raise ServiceError("CATALOGUE_PARENT_INVALID", "上级分类须为本机构的一级分类。", field="parent")
    if CatalogueNode.objects.filter(agency=agency, code=code).exists():
        raise ServiceError("CATALOGUE_CODE_DUPLICATE", f"分类代码“{code}”已存在。", field="code")
    with transaction.atomic():
        node = CatalogueNode.objects.create(agency=agency, name=name, code=code, parent=parent, sort_order=sort_order)
        record(actor=actor, action=Action.CREATE, obj=node, agency=agency, after=snapshot(node, NODE_FIELDS))
    return node


def node_rename(*, actor, node: CatalogueNode, name: str, sort_order: int | None = None):
    access.require(actor, Perm.EDIT_AGENCY, node.agency)
    name = (name or "").strip()
    if not name:
        raise ServiceError("CATALOGUE_NAME_REQUIRED", "请填写分类名称。", field="name")
    with transaction.atomic():
        before = snapshot(node, NODE_FIELDS)
        node.name = name
        if sort_order is not None:
            node.sort_order = sort_order
        node.save()
        record(actor=actor, action=Action.NODE_RENAME, obj=node, agency=node.agency, before=before, after=snapshot(node, NODE_FIELDS))
    return node


def node_delete(*, actor, node: CatalogueNode):
    access.require(actor, Perm.EDIT_AGENCY, node.agency)
    if node.items.exists() or node.children.exists():
        raise ServiceError("CATALOGUE_NODE_IN_USE", f"分类“{node.name}”下还有信息或子分类，不能删除。")
    with transaction.atomic():
        record(actor=actor, action=Action.DELETE, obj=node, agency=node.agency, before=snapshot(node, NODE_FIELDS))
        node.delete()
