"""Browser journeys: Playwright for Python drives Debian's Chromium (never a downloaded build) against the
app served on loopback with a fresh SQLite database of demo data. Only `make e2e` runs this directory.

THREADLINE_E2E_URL points the suite at a server that is already running (for a quick local loop)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, sync_playwright

from tests.e2e.harness import DESKTOP, PHONE, Journey

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True, scope="session")
def _database_vendor_is_the_one_asked_for() -> None:
    """Overrides the suite's check: these tests use the served app's database, never a test database."""


@pytest.fixture(autouse=True)
def _ledger_flushable_on_sqlite() -> None:
    """Overrides the suite's fixture: no test database here."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="threadline.settings.local",
        THREADLINE_VAR_DIR=str(VAR),
        DEMO_MODE="1",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    return env


def _wait_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the app server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:  # noqa: S310 (loopback)
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the app server did not answer /healthz within 120 s")


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    given = os.environ.get("THREADLINE_E2E_URL")
    if given:
        yield given.rstrip("/")
        return
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    env = _server_env()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "load_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (VAR / "server.log").open("wb")
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    try:
        _wait_healthy(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()


def _journey(
    browser: Browser, base_url: str, request: pytest.FixtureRequest, size: ViewportSize
) -> Iterator[Journey]:
    context = browser.new_context(
        base_url=base_url,
        viewport=size,
        locale="en-US",
        timezone_id="America/Chicago",
        has_touch=size == PHONE,
        service_workers="block",
    )
    page: Page = context.new_page()
    journey = Journey(page=page, base_url=base_url, name=request.node.name, size=size)
    try:
        yield journey
    finally:
        context.close()
    journey.assert_clean()


@pytest.fixture
def phone(browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Journey]:
    yield from _journey(browser, base_url, request, PHONE)


@pytest.fixture
def desktop(browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Journey]:
    yield from _journey(browser, base_url, request, DESKTOP)
