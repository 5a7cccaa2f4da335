"""The completion dashboard's query string, read once for the page, its CSV and the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from app.reports import service


def completion_filters(
    cohort_id: int | None = None,
    status: Annotated[str | None, Query(max_length=40)] = None,
    module: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str | None, Query(max_length=20)] = None,
    order: Annotated[str | None, Query(max_length=4)] = None,
    page: Annotated[int | None, Query(ge=1, le=service.MAXIMUM_PAGE)] = None,
    view: Annotated[str | None, Query(max_length=20)] = None,
) -> service.CompletionFilters:
    """Each filter checked with a message a person can act on (422 otherwise)."""
    return service.parse_filters(
        cohort_id=cohort_id,
        status=status,
        module=module,
        q=q,
        sort=sort,
        order=order,
        page=page,
        view=view,
    )


CompletionFiltersDep = Annotated[service.CompletionFilters, Depends(completion_filters)]
