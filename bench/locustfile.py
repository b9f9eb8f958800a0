"""The simulated people of `make bench-load` (bench/load.py starts the app and runs this headless).

Coordinators search for youths, open records and take referrals; advocates open their caseload and
write case notes; both search the directory; strangers send the public /refer/ form; one supervisor
looks at the dashboard (read from the replica). Everyone signs in as a fictional demo person
(``*@demo.threadline.test``, DEMO_MODE, no second factor). Every request is written as one JSON line to
``BENCH_LOAD_SAMPLES`` (time, name, ms, error) so bench/load.py can cut the run into its steps; the
shape steps the number of people up through ``BENCH_LOAD_STEPS``, ``BENCH_LOAD_STEP_SECONDS`` each.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
import uuid
from typing import Any

from benchlib import STAFF_REFERRAL, public_referral_form
from locust import LoadTestShape, between, events, task
from locust.contrib.fasthttp import FastHttpUser

PASSWORD = "threadline-demo"  # noqa: S105 — the fictional demo accounts' published password
DOMAIN = "demo.threadline.test"
STEPS = [int(n) for n in os.environ.get("BENCH_LOAD_STEPS", "2,4,8,16").split(",")]
STEP_SECONDS = int(os.environ.get("BENCH_LOAD_STEP_SECONDS", "60"))
SAMPLES = open(os.environ.get("BENCH_LOAD_SAMPLES", os.devnull), "a", buffering=1)  # noqa: SIM115
YOUTH_LINK = re.compile(r'href="/(?:youth|care)/([0-9a-f-]{36})/')
SIGN_IN_FORM = re.compile(r'name="login"[^>]*>.*name="password"', re.S)
PROGRAM = re.compile(r'<option value="(\d+)"')
# Bexar, Kendall, Kerr, Hidalgo, Montgomery, McLennan, Travis, Comal (the directory's county codes)
COUNTIES = ["48029", "48259", "48265", "48215", "48339", "48309", "48453", "48091"]
rng = random.Random(18)  # which page and which youth: not security


@events.request.add_listener
def _sample(
    request_type: str, name: str, response_time: float, exception: BaseException | None, **_kw: Any
) -> None:
    row = {"t": time.time(), "name": name, "ms": response_time, "error": str(exception) if exception else ""}
    SAMPLES.write(json.dumps(row) + "\n")


class Steps(LoadTestShape):
    """``BENCH_LOAD_STEPS`` people, one step after the other, then stop."""

    def tick(self) -> tuple[int, float] | None:
        step = int((time.perf_counter() - self.start_time) // STEP_SECONDS)  # as get_run_time() counts
        if step >= len(STEPS):
            return None
        return STEPS[step], float(STEPS[step])


class SignedIn(FastHttpUser):
    """A demo person who signs in first; every page answered with the sign-in form counts as an error."""

    abstract = True
    wait_time = between(1, 3)  # seconds between two clicks of one person
    who = "coordinator"

    def on_start(self) -> None:
        self.client.get("/accounts/login/", name="sign in")
        credentials = {"login": f"{self.who}@{DOMAIN}", "password": PASSWORD}
        self.page("POST", "/accounts/login/", "sign in", credentials)
        self.youths = self._youths()

    def page(self, method: str, url: str, name: str, data: dict[str, str] | None = None) -> str:
        """One request (following redirects); a 4xx/5xx or the sign-in form in its place fails it."""
        body = {**data, **self._csrf()} if data is not None else None
        with self.client.request(method, url, name=name, data=body, catch_response=True) as answer:
            text = answer.text or ""
            if answer.status_code and answer.status_code < 400 and SIGN_IN_FORM.search(text):
                answer.failure("answered with the sign-in form")
            return text

    def _csrf(self) -> dict[str, str]:
        token = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), None)
        return {"csrfmiddlewaretoken": token or ""}

    def _youths(self) -> list[str]:
        return []

    def youth(self) -> str:
        return rng.choice(self.youths) if self.youths else ""


class Staff(SignedIn):
    abstract = True

    @task(3)
    def open_record(self) -> None:
        if self.youths:
            self.page("GET", f"/youth/{self.youth()}/", "open a record")

    @task(2)
    def directory_search(self) -> None:
        # The search form posts and is redirected to this GET (post/redirect/get): the GET is the search.
        county = rng.choice(COUNTIES)
        self.page("GET", f"/directory/staff/?county={county}&serves_minors=on&page=1", "directory search")


class Coordinator(Staff):
    weight = 3
    who = "coordinator"

    def _youths(self) -> list[str]:
        form = self.page("GET", "/intake/referrals/new/", "new referral form")
        self.programs = PROGRAM.findall(form[form.find('name="program"') :].split("</select>")[0])
        page = self.page("GET", "/youth/", "youth list")
        return list(dict.fromkeys(YOUTH_LINK.findall(page)))

    @task(2)
    def find_youth(self) -> None:
        name = rng.choice(["Alex", "Sam", "Jordan", "Maria", "Luis", "Ana"])
        self.page("POST", "/youth/", "find a youth", {"q": name})

    @task(1)
    def referral_queue(self) -> None:
        self.page("GET", "/intake/referrals/", "referral queue")

    @task(1)
    def take_referral(self) -> None:
        program = rng.choice(self.programs) if self.programs else ""
        data = {**STAFF_REFERRAL, "program": program, "youth_name": "Fictional"}
        self.page("POST", "/intake/referrals/new/", "take a referral", data)


class Advocate(Staff):
    weight = 3
    who = "advocate"

    def _youths(self) -> list[str]:
        return list(dict.fromkeys(YOUTH_LINK.findall(self.page("GET", "/care/", "my work"))))

    @task(2)
    def my_work(self) -> None:
        self.page("GET", "/care/", "my work")

    @task(2)
    def add_note(self) -> None:
        if self.youths:
            note = {"action": "save", "contact_type": "phone", "duration_minutes": "15"}
            note["narrative"] = "A fictional phone call, written by the load benchmark."
            self.page("POST", f"/care/{self.youth()}/notes", "add a case note", note)


class Supervisor(SignedIn):
    fixed_count = 1
    who = "supervisor"
    wait_time = between(8, 12)

    @task
    def dashboard(self) -> None:
        self.page("GET", "/outcomes/?period=fytd", "supervisor dashboard")


class Stranger(FastHttpUser):
    """Someone sending the public referral form (no account; the form's proof of work solved here)."""

    weight = 1
    wait_time = between(2, 6)

    @task
    def refer(self) -> None:
        page = self.client.get("/refer/", name="public /refer/ form").text or ""
        form = public_referral_form(page, f"A fictional load-bench referral {uuid.uuid4().hex[:8]}")
        if form is not None:
            self.client.post("/refer/", data=form, name="public /refer/ send")
