"""The reports app's background task: an annual report built into a file (Word, PDF, Excel…)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tasks import task

from gongkai.jobs.actors import actor
from gongkai.jobs.progress import for_context

STAGES = 3


@task(takes_context=True)
def build_report_file(context, actor_id: int | None, agency_code: str, year: int, fmt: str,
                      include_subordinates: bool = False) -> dict:
    """The report from the records, rendered and kept in the data directory for its requester.

    The same door as the report page and `gongkai report build` (services.report_build), so the
    person's permissions are checked again when the task runs.
    """
    from gongkai.reports.computation.services import report_build
    from gongkai.reports.rendering.formats import render

    progress = for_context(context)
    progress.at("汇总办理记录", 0, STAGES)
    report = report_build(actor=actor(actor_id), agency_code=agency_code, year=year,
                          include_subordinates=include_subordinates)
    progress.at("生成文件", 1, STAGES)
    content = render(report, fmt)
    progress.at("保存文件", 2, STAGES)
    suffix = "（含下级机关）" if include_subordinates else ""
    name = default_storage.save(f"reports/built/{agency_code}-{year}-{context.task_result.id}.{fmt}", ContentFile(content))
    progress(STAGES, STAGES)
    return {"file": name, "filename": f"{report['agency']}{year}年政府信息公开工作年度报告{suffix}.{fmt}",
            "summary": f"已生成{report['agency']}{year}年度报告（{fmt}）。"}
