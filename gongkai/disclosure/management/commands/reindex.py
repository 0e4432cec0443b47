from gongkai.cli_support import GongkaiCommand
from gongkai.disclosure.queries import public_items
from gongkai.disclosure.search_sync import document_for
from gongkai.orgs import access
from gongkai.orgs.roles import Perm


class Command(GongkaiCommand):
    help = "重建检索索引：按当前已发布的主动公开信息重新生成（恢复备份或升级后使用）。"

    def handle(self, *args, acting_as, json, **options):
        from gongkai.search.index import rebuild

        access.require(self.actor(acting_as), Perm.CREATE_AGENCY)
        items = public_items().prefetch_related("attachments").order_by("id")
        count = 0

        def documents():
            nonlocal count
            for item in items.iterator(chunk_size=500):
                count += 1
                yield document_for(item)

        rebuild(documents())
        if json:
            self.emit({"indexed": count})
        else:
            self.stdout.write(f"已重建检索索引：{count} 条信息。")
