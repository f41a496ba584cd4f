"""A briefing's HTML printed to an A4 PDF through WeasyPrint, fetching only shipped files. Pure.

Coalition networks are often air-gapped and a briefing may be printed on one, so the
rendering reads nothing but files shipped inside the package: the DejaVu Sans fonts in
``data/fonts`` and the stylesheets in ``web/static``. :class:`ShippedFiles` is the URL
fetcher that enforces it. It refuses every other URL (``http``, ``https``, ``data``, a
file outside those folders) and the refusal stops the rendering with :class:`Refused`:
WeasyPrint would otherwise log a warning and print the page without the resource.

The overall marking is printed in the page's top-center and bottom-center margin boxes,
so it heads and foots every page however the content breaks; the page number ("Page n
of N") and the edition are in the bottom corners.
"""

from __future__ import annotations

import mimetypes
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

FONT_FAMILY = "Briefing DejaVu Sans"
FONTS = (  # (file, weight, style)
    ("DejaVuSans.ttf", "normal", "normal"),
    ("DejaVuSans-Bold.ttf", "bold", "normal"),
    ("DejaVuSans-Oblique.ttf", "normal", "italic"),
)


class Refused(RuntimeError):
    """The rendering asked for a URL that is not a shipped file; ``urls`` names each."""

    def __init__(self, urls: list[str]) -> None:
        super().__init__("a briefing fetches shipped files only; refused: " + ", ".join(urls))
        self.urls = tuple(urls)


def _package_dir(*parts: str) -> Path:
    return Path(str(files("coalition").joinpath(*parts))).resolve()


def shipped_folders() -> tuple[Path, ...]:
    """The folders whose files a briefing may read: the fonts and the static stylesheets."""
    return (_package_dir("data", "fonts"), _package_dir("web", "static"))


def font_path(name: str) -> Path:
    """A shipped font file."""
    return _package_dir("data", "fonts") / name


class ShippedFiles(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """A WeasyPrint URL fetcher that serves ``file:`` URLs of shipped files and refuses
    every other URL, recording both (``seen``, ``refused``) so a caller can check."""

    def __init__(self) -> None:
        super().__init__(fail_on_errors=True, allowed_protocols=("file",))
        self.seen: list[str] = []
        self.refused: list[str] = []

    def shipped(self, url: str) -> Path | None:
        """The shipped file ``url`` names, or None when it names anything else."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        inside = any(path.is_relative_to(folder) for folder in shipped_folders())
        return path if inside and path.is_file() else None

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """The shipped file's bytes; raises :class:`Refused` for any other URL."""
        self.seen.append(url)
        path = self.shipped(url)
        if path is None:
            self.refused.append(url)
            raise Refused([url])
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: anything but letters, digits, spaces and plain
    punctuation is written as a hexadecimal escape, so no text can close the string."""
    safe = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ,.()-:")
    return '"' + "".join(c if c in safe else f"\\{ord(c):x} " for c in text) + '"'


def page_css(*, marking: str, footer: str) -> str:
    """The PDF's own rules: the shipped fonts and the marking in the page's margin boxes.

    WeasyPrint applies them as a user stylesheet, beneath the briefing's own (A4 pages and
    their margins come from ``briefing.css``): the two rules that must override it are
    ``!important``.
    """
    faces = "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{font_path(name).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in FONTS
    )
    mark = css_string(marking)
    return f"""{faces}
html, body {{ font-family: "{FONT_FAMILY}" !important; }}
.marking-band {{ display: none !important; }}
@page {{
  font-family: "{FONT_FAMILY}";
  @top-center {{
    content: {mark}; font-family: "{FONT_FAMILY}"; font-weight: bold; font-size: 9pt;
    letter-spacing: 0.08em; text-transform: uppercase; color: #000;
    border: 0.8pt solid #000; padding: 0 4mm; margin: 9mm 0 6mm; vertical-align: middle;
  }}
  @bottom-center {{
    content: {mark}; font-family: "{FONT_FAMILY}"; font-weight: bold; font-size: 9pt;
    letter-spacing: 0.08em; text-transform: uppercase; color: #000;
    border: 0.8pt solid #000; padding: 0 4mm; margin: 6mm 0 8mm; vertical-align: middle;
  }}
  @bottom-left {{
    content: {css_string(footer)}; font-family: "{FONT_FAMILY}"; font-size: 7.5pt;
    color: #000; vertical-align: middle; margin: 6mm 0 8mm;
  }}
  @bottom-right {{
    content: "Page " counter(page) " of " counter(pages); font-family: "{FONT_FAMILY}";
    font-size: 7.5pt; color: #000; vertical-align: middle; margin: 6mm 0 8mm;
  }}
}}
"""


def _svg_in_shipped_font(html_text: str) -> str:
    """The charts' text set in the shipped font.

    WeasyPrint draws inline SVG apart from the page and does not resolve the charts'
    ``font-family="inherit"``, falling back on whatever sans-serif the system has. The
    attribute can only come from the charts' own markup: text from data is escaped, its
    quotes included.
    """
    return html_text.replace('font-family="inherit"', f'font-family="{FONT_FAMILY}"')


def write(
    html_text: str, *, marking: str, footer: str, fetcher: ShippedFiles | None = None
) -> bytes:
    """``html_text`` printed to PDF bytes, the marking on every page.

    ``fetcher`` (a fresh :class:`ShippedFiles` when None) serves every URL the rendering
    asks for; raises :class:`Refused` if it asked for anything but a shipped file.
    """
    fetcher = fetcher if fetcher is not None else ShippedFiles()
    fonts = FontConfiguration()
    sheet = CSS(
        string=page_css(marking=marking, footer=footer), font_config=fonts, url_fetcher=fetcher
    )
    try:
        document = HTML(string=_svg_in_shipped_font(html_text), url_fetcher=fetcher)
        printed: bytes = document.write_pdf(stylesheets=[sheet], font_config=fonts)
    except FatalURLFetchingError as error:
        raise Refused(fetcher.refused or [str(error)]) from error
    if fetcher.refused:
        raise Refused(fetcher.refused)
    return printed
