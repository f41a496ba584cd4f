"""Summits and meetings, their attendance and outcomes, as the application sees them."""

from coalition.core.capability import Capability, NavEntry, PageSection
from coalition.meetings import demo, model, pages, routes

CAPABILITY = Capability(
    name="meetings",
    api_router=routes.router,
    page_router=pages.router,
    nav=(NavEntry("Meetings", "/meetings"),),
    demo=demo.load,
    models=(model,),
    marked=(model.Meeting,),
    sections=(PageSection("member", "meetings/member_meetings.html", pages.attended),),
)
