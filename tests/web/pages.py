"""Every page kind of the web platform, with a URL on the bundled data and text it must show
(used by the HTML checks in ``tests/web`` and the browser tests in ``tests/browser``), and an
HTML scanner for the resources a page would load."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urlsplit


class PageKind(NamedTuple):
    """A page kind: its name (also the screenshot's), a URL, and text its ``<h1>`` shows."""

    name: str
    url: str
    heading: str


PAGE_KINDS = (
    PageKind("national", "/", "India's exports by district"),
    PageKind("states-list", "/states", "States and UTs"),
    PageKind("state", "/states/24", "Gujarat"),
    PageKind("districts-list", "/districts", "Districts"),
    PageKind("district", "/districts/447", "Jamnagar"),
    PageKind("products-list", "/products", "India's exports by product"),
    PageKind("product-hs", "/products/0904", "HS 0904"),
    PageKind("product-sector", "/products/pharma", "Pharmaceuticals"),
    PageKind("markets-list", "/markets", "India's markets"),
    PageKind("market", "/markets/USA", "United States"),
    PageKind("search", "/search?q=agra", "Search results"),
)

# (tag, attribute) pairs whose URL the browser loads by itself (not a link the user follows)
RESOURCE_ATTRIBUTES = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
    ("image", "href"),
    ("image", "xlink:href"),
    ("use", "href"),
    ("use", "xlink:href"),
    ("feimage", "href"),
    ("form", "action"),
    ("button", "formaction"),
}
# <link rel=...> values that only name a document and load nothing
LINK_RELS_NOT_LOADED = {"canonical", "alternate", "license", "author", "help", "external"}


def is_external(url: str) -> bool:
    """True for a URL on another host (``https://...``, ``//host/...``); relative URLs,
    fragments and ``data:`` URLs are local."""
    url = url.strip()
    if not url or url.startswith("#"):
        return False
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "mailto"):
        return False
    return bool(parts.scheme or parts.netloc)


def css_urls(css: str) -> list[str]:
    """The URLs a stylesheet loads: ``url(...)`` and ``@import "..."``."""
    import re

    found = re.findall(r"""url\(\s*['"]?([^'")]+)""", css, re.I)
    found += re.findall(r"""@import\s+['"]([^'"]+)""", css, re.I)
    return found


class ResourceScanner(HTMLParser):
    """Collects every URL an HTML page (or template) would make the browser load, and every
    link to another host the user could follow (allowed: licence and source links)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loaded: list[tuple[str, str]] = []
        self.outbound_links: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        for attr, value in values.items():
            if (tag, attr) in RESOURCE_ATTRIBUTES:
                for candidate in value.split(","):  # srcset: "url 2x, url 3x"
                    self.loaded.append((f"<{tag} {attr}>", candidate.strip().split(" ")[0]))
            if attr == "style":
                self.loaded += [(f"<{tag} style>", u) for u in css_urls(value)]
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if not rels <= LINK_RELS_NOT_LOADED:
                self.loaded.append((f"<link rel={values.get('rel')}>", values.get("href", "")))
        if tag == "a" and is_external(values.get("href", "")):
            self.outbound_links.append(values["href"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.loaded += [("<style>", u) for u in css_urls(data)]


def external_resources(html: str) -> list[tuple[str, str]]:
    """(where, URL) of every resource of ``html`` on another host; empty when none."""
    scanner = ResourceScanner()
    scanner.feed(html)
    scanner.close()
    return [(where, url) for where, url in scanner.loaded if is_external(url)]
