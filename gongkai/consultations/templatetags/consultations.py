"""The reverse of a consultation's final document, for pages of apps below this one (the portal's
item page) that cannot import it: ``{% load consultations %}{% consulted_on item %}``."""

from django import template

from gongkai.consultations.queries import consultations_for_item

register = template.Library()


@register.inclusion_tag("consultations/public/_consulted_on.html")
def consulted_on(item):
    """「本文件曾公开征求意见」 with links to the consultations that led to ``item``."""
    return {"consultations": list(consultations_for_item(item)) if item is not None and item.pk else []}
