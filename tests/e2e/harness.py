"""What every journey step checks: axe-core (WCAG 2.2 AA, zero serious or critical), no sideways scroll on a
360 px phone, no Content-Security-Policy violation, no asset from another origin, and a screenshot at both
sizes under test-results/."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Request, Response, ViewportSize

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
AXE = ROOT / "tests" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
DEMO_PASSWORD = "threadline-demo"
QUICK_EXIT_HOST = "www.weather.gov"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Content-Security-Policy violations are recorded by the page itself (an init script runs before the
# page's own code and is not subject to its CSP).
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


@dataclass
class Journey:
    page: Page
    base_url: str
    name: str
    size: ViewportSize
    problems: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    step: int = 0

    def __post_init__(self) -> None:
        self.folder = RESULTS / slug(self.name)
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.page.add_init_script(CSP_RECORDER)
        self.page.on("request", self._note_request)
        # Quick exit leaves for a weather site: answered here, so the suite never needs the internet.
        self.page.route(
            f"https://{QUICK_EXIT_HOST}/**",
            lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Weather</title>"),
        )

    def _note_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        if request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            return
        if host == QUICK_EXIT_HOST and request.is_navigation_request():
            return
        self.problems.append(f"third-party request from {self.page.url}: {request.url}")

    # -- navigation ---------------------------------------------------------------------------------------
    def goto(self, path: str, *, status: int = 200) -> Response:
        response = self.page.goto(path)
        assert response is not None
        assert response.status == status, f"{path} answered {response.status}, expected {status}"
        return response

    def sign_in(self, local: str, *, keyboard: bool = False) -> None:
        self.goto("/accounts/login/")
        self.check("sign in")
        email = self.page.locator("#id_login")
        email.fill(f"{local}@demo.threadline.test")
        self.page.locator("#id_password").fill(DEMO_PASSWORD)
        if keyboard:
            self.page.locator("#id_password").press("Enter")
        else:
            self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(lambda url: "/accounts/login" not in url)

    # -- the checks on every page -------------------------------------------------------------------------
    def check(self, label: str, *, axe: bool = True) -> None:
        self.step += 1
        page = self.page
        page.wait_for_load_state("load")
        self.visited.append(urlsplit(page.url).path)
        if axe:
            page.evaluate(AXE.read_text())
            found: list[str] = page.evaluate(AXE_RUN, AXE_TAGS)
            self.problems.extend(f"axe on {page.url} [{label}]: {line}" for line in found)
        violations: list[str] = page.evaluate("window.__cspViolations || []")
        self.problems.extend(f"CSP on {page.url}: {line}" for line in violations)
        original = page.viewport_size or self.size
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            if size == PHONE:
                wide: int = page.evaluate("document.documentElement.scrollWidth")
                if wide > PHONE["width"]:
                    self.problems.append(f"{page.url} [{label}] is {wide} px wide on a 360 px phone")
            shot = self.folder / f"{self.step:02d}-{slug(label)}-{size['width']}x{size['height']}.png"
            page.screenshot(path=str(shot), full_page=True)
        page.set_viewport_size(original)

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)

    def wait_until(self, expression: str, *, timeout: float = 60) -> None:
        """Poll a JS expression (the page's CSP forbids the string eval that wait_for_function uses)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.page.evaluate(f"(() => !!({expression}))()"):
                    return
            except PlaywrightError:  # the page navigated while asked: ask the new one
                pass
            self.page.wait_for_timeout(200)
        raise AssertionError(f"never true on {self.page.url}: {expression}")

    def sign_out(self) -> None:
        """Forget the session (a second persona signs in next, in the same browser)."""
        self.page.context.clear_cookies()

    def assert_target_sizes(self, *, at_least: int) -> None:
        """WCAG 2.2 target size (2.5.8): every checkbox on the page is at least 24 x 24 CSS px. `at_least`
        says how many the page must show, so a page whose checkboxes vanished fails too."""
        boxes: list[dict[str, Any]] = self.page.locator("main input[type=checkbox]").evaluate_all(
            """es => es.map(e => { const r = e.getBoundingClientRect();
                return {name: e.name, id: e.id, width: r.width, height: r.height, shown: e.checkVisibility()}; })"""
        )
        shown = [b for b in boxes if b["shown"]]
        assert len(shown) >= at_least, (
            f"{len(shown)} checkboxes shown on {self.page.url}, expected {at_least}+"
        )
        small = [b for b in shown if b["width"] < 24 or b["height"] < 24]
        assert not small, f"checkboxes under 24 x 24 px on {self.page.url}: {small}"

    def refer(self, story: str, *, urgent: bool = True) -> None:
        """Someone sends a referral on the public page (what the staff journeys then act on): the story
        carries a marker that the journey looks for, so it acts on this referral and no other."""
        page = self.page
        self.goto("/refer/")
        self.assert_target_sizes(at_least=1)
        self.wait_until("document.querySelector('input[name=altcha]').value !== ''")
        page.locator("#id_what_is_known").fill(story)
        if urgent:
            page.locator("#id_urgent").check()
        page.locator("#id_age").fill("15")
        page.locator("#id_county").fill("Bexar")
        page.locator("form[data-pow] button[type=submit]").click()
        page.wait_for_url("**/refer/thanks/")

    def newest_referral(self, story: str) -> str:
        """The newest referral at the top of the queue (urgent first, newest first): its path, after
        checking that it is the one whose story is `story`."""
        page = self.page
        self.goto("/intake/referrals/")
        self.check("referral queue")
        href = page.locator("main table a[href^='/intake/referrals/']").first.get_attribute("href")
        assert href is not None and re.fullmatch(r"/intake/referrals/[0-9a-f-]{36}/", href), href
        self.goto(href)
        assert story in page.locator("main").inner_text(), f"the newest referral is not the one sent: {href}"
        return href

    def youth_by_code(self, code: str) -> str:
        """Find a youth by record code on the youth list (the search is a POST: no code in any URL)."""
        page = self.page
        self.goto("/youth/")
        page.locator("#youth-q").fill(code)
        page.locator("#youth-q").press("Enter")
        page.locator("#youth-results > p.muted").wait_for()  # the match count: shown only for a search
        found = page.locator("#youth-results a[href^='/youth/']")
        assert found.count() == 1, f"{found.count()} youths found by {code}"
        href = found.first.get_attribute("href")
        assert href is not None
        matched = re.fullmatch(r"/youth/([^/]+)/", href)
        assert matched is not None, href
        return matched.group(1)

    # -- small helpers ------------------------------------------------------------------------------------
    def focused(self) -> dict[str, Any]:
        """The element that has focus: tag, id, text, and whether a focus outline is drawn."""
        return dict(
            self.page.evaluate(
                """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return {tag: e.tagName.toLowerCase(), id: e.id, type: e.type || '', cls: e.className, text: (e.textContent || '').trim().slice(0, 80),
                        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }"""
            )
        )

    def tab_to(self, predicate_js: str, *, limit: int = 80) -> None:
        """Press Tab until the focused element satisfies `predicate_js` (a JS expression on `e`), checking
        that each element reached draws a visible focus indicator."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            state = self.focused()
            # Chromium's own calendar button inside a date field draws its own ring (the field is not
            # :focus then): not ours to style.
            if state["tag"] != "body" and not state["outline"] and state["type"] != "date":
                self.problems.append(f"no visible focus on {state} at {self.page.url}")
            if self.page.evaluate(
                f"(() => {{ const e = document.activeElement; return !!({predicate_js}); }})()"
            ):
                return
        raise AssertionError(f"Tab never reached {predicate_js} on {self.page.url}")
