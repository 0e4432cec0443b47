"""Bad input: each problem gets its own code and message; nothing is half-saved."""

import datetime as dt

import pytest

from gongkai.audit.models import AuditEntry
from gongkai.conftest import on
from gongkai.disclosure import services
from gongkai.disclosure.models import Attachment, CatalogueNode, Item
from gongkai.disclosure.tests.conftest import item_data
from gongkai.errors import ServiceError

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def refused(desk, code, files=(), **overrides):
    items, attachments, audits = Item.objects.count(), Attachment.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ServiceError) as caught:
        services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a, **overrides),
                             files=files)
    assert caught.value.code == code, caught.value.message
    assert (Item.objects.count(), Attachment.objects.count(), AuditEntry.objects.count()) == (items, attachments, audits)
    return caught.value


@pytest.mark.parametrize("field", ["title", "written_on", "topic", "genre", "catalogue_node", "disclosure"])
def test_missing_required_metadata_names_the_field(desk, field):
    error = refused(desk, "ITEM_FIELD_REQUIRED", **{field: "" if field in ("title", "disclosure") else None})
    assert error.field == field


def test_withheld_items_need_a_reason_and_a_reassessment_date(desk):
    refused(desk, "ITEM_EXEMPTION_REQUIRED", disclosure="withheld")
    refused(desk, "ITEM_REASSESS_REQUIRED", disclosure="on_request", exemption_reason="X15")


def test_duplicate_document_number_in_one_agency(desk):
    services.item_create(actor=desk.drafter_a, agency=desk.agency_a,
                         data=item_data(desk.agency_a, document_number="清财发〔2026〕1号"))
    error = refused(desk, "ITEM_DOCUMENT_NUMBER_DUPLICATE", document_number="清财发〔2026〕1号")
    assert "清财发〔2026〕1号" in error.message


def test_the_same_document_number_in_another_agency_is_fine(desk):
    services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a, document_number="X〔2026〕1号"))
    services.item_create(actor=desk.drafter_b, agency=desk.agency_b,
                         data=item_data(desk.agency_b, document_number="X〔2026〕1号",
                                        catalogue_node=CatalogueNode.objects.get(agency=desk.agency_b, code="yjs")))


@pytest.mark.parametrize("field", ["title", "summary", "document_number", "keywords", "body", "publisher"])
@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "<a href='javascript:alert(1)'>x</a>",
                                     "<svg/onload=alert(1)>", "<details open ontoggle=alert(1)>", "<IMG SRC=JaVaScRiPt:alert(1)>"])
def test_script_in_any_field_is_refused_with_its_name(desk, field, payload):
    error = refused(desk, "SCRIPT_NOT_ALLOWED", **{field: f"正常文字{payload}"})
    assert error.field == field


def test_catalogue_node_of_another_agency_is_refused(desk):
    refused(desk, "ITEM_CATALOGUE_INVALID", catalogue_node=CatalogueNode.objects.get(agency=desk.agency_b, code="yjs"))


@on(dt.date(2026, 3, 4))
def test_future_written_date_is_refused(desk):
    refused(desk, "ITEM_WRITTEN_IN_FUTURE", written_on=dt.date(2026, 3, 6))  # tomorrow is still let through


def test_disguised_attachment_is_refused(desk):
    refused(desk, "ATTACHMENT_TYPE_MISMATCH", files=[("预算表.xlsx", PDF)])
    refused(desk, "ATTACHMENT_TYPE_NOT_ALLOWED", files=[("说明.pdf", b"MZ\x90\x00 this is an exe")])


def test_oversized_and_empty_attachments_are_refused(desk, settings):
    settings.GONGKAI_ATTACHMENT_MAX_BYTES = 1024
    refused(desk, "ATTACHMENT_TOO_LARGE", files=[("大文件.pdf", PDF + b"0" * 2048)])
    refused(desk, "ATTACHMENT_EMPTY", files=[("空.pdf", b"")])


def test_a_good_attachment_is_stored_and_its_text_extracted(desk):
    import io

    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("附件正文：预算公开明细表")
    document.save(buffer)
    item = services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a),
                                files=[("明细.docx", buffer.getvalue()), ("通知.pdf", PDF)])
    kinds = sorted(a.kind for a in item.attachments.all())
    assert kinds == ["docx", "pdf"]
    assert "预算公开明细表" in item.attachments.get(kind="docx").text


def test_body_html_is_sanitised_to_the_allowed_subset(desk):
    item = services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(
        desk.agency_a, body='<p style="color:red">正文<span class="x">内容</span></p><form><input></form>'))
    assert item.body == "<p>正文<span>内容</span></p>"
    assert item.public_body == item.body


def test_plain_text_body_keeps_its_paragraphs(desk):
    item = services.item_create(actor=desk.drafter_a, agency=desk.agency_a,
                                data=item_data(desk.agency_a, body="当 3 < 5 时\n\n第二段"))
    assert item.body == "<p>当 3 &lt; 5 时</p><p>第二段</p>"


def _plan(sql, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is small enough to scan
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_document_number_check_on_save_searches_the_partial_unique_index(desk):
    """A normal save looks its 文号 up in document_number_unique_in_agency (as the import does),
    instead of reading every item of the agency through the agency index."""
    from django.db import connection

    from gongkai.disclosure.validation import clean_item_data

    for n in range(3):
        services.item_create(actor=desk.drafter_a, agency=desk.agency_a,
                             data=item_data(desk.agency_a, document_number=f"清财发〔2026〕{n + 1}号"))
    seen = []

    def capture(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        clean_item_data(desk.agency_a, item_data(desk.agency_a, document_number="清财发〔2026〕9号"))
    lookups = [(sql, params) for sql, params in seen if "document_number" in sql]
    assert len(lookups) == 1
    # The query repeats the partial index's condition (文号 not empty), which is what lets a
    # planner use it. SQLite then always does; PostgreSQL chooses by cost, and on a table of four
    # rows the agency index is as good, so its plan is not asserted.
    assert 'NOT ("disclosure_item"."document_number" = %s)' in lookups[0][0] and "" in lookups[0][1]
    if connection.vendor == "sqlite":
        assert "document_number_unique_in_agency" in _plan(*lookups[0])
