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
    """Check every row, then import in committed batches (item_import.py); a second run on the same
    file carries on after the last committed batch."""
    from gongkai.disclosure.item_files import ImportRefused
    from gongkai.disclosure.item_import import import_items as run_import

    def report(done: int, total: int | None) -> None:
        stage = "检查文件" if total is None else "写入数据库"
        if progress.stage != stage:
            progress.at(stage, done, total)
        else:
            progress(done, total)

    try:
        count = run_import(path, actor=actor, progress=report)
    except ImportRefused as refused:
        problems = [p.as_dict() for p in refused.problems]
        if refused.imported:
            summary = f"发现{len(problems)}处问题，导入停在第{refused.imported}行之后（前{refused.imported}行已导入）。"
        else:
            summary = f"发现{len(problems)}处问题，未导入任何数据。"
        return {"imported": refused.imported, "problems": problems, "summary": summary}
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
