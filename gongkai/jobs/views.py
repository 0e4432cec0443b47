"""后台任务: a person's own long tasks with their state and progress; the queue for administrators."""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from gongkai.jobs import services
from gongkai.jobs.models import Job
from gongkai.orgs import access
from gongkai.web.scope import current_agency
from gongkai.web.workspace import workspace

# While a task of the page is unfinished the page reloads itself after this many seconds.
REFRESH_SECONDS = 3


@login_required
def task_list(request):
    jobs = services.recent_for(request.user)
    admin = access.is_system_admin(request.user)
    return render(request, "jobs/task_list.html", workspace(
        request, current_agency(request), section="tasks", jobs=jobs,
        refresh=REFRESH_SECONDS if any(not state.finished for state in jobs) else None,
        queue=services.queue_overview() if admin else None,
        failures=services.recent_failures() if admin else None))


@login_required
def task_file(request, job_id):
    """The file a finished task made (a report in Word, PDF or Excel), for the person who asked for it."""
    job = get_object_or_404(Job, pk=job_id, requested_by=request.user)
    (state,) = services.describe([job])
    if not state.file or not default_storage.exists(state.file):
        raise Http404("no file")
    return FileResponse(default_storage.open(state.file, "rb"), as_attachment=True,
                        filename=state.return_value.get("filename") or state.file.rsplit("/", 1)[-1])
