"""What an indicator finds: one record of one agency that breaks one rule."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    agency_id: int
    indicator: str
    subject_type: str  # "app_label.model" of the record
    subject_id: str
    subject_repr: str
    detail: str
    occurred_on: dt.date | None = None
