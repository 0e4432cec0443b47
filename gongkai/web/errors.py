from django.shortcuts import render


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有访问此页面的权限。"
    return render(request, "web/error.html", {"title": "无权访问", "message": message, "code": 403}, status=403)


def not_found(request, exception=None):
    """With the portal's navigation and search, so a visitor who followed a stale link can go on."""
    return render(
        request, "web/not_found.html", {"title": "页面不存在", "message": "您访问的页面不存在或已被移除。", "code": 404}, status=404
    )
