"""The map asks for coarse region outlines at its opening zoom and finer ones zoomed in."""

from __future__ import annotations

from tests.e2e.conftest import Tab


def test_the_map_sends_small_outlines_first_and_finer_ones_when_zoomed_in(tab: Tab) -> None:
    sizes: dict[str, int] = {}

    def note(response: object) -> None:
        url: str = response.url  # type: ignore[attr-defined]
        if "/ceasefire/regions.geojson" in url:
            sizes[url.rsplit("detail=", 1)[-1]] = len(response.body())  # type: ignore[attr-defined]

    tab.page.on("response", note)
    tab.goto("/ceasefire/map")
    tab.page.wait_for_selector("path.region-outline")
    tab.page.wait_for_load_state("networkidle")
    assert list(sizes) == ["low"] and sizes["low"] < 150_000
    drawn = tab.page.locator("path.region-outline").count()
    assert drawn >= 33  # every region (one path each, or more for a region in parts)

    with tab.page.expect_response(lambda r: "regions.geojson?detail=high" in r.url):
        tab.page.evaluate("window.ceasefireMap.setZoom(10)")
    tab.page.wait_for_load_state("networkidle")
    assert sizes["high"] > sizes["low"]
    tab.page.wait_for_timeout(300)
    assert tab.page.locator("path.region-outline").count() == drawn  # replaced, not doubled
