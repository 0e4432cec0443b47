"""The public's side of 意见征集: lists, the draft with its comment form, receipts, feeds."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from gongkai.cn_format import cn_date
from gongkai.consultations import queries, rules, services
from gongkai.consultations.forms import CommentForm
from gongkai.consultations.models import Comment, DecisionCatalogueEntry, Moderation
from gongkai.errors import ServiceError
from gongkai.orgs.queries import public_agencies
from gongkai.web.forms import attach_service_error
from gongkai.web.ratelimit import allow

JUST_COMMENTED = "gk_just_commented"
PER_PAGE = 20
BURST_MESSAGE = "提交意见过于频繁，请一小时后再试。如有较多意见，可合并为一条提交，或通过信函、电子邮件反馈。"


def _agency(code):
    return get_object_or_404(public_agencies(), code=code.upper())


def _with_phase(consultations, today):
    for consultation in consultations:
        consultation.phase = rules.phase(consultation, today)
        consultation.phase_label = rules.PHASE_LABELS[consultation.phase]
    return consultations


def all_open(request):
    """The government-wide column: every consultation taking comments today."""
    today = timezone.localdate()
    return render(request, "consultations/public/all_open.html", {
        "consultations": _with_phase(list(queries.open_on(today)), today), "nav": "consultations",
        "recent": _with_phase(list(queries.not_open_on(today).filter(starts_on__lte=today)
                                   .order_by("-ends_on", "-id")[:20]), today),
    })


def agency_list(request, code):
    agency = _agency(code)
    today = timezone.localdate()
    others = queries.not_open_on(today).filter(agency=agency).order_by("-starts_on", "-id")
    return render(request, "consultations/public/agency_list.html", {
        "agency": agency, "nav": "consultations",
        "open": _with_phase(list(queries.open_on(today).filter(agency=agency)), today),
        "page": Paginator(_with_phase(list(others[:500]), today), PER_PAGE).get_page(request.GET.get("page")),
        "entries": DecisionCatalogueEntry.objects.filter(agency=agency, year__gte=today.year - 1),
    })


def _public(agency, pk):
    return get_object_or_404(queries.public_consultations().select_related("decision_entry"), agency=agency, pk=pk)


def detail(request, code, pk):
    agency = _agency(code)
    consultation = _public(agency, pk)
    today = timezone.localdate()
    phase = rules.phase(consultation, today)
    form = CommentForm(request.POST or None, requires_name=consultation.requires_name)
    if request.method == "POST":
        # Every attempt counts, a refused one too, as for applications: otherwise bad input could be sent without end.
        if not allow(request, "comment", limit=settings.GONGKAI_COMMENT_PER_HOUR, window_seconds=3600):
            form.add_error(None, BURST_MESSAGE)
        elif form.is_valid():
            try:
                comment = services.comment_submit(consultation=consultation, data=form.cleaned_data)
            except ServiceError as error:
                attach_service_error(form, error)
            else:
                request.session[JUST_COMMENTED] = comment.receipt_code
                return redirect("consultations_public:thanks", code=agency.code, pk=consultation.pk)
    return render(request, "consultations/public/detail.html", {
        "agency": agency, "consultation": consultation, "phase": phase, "phase_label": rules.PHASE_LABELS[phase],
        "form": form, "nav": "consultations", "comments": queries.published_comments(consultation),
        "counts": queries.feedback_counts(consultation) if phase == rules.Phase.FEEDBACK else None,
        "attachments": consultation.attachments.all(),
        "final_public": consultation.final_item if consultation.final_item and consultation.final_item.is_public else None,
    })


def thanks(request, code, pk):
    agency = _agency(code)
    consultation = _public(agency, pk)
    receipt = request.session.pop(JUST_COMMENTED, None)
    if not receipt:
        return redirect("consultations_public:detail", code=agency.code, pk=consultation.pk)
    return render(request, "consultations/public/thanks.html", {
        "agency": agency, "consultation": consultation, "receipt": receipt, "nav": "consultations"})


def receipt(request):
    """A commenter looks up their comment by its receipt code: moderation and disposition, never contact data."""
    code = (request.GET.get("code") or "").strip().upper()
    comment, error = None, ""
    if code:
        if not allow(request, "receipt", limit=settings.GONGKAI_TRACK_PER_HOUR, window_seconds=3600):
            error = "查询过于频繁，请稍后再试。"
        else:
            comment = (Comment.objects.select_related("consultation__agency")
                       .filter(receipt_code=code, consultation__agency__is_active=True).first())
            if comment is None:
                error = "未找到该回执码对应的意见，请核对后重新输入。"
    return render(request, "consultations/public/receipt.html", {
        "code": code, "comment": comment, "error": error, "nav": "consultations",
        "published": comment is not None and comment.moderation == Moderation.PUBLISHED,
        "phase": rules.phase(comment.consultation, timezone.localdate()) if comment else None,
    })


def attachment(request, code, pk, attachment_id):
    agency = _agency(code)
    consultation = _public(agency, pk)
    stored = get_object_or_404(consultation.attachments, pk=attachment_id)
    if not stored.file:
        raise Http404("no file")
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name)


class ConsultationFeed(Feed):
    """Atom feed of consultations as they are published: one agency's, or the whole platform's."""

    feed_type = Atom1Feed

    def get_object(self, request, code=None):
        return _agency(code) if code else None

    def title(self, agency):
        return f"{agency.name}意见征集" if agency else "意见征集"

    def link(self, agency):
        return reverse("consultations_public:agency", args=[agency.code]) if agency else \
            reverse("consultations_public:all")

    def subtitle(self, agency):
        return "公开征求意见的草案及采纳情况反馈"

    def items(self, agency):
        found = queries.public_consultations()
        if agency:
            found = found.filter(agency=agency)
        return found.order_by("-opened_on", "-id")[:30]

    def item_title(self, consultation):
        return consultation.title

    def item_description(self, consultation):
        return (f"{consultation.agency.name}；征集期：{cn_date(consultation.starts_on)}至"
                f"{cn_date(consultation.ends_on)}。")

    def item_link(self, consultation):
        return reverse("consultations_public:detail", args=[consultation.agency.code, consultation.pk])

    def item_pubdate(self, consultation):
        return consultation.created_at

    def item_updateddate(self, consultation):
        return consultation.updated_at
