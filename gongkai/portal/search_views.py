from django.shortcuts import redirect, render

from gongkai.disclosure.models import Genre, Validity
from gongkai.errors import ServiceError
from gongkai.orgs.queries import public_agencies
from gongkai.orgs.tree import in_tree_order

PER_PAGE = 20


def search_page(request):
    from gongkai.search.index import search

    query = request.GET.get("q", "").strip()
    agency_code = request.GET.get("agency", "").strip().upper()
    filters = {
        "agency_codes": [agency_code] if agency_code else None,
        "category": request.GET.get("category") or None,
        "year": int(request.GET["year"]) if request.GET.get("year", "").isdigit() and len(request.GET["year"]) == 4 else None,
        "validity": request.GET.get("validity") if request.GET.get("validity") in Validity.values else None,
        "genre": request.GET.get("genre") or None,
    }
    try:
        page_number = min(max(1, int(request.GET.get("page", "1"))), 10_000)
    except ValueError:
        page_number = 1
    results, error = None, None
    if query:
        try:
            results = search(query, page=page_number, per_page=PER_PAGE, **filters)
        except ServiceError as exc:
            error = exc.message
    params = request.GET.copy()
    params.pop("page", None)
    last_page = ((results.total - 1) // PER_PAGE + 1) if results else 1
    if results and results.total and page_number > last_page:
        # A page past the end (an old link, a typed page=999) would say "N results" above an
        # empty list; the last page that has results is what was meant.
        return redirect(f"{request.path}?{params.urlencode()}&page={last_page}")
    agencies = in_tree_order(public_agencies().select_related(None).only("code", "name", "parent_id", "sort_order"))
    names = {a.code: a.name for a in agencies}
    return render(request, "portal/search.html", {
        "q": query, "results": results, "error": error, "nav": "search", "filters": filters,
        "agency_code": agency_code, "agencies": agencies,
        "hits": [{"hit": hit, "agency_name": names.get(hit.agency_code, "")} for hit in (results.hits if results else [])],
        "genres": Genre.objects.all(), "validities": Validity.choices, "params": params.urlencode(),
        "last_page": last_page, "first_number": (page_number - 1) * PER_PAGE + 1,
    })
