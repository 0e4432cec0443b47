"""The demo county's 意见征集: one open, one answered and linked to its final document, one overdue."""

import pytest

from gongkai.conftest import on
from gongkai.consultations import queries
from gongkai.consultations.models import Status
from gongkai.demo.tests.conftest import DEMO_DAY
from gongkai.orgs.models import Agency

pytestmark = [pytest.mark.django_db, on(DEMO_DAY)]


def test_demo_has_an_open_an_answered_and_an_overdue_consultation(demo, client):
    open_now = list(queries.open_on(DEMO_DAY))
    assert [c.agency.name for c in open_now] == ["清河县民政局"]
    answered = queries.public_consultations().get(status=Status.FEEDBACK_PUBLISHED)
    counts = queries.feedback_counts(answered)
    assert (counts.received, counts.held, counts.adopted, counts.partly, counts.not_adopted) == (4, 1, 1, 1, 1)
    assert answered.final_item is not None
    item_page = client.get(f"/agencies/{answered.agency.code}/items/{answered.final_item.pk}/").content.decode()
    assert "本文件曾公开征求意见" in item_page
    overdue = queries.feedback_overdue(Agency.objects.values_list("pk", flat=True), DEMO_DAY)
    assert [o.consultation.agency.name for o in overdue] == ["清河县住房和城乡建设局"]
    assert client.get("/consultations/").status_code == 200
