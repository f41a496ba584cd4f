"""Sanctions pages: the lists, the entities listed on a day, one entity."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from coalition.core.forms import FormErrors, form_errors
from coalition.deps import CurrentPrincipal, DbSession, Limit, Offset, Search
from coalition.sanctions import service
from coalition.sanctions.reading import property_labels
from coalition.sanctions.routes import EntityIdPath, EntitySort, ListCodePath
from coalition.sanctions.schemas import EntityFilters
from coalition.web import pages

router = APIRouter(include_in_schema=False)

PAGE_ROWS = 50
FILTERS = ("list", "schema", "as_of")  # as the page's address and the API name them
SCHEMAS = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "Sanction")


def _filters(request: Request) -> tuple[EntityFilters, FormErrors | None]:
    """The filters the address names; a refused one is said beside its field."""
    data = {
        name: text.strip()
        for name in FILTERS
        if (text := request.query_params.get(name)) is not None and text.strip()
    }
    try:
        return EntityFilters.model_validate(data), None
    except ValidationError as exc:
        return EntityFilters(), form_errors(exc, list(FILTERS), EntityFilters.labels)


@router.get("/sanctions", response_class=HTMLResponse)
def lists_page(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    return pages.render(
        request, "sanctions/lists.html", lists=service.list_lists(session, principal)
    )


@router.get("/sanctions/entities", response_class=HTMLResponse)
def entities_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
    sort: EntitySort = None,
    q: Search = None,
) -> Response:
    filters, refused = _filters(request)
    page = pages.filtered(
        refused,
        lambda: service.list_entities(
            session, principal, **filters.values(), limit=limit, offset=offset, sort=sort, q=q
        ),
        limit,
        offset,
    )
    return pages.render(
        request,
        "sanctions/entities.html",
        status_code=422 if refused else 200,
        refused=refused,
        page=page,
        entities=page.items,
        total=page.total,
        as_of=filters.as_of,
        lists=[(x.code, x.name) for x in service.list_lists(session, principal)],
        schemas=SCHEMAS,
    )


@router.get("/sanctions/entities/{list_code}/{entity_id}", response_class=HTMLResponse)
def entity_page(
    list_code: ListCodePath,
    entity_id: EntityIdPath,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
) -> Response:
    entity = service.get_entity(session, principal, list_code, entity_id)
    labelled = property_labels(entity.schema_name, sorted(entity.properties))
    return pages.render(request, "sanctions/entity.html", entity=entity, labelled=labelled)
