import datetime as dt

from gongkai.cli_support import GongkaiCommand
from gongkai.errors import ServiceError
from gongkai.supervision.monitoring import monitor_run


class Command(GongkaiCommand):
    help = ("电子监察。gongkai monitor run [--date YYYY-MM-DD] [--as 用户名] [--json]：按当日记录计算各机关的监察指标，"
            "记录新发现的问题、消除已整改的问题，并通知各机关工作机构管理员。适合每日由 cron 或 systemd timer 运行。"
            "gongkai monitor links [--background]：检查已发布信息中的链接，在下一次电子监察前运行；"
            "加 --site [--base-url 地址] 则从网站地图抓取门户网站本身的页面，检查页面上的链接。")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{run,links}")
        run = actions.add_parser("run", help="运行一次电子监察")
        run.add_argument("--date", help="按哪一天的情况计算（默认今天），YYYY-MM-DD")
        run.add_argument("--as", dest="acting_as", metavar="USERNAME", help="以该工作人员的身份和权限执行")
        run.add_argument("--json", action="store_true", help="输出 JSON")
        run.add_argument("--background", action="store_true", help="交给后台进程执行（gongkai tasks 查看结果）")
        links = actions.add_parser("links", help="检查已发布信息中的链接能否访问（结果由下一次电子监察报告）")
        links.add_argument("--json", action="store_true", help="输出 JSON")
        links.add_argument("--background", action="store_true", help="交给后台进程执行（gongkai tasks 查看结果）")
        links.add_argument("--site", action="store_true",
                           help="抓取门户网站本身的页面（从网站地图开始，页数上限 GONGKAI_SITE_CRAWL_MAX_PAGES），检查页面上的链接")
        links.add_argument("--base-url", help="门户网站地址（默认 GONGKAI_SITE_CRAWL_URL 或 GONGKAI_PUBLIC_URL），仅与 --site 同用")

    def handle(self, *args, action, **options):
        if action == "links":
            return self._links(options)
        actor = self.actor(options["acting_as"])
        on = None
        if options.get("date"):
            try:
                on = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise ServiceError("DATE_INVALID", f"日期“{options['date']}”应写作 YYYY-MM-DD。", field="date") from exc
        if options.get("background"):
            if actor is not None:
                raise ServiceError("MONITOR_BACKGROUND_AS_OPERATOR", "后台电子监察以运维身份运行，不能与 --as 同用。")
            from gongkai.supervision.tasks import run_monitoring

            result = run_monitoring.enqueue(on.isoformat() if on else None)
            if options["json"]:
                self.emit({"task": str(result.id), "queued": True})
            else:
                self.stdout.write(f"已交给后台进程，任务编号 {result.id}（gongkai tasks show {result.id} 查看结果）。")
            return
        summary = monitor_run(actor=actor, on=on)
        if options["json"]:
            self.emit(summary.as_json())
            return
        self.stdout.write(f"{summary.on.isoformat()} 电子监察：检查机关 {summary.agencies} 个，新发现问题 {summary.opened} 个，"
                          f"再次出现 {summary.reopened} 个，已消除 {summary.closed} 个，仍未整改 {summary.still_open} 个，"
                          f"发出通知 {summary.notified} 封。")
        for name, count in sorted(summary.new_by_agency.items()):
            self.stdout.write(f"  {name}：新问题 {count} 个")

    def _links(self, options):
        if options.get("base_url") and not options.get("site"):
            raise ServiceError("BASE_URL_WITHOUT_SITE", "--base-url 只能与 --site 同用。", field="base_url")
        if options.get("site"):
            return self._site(options)
        from gongkai.supervision.tasks import check_links

        if options["background"]:
            result = check_links.enqueue()
            if options["json"]:
                self.emit({"task": str(result.id), "queued": True})
            else:
                self.stdout.write(f"已交给后台进程，任务编号 {result.id}（gongkai tasks show {result.id} 查看结果）。")
            return
        from gongkai.supervision.links import check_links as run

        result = run()
        if options["json"]:
            self.emit(result)
            return
        self.stdout.write(f"链接检查：{result['items']} 条已发布信息中的 {result['links']} 个链接，无法访问 {result['broken']} 个。")

    def _site(self, options):
        if options["background"]:
            from gongkai.supervision.tasks import crawl_site

            result = crawl_site.enqueue(options.get("base_url"))
            if options["json"]:
                self.emit({"task": str(result.id), "queued": True})
            else:
                self.stdout.write(f"已交给后台进程，任务编号 {result.id}（gongkai tasks show {result.id} 查看结果）。")
            return
        from gongkai.supervision.site_crawl import crawl_site as run

        result = run(base_url=options.get("base_url"))
        if options["json"]:
            self.emit(result.as_dict())
            return
        self.stdout.write(f"网站页面链接检查（{result.base}）：{result.pages} 个页面上的 {result.links} 个链接，"
                          f"无法访问 {result.broken} 个。")
        for page, url, error in result.broken_links:
            self.stdout.write(f"  {page} → {url}（{error}）")
