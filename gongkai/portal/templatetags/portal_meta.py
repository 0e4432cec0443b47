from django import template

from gongkai.portal import metadata

register = template.Library()


@register.filter
def gov_pub_date(item) -> str:
    return metadata.pub_date(item)
