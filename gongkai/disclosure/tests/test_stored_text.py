"""An item's original body and its published versions' text are stored compressed
(gongkai/compressed_text.py) and read back exactly as written."""

import zlib

import pytest

from gongkai.disclosure import services
from gongkai.disclosure.models import Item, ItemVersion
from gongkai.disclosure.tests.conftest import item_data
from gongkai.search.tests.test_stored_text import BODY, stored

pytestmark = pytest.mark.django_db


def test_an_items_original_body_and_its_versions_text_are_compressed(desk):
    item = services.item_create(actor=desk.drafter_a, agency=desk.agency_a,
                                data=item_data(desk.agency_a, body=BODY))
    raw = stored("disclosure_item", "body", item.pk)
    assert len(raw) < len(item.body.encode()) / 2 and zlib.decompress(raw).decode() == item.body
    assert Item.objects.get(pk=item.pk).body == item.body
    empty = services.item_create(actor=desk.drafter_a, agency=desk.agency_a,
                                 data=item_data(desk.agency_a, title="无正文的通知", body=""))
    assert Item.objects.get(pk=empty.pk).body == ""
    version = services.new_version(item, desk.drafter_a, note="测试")
    version.save()
    assert ItemVersion.objects.get(pk=version.pk).public_body == item.public_body
    assert zlib.decompress(stored("disclosure_itemversion", "public_body", version.pk)).decode() == item.public_body
