"""The disclosure app's background tasks: importing items, rebuilding the search index."""

from pathlib import Path

from django_tasks import task

from gongkai.jobs.actors import actor
from gongkai.jobs.progress import Progress, for_context


@task(takes_context=True)
def import_items(context, path: str, actor_id: int | None) -> dict:
    """`gongkai import items FILE --background`: check every row, then import all or nothing."""
    return import_file(Path(path), actor=actor(actor_id), progress=for_context(context))


def import_file(path: Path, *, actor, progress) -> dict:
    from gongkai.disclosure.transfer import ImportRefused
    from gongkai.disclosure.transfer import import_items as run_import

    try:
        count = run_import(path, actor=actor, progress=progress)
    except ImportRefused as refused:
        problems = [p.as_dict() for p in refused.problems]
        return {"imported": 0, "problems": problems, "summary": f"发现{len(problems)}处问题，未导入任何数据。"}
    return {"imported": count, "problems": [], "summary": f"已导入 {count} 条信息。"}


@task(takes_context=True)
def reindex(context) -> dict:
    """`gongkai reindex --background`: the search index rebuilt from every published item."""
    return reindex_all(progress=for_context(context))


def reindex_all(*, progress: Progress) -> dict:
    from gongkai.disclosure.queries import public_items
    from gongkai.disclosure.search_sync import document_for
    from gongkai.search.index import rebuild

    items = public_items().prefetch_related("attachments").order_by("id")
    total = items.count()
    count = 0

    def documents():
        nonlocal count
        for item in items.iterator(chunk_size=500):
            count += 1
            progress(count, total)
            yield document_for(item)

    progress.at("重建检索索引", 0, total)
    rebuild(documents())
    return {"indexed": count, "summary": f"已重建检索索引：{count} 条信息。"}
