import sys

from gongkai.cli_support import GongkaiCommand
from gongkai.disclosure.item_files import export_rows, write_export
from gongkai.disclosure.models import Item
from gongkai.errors import ServiceError
from gongkai.orgs import access


class Command(GongkaiCommand):
    help = "导出：gongkai export items [--agency CODE] --format csv|xlsx|jsonl [--output FILE]（无 --output 时写到标准输出）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("what", choices=["items"])
        parser.add_argument("--agency", help="机构代码")
        parser.add_argument("--format", dest="fmt", choices=["csv", "xlsx", "jsonl"], required=True)
        parser.add_argument("--output", help="输出文件")

    def handle(self, *args, what, agency, fmt, output, acting_as, json, **options):
        actor = self.actor(acting_as)
        visible = access.agencies_visible_to(actor)
        items = Item.objects.filter(agency__in=visible).order_by("agency__code", "id")
        if agency:
            chosen = visible.filter(code=agency.replace("-", "").upper()).first()
            if chosen is None:
                raise ServiceError("AGENCY_NOT_FOUND", f"找不到机构代码“{agency}”，或您无权查看该机构。", field="agency")
            items = items.filter(agency=chosen)
        if output:
            with open(output, "wb") as handle:
                count = write_export(export_rows(items), fmt, handle)
            self.stderr.write(f"已导出 {count} 条信息到 {output}。")
        else:
            self.stdout.flush()
            write_export(export_rows(items), fmt, sys.stdout.buffer)
