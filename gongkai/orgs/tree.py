"""The agency tree in reading order: every agency before the agencies under it, siblings by their
排序 (``sort_order``) and then code, as ``Agency.Meta.ordering`` and an agency's page list them.

The materialised ``path`` cannot give this order: it holds ids compared as text, so "/1/10/" sorts
before "/1/9/", and ids record when an agency was entered, not where it belongs among its siblings.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import TypeVar

from gongkai.orgs.models import Agency

A = TypeVar("A", bound=Agency)


def sibling_key(agency: Agency) -> tuple[int, str]:
    return agency.sort_order, agency.code


def in_tree_order(agencies: Iterable[A]) -> list[A]:
    """``agencies`` (any part of the tree; each needs ``pk``, ``parent_id``, ``sort_order`` and
    ``code`` loaded) in tree order. An agency whose parent is not among them heads a branch of its
    own, and those branches follow one another like siblings."""
    agencies = list(agencies)
    present = {agency.pk for agency in agencies}
    children: dict[int, list[A]] = defaultdict(list)
    heads = []
    for agency in agencies:
        (children[agency.parent_id] if agency.parent_id in present else heads).append(agency)
    ordered = []
    stack = sorted(heads, key=sibling_key, reverse=True)
    while stack:
        agency = stack.pop()
        ordered.append(agency)
        stack.extend(sorted(children[agency.pk], key=sibling_key, reverse=True))
    return ordered
