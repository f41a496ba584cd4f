"""A briefing printed: HTML that escapes all it is given, a PDF marked on every page.

Pure tests on small documents built in memory with ``document.build``. The HTML is read
back with the standard library's parser (its markings, tags and attributes); the PDF with
pypdf (its text page by page, its fonts). One long document is printed once for the PDF
tests: printing takes a second or two. Nothing is fetched: the fetcher the PDF is printed
through records every URL it was asked for.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from coalition.briefings import render
from coalition.briefings.document import DAILY_SECTIONS, Document, Figure, Row, Section, build
from coalition.briefings.pdf import Refused, ShippedFiles, css_string, shipped_folders, write
from coalition.core.errors import Invalid
from coalition.core.marking import Marking, Shown

CUTOFF = datetime(2025, 3, 12, 16, 0, tzinfo=UTC)
COALITION: frozenset[Shown] = frozenset({(Marking.COALITION, "FRA", None)})
REL_TO: frozenset[Shown] = frozenset({(Marking.REL_TO, "GBR", "|FRA|POL|")})
NATIONAL: frozenset[Shown] = frozenset({(Marking.NATIONAL, "POL", None)})
HOSTILE = '<script>alert("x")</script> <img src="http://example.invalid/x.png">'


def figure(key: str, label: str, value: Any, unit: str, previous: Any, **more: Any) -> Figure:
    return Figure(
        key=key,
        label=label,
        value=value,
        unit=unit,
        source="Monitoring mission reports",
        cutoff=CUTOFF,
        previous=previous,
        first_edition=previous is None,
        **more,
    )


def daily(sections: Iterable[Section] = (), *, title: str = "Daily report") -> Document:
    given = {s.title: s for s in sections}
    return build(
        "daily",
        number=7,
        title=title,
        period_start=datetime(2025, 3, 11, 16, tzinfo=UTC),
        period_end=CUTOFF,
        cutoff=CUTOFF,
        zone="Europe/Kyiv",
        audience="Leaders' offices of the coalition",
        sections=[given.get(t, Section(title=t)) for t in DAILY_SECTIONS],
    )


SUMMARY = Section(
    title="Summary",
    figures=(
        figure("v.reported", "Violations reported", 15, "incidents", 12, shown=COALITION),
        figure("v.verified", "Violations verified", 9, "incidents", 11, shown=COALITION),
        figure("area", "Area held", Decimal("1234567.5"), "km²", None),
        figure("line", "Line of contact", "holding", "", "holding"),
    ),
    paragraphs=("The ceasefire broadly held along the line of contact.", HOSTILE),
    dissent=f"One member dissents: {HOSTILE}",
)
SECTORS = Section(
    title="Violations by sector and type",
    columns=("Sector", "Year", "Small arms", "Artillery"),
    items=tuple(
        Row(cells=(f"Sector {n}", "2025", str(n * 3), str(n * 1234)), shown=REL_TO)
        for n in range(1, 4)
    ),
)


class Reader(HTMLParser):
    """The parts of an HTML briefing a test looks at: tags, attributes, classed texts."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.classed: list[tuple[str, str]] = []  # (class attribute, text inside)
        self._open: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs
        self._open.append(dict(attrs).get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1] and data.strip():
            self.classed.append((self._open[-1], data.strip()))

    def texts(self, *css_classes: str) -> list[str]:
        """The texts directly inside elements that have every one of ``css_classes``."""
        wanted = set(css_classes)
        return [text for classes, text in self.classed if wanted <= set(classes.split())]


# --- HTML ---------------------------------------------------------------------------------


def test_hostile_text_is_escaped_everywhere() -> None:
    document = daily(
        [
            SUMMARY,
            Section(title="Territory", columns=("Place",), items=(Row(cells=(HOSTILE,)),)),
        ],
        title=f"Daily {HOSTILE}",
    )
    page = render.html(document)
    reader = Reader(page)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;" in page
    assert {"script", "img", "link", "iframe", "object", "image"}.isdisjoint(reader.tags)
    names = {name for name, _ in reader.attributes}
    assert {"src", "href", "xlink:href"}.isdisjoint(names)
    assert "http" not in " ".join(value or "" for _, value in reader.attributes)
    assert "url(" not in page and "@import" not in page  # the inlined stylesheet fetches nothing


def test_every_section_prints_its_own_marking_line() -> None:
    document = daily([SUMMARY, SECTORS, Section(title="Territory", shown=NATIONAL)])
    reader = Reader(render.html(document))
    assert reader.texts("portion-marking") == [s.marking.label for s in document.sections]
    assert reader.texts("portion-marking")[:3] == [
        "COALITION",
        "REL TO FRA, GBR, POL",
        "NATIONAL (POL)",
    ]


def test_the_overall_marking_heads_and_foots_the_document() -> None:
    document = daily([SUMMARY, SECTORS])
    page = render.html(document)
    reader = Reader(page)
    assert document.marking.label == "REL TO FRA, GBR, POL"
    assert reader.texts("marking-band") == [document.marking.label] * 2
    body = page[page.index("<body") :]
    assert body.index("marking-top") < body.index("masthead")
    assert body.index("marking-bottom") > body.index("colophon")
    assert render.html(daily()).count(">PUBLIC</div>") == 2


def test_the_header_states_period_cutoff_audience_and_status() -> None:
    page = render.html(daily([SUMMARY]), inputs_digest="ab" * 32)
    assert "11 March 2025 18:00 EET (Europe/Kyiv) to 12 March 2025 18:00 EET" in page
    assert "Leaders&#39; offices of the coalition" in page
    assert "Daily report No. 7" in page and "Draft" in page
    assert "ab" * 32 in page
    issued = render.html(daily([SUMMARY]), status="issued")
    assert "Issued" in issued and "Draft" not in issued
    with pytest.raises(Invalid):
        render.html(daily(), status="final")


def test_figures_print_value_change_source_and_cutoff() -> None:
    reader = Reader(render.html(daily([SUMMARY])))
    assert reader.texts("num", "value") == [
        "15 incidents",
        "9 incidents",
        "1,234,567.5 km²",
        "holding",
    ]
    assert reader.texts("num", "change") == [
        "+3 incidents",
        "\u22122 incidents",
        "first edition: no previous figure",
        "unchanged",
    ]
    assert reader.texts("cutoff") == ["as of 12 Mar 2025 18:00 EET"] * 4


def test_tables_group_thousands_but_not_years_and_sections_are_numbered() -> None:
    reader = Reader(render.html(daily([SECTORS])))
    page = render.html(daily([SECTORS]))
    assert "3,702" in page and "2025" in page and "2,025" not in page
    assert reader.texts("section-number")[:2] == ["1.", "2."]


@pytest.mark.parametrize(
    ("cell", "printed"),
    [
        ("1234567", "1,234,567"),
        ("1,234", "1,234"),
        ("-3", "\u22123"),
        ("\u22123.5", "\u22123.5"),
        ("54%", "54%"),
        ("+1234", "+1,234"),
        ("12.50", "12.50"),
        ("Sector 4", "Sector 4"),
        ("1.2.3", "1.2.3"),
    ],
)
def test_a_number_in_a_table_prints_with_separators_and_a_true_minus(
    cell: str, printed: str
) -> None:
    assert render.printed_cell(cell) == printed


def test_a_chart_is_drawn_for_shared_units_and_numeric_columns_only() -> None:
    page = render.html(daily([SUMMARY, SECTORS]))
    assert page.count("<svg") == 2
    assert "<title>Summary: incidents</title>" in page
    assert "<title>Small arms by sector</title>" in page
    lone = Section(title="Summary", figures=(figure("x", "Only one", 3, "incidents", 2),))
    assert "<svg" not in render.html(daily([lone]))
    zeros = Section(
        title="Summary",
        figures=(
            figure("a", "Reported", 0, "reports", 0),
            figure("b", "Verified", 0, "reports", None),
        ),
        columns=("Region", "Reports"),
        items=(Row(cells=("North", "0")), Row(cells=("South", "0"))),
    )
    assert "<svg" not in render.html(daily([zeros]))


def test_the_inlined_stylesheet_is_the_one_its_hash_allows() -> None:
    page = render.html(daily([SUMMARY]))
    inlined = page[page.index("<style>") + len("<style>") : page.index("</style>")]
    digest = base64.b64encode(hashlib.sha256(inlined.encode()).digest()).decode()
    assert render.style_source() == f"'sha256-{digest}'"
    assert page.count("<style>") == 1 and " style=" not in page


def test_print_rules_follow_for_print() -> None:
    assert 'class="briefing briefing-daily edition-draft for-print"' in render.html(daily())
    assert "for-print" not in render.html(daily(), for_print=False).split("<body", 1)[1]


# --- PDF ----------------------------------------------------------------------------------


def long_document() -> Document:
    words = "Monitors observed the line of contact from fixed posts and by drone. " * 12
    return daily(
        [
            SUMMARY,
            SECTORS,
            Section(title="Civilian impact", paragraphs=(words,) * 12, shown=COALITION),
        ],
        title="Daily report on the ceasefire",
    )


@pytest.fixture(scope="module")
def printed() -> tuple[bytes, ShippedFiles]:
    fetcher = ShippedFiles()
    return render.pdf(long_document(), fetcher=fetcher), fetcher


def test_the_pdf_is_marked_at_the_top_and_bottom_of_every_page(
    printed: tuple[bytes, ShippedFiles],
) -> None:
    data, _ = printed
    pages = render.texts_of_pages(data)
    count = render.page_count(data)
    assert count == len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert text.count("REL TO FRA, GBR, POL") >= 2, number
        assert f"Page {number} of {count}" in text


def test_the_pdf_holds_the_title_and_the_figures(printed: tuple[bytes, ShippedFiles]) -> None:
    first = render.texts_of_pages(printed[0])[0]
    assert "Daily report on the ceasefire" in first
    for said in ("Violations reported", "15 incidents", "+3 incidents", "1,234,567.5 km²"):
        assert said in first


def test_the_pdf_fetches_shipped_fonts_only(printed: tuple[bytes, ShippedFiles]) -> None:
    data, fetcher = printed
    assert fetcher.seen, "the fonts come through the fetcher"
    assert fetcher.refused == []
    assert all(url.startswith("file:") for url in fetcher.seen)
    assert all(fetcher.shipped(url) is not None for url in fetcher.seen)
    fonts = {
        str(font["/BaseFont"]).split("+", 1)[-1]
        for page in PdfReader(BytesIO(data)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all(name.startswith("Briefing-DejaVu-Sans") for name in fonts), fonts


@pytest.mark.parametrize(
    "url",
    [
        "http://example.invalid/x.png",
        "https://example.invalid/font.ttf",
        "data:text/css,body{}",
        "file:///etc/passwd",
        "file://example.invalid/etc/passwd",
    ],
)
def test_the_fetcher_refuses_anything_not_shipped(url: str) -> None:
    fetcher = ShippedFiles()
    with pytest.raises(Refused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_a_shipped_file() -> None:
    fetcher = ShippedFiles()
    stylesheet = (shipped_folders()[1] / "briefing.css").as_uri()
    assert fetcher.fetch(stylesheet).read().startswith(b"/*")


def test_a_refused_fetch_stops_the_printing() -> None:
    with pytest.raises(Refused) as raised:
        write('<p><img src="http://example.invalid/x.png"></p>', marking="PUBLIC", footer="x")
    assert raised.value.urls == ("http://example.invalid/x.png",)


def test_a_marking_cannot_break_out_of_its_css_string() -> None:
    quoted = css_string('A"} body { display: none } \\')
    assert quoted.count('"') == 2 and "}" not in quoted and "\\5c " in quoted


@pytest.mark.e2e
def test_a_browser_printing_the_html_repeats_the_marking_on_every_sheet(browser: Any) -> None:
    requested: list[str] = []
    page = browser.new_page()
    try:
        page.on("request", lambda request: requested.append(request.url))
        page.set_content(render.html(long_document()))
        data = page.pdf(prefer_css_page_size=True)
    finally:
        page.close()
    assert requested == []
    sheets = render.texts_of_pages(data)
    assert len(sheets) >= 3
    for number, text in enumerate(sheets, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0] == lines[-1] == "REL TO FRA, GBR, POL", (number, lines[0], lines[-1])
