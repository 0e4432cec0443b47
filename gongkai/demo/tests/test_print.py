"""Every document the demo county sends or publishes, printed as the agency would print it.

Letters of every kind and reply type, the published annual reports and the county's roll-up, in
each format: PDF as gongkai makes it, Word and Excel turned into PDF by LibreOffice headless (one
soffice call for all of them: its start-up is the slow part). poppler's pdfinfo and pdftotext then
check what a 政务公开办 would check by eye: a one-page letter is one page in both PDF and Word, no
drafting prompt, placeholder or internal marker is printed, the contact line is on the page that
holds the signature, the reports carry 「— N —」 page numbers, and a roll-up says what it covers.
Page images go to artifacts/print/<database vendor>/ to be looked at.
"""

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from gongkai.applications.letters import compose
from gongkai.applications.letters.layout import layout_of
from gongkai.applications.letters.pdf import render_pdf as letter_pdf
from gongkai.applications.letters.word import render_docx as letter_docx
from gongkai.applications.models import Application, Letter
from gongkai.conftest import on
from gongkai.demo.tests.conftest import DEMO_DAY
from gongkai.orgs.models import Agency, AgencyKind, AreaLevel
from gongkai.reports.computation.compute import build_report
from gongkai.reports.computation.narrative import leftovers, placeholders
from gongkai.reports.models import ReportVersion
from gongkai.reports.rendering.formats import render

# LibreOffice (soffice) and poppler-utils are installed by bash scripts/test; without them this fails.
pytestmark = [pytest.mark.django_db, on(DEMO_DAY)]  # the day the package's demo county is built

REPO_ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = Path(os.environ.get("GONGKAI_ARTIFACTS_DIR", REPO_ROOT / "artifacts")) / "print"
INTERNAL_MARKERS = ("【补正", "【草稿】", "【待填写】", "编制说明（发布前删除）")


def pages(pdf: Path) -> list[str]:
    """The text of each page without white space (pdftotext separates pages with form feeds; line
    breaks and the spaces LibreOffice puts between Chinese and digits are not what is checked)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return ["".join(page.split()) for page in text.split("\f")[:-1]]


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def to_pdf(files: list[Path], out: Path, profile: Path) -> None:
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                   capture_output=True, check=True, timeout=600)


def _issue_fee_and_delay_notices() -> None:
    """The demo sends no 收费通知书 or 延迟答复告知书: one of each, issued on open demo cases as staff would."""
    from gongkai.applications import handling

    open_cases = Application.objects.filter(status="received").order_by("pk")
    fee_case, delay_case = open_cases[0], open_cases[1]
    handling.issue_letter(actor=None, letter=handling.fee_notice(actor=None, application=fee_case, method="per_page",
                                                                 quantity=400))
    handling.issue_letter(actor=None, letter=handling.set_delay(
        actor=None, application=delay_case, until=timezone.localdate() + dt.timedelta(days=30),
        reason="本月申请数量和所涉信息量明显超过合理范围，需要逐件检索核对"))


def _seal_the_finance_bureau() -> Agency:
    """The 财政局 uploads an electronic seal, as its office admin would; its letters print it."""
    from gongkai.applications.letters import style_update
    from gongkai.demo.tests.seal_image import seal_png

    finance = Agency.objects.get(name=SEALED)
    style_update(actor=None, agency=finance, seal=("印章.png", seal_png(finance.name)))
    return finance


def _notice():
    """A 通报 of the county office naming two departments' open monitoring findings, one answered."""
    from gongkai.supervision import notices
    from gongkai.supervision.models import Finding, FindingState
    from gongkai.supervision.monitoring import monitor_run

    today = timezone.localdate()
    monitor_run(on=today)
    county = Agency.objects.get(kind=AgencyKind.GOVERNMENT, area__level=AreaLevel.COUNTY)
    open_findings = Finding.objects.filter(state=FindingState.OPEN, agency__parent=county).order_by("agency__sort_order", "pk")
    first = open_findings.first()
    picked = [*open_findings.filter(agency=first.agency)[:2],
              *open_findings.exclude(agency=first.agency)[:2]]
    notice = notices.notice_issue(actor=None, office=county, title="关于政务公开监测发现问题的通报",
                                  rectify_by=today + dt.timedelta(days=14), findings=picked)
    item = notice.items.order_by("pk").first()
    notices.notice_answer(actor=None, item=item, text="已安排专人逐项核对并补充更新相关栏目内容")
    return notice


# The agency whose letters carry an uploaded seal in the print (the others print the seal's outline).
SEALED = "清河县财政局"


@pytest.fixture(scope="module")
def printed(demo, django_db_blocker, tmp_path_factory):
    """{name: (kind, pdf path, source)} of every printed document; page images under ARTIFACTS.

    Letters are printed as issued (文号, date, seal): one of each kind and reply type, the
    财政局's where it has one, so its seal is seen. One draft is printed too, as a case page
    previews it: its 文号 is still 「（签发时生成文号）」 and it has no seal."""
    work = tmp_path_factory.mktemp("print")
    made, office = {}, []
    with django_db_blocker.unblock():
        _issue_fee_and_delay_notices()
        _seal_the_finance_bureau()
        samples = {}
        issued = Letter.objects.filter(issued_at__isnull=False).select_related("application__agency")
        for letter in sorted(issued, key=lambda le: (le.application.agency.name != SEALED, le.pk)):
            reply_type = letter.application.reply_type if letter.kind == "reply" else ""
            samples.setdefault((letter.kind, reply_type), letter)
        open_case = Application.objects.filter(closed_on__isnull=True, agency__name=SEALED).order_by("pk").first()
        draft = compose(open_case, "correction", save=False, extra={
            "items": "请写明所需文件的名称或文号。", "deadline": timezone.localdate() + dt.timedelta(days=15)})
        for (kind, reply_type), letter in [*samples.items(), (("draft", "correction"), draft)]:
            name = f"letter-{kind}{'-' + reply_type if reply_type else ''}"
            (work / f"{name}.pdf").write_bytes(letter_pdf(letter))
            (work / f"{name}-docx.docx").write_bytes(letter_docx(letter))
            role = "draft" if kind == "draft" else "letter"
            made[name] = (role, work / f"{name}.pdf", letter)
            made[f"{name}-docx"] = (role, work / f"{name}-docx.pdf", letter)
            office.append(work / f"{name}-docx.docx")
        from gongkai.supervision.notice_print import notice_docx, notice_pdf
        notice = _notice()
        (work / "notice.pdf").write_bytes(notice_pdf(notice))
        (work / "notice-docx.docx").write_bytes(notice_docx(notice))
        made["notice"] = ("notice", work / "notice.pdf", notice)
        made["notice-docx"] = ("notice", work / "notice-docx.pdf", notice)
        office.append(work / "notice-docx.docx")
        reports = {f"report-{v.report.agency.code}-v{v.number}": v.data
                   for v in ReportVersion.objects.select_related("report__agency")}
        county = Agency.objects.get(kind=AgencyKind.GOVERNMENT, area__level=AreaLevel.COUNTY)
        year = ReportVersion.objects.values_list("report__year", flat=True).first()
        reports["rollup"] = build_report(county, year, include_subordinates=True)
        for name, data in reports.items():
            (work / f"{name}.pdf").write_bytes(render(data, "pdf"))
            made[name] = ("report", work / f"{name}.pdf", data)
            for fmt in ("docx", "xlsx"):
                (work / f"{name}-{fmt}.{fmt}").write_bytes(render(data, fmt))
                made[f"{name}-{fmt}"] = (f"report-{fmt}", work / f"{name}-{fmt}.pdf", data)
                office.append(work / f"{name}-{fmt}.{fmt}")
    to_pdf(office, work, tmp_path_factory.mktemp("soffice-profile"))
    images = ARTIFACTS / connection.vendor
    shutil.rmtree(images, ignore_errors=True)  # only this run's pages
    images.mkdir(parents=True)
    for name, (_kind, pdf, _source) in made.items():
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(images / name)], check=True)
    return made


def test_every_letter_kind_and_reply_type_of_the_demo_is_printed(printed):
    letters = {name for name, (kind, _, _) in printed.items() if kind == "letter"}
    kinds = {source.kind for kind, _, source in printed.values() if kind == "letter"}
    assert {"receipt", "correction", "extension", "delay", "third_party", "fee", "reply"} <= kinds
    assert "letter-reply-partial" in letters and "letter-reply-unavailable_not_exist" in letters


# What the 版心 of a 信函 (22 lines of 17 三号 characters less the heading) holds: a body up to this
# many characters is a one-page letter.
ONE_PAGE_CHARS = 340


def test_one_page_letters_are_one_page_in_pdf_and_in_word(printed):
    counts = {name: page_count(pdf) for name, (kind, pdf, _) in printed.items() if kind == "letter"}
    short = {name for name, (kind, _, letter) in printed.items()
             if kind == "letter" and len("".join(letter.body.split())) <= ONE_PAGE_CHARS}
    assert len(short) >= 10 and all(counts[name] == 1 for name in short), {n: counts[n] for n in short}
    # A longer letter takes the same number of pages in PDF and Word.
    assert all(counts[name] == counts[f"{name}-docx"] for name in counts if not name.endswith("-docx"))


def test_contact_line_is_on_the_page_holding_the_signature(printed):
    for name, (kind, pdf, letter) in printed.items():
        if kind != "letter":
            continue
        text = pages(pdf)
        date = layout_of(letter).date
        signed = [i for i, page in enumerate(text) if date in page]
        assert signed, name
        assert "联系电话" in text[signed[-1]], (name, text[signed[-1]][-120:])


def test_letters_print_no_placeholder_or_internal_marker(printed):
    for name, (kind, pdf, letter) in printed.items():
        if kind != "letter":
            continue
        text = "".join(pages(pdf))
        assert not [m for m in INTERNAL_MARKERS if m in text], name
        assert not placeholders(text), (name, placeholders(text))
        if letter.kind == "reply":  # grounds as sentences, not screen labels
            assert "（第十五条）" not in text and "理由：" not in text, name


def test_published_reports_print_no_prompt_placeholder_or_format_subtitle(printed):
    for name, (kind, pdf, _) in printed.items():
        if not kind.startswith("report") or name.startswith("rollup"):
            continue
        text = "".join(pages(pdf))
        assert not leftovers(text), (name, leftovers(text))
        assert not [m for m in INTERNAL_MARKERS if m in text], name
        assert "格式编制" not in text, name


def test_report_pdf_and_word_pages_are_numbered_and_end_with_agency_and_date(printed):
    for name, (kind, pdf, data) in printed.items():
        if kind not in ("report", "report-docx") or name.startswith("rollup"):
            continue
        text = pages(pdf)
        assert all(f"—{n}—" in page for n, page in enumerate(text, 1)), name
        assert data["agency"] in text[-1], name
        year, month, day = data["dated"].split("-")
        assert f"{int(year)}年{int(month)}月{int(day)}日" in text[-1], name


def test_report_sheets_print_one_page_each_in_landscape_where_wide(printed):
    for name, (kind, pdf, _) in printed.items():
        if kind != "report-xlsx":
            continue
        # Three tables, each fitted to the page width: no 总计 column alone on a last page.
        assert page_count(pdf) == 3, (name, page_count(pdf))
        text = pages(pdf)
        assert "（七）总计" in text[1] and "四、结转下年度继续办理" in text[1]


def test_rollup_says_what_it_covers_in_every_format(printed):
    for name, (_kind, pdf, data) in printed.items():
        if not name.startswith("rollup"):
            continue
        text = "".join(pages(pdf))
        assert "汇总" in text and f"{len(data['included_agencies'])}个机关" in text, name
        assert all(agency["name"] in text for agency in data["included_agencies"]), name
        assert "年度报告格式" not in text and not leftovers(text), name


def images_in(pdf: Path) -> int:
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    # Two header lines; a transparent PNG is an "image" row and its alpha channel an "smask" row.
    return sum(1 for line in listing.splitlines()[2:] if line.split()[2] == "image")


def test_issued_letters_print_their_number_of_their_own_year_and_the_seal_where_one_is_set(printed):
    letters = {name: (pdf, letter) for name, (kind, pdf, letter) in printed.items() if kind == "letter"}
    assert any(letter.application.agency.name == SEALED for _pdf, letter in letters.values())
    for name, (pdf, letter) in letters.items():
        text = "".join(pages(pdf))
        assert letter.number and letter.number in text and "签发时生成文号" not in text, name
        assert letter.number.startswith(letter.application.agency.letter_style.number_code), letter.number
        assert f"〔{timezone.localtime(letter.issued_at).year}〕" in letter.number, name
        sealed = letter.application.agency.name == SEALED
        assert images_in(pdf) == (1 if sealed else 0), name


def test_a_draft_prints_the_number_placeholder_and_no_seal(printed):
    drafts = {name: pdf for name, (kind, pdf, _letter) in printed.items() if kind == "draft"}
    assert set(drafts) == {"letter-draft-correction", "letter-draft-correction-docx"}
    for name, pdf in drafts.items():
        assert "（签发时生成文号）" in "".join(pages(pdf)) and images_in(pdf) == 0, name
        assert page_count(pdf) == 1, name


def test_the_notice_prints_in_pdf_and_word_alike_with_numbered_pages(printed):
    (pdf, notice), (docx_pdf, _same) = printed["notice"][1:], printed["notice-docx"][1:]
    assert page_count(pdf) == page_count(docx_pdf)
    for path in (pdf, docx_pdf):
        text = pages(path)
        assert all(f"—{n}—" in page for n, page in enumerate(text, 1)), path.name
        whole = "".join(text)
        assert notice.title in whole and "第五十二条" in whole and "报送整改情况：已安排专人" in whole
        assert whole.count(notice.office.name) >= 2 and "待复查" in whole
        assert all(item.agency.name in whole for item in notice.items.all())
