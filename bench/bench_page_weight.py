"""Page weight of every page the browser journeys visit (issue 16), signed in as the demo persona who
visits it: HTML + CSS + JS on a first visit (the page and every stylesheet and script it links) and on a
repeat visit (the page, plus any asset the server does not let the browser cache), compressed as served
(gzip or brotli when the server sends it so, else gzip -6, which a reverse proxy or whitenoise's
compressed storage sends), each printed beside the 60 KB floor for a first visit. Fails loudly if a page
or a stylesheet loads anything from another origin (the journeys also watch the browser's own requests).

Standalone (`bench/run.py bench_page_weight`): loads the demo data into the bench's throw-away database
(DEMO_MODE on, a few minutes on a busy machine) and asks through Django's test client. Under `make e2e`:
tests/e2e/test_page_weight.py measures the served app over HTTP with the same code and asserts the floor.
"""

from __future__ import annotations

import gzip
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from benchlib import Row

from threadline.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD

FLOOR_KB = 60.0
PLANNED = "Y-DEMCAA"  # the demo youth with a plan, a partner team and a screening (care/demo.py)
UNPLANNED = "Y-DEMCAF"  # the demo youth the supervisor's journey opens by emergency access
LOADS = re.compile(
    r"<(script|link|img|iframe|source|video|audio|embed|object)\b([^>]*)>", re.IGNORECASE | re.DOTALL
)
ATTRIBUTE = re.compile(r'\b(src|href|data|srcset)="([^"]*)"', re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FOREIGN = re.compile(r"^(https?:)?//", re.IGNORECASE)
try:  # brotli is asked for only when it can be read
    import brotli  # type: ignore[import-not-found,unused-ignore]

    ACCEPT = "gzip, br"
except ImportError:
    ACCEPT = "gzip"


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes  # as sent (compressed when the server compressed it)
    encoding: str  # Content-Encoding, "" when none
    cache_control: str
    path: str = ""  # where the redirects, if any, ended


class Fetcher(Protocol):
    """The two ways to ask: Django's test client (standalone) or HTTP to the served app (make e2e)."""

    def get(self, path: str) -> Answer: ...

    def post(self, path: str, data: dict[str, str]) -> Answer: ...

    def sign_in(self, persona: str) -> None: ...


class HttpFetcher:
    """A browser-like session over HTTP: cookies, the CSRF token from the form, gzip and brotli asked."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._new_session()

    def _new_session(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def _ask(self, path: str, form: bytes | None = None) -> Answer:
        request = urllib.request.Request(  # noqa: S310 (loopback, the app under test)
            self.base_url + path, data=form, headers={"Accept-Encoding": ACCEPT}
        )
        try:
            with self.opener.open(request, timeout=60) as answer:
                status, body, headers, url = answer.status, answer.read(), answer.headers, answer.geturl()
        except urllib.error.HTTPError as error:
            status, body, headers, url = error.code, error.read(), error.headers, error.geturl()
        where = url.removeprefix(self.base_url)
        return Answer(
            status, body, headers.get("Content-Encoding", ""), headers.get("Cache-Control", ""), where
        )

    def get(self, path: str) -> Answer:
        return self._ask(path)

    def post(self, path: str, data: dict[str, str]) -> Answer:
        found = CSRF.search(_text(self.get(path)))
        assert found is not None, f"no CSRF token on {path}"
        form = {"csrfmiddlewaretoken": found.group(1), **data}
        return self._ask(path, urllib.parse.urlencode(form).encode())

    def sign_in(self, persona: str) -> None:
        self._new_session()
        self.post("/accounts/login/", {"login": f"{persona}@{DEMO_EMAIL_DOMAIN}", "password": DEMO_PASSWORD})
        assert self.get("/care/").status == 200, f"{persona} could not sign in"


class ClientFetcher:
    """Django's test client in this process (the bench's own database)."""

    def __init__(self) -> None:
        from django.test import Client

        self._client_class = Client
        self.client = Client()

    def get(self, path: str) -> Answer:
        response = self.client.get(path, follow=True)
        body = response.getvalue()  # a file from whitenoise streams; a page does not
        return Answer(
            response.status_code,
            body,
            response.get("Content-Encoding", ""),
            response.get("Cache-Control", ""),
        )

    def post(self, path: str, data: dict[str, str]) -> Answer:
        response = self.client.post(path, data, follow=True)
        chain = response.redirect_chain
        return Answer(response.status_code, response.content, "", "", chain[-1][0] if chain else path)

    def sign_in(self, persona: str) -> None:
        self.client = self._client_class()
        self.post("/accounts/login/", {"login": f"{persona}@{DEMO_EMAIL_DOMAIN}", "password": DEMO_PASSWORD})
        assert self.get("/care/").status == 200, f"{persona} could not sign in"


@dataclass
class Weight:
    persona: str
    path: str
    status: int
    first: int  # bytes, compressed
    repeat: int
    assets: int
    foreign: list[str] = field(default_factory=list)

    @property
    def over(self) -> bool:
        return self.first / 1024 >= FLOOR_KB


def _text(answer: Answer) -> str:
    return _plain(answer).decode("utf-8", "replace")


def _plain(answer: Answer) -> bytes:
    if answer.encoding == "gzip":
        return gzip.decompress(answer.body)
    if answer.encoding == "br":
        return bytes(brotli.decompress(answer.body))
    return answer.body


def _sent(answer: Answer) -> int:
    """Bytes on the wire: as sent when compressed, else what gzip -6 makes of it."""
    return len(answer.body) if answer.encoding else len(gzip.compress(answer.body, compresslevel=6))


def _loads(html: str) -> Iterator[str]:
    """Every URL the page makes the browser fetch by itself (not the links a person may follow)."""
    for tag, attributes in LOADS.findall(html):
        attrs = dict((k.lower(), v) for k, v in ATTRIBUTE.findall(attributes))
        passive = "stylesheet" not in attributes.lower() and "preload" not in attributes.lower()
        if tag.lower() == "link" and passive and not FOREIGN.match(attrs.get("href", "")):
            continue  # a same-origin alternate or canonical link: nothing loaded
        for name in ("src", "href", "data"):
            if attrs.get(name):
                yield attrs[name]
        for candidate in attrs.get("srcset", "").split(","):
            if candidate.strip():
                yield candidate.strip().split()[0]


def _cached(cache_control: str) -> bool:
    found = re.search(r"max-age=(\d+)", cache_control)
    return bool(found and int(found.group(1)) > 0 and "no-store" not in cache_control)


def weigh(fetch: Fetcher, persona: str, path: str) -> Weight:
    page = fetch.get(path)
    html = _text(page)
    weight = Weight(persona, path, page.status, _sent(page), _sent(page), 0)
    for url in _loads(html):
        if FOREIGN.match(url):
            weight.foreign.append(url)
            continue
        if not url.startswith("/") or not url.split("?")[0].endswith((".css", ".js")):
            continue  # a data: icon; images are not part of this figure
        asset = fetch.get(url)
        assert asset.status == 200, f"{url} linked from {path} answers {asset.status}"
        weight.assets += 1
        weight.first += _sent(asset)
        if not _cached(asset.cache_control):
            weight.repeat += _sent(asset)
        if url.split("?")[0].endswith(".css"):
            for groups in CSS_URL.findall(_text(asset)):
                weight.foreign.extend(u for u in groups if FOREIGN.match(u))
    return weight


def _first_link(html: str, pattern: str) -> str:
    found = re.search(rf'href="({pattern})"', html)
    assert found is not None, f"no link like {pattern}"
    return found.group(1)


def _youth_id(fetch: Fetcher, code: str) -> str:
    html = _text(fetch.post("/youth/", {"q": code}))
    ids = set(re.findall(r'href="/youth/([0-9a-f-]{36})/"', html))
    assert len(ids) == 1, f"{len(ids)} youths found by {code}"
    return ids.pop()


def journey_pages(fetch: Fetcher) -> Iterator[tuple[str, str]]:
    """(persona, path) for each page the journeys of tests/e2e visit, the ids found as they find them."""
    yield from (("visitor", p) for p in ("/refer/", "/accounts/login/", "/directory/", "/no-such-page/"))
    # The search is a POST (a ZIP code never goes in a URL) answered with the GET URL that shows it.
    bexar = re.search(r'<option value="(\w+)">Bexar</option>', _text(fetch.get("/directory/")))
    assert bexar is not None, "no Bexar county in the directory's search"
    search = fetch.post("/directory/", {"county": bexar.group(1), "age": "15", "language": "es"})
    assert search.path.startswith("/directory/?"), search.path
    yield "visitor", search.path
    yield "visitor", _first_link(_text(search), r"/directory/services/[^\"]+")
    fetch.sign_in("coordinator")
    planned, unplanned = _youth_id(fetch, PLANNED), _youth_id(fetch, UNPLANNED)
    instrument = re.search(r'<option value="(\d+)"', _text(fetch.get(f"/care/{planned}/screenings")))
    assert instrument is not None, "no screening instrument is loaded"
    fetch.post("/youth/emergency-access", {"reference": UNPLANNED, "reason": "Page weight: a test access"})
    for path in (
        "/care/",
        "/youth/",
        "/intake/eligibility/",
        "/intake/referrals/",
        f"/care/{planned}/plan",
        f"/care/{planned}/meetings",
        f"/care/{planned}/safety-plan",
        f"/care/{planned}/safety-plan/print?lang=en",
        f"/care/{planned}/safety-plan/print?lang=es",
        f"/care/{planned}/screenings",
        f"/care/{planned}/screenings?instrument={instrument.group(1)}",
        f"/youth/{planned}/consents",
        "/youth/emergency-access",
    ):
        yield "coordinator", path
    fetch.sign_in("advocate")
    for path in ("/intake/", "/intake/referrals/", f"/care/{planned}/notes"):
        yield "advocate", path
    yield "advocate", _first_link(_text(fetch.get("/intake/referrals/")), r"/intake/referrals/[0-9a-f-]{36}/")
    fetch.sign_in("dfps")
    for path in ("/", "/youth/", f"/youth/{planned}/", f"/care/{planned}/plan", f"/care/{planned}/notes"):
        yield "partner (dfps)", path
    fetch.sign_in("supervisor")
    yield "supervisor", "/youth/emergency-access"
    yield (
        "supervisor",
        _first_link(_text(fetch.get("/youth/emergency-access")), r"/youth/emergency-access/[^\"]+"),
    )
    yield "supervisor", f"/youth/{unplanned}/access"


def measure(fetch: Fetcher) -> list[Weight]:
    """Each page weighed right after it is named (the persona named it signed in)."""
    return [weigh(fetch, persona, path) for persona, path in journey_pages(fetch)]


def table(weights: list[Weight]) -> str:
    lines = [
        f"{'persona':<15} {'page':<62} {'st':>3} {'first KB':>8} {'floor':>6} {'repeat KB':>9} {'assets':>6}"
    ]
    for w in weights:
        shown = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", w.path)
        lines.append(
            f"{w.persona:<15} {shown:<62} {w.status:>3} {w.first / 1024:>8.1f} {FLOOR_KB:>6.0f} "
            f"{w.repeat / 1024:>9.1f} {w.assets:>6}"
            + (" OVER" if w.over else "")
            + (" THIRD-PARTY" if w.foreign else "")
        )
    return "\n".join(lines)


def rows(weights: list[Weight]) -> list[Row]:
    return [
        Row(
            "page_weight",
            f"{w.persona} {re.sub(r'[0-9a-f]{8}-[0-9a-f-]{27}', '<id>', w.path)} ({w.status})",
            1,
            0.0,
            0.0,
            target=f"first < {FLOOR_KB:.0f} KB",
            note=f"first {w.first / 1024:.1f} KB, repeat {w.repeat / 1024:.1f} KB, {w.assets} assets"
            + (" OVER THE FLOOR" if w.over else "")
            + (f" THIRD-PARTY {w.foreign}" if w.foreign else ""),
        )
        for w in weights
    ]


def run() -> list[Row]:
    import io
    import logging

    from django.core.management import call_command
    from django.test.utils import override_settings

    logging.getLogger("huey").setLevel(logging.WARNING)  # a line per background job otherwise
    with override_settings(DEMO_MODE=True):
        call_command("load_demo", stdout=io.StringIO())
        weights = measure(ClientFetcher())
    print(table(weights))
    foreign = [f"{w.path}: {u}" for w in weights for u in w.foreign]
    assert not foreign, f"third-party assets: {foreign}"
    return rows(weights)
