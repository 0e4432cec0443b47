from django.shortcuts import render

from gongkai.accounts import events


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有访问此页面的权限。"
    events.access_denied(request, message)  # 等保 安全审计: refusals are security events
    return render(request, "web/error.html", {"title": "无权访问", "message": message, "code": 403}, status=403)


def not_found(request, exception=None):
    return render(
        request, "web/error.html", {"title": "页面不存在", "message": "您访问的页面不存在或已被移除。", "code": 404}, status=404
    )
