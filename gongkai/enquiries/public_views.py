"""The public's side: ask, follow a message by its code, read answers, the FAQ and the figures."""

import datetime as dt

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from gongkai.applications.public_views import TRACKED as APPLICATIONS_TRACKED
from gongkai.enquiries import queries, services
from gongkai.enquiries.forms import AnyAgencyEnquiryForm, EnquiryForm, TrackForm
from gongkai.enquiries.limits import reply_working_days
from gongkai.enquiries.models import Enquiry, Kind
from gongkai.errors import ServiceError
from gongkai.orgs.queries import public_agencies
from gongkai.web.forms import attach_service_error
from gongkai.web.ratelimit import allow

TRACKED = "gk_enquiries_tracked"  # message ids this browser has proved the secret for
JUST_SUBMITTED = "gk_enquiry_just_submitted"
NAV = "enquiries"


def _agency(code):
    return get_object_or_404(public_agencies(), code=code.upper())


def _limits():
    return [(label, reply_working_days(value)) for value, label in Kind.choices]


def column(request):
    """The government-wide 留言 column: the newest published answers of every agency."""
    page = Paginator(queries.published_answers().order_by("-published_on", "-id"), 20).get_page(request.GET.get("page"))
    return render(request, "enquiries/column.html", {"page": page, "nav": NAV, "limits": _limits()})


def agency_list(request, code):
    agency = _agency(code)
    page = Paginator(queries.published_for_agency(agency), 20).get_page(request.GET.get("page"))
    return render(request, "enquiries/agency_list.html", {"agency": agency, "page": page, "nav": NAV,
                                                          "faq_count": queries.faqs_for_agency(agency).count()})


def detail(request, code, pk):
    agency = _agency(code)
    enquiry = get_object_or_404(queries.published_answers(), agency=agency, pk=pk)
    return render(request, "enquiries/detail.html", {"agency": agency, "enquiry": enquiry, "nav": NAV})


def faq(request, code):
    agency = _agency(code)
    return render(request, "enquiries/faq.html", {"agency": agency, "faqs": queries.faqs_for_agency(agency), "nav": NAV})


def stats(request, code):
    agency = _agency(code)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2008 <= year <= today.year:
        raise Http404("no such year")
    end = min(today, dt.date(year, 12, 31))
    figures = queries.figures([agency.pk], dt.date(year, 1, 1), end)
    return render(request, "enquiries/stats.html", {"agency": agency, "figures": figures, "year": year, "end": end,
                                                    "years": range(today.year, max(today.year - 5, 2008) - 1, -1),
                                                    "nav": NAV})


def _submit(request, agency, form, template, context):
    if request.method == "POST":
        # Every attempt counts, a refused one too: otherwise bad input could be sent without end.
        if not allow(request, "enquiry", limit=settings.GONGKAI_ENQUIRY_PER_HOUR, window_seconds=3600):
            form.add_error(None, "留言过于频繁，请一小时后再试。如有急事，请拨打该机关的咨询电话。")
        elif form.is_valid():
            target = agency or form.cleaned_data["agency"]
            try:
                enquiry, secret = services.submit_online(agency=target, data=form.cleaned_data)
            except ServiceError as error:
                attach_service_error(form, error)
            else:
                _remember(request, enquiry)
                request.session[JUST_SUBMITTED] = {"id": enquiry.pk, "secret": secret}
                return redirect("enquiries_public:status", code=enquiry.tracking_code)
    return render(request, template, {**context, "form": form, "nav": NAV, "limits": _limits()})


def ask(request, code):
    agency = _agency(code)
    return _submit(request, agency, EnquiryForm(request.POST or None), "enquiries/ask.html", {"agency": agency})


def ask_any(request):
    return _submit(request, None, AnyAgencyEnquiryForm(request.POST or None), "enquiries/ask.html", {"agency": None})


def track(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not allow(request, "track", limit=settings.GONGKAI_TRACK_PER_HOUR, window_seconds=3600):
            form.add_error(None, "查询过于频繁，请稍后再试。")
        else:
            enquiry = services.find_by_code(form.cleaned_data["code"], form.cleaned_data["secret"])
            if enquiry is None:
                form.add_error(None, "查询码或查询密码不正确。")
            else:
                _remember(request, enquiry)
                return redirect("enquiries_public:status", code=enquiry.tracking_code)
    return render(request, "enquiries/track.html", {"form": form, "nav": NAV})


def _remember(request, enquiry):
    request.session[TRACKED] = sorted({*request.session.get(TRACKED, []), enquiry.pk})


def status(request, code):
    enquiry = Enquiry.objects.select_related("agency", "transferred_from", "application").filter(
        tracking_code=code.upper()).first()
    if enquiry is None or enquiry.pk not in request.session.get(TRACKED, []):
        raise Http404("not tracked in this session")
    just = request.session.pop(JUST_SUBMITTED, None)
    secret = just["secret"] if just and just["id"] == enquiry.pk else None
    if enquiry.application_id:
        # Proving the message's secret is proof enough for the application it became (as for a
        # transferred application): its status page opens from here.
        request.session[APPLICATIONS_TRACKED] = sorted({*request.session.get(APPLICATIONS_TRACKED, []),
                                                        enquiry.application_id})
    return render(request, "enquiries/status.html", {"enquiry": enquiry, "secret": secret, "nav": NAV})
