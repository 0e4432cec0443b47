from pathlib import Path

from gongkai.cli_support import GongkaiCommand
from gongkai.errors import ServiceError
from gongkai.stats.ranking import ranking_build
from gongkai.stats.ranking_xlsx import render_ranking_xlsx
from gongkai.stats.statistics import stats_build


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "—"


def _pairs(rows, key="label") -> str:
    return "，".join(f"{row[key]} {row['count']}" for row in rows) or "无"


class Command(GongkaiCommand):
    help = (
        "政府信息公开统计与排名。"
        "gongkai stats show --agency 机构代码 --period 2026|2026-Q1|2026-03 [--include-subordinates] "
        "[--as 用户名] [--json]：主动公开发布数、发布时效、申请收办结、逾期、办理用时、信息处理费；"
        "gongkai stats ranking --agency 机构代码 --quarter 2026-Q1 [--output 排名.xlsx] [--as 用户名] [--json]："
        "下级机关季度排名（发布数与按时发布率）。"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{show,ranking}")
        show = actions.add_parser("show", help="一个机关（或含下级机关）在一个统计周期的数字")
        show.add_argument("--agency", required=True, help="机构代码")
        show.add_argument("--period", required=True, help="统计周期：年份 2026、季度 2026-Q1 或月份 2026-03")
        show.add_argument("--include-subordinates", action="store_true", help="汇总本机关及全部下级机关")
        rank = actions.add_parser("ranking", help="下级机关季度排名")
        rank.add_argument("--agency", required=True, help="上级机关的机构代码")
        rank.add_argument("--quarter", required=True, help="季度，如 2026-Q1")
        rank.add_argument("--output", help="把排名写入 Excel 文件（.xlsx）")
        for sub in (show, rank):
            sub.add_argument("--as", dest="acting_as", metavar="USERNAME", help="以该工作人员的身份和权限执行")
            sub.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, action, **options):
        actor = self.actor(options["acting_as"])
        if action == "show":
            stats = stats_build(actor=actor, agency_code=options["agency"], period=options["period"],
                                include_subordinates=options["include_subordinates"])
            if options["json"]:
                self.emit(stats)
            else:
                self.stdout.write(self.describe(stats))
        else:
            self.ranking(actor, options)

    def ranking(self, actor, options):
        ranking = ranking_build(actor=actor, agency_code=options["agency"], quarter=options["quarter"])
        output = options.get("output")
        if output:
            try:
                Path(output).write_bytes(render_ranking_xlsx(ranking))
            except OSError as exc:
                raise ServiceError("STATS_OUTPUT_INVALID", f"无法写入文件“{output}”：{exc.strerror}。",
                                   field="output") from exc
        if options["json"]:
            self.emit({**ranking, "output": output})
            return
        lines = [f"{ranking['agency']['name']}下级机关{ranking['period']['label']}排名", f"评分规则：{ranking['scoring_rule']}",
                 "名次\t得分\t发布数\t按时发布\t机构"]
        for row in ranking["rows"]:
            rank = f"{row['rank']}{'（并列）' if row['tied'] else ''}"
            lines.append(f"{rank}\t{row['score']:.2f}\t{row['published']}\t{row['on_time']}\t{row['name']}（{row['code']}）")
        lines += ranking["notes"]
        if output:
            lines.append(f"已写入：{output}")
        self.stdout.write("\n".join(lines))

    @staticmethod
    def describe(stats: dict) -> str:
        period, published, timely = stats["period"], stats["published"], stats["timeliness"]
        apps, fees = stats["applications"], stats["fees"]
        median = apps["handling"]["median_working_days"]
        scope = "（含下级机关）" if stats["include_subordinates"] else ""
        lines = [
            f"政府信息公开统计：{stats['agency']['name']}{scope} {period['label']}（{period['start']}至{period['end']}）",
            f"主动公开发布 {published['total']} 条；{timely['limit_working_days']}个工作日内发布 {timely['on_time']} 条"
            f"（{_percent(timely['on_time'], timely['published'])}），超期 {timely['late']} 条",
            f"  各月：{_pairs(published['by_month'])}",
            f"  目录分类：{_pairs(published['by_category'], 'name')}",
            f"依申请公开：收到 {apps['received']} 件，办结 {apps['closed']} 件，逾期 {apps['overdue']} 件"
            f"（其中仍未办结 {apps['overdue_open']} 件），办理用时中位数 "
            + (f"{median:g} 个工作日" if median is not None else "—"),
            f"  办理结果：{_pairs(apps['by_outcome'])}",
            f"  申请人类型：{_pairs(apps['by_applicant_type'])}",
            f"  各月逾期：{_pairs(apps['overdue_by_month'])}",
            f"信息处理费：收费通知 {fees['notices']} 件 {fees['charged_yuan']} 元；已缴 {fees['paid']} 件 {fees['paid_yuan']} 元",
            *stats["notes"],
        ]
        return "\n".join(lines)
