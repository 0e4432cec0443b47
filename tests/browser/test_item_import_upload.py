"""A clerk imports a spreadsheet saved by Excel on a Chinese Windows (GBK CSV), in a zh-CN browser:
upload → the preview lists the problem rows → a corrected file (GB18030, a character outside GBK)
→ preview passes → confirm → the import runs in the worker with its progress on 后台任务."""

import csv
import io

import pytest
from playwright.sync_api import expect

from gongkai.conftest import World
from gongkai.disclosure.catalogue import ensure_catalogue
from gongkai.disclosure.models import Item
from tests.browser.second_factor import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["机构代码", "标题", "成文日期", "发布日期", "目录分类", "主题分类", "体裁", "正文"]


def sheet(rows, encoding) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def test_a_clerk_uploads_a_gbk_sheet_sees_its_problems_then_imports(live_server, new_page, snap, tmp_path,
                                                                    monkeypatch, worker_process):
    from gongkai.disclosure import item_upload

    monkeypatch.setattr(item_upload, "upload_root", lambda: tmp_path / "imports")
    world = World()
    ensure_catalogue(world.agency_a)
    code = world.agency_a.code
    good = [code, "清河县2025年部门预算公开说明", "2025/2/10", "2025/2/20", "yjs", "财政、金融、审计/财政", "通知", "正文。"]
    bad = [code, "关于调整公交线路的公告", "2025/2/30", "2025/3/2", "yjs", "财政、金融、审计/财政", "诗歌", ""]
    first = tmp_path / "台账（GBK）.csv"
    first.write_bytes(sheet([good, bad], "gbk"))
    page = new_page(390, 844)
    base = live_server.url
    sign_in(page, base, "admin_a")
    page.goto(f"{base}/staff/a/{code}/items/?tab=published")
    page.click("a:has-text('批量导入')")
    expect(page.locator("h1")).to_have_text("批量导入信息")
    page.set_input_files("#id_file", str(first))
    page.click("button:has-text('上传并预览')")
    expect(page.locator("#detected-encoding")).to_have_text("GBK")
    expect(page.locator("#error-summary")).to_contain_text("检查发现2处问题")
    problems = page.locator("#problems tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.first).to_contain_text("表格第3行")
    expect(page.locator("#problems")).to_contain_text("找不到体裁“诗歌”")
    expect(page.locator("button:has-text('确认导入')")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(page, "daily-import-1-problems")
    assert Item.objects.count() == 0

    corrected = [*bad[:2], "2025/2/28", *bad[3:6], "公告", "𠀀字号，仅GB18030可编码。"]
    second = tmp_path / "台账（改正）.csv"
    second.write_bytes(sheet([good, corrected], "gb18030"))
    page.click("a:has-text('重新上传')")
    page.set_input_files("#id_file", str(second))
    page.click("button:has-text('上传并预览')")
    expect(page.locator("#detected-encoding")).to_have_text("GB18030")
    expect(page.locator(".notice-ok")).to_contain_text("2 行均可导入")
    expect(page.locator("#column-mapping")).to_contain_text("成文日期")
    expect(page.locator("#first-rows")).to_contain_text("关于调整公交线路的公告")
    snap(page, "daily-import-2-ready")
    page.click("button:has-text('确认导入 2 条')")
    expect(page).to_have_url(f"{base}/staff/tasks/")
    for _ in range(60):
        if "已导入 2 条信息" in page.content():
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(page.locator("main")).to_contain_text("已导入 2 条信息")
    snap(page, "daily-import-3-done")
    assert "𠀀字号" in Item.objects.get(title="关于调整公交线路的公告").body
    assert set(Item.objects.values_list("title", flat=True)) == {"清河县2025年部门预算公开说明", "关于调整公交线路的公告"}
