"""Who a task acts as: a task's arguments are JSON, so the person travels as a user id."""

from django.contrib.auth import get_user_model


def actor_id(user) -> int | None:
    return user.pk if user is not None else None


def actor(user_id: int | None):
    """The user again, or None (the operator, audited as "cli") when the task was started without one."""
    if user_id is None:
        return None
    return get_user_model().objects.get(pk=user_id)
