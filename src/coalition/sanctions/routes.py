"""HTTP routes for sanctions. Thin: parse, call the service, render."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from coalition.core.schemas import Page
from coalition.deps import ERROR_RESPONSES, CurrentPrincipal, DbSession, Limit, Offset, Search
from coalition.sanctions import service
from coalition.sanctions.schemas import EntityFilters, EntityPublic, EntitySummary, ListPublic
from coalition.sanctions.vocabulary import LIST_CODE_TEXT

router = APIRouter(tags=["sanctions"], responses=ERROR_RESPONSES)

EntitySort = Annotated[str | None, service.ENTITIES.sort_param()]
EntityQuery = Annotated[EntityFilters, Query()]
ListCodePath = Annotated[str, Path(pattern=LIST_CODE_TEXT, description="The list's code")]
EntityIdPath = Annotated[str, Path(max_length=200, description="The entity's FtM id")]


@router.get("/sanctions/lists", response_model=list[ListPublic])
def list_lists(session: DbSession, principal: CurrentPrincipal) -> list[ListPublic]:
    """The sanctions lists you may see, with what each lists now and its latest snapshot."""
    return service.list_lists(session, principal)


@router.get("/sanctions/entities", response_model=Page[EntitySummary])
def list_entities(
    session: DbSession,
    principal: CurrentPrincipal,
    filters: EntityQuery,
    sort: EntitySort = None,
    q: Search = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[EntitySummary]:
    """Entities you may see listed on ``as_of`` (default: listed now); every filter holds."""
    return service.list_entities(
        session, principal, **filters.values(), limit=limit, offset=offset, sort=sort, q=q
    )


@router.get("/sanctions/entities/{list_code}/{entity_id}", response_model=EntityPublic)
def get_entity(
    list_code: ListCodePath,
    entity_id: EntityIdPath,
    session: DbSession,
    principal: CurrentPrincipal,
) -> EntityPublic:
    """One entity of one list, with every listing period and the changes within each."""
    return service.get_entity(session, principal, list_code, entity_id)
