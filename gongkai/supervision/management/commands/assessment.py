from gongkai.cli_support import GongkaiCommand
from gongkai.supervision.assessment import presets_load


class Command(GongkaiCommand):
    help = "考核方案。gongkai assessment presets [--json]：载入尚未载入的预置考核方案（已载入并修改过的不覆盖）。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{presets}")
        presets = actions.add_parser("presets", help="载入预置考核方案")
        presets.add_argument("--as", dest="acting_as", metavar="USERNAME", help="以该工作人员的身份和权限执行")
        presets.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, action, **options):
        created = presets_load(actor=self.actor(options["acting_as"]))
        if options["json"]:
            self.emit({"created": [scheme.name for scheme in created]})
        elif created:
            for scheme in created:
                self.stdout.write(f"已载入：{scheme.name}")
        else:
            self.stdout.write("预置考核方案均已载入，未作改动。")
