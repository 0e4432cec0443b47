from django.shortcuts import render

from gongkai.audit import security_events as events


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有访问此页面的权限。"
    events.access_denied(request, message)  # 等保 安全审计: refusals are security events
    return render(request, "web/error.html", {"title": "无权访问", "message": message, "code": 403}, status=403)


def not_found(request, exception=None):
    """With the portal's navigation and search, so a visitor who followed a stale link can go on."""
    return render(
        request, "web/not_found.html", {"title": "页面不存在", "message": "您访问的页面不存在或已被移除。", "code": 404}, status=404
    )


def not_ready(request, message: str, *, retry_after: int = 5):
    """503 with Retry-After: something being made in the background (a letter's PDF) is not there yet."""
    response = render(request, "web/error.html", {"title": "请稍后再试", "message": message, "code": 503,
                                                   "retry_url": request.get_full_path()}, status=503)
    response["Retry-After"] = str(retry_after)
    return response
