"""One exception type for every rule a service refuses to break.

``code`` is stable and English (for the CLI, API and tests); ``message`` is the Chinese text a
person reads. ``field`` names the form field at fault when there is one.
"""


class ServiceError(Exception):
    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.field = field

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field}


class PermissionDeniedError(ServiceError):
    """The actor's roles do not allow the operation (views turn this into 403)."""

    def __init__(self, message: str = "您没有执行此操作的权限。"):
        super().__init__("PERMISSION_DENIED", message)
