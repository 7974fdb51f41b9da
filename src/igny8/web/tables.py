"""The list pages' shared mechanics: filter with the API's FilterSet, search, whitelisted sort,
pagination, and resolving a bulk selection (ticked ids, or every row matching the filter)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict

from igny8.core.errors import Invalid
from igny8.web.render import page, partial

PAGE_SIZE = 50
# The API's IdsSerializer refuses more ids than this in one request; the pages refuse the same.
MAX_SELECTION = 10_000


class SelectionError(ValueError):
    pass


@dataclass
class Table:
    page: Page
    query: QueryDict
    sort: str
    total: int
    filterset: object


def table_build(
    *,
    queryset: QuerySet,
    query: QueryDict,
    filterset_class,
    search_fields: list[str],
    sort_fields: list[str],
    default_sort: str,
) -> tuple[QuerySet, object, str]:
    filterset = filterset_class(data=query, queryset=queryset)
    rows = filterset.qs if filterset.is_valid() else queryset.none()
    needle = (query.get("q") or "").strip()
    if needle:
        condition = Q()
        for field in search_fields:
            condition |= Q(**{f"{field}__icontains": needle})
        rows = rows.filter(condition)
    sort = query.get("sort") or default_sort
    if sort.lstrip("-") not in sort_fields:
        sort = default_sort
    return rows.order_by(sort, "-id"), filterset, sort


def table_page(*, rows: QuerySet, query: QueryDict, filterset, sort: str) -> Table:
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(query.get("page"))
    return Table(page=page, query=query, sort=sort, total=paginator.count, filterset=filterset)


def selection(*, rows: QuerySet, post: QueryDict) -> QuerySet:
    """The rows a bulk action acts on: every row matching the filter when 'select all' was ticked,
    else the ticked ids, all of which must be in `rows`."""
    if post.get("select_all") == "1":
        chosen = rows
    else:
        try:
            ids = [int(value) for value in post.getlist("ids")]
        except ValueError as error:
            raise SelectionError("Ids must be numbers.") from error
        chosen = rows.filter(pk__in=ids)
        # As the API's `selected`: an id that is not in this list refuses the whole action.
        missing = sorted(set(ids) - set(chosen.values_list("pk", flat=True)))
        if missing:
            raise SelectionError(f"No such record(s) here: {', '.join(map(str, missing[:20]))}.")
    count = chosen.count()
    if count == 0:
        raise SelectionError("Select at least one row.")
    if count > MAX_SELECTION:
        raise SelectionError(f"{count} rows selected; act on at most {MAX_SELECTION} at a time.")
    return chosen


def chosen(*, rows: QuerySet, post: QueryDict) -> QuerySet:
    """`selection` for actions answered like the API: a bad selection is its 400 on `ids`."""
    try:
        return selection(rows=rows, post=post)
    except SelectionError as error:
        raise Invalid(str(error), field="ids") from error


def site_rows(request: HttpRequest, selector) -> QuerySet:
    """An account selector's rows (`selector(account=...)`) in the site picked in the top bar."""
    ws = request.workspace
    return selector(account=ws.account).filter(site=ws.site)


def saved_query(post: QueryDict) -> QueryDict:
    """The list's filter as it was when the bulk form was rendered (a hidden field)."""
    return QueryDict(post.get("query", ""), mutable=False)


def list_page(
    request: HttpRequest,
    *,
    queryset: QuerySet,
    filterset_class,
    search_fields: list[str],
    sort_fields: list[str],
    template: str,
    table_template: str,
    target: str,
    default_sort: str = "-created_at",
    extra: dict | None = None,
) -> HttpResponse:
    """A filtered, sorted, paginated list. The filter form, sort headers and pager ask htmx for
    the element `target` only (and push the URL); that request gets `table_template` alone, any
    other (a plain GET, a reload, a bookmarked URL) gets the whole page."""
    rows, filterset, sort = table_build(
        queryset=queryset,
        query=request.GET,
        filterset_class=filterset_class,
        search_fields=search_fields,
        sort_fields=sort_fields,
        default_sort=default_sort,
    )
    table = table_page(rows=rows, query=request.GET, filterset=filterset, sort=sort)
    context = {"table": table, "target": target, **(extra or {})}
    if request.htmx and not request.htmx.boosted and request.htmx.target == target:
        return partial(request, table_template, context)
    return page(request, template, context)
