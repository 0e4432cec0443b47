from gongkai.applications.clockkeeping import recompute_open_clocks
from gongkai.cli_support import GongkaiCommand


class Command(GongkaiCommand):
    help = "重新计算所有在办申请的答复期限（修改期限计算设置或恢复备份后运行）。"

    def handle(self, *args, acting_as, json, **options):
        count = recompute_open_clocks()
        if json:
            self.emit({"recomputed": count})
        else:
            self.stdout.write(f"已重新计算 {count} 件在办申请的答复期限。")
