"""The 政民互动 column: what the public sees of consultations, messages, FAQ, 回应关切 and press
conferences, government-wide or for one agency, and the year's figures.

Each list is read through its own app's public query (drafts, held comments, unpublished answers
and withdrawn items never reach them); this module only picks the newest few and the figures for
the span it is given, so the same day gives the same page."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from gongkai.consultations import queries as consultation_queries
from gongkai.consultations.models import Disposition
from gongkai.consultations.rules import PHASE_LABELS, phase
from gongkai.disclosure.models import PressConference
from gongkai.disclosure.queries import public_items
from gongkai.disclosure.taxonomy import CONCERN_RESPONSE_GENRE
from gongkai.enquiries import queries as enquiry_queries
from gongkai.enquiries.models import Faq
from gongkai.orgs.queries import public_agencies

OPEN_SHOWN = 10
CLOSED_SHOWN = 6
ANSWERS_SHOWN = 8
FAQ_SHOWN = 6
RESPONSES_SHOWN = 5
CONFERENCES_SHOWN = 5


@dataclass(frozen=True)
class Figures:
    """The year's 政民互动 figures: from 1 January of ``end``'s year to ``end``."""

    start: dt.date
    end: dt.date
    consultations: consultation_queries.Statistics
    enquiries: enquiry_queries.Figures


def figures(agency_ids, end: dt.date) -> Figures:
    start = dt.date(end.year, 1, 1)
    ids = list(agency_ids)
    return Figures(start=start, end=end, consultations=consultation_queries.statistics(ids, start, end),
                   enquiries=enquiry_queries.figures(ids, start, end))


@dataclass(frozen=True)
class Column:
    open: list
    closed: list
    answers: list
    faqs: list
    responses: list
    conferences: list
    figures: Figures


def _with_phase(consultations, today):
    for consultation in consultations:
        consultation.phase_label = PHASE_LABELS[phase(consultation, today)]
    return consultations


def column(agency, today: dt.date) -> Column:
    """The column of ``agency``, or the government-wide one when ``agency`` is None, on ``today``."""
    if agency is None:
        agencies = public_agencies()
        scope = {"agency__in": agencies}
        agency_ids = agencies.values_list("pk", flat=True)
    else:
        scope, agency_ids = {"agency": agency}, [agency.pk]
    # Ended (or closed early) by today, newest first; a closed one shows whether its feedback is out yet.
    closed = (consultation_queries.not_open_on(today).filter(**scope, starts_on__lte=today)
              .annotate(received=Count("comments"),
                        adopted=Count("comments", filter=Q(comments__disposition__in=[Disposition.ADOPTED,
                                                                                      Disposition.PARTLY])))
              .order_by("-ends_on", "-id")[:CLOSED_SHOWN])
    return Column(
        open=_with_phase(list(consultation_queries.open_on(today).filter(**scope)[:OPEN_SHOWN]), today),
        closed=_with_phase(list(closed), today),
        answers=list(enquiry_queries.published_answers().filter(**scope).order_by("-published_on", "-id")[:ANSWERS_SHOWN]),
        faqs=list(Faq.objects.filter(**scope).select_related("agency")[:FAQ_SHOWN]),
        responses=list(public_items().filter(**scope, genre__code=CONCERN_RESPONSE_GENRE)
                       .order_by("-published_on", "-id")[:RESPONSES_SHOWN]),
        conferences=list(PressConference.objects.filter(**scope).select_related("agency")
                         .order_by("-held_at", "-id")[:CONFERENCES_SHOWN]),
        figures=figures(agency_ids, today),
    )

