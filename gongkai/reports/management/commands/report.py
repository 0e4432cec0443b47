from pathlib import Path

from django.core.management.base import CommandError

from gongkai.cli_support import GongkaiCommand
from gongkai.errors import ServiceError
from gongkai.reports.computation import schema
from gongkai.reports.computation.services import report_build
from gongkai.reports.computation.validate import validate
from gongkai.reports.rendering.formats import OUTPUT_FORMATS, render

# `report validate` exits 1 when the report breaks a rule, so a file it cannot read at all exits 2
# (as linters do) and scripts can tell the two apart.
EXIT_VIOLATIONS, EXIT_BAD_INPUT = 1, 2


class Command(GongkaiCommand):
    help = (
        "政府信息公开工作年度报告。"
        "gongkai report validate FILE.json [--previous PREV.json] [--blank-as-zero] [--json]：校验勾稽关系，"
        "有错误时退出码为1，文件无法读取时为2；"
        "gongkai report build --agency 机构代码 --year 2025 [--format json|html|docx|pdf|xlsx] [--output FILE] "
        "[--include-subordinates] [--as 用户名] [--background]：由本系统记录生成年度报告（docx、pdf、xlsx 须指定 --output，"
        "或用 --background 交给后台进程）；"
        "gongkai report import FILE.json --office 机构代码 [--agency-name 机关名称] [--as 用户名] [--json]："
        "把未在本平台的机关的报告文件原样录入为向该机关报送的报告，被拒绝时退出码为1；"
        "gongkai report status --office 机构代码 [--year 2025] [--as 用户名] [--json]：下级机关年度报告报送情况。"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{validate,build,import,status}")
        check = actions.add_parser("validate", help="校验年度报告 JSON 的勾稽关系")
        check.add_argument("file", help="年度报告 JSON 文件")
        check.add_argument("--previous", help="上一年度报告 JSON 文件（校验上年结转，R6、W1）")
        check.add_argument("--blank-as-zero", action="store_true", help="把空白单元格（null）按0计算，并逐个列为提示")
        check.add_argument("--json", action="store_true", help="输出 JSON")
        build = actions.add_parser("build", help="由本系统记录生成年度报告")
        build.add_argument("--agency", required=True, help="机构代码")
        build.add_argument("--year", required=True, type=int, help="报告年度")
        build.add_argument("--format", default="json", choices=list(OUTPUT_FORMATS),
                           help="输出格式：json（交换格式）、html（打印页）、docx（Word）、pdf、xlsx（Excel 表二至表四）")
        build.add_argument("--output", help="写入该文件（默认输出到屏幕）")
        build.add_argument("--include-subordinates", action="store_true", help="汇总本机关及全部下级机关")
        build.add_argument("--as", dest="acting_as", metavar="USERNAME", help="以该工作人员的身份和权限执行")
        build.add_argument("--json", action="store_true", help="与 --output 同用时以 JSON 报告结果")
        build.add_argument("--background", action="store_true",
                           help="交给后台进程生成，文件保存在数据目录，用 gongkai tasks 查看进度和文件位置")
        received = actions.add_parser("import", help="录入未在本平台的机关报送的年度报告 JSON 文件")
        received.add_argument("file", help="年度报告 JSON 文件")
        received.add_argument("--office", required=True, help="报送机关（本平台上接收该报告的机关）的机构代码")
        received.add_argument("--agency-name", help="编制机关名称（文件中没有写明时必填）")
        received.add_argument("--as", dest="acting_as", metavar="USERNAME", help="以该工作人员的身份和权限执行")
        received.add_argument("--json", action="store_true", help="输出 JSON")
        status = actions.add_parser("status", help="下级机关年度报告报送情况")
        status.add_argument("--office", required=True, help="接收报告的机关（本级政府信息公开工作主管部门）的机构代码")
        status.add_argument("--year", type=int, help="报告年度（默认上一年）")
        status.add_argument("--as", dest="acting_as", metavar="USERNAME", help="以该工作人员的身份和权限执行")
        status.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, action, **options):
        if action == "validate":
            self.validate(options)
        elif action == "import":
            self.import_report(options)
        elif action == "status":
            self.status(options)
        else:
            self.build(options)

    def fail(self, error: ServiceError) -> CommandError:
        failure = super().fail(error)
        if getattr(self, "_action", None) == "validate":
            failure.returncode = EXIT_BAD_INPUT
        return failure

    def execute(self, *args, **options):
        self._action = options.get("action")
        return super().execute(*args, **options)

    def validate(self, options):
        report = schema.load(options["file"])
        previous = schema.load(options["previous"]) if options.get("previous") else None
        result = validate(report, previous, blank_as_zero=options["blank_as_zero"])
        if options["json"]:
            self.emit(result.as_dict())
        else:
            self.stdout.write(self._describe(report, result))
        if not result.ok:
            texts = sum(1 for v in result.violations if v.get("rule") == "N1")
            tables = len(result.violations) - texts
            found = "、".join(part for part in (f"{tables}处不符合勾稽关系" if tables else "",
                                                 f"{texts}处起草提示或占位文字未删改" if texts else "") if part)
            raise CommandError(f"REPORT_INCONSISTENT: 发现{found}。", returncode=EXIT_VIOLATIONS)

    def _describe(self, report, result) -> str:
        fmt = schema.report_format(report)
        lines = [f"年度报告勾稽关系校验：{report.get('agency') or '（未写机关名称）'} {report.get('year') or '?'}年度"
                 f"（{schema.FORMATS[fmt]}格式）"]
        for title, entries in (("错误", result.violations), ("无法校验", result.not_checkable),
                               ("提示", result.warnings)):
            if entries:
                lines.append(f"{title} {len(entries)} 处：")
                lines += [f"  [{entry['rule']}] {entry['message']}" for entry in entries]
        lines.append("结论：符合勾稽关系。" if result.ok else f"结论：有 {len(result.violations)} 处错误，请核对后修改。")
        return "\n".join(lines)

    def build(self, options):
        fmt, output = options["format"], options.get("output")
        if options["background"]:
            return self.build_in_background(options)
        if OUTPUT_FORMATS[fmt].binary and not output:
            raise ServiceError("REPORT_OUTPUT_REQUIRED",
                               f"{fmt} 格式不能输出到屏幕，请用 --output 指定要写入的文件，例如 --output 报告.{fmt}。",
                               field="output")
        actor = self.actor(options["acting_as"])
        report = report_build(actor=actor, agency_code=options["agency"], year=options["year"],
                              include_subordinates=options["include_subordinates"])
        content = render(report, fmt)
        if not output:
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        try:
            Path(output).write_bytes(content)
        except OSError as exc:
            raise ServiceError("REPORT_OUTPUT_INVALID", f"无法写入文件“{output}”：{exc.strerror}。") from exc
        if options["json"]:
            self.emit({"output": str(output), "agency": report["agency"], "year": report["year"],
                       "included_agencies": report["included_agencies"]})
        else:
            self.stdout.write(f"已生成{report['agency']}{report['year']}年度报告（{fmt}）：{output}")

    def build_in_background(self, options):
        from gongkai.jobs import services as jobs
        from gongkai.jobs.actors import actor_id
        from gongkai.jobs.models import Job
        from gongkai.reports.computation.services import check_year, find_agency
        from gongkai.reports.tasks import build_report_file

        actor = self.actor(options["acting_as"])
        agency = find_agency(actor, options["agency"])  # refused now, not later in the worker
        year = check_year(options["year"])
        suffix = "（含下级机关）" if options["include_subordinates"] else ""
        job = jobs.start(build_report_file, actor_id(actor), agency.code, year, options["format"],
                         options["include_subordinates"], kind=Job.Kind.REPORT,
                         label=f"{agency.name}{year}年度报告{suffix}（{options['format']}）", actor=actor)
        if options["json"]:
            self.emit({"task": str(job.task_id), "queued": True})
        else:
            self.stdout.write(f"已交给后台进程，任务编号 {job.task_id}（gongkai tasks show {job.task_id} --follow 查看进度和文件位置）。")

    def import_report(self, options):
        from gongkai.reports.computation.services import find_agency
        from gongkai.reports.external import external
        from gongkai.reports.filing import filing

        actor = self.actor(options["acting_as"])
        report = schema.load(options["file"])
        office = find_agency(actor, options["office"])
        stored = external.record_uploaded(actor=actor, office=office, report=report,
                                          agency_name=options.get("agency_name"))
        result = filing.check(stored)
        if options["json"]:
            self.emit({"report": stored.pk, "agency_name": stored.agency_name, "year": stored.year,
                       "office": office.code, "origin": stored.origin, "status": stored.status,
                       "check": result.as_dict()})
            return
        self.stdout.write(f"已录入{stored}，报送{office.name}（{stored.get_status_display()}），编号 {stored.pk}。")
        self.stdout.write(self._describe(stored.data, result))

    def status(self, options):
        from django.utils import timezone

        from gongkai.reports.computation.services import check_year, find_agency
        from gongkai.reports.filing import filing

        actor = self.actor(options["acting_as"])
        office = find_agency(actor, options["office"])
        year = check_year(options["year"] if options["year"] is not None else timezone.localdate().year - 1)
        rows = filing.overview(actor=actor, office=office, year=year)
        listed = [{"agency": row["name"], "on_platform": not row["external"],
                   "status": row["report"].status if row["report"] else None,
                   "submitted_at": row["report"].submitted_at.isoformat()
                   if row["report"] and row["report"].submitted_at else None,
                   "late": row["late"], "violations": row["violations"]} for row in rows]
        if options["json"]:
            self.emit({"office": office.code, "year": year, "deadline": filing.submit_deadline(year).isoformat(),
                       "agencies": listed})
            return
        self.stdout.write(f"{office.name} {year}年度下级机关年度报告报送情况（报送期限 {filing.submit_deadline(year)}）：")
        for row in rows:
            report = row["report"]
            state = report.get_status_display() if report else "未编制"
            late = "，逾期" if row["late"] else ""
            errors = f"，{row['violations']}处错误" if row["violations"] else ""
            self.stdout.write(f"  {row['name']}：{state}{late}{errors}")
