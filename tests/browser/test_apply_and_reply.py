"""Journey: a citizen applies on the portal, is asked for a 补正, corrects; staff extend and reply
部分公开 with an attached file; the citizen reads the reply with the tracking code."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from gongkai.conftest import World
from gongkai.disclosure.models import Genre, TopicCategory
from gongkai.disclosure.taxonomy import seed_taxonomy
from gongkai.pii.detectors import id_check_char
from tests.browser.second_factor import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID17 = "32010219851204301"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def open_case(page, base, code, tracking):
    page.goto(f"{base}/staff/a/{code}/applications/")
    page.click(f"text={tracking}")


def issue_first_draft(page):
    page.locator("button.issue-letter").first.click()
    expect(page.locator(".message").first).to_contain_text("已签发")


def test_apply_correct_extend_reply_and_read(live_server, page, new_page, snap, tmp_path, worker_process):
    seed_taxonomy(TopicCategory, Genre)
    world = World()
    base, code = live_server.url, world.agency_a.code

    # The citizen applies.
    page.goto(f"{base}/agencies/{code}/apply/")
    page.fill("#id_applicant_name", "张晓明")
    page.fill("#id_id_number", ID17 + id_check_char(ID17))
    page.fill("#id_phone", "13912345678")
    page.fill("#id_email", "zxm@example.cn")
    page.fill("#id_description", "请公开城乡低保资金发放情况")
    snap(page, "apply-01-form")
    page.click("button:has-text('提交申请')")
    tracking = page.locator("#tracking-code").inner_text()
    secret = page.locator("#tracking-secret").inner_text()
    snap(page, "apply-02-submitted")
    citizen = page

    # The handler asks for a correction and issues the notice.
    staff = new_page()
    sign_in(staff, base, "drafter_a")
    open_case(staff, base, code, tracking)
    staff.fill("textarea[name=items]", "请写明所需信息的年度和发文机关。")
    staff.fill("#c-deadline", (dt.date.today() + dt.timedelta(days=15)).isoformat())
    staff.click("button:has-text('生成补正告知书')")
    issue_first_draft(staff)
    snap(staff, "apply-03-correction-issued")

    # The citizen reads the notice and corrects.
    citizen.goto(f"{base}/track/")
    citizen.fill("#id_code", tracking)
    citizen.fill("#id_secret", secret)
    citizen.click("button:has-text('查询')")
    expect(citizen.locator("#letters")).to_contain_text("补正告知书")
    citizen.fill("#id_text", "所需信息为2025年度清河县民政局发放的城乡低保资金明细。")
    snap(citizen, "apply-04-correction-form")
    citizen.click("button:has-text('提交补正')")
    expect(citizen.locator(".message").first).to_contain_text("重新计算")

    # The office head extends; the handler replies 部分公开 with the file found.
    head = new_page()
    sign_in(head, base, "admin_a")
    open_case(head, base, code, tracking)
    head.fill("form[action$='/do/extend/'] textarea[name=reason]", "需调取2025年度全部发放凭证核对。")
    head.click("button:has-text('批准延期')")
    issue_first_draft(head)
    open_case(staff, base, code, tracking)
    found = tmp_path / "低保发放明细（区分处理）.pdf"
    found.write_bytes(PDF)
    staff.set_input_files("form[action$='/do/found/'] input[type=file]", str(found))
    staff.click("form[action$='/do/found/'] button")
    staff.select_option("#id_reply_type", "partial")
    staff.select_option("#id_reason_code", "X15")
    staff.fill("form[action$='/do/reply/'] textarea[name=reason]", "明细中个人身份证号码和银行账号属于个人隐私，已作区分处理。")
    staff.click("#decide-reply")
    expect(staff.locator(".message").first).to_contain_text("答复书草稿")
    snap(staff, "apply-05-reply-draft")
    issue_first_draft(staff)
    expect(staff.locator(".tag").first).to_have_text("已答复")

    # The citizen reads the reply and downloads it.
    citizen.goto(f"{base}/track/{tracking}/")
    expect(citizen.locator("#status")).to_contain_text("已答复")
    expect(citizen.locator("#letters")).to_contain_text("答复书")
    expect(citizen.locator("#letters")).to_contain_text("延期答复告知书")
    snap(citizen, "apply-06-reply-visible")
    # The worker beside the server (as `gongkai up` runs it) renders the letters' files after issue.
    from gongkai.applications.models import Letter

    deadline = dt.datetime.now() + dt.timedelta(seconds=60)
    while Letter.objects.filter(issued_at__isnull=False, pdf="").exists() and dt.datetime.now() < deadline:
        citizen.wait_for_timeout(200)
    with citizen.expect_download() as download:
        citizen.locator("#letters li").last.locator("text=PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
