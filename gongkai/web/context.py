from django.conf import settings

LARGE_TEXT_COOKIE = "gk_large_text"


def site(request):
    return {
        "site_name": settings.GONGKAI_SITE_NAME,
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
    }
