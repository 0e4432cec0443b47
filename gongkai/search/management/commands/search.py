"""`gongkai search "查询"`: every published item containing the query, as text or JSON."""


from gongkai.cli_support import GongkaiCommand
from gongkai.search.index import search

PAGE_SIZE = 100


class Command(GongkaiCommand):
    help = '全文检索已公开的信息，列出全部结果。gongkai search "查询词" [--agency 机构代码] [--json]'

    def add_arguments(self, parser):
        # Not GongkaiCommand's --as: published items are public, there is nothing to scope.
        parser.add_argument("query", help="检索词（全角/半角、大小写视为相同）")
        parser.add_argument("--agency", action="append", metavar="CODE", help="只检索该机构（可重复）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, query, agency, json, **options):
        hits, page, total = [], 1, 0
        while True:
            result = search(query, agency_codes=agency, page=page, per_page=PAGE_SIZE)
            hits += result.hits
            total = result.total
            if page >= result.pages:
                break
            page += 1
        rows = [{"id": h.key, "index_number": h.index_number, "title": h.title, "agency_code": h.agency_code}
                for h in hits]
        if json:
            self.emit(rows)
            return
        for row in rows:
            self.stdout.write(f"{row['index_number'] or '-'}  {row['title']}  [{row['agency_code']}]")
        self.stdout.write(f"共{total}条。")

