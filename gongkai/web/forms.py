"""Turning a service refusal into a form error, so the Chinese message appears next to its field."""

from gongkai.errors import ServiceError


def attach_service_error(form, error: ServiceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
