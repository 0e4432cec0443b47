"""Response headers for pages and downloads that carry personal data.

``Cache-Control: no-store`` keeps a staff member's case page, a downloaded 身份证明 or an
applicant's tracking page out of browser and proxy caches on shared office computers
(个人信息保护法第五十一条: technical measures against leaks; ASVS 8.2.1). Public portal pages
(the disclosed items themselves) stay cacheable. A view that sets its own Cache-Control keeps it.
"""

from django.conf import settings

# Paths whose every response may carry personal data, whoever asks: the staff side, the
# applicant's forms (also /agencies/<code>/apply/), tracking pages and letters, and the API's answers.
NO_STORE_PREFIXES = ("/staff/", "/apply/", "/track/", "/api/v1/applications")


def no_store_paths() -> tuple[str, ...]:
    return tuple(getattr(settings, "GONGKAI_NO_STORE_PREFIXES", NO_STORE_PREFIXES))


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = no_store_paths()

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        if request.path.startswith(self.prefixes) or "/apply/" in request.path or self._signed_in(request):
            response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def _signed_in(request) -> bool:
        # Only with a session cookie: reading request.user otherwise would load an empty session
        # and add "Vary: Cookie" to every public page.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated
