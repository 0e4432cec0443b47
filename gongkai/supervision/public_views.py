"""The portal's 考核结果 column: the results and ranking of assessments an office has published.

What goes out is what a 政务公开办 publishes in a 考核结果通报: rank, score, conclusion, the veto
items that failed an agency and the points each lost per 一级指标. The findings' evidence, the
agencies' 申辩 and the assessors' notes stay on the staff side.
"""

from decimal import Decimal

from django.shortcuts import get_object_or_404, render

from gongkai.orgs.queries import public_agencies
from gongkai.supervision.assessment import published_assessments, results


def results_index(request):
    return render(request, "supervision/public_results_index.html", {
        "assessments": published_assessments().order_by("-end", "-published_at"), "nav": "assessments"})


def results_page(request, code, pk):
    office = get_object_or_404(public_agencies(), code=code.upper())
    assessment = get_object_or_404(published_assessments(), office=office, pk=pk)
    areas = [area.name for area in assessment.scheme.areas.all()]
    rows = []
    for result in results(assessment):
        lost = dict.fromkeys(areas, Decimal(0))
        for line in result.score.lines:
            if line.kind not in ("bonus", "veto"):
                lost[line.area] += line.points
        rows.append((result, [lost[name] for name in areas]))
    return render(request, "supervision/public_results.html", {
        "assessment": assessment, "office": office, "areas": areas, "rows": rows, "nav": "assessments"})
