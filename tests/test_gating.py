"""The members gate in real Chromium, against the local preview (tools/preview/server.mjs) of a
site built by the real plugin and theme: the same edge function, auth function and Netlify
Identity adapter that Netlify runs, with the preview's local blob server and identity stand-in.
The fixture has its own gated pages so that these tests do not wait for the full build; the
full build is scanned for member text in test_gating_leaks.py."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest


pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
SECRET = "preview-test-secret-" + "x" * 32
PASSWORD = "correct horse battery"
SUBSCRIBER = "paid@example.org"


@dataclass
class Gated:
    url: str           # site path, "/modifiers/22/"
    sections: int
    needles: list[str]


@dataclass
class Preview:
    base: str
    state: Path
    log: list[str]

    def url(self, path: str) -> str:
        return self.base + path


CODES = ["22", "23", "24", "25", "26", "27", "32", "33", "47"]


def _site_files(folder: Path) -> None:
    """A small project with 9 gated modifier pages, built with the real theme and plugin."""
    (folder / "content").mkdir(parents=True)
    (folder / "data").mkdir()
    (folder / "content" / "index.md").write_text("# Gating fixture\n")
    # The header's Log in, Register and Log out lead to the account page, which holds the forms.
    shutil.copy(ROOT / "content" / "account.md", folder / "content" / "account.md")
    (folder / "mkdocs.yml").write_text(
        "site_name: Gating fixture\ndocs_dir: content\nstrict: true\n"
        f"theme:\n  name: material\n  custom_dir: {ROOT / 'overrides'}\n  font: false\n"
        "plugins:\n  - codes\nmarkdown_extensions:\n  - admonition\n  - attr_list\n"
        "  - md_in_html\n  - toc:\n      permalink: true\nnav:\n  - Home: index.md\n")
    records = []
    for code in CODES:
        records.append({
            "kind": "modifier", "system": "cpt", "code": code, "title": f"Fixture modifier {code}",
            "description": f"Public summary of fixture modifier {code}.",
            "source": {"name": "Editors (original summary)"},
            "members": [
                {"title": "Coding tips", "body": f"GATE-SECRET-{code}-TIPS keep this text behind the gate.\n"},
                {"title": "Payer notes", "body": f"GATE-SECRET-{code}-PAYER never reaches a guest."},
            ]})
    (folder / "data" / "codes.yaml").write_text(json.dumps({"records": records}))


@pytest.fixture(scope="module")
def gated_site(tmp_path_factory, site_builder) -> Path:
    project = tmp_path_factory.mktemp("gating")
    _site_files(project)
    site = project / "out" / "site"
    assert site_builder(project / "mkdocs.yml", site) == 0
    return site


@pytest.fixture(scope="module")
def gated(gated_site) -> list[Gated]:
    """The fixture's gated pages, with text to look for (and to find missing)."""
    return [Gated(f"/modifiers/{code}/", 2, [f"GATE-SECRET-{code}-TIPS keep this text behind",
                                             f"GATE-SECRET-{code}-PAYER never reaches a guest"])
            for code in CODES]


@pytest.fixture
def preview(gated_site, tmp_path):
    """A fresh preview (new accounts and meters) of the built site on a free loopback port."""
    state = tmp_path / "preview"
    proc = subprocess.Popen(
        ["node", str(ROOT / "tools" / "preview" / "server.mjs"), "--site", str(gated_site),
         "--port", "0", "--state", str(state), "--subscriber", SUBSCRIBER],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "SESSION_SECRET": SECRET})
    log, base = [], None
    for line in proc.stdout:
        log.append(line)
        match = re.search(r" at (http://127\.0\.0\.1:\d+)/", line)
        if match:
            base = match.group(1)
            break
    if base is None:
        proc.kill()
        pytest.fail("the preview did not start:\n" + "".join(log))
    threading.Thread(target=lambda: log.extend(proc.stdout), daemon=True).start()
    yield Preview(base, state, log)
    proc.terminate()
    proc.wait(timeout=10)
    assert not any("preview: " in line and "Error" in line for line in log), "".join(log)


def unlocked(page, target: Gated) -> bool:
    bodies = page.locator(".member-section .member-body")
    if bodies.count() == 0:
        assert page.locator(".member-teaser").count() == target.sections
        html = page.content()
        assert not [n for n in target.needles if n in html], "teaser page carries member text"
        return False
    assert bodies.count() == target.sections
    assert target.needles[0] in page.content()
    return True


def banner(page) -> str:
    return page.locator("[data-meter-banner]").inner_text()


def register(page, preview: Preview, email: str, next_page: str, where: str = ".account-bar"):
    """Register through the header's Register link and the account page's form, or the meter
    banner's form (where="[data-meter-banner]")."""
    page.goto(preview.url(next_page))
    if where == ".account-bar":
        page.locator(".account-bar a", has_text="Register").click()
        form = page.locator("#register form[action='/api/auth/register']")
    else:
        page.locator(f"{where} summary", has_text="Register").click()
        form = page.locator(f"{where} form[action='/api/auth/register']")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    assert "Check your email" in page.locator("main").inner_text()
    link = (preview.state / "outbox" / f"{email}.txt").read_text().strip()
    assert link.startswith(preview.base + "/api/auth/confirm?token=")
    page.goto(link)
    assert page.url == preview.url("/")
    assert page.locator(".account-bar a", has_text="Log out").is_visible()


def log_in_form(page):
    """The header's Log in link, then the account page's form (which comes back to the page)."""
    page.locator(".account-bar a", has_text="Log in").click()
    return page.locator("#log-in form[action='/api/auth/login']")


def test_guest_sees_one_page_then_only_teasers(browser, preview, gated, artifacts):
    context = browser.new_context()
    page = context.new_page()
    first, second = gated[0], gated[1]
    response = page.goto(preview.url(first.url))
    assert response.headers["cache-control"] == "private, no-store"
    assert "etag" not in response.headers
    assert unlocked(page, first)
    assert "0 code page views remaining" in banner(page)

    page.goto(preview.url(second.url))
    assert not unlocked(page, second)
    text = banner(page)
    assert "Guest accounts are limited to 1 page view. Register a free account to get 5 more views" in text
    assert "0 code page views remaining" in text
    page.screenshot(path=str(artifacts / "gating-guest-locked.png"))
    raw = context.request.get(preview.url(second.url)).text()
    assert not [n for n in second.needles if n in raw]

    page.goto(preview.url(first.url.rstrip("/") + "/index.html"))
    assert unlocked(page, first), "re-opening the unlocked page does not count again"
    context.close()


def test_the_meter_banner_leads_a_guest_to_register_and_back(browser, preview, gated, artifacts):
    context = browser.new_context()
    page = context.new_page()
    page.goto(preview.url(gated[0].url))
    page.goto(preview.url(gated[1].url))
    assert not unlocked(page, gated[1])
    bar = page.locator("[data-meter-banner]")
    assert bar.locator(".meter-banner__count").inner_text() == "0"
    assert [b.inner_text() for b in bar.locator("summary.meter-banner__button").all()] == ["Register free", "Log in"]
    bar.locator("summary", has_text="Log in").focus()
    page.screenshot(path=str(artifacts / "gating-meter-banner.png"))
    register(page, preview, "banner@example.org", gated[1].url, where="[data-meter-banner]")
    page.goto(preview.url(gated[1].url))
    assert unlocked(page, gated[1]), "registering from the banner unlocks the page it was on"
    context.close()


def test_a_second_browser_at_the_same_address_gets_no_second_guest_view(browser, preview, gated):
    """Clearing cookies is a new browser context: the address ledger still counts the view."""
    for i, target in enumerate(gated[:3]):
        context = browser.new_context()
        page = context.new_page()
        page.goto(preview.url(target.url))
        assert unlocked(page, target) == (i == 0), target.url
        context.close()


def test_registered_reader_gets_five_more_and_the_meter_survives_cleared_cookies(
        browser, preview, gated):
    context = browser.new_context()
    page = context.new_page()
    page.goto(preview.url(gated[0].url))
    assert unlocked(page, gated[0])
    register(page, preview, "reader@example.org", gated[1].url)

    for i, target in enumerate(gated[1:6], start=1):
        page.goto(preview.url(target.url))
        assert unlocked(page, target), target.url
        assert f"{5 - i} code page view" in banner(page)
    page.goto(preview.url(gated[6].url))
    assert not unlocked(page, gated[6])
    assert "0 code page views remaining this month" in banner(page)
    page.goto(preview.url(gated[2].url))
    assert unlocked(page, gated[2]), "pages unlocked this month stay unlocked"

    # Log out: the header offers Log in again and the session is gone.
    page.locator(".account-bar a", has_text="Log out").click()
    page.locator("#log-out button", has_text="Log out").click()
    page.wait_for_url(preview.url(gated[2].url))
    assert page.locator(".account-bar a", has_text="Log in").is_visible()
    assert "ocr_session" not in {c["name"] for c in context.cookies()}
    context.close()

    # A browser without cookies logs in again: the meter is kept by account, not by cookie.
    context = browser.new_context()
    page = context.new_page()
    page.goto(preview.url(gated[7].url))
    form = log_in_form(page)
    form.locator("input[name=email]").fill("reader@example.org")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(preview.url(gated[7].url))
    assert not unlocked(page, gated[7])
    assert "0 code page views remaining this month" in banner(page)
    page.goto(preview.url(gated[3].url))
    assert unlocked(page, gated[3])
    context.close()


def test_wrong_password_logs_nobody_in(browser, preview, gated):
    context = browser.new_context()
    page = context.new_page()
    register(page, preview, "someone@example.org", "/")
    context.clear_cookies()
    page.goto(preview.url(gated[0].url))
    form = log_in_form(page)
    form.locator("input[name=email]").fill("someone@example.org")
    form.locator("input[name=password]").fill("not the password")
    form.locator("button[type=submit]").click()
    assert "wrong email or password" in page.locator("main").inner_text()
    assert "ocr_session" not in {c["name"] for c in context.cookies()}
    context.close()


def test_subscriber_is_never_metered(browser, preview, gated):
    context = browser.new_context()
    page = context.new_page()
    register(page, preview, SUBSCRIBER, "/")
    for target in gated + gated[:3]:
        page.goto(preview.url(target.url))
        assert unlocked(page, target), target.url
        assert "Subscriber: unlimited code page views" in banner(page)
    context.close()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _token(header: dict, claims: dict, secret: str = SECRET, purpose: bytes = b"session-jwt-v1") -> str:
    """A JWT signed the way the site signs (HMAC key derived from the secret per purpose)."""
    body = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    key = hmac.new(secret.encode(), purpose, hashlib.sha256).digest()
    return f"{body}.{_b64(hmac.new(key, body.encode(), hashlib.sha256).digest())}"


NONE_HEADER = json.dumps({"alg": "none", "typ": "JWT"}).encode()


def test_forged_sessions_get_the_guest_experience(browser, preview, gated):
    now = int(time.time())
    good = {"iss": "open-code-reference", "sub": "forger", "role": "subscriber", "iat": now - 5,
            "exp": now + 3600}
    registered = _token({"alg": "HS256", "typ": "JWT"}, {**good, "role": "registered"})
    head, _, sig = registered.split(".")
    forged = {
        "alg none": f"{_b64(NONE_HEADER)}.{_b64(json.dumps(good).encode())}.",
        "wrong key": _token({"alg": "HS256", "typ": "JWT"}, good, secret="guessed-secret-" + "y" * 32),
        "HS512 header": _token({"alg": "HS512", "typ": "JWT"}, good),
        "expired": _token({"alg": "HS256", "typ": "JWT"}, {**good, "iat": now - 7200, "exp": now - 60}),
        "no role": _token({"alg": "HS256", "typ": "JWT"}, {k: v for k, v in good.items() if k != "role"}),
        "role raised": f"{head}.{_b64(json.dumps(good).encode())}.{sig}",
        "meter key": _token({"alg": "HS256", "typ": "JWT"}, good, purpose=b"guest-meter-v1"),
        "garbage": "A" * 3000,
    }
    # Control: the same recipe with the right key and claims is accepted, so each refusal below
    # is the check at work, not a broken test token.
    control = browser.new_context()
    control.add_cookies([{"name": "ocr_session", "value": _token({"alg": "HS256", "typ": "JWT"}, good),
                          "url": preview.base}])
    page = control.new_page()
    page.goto(preview.url(gated[1].url))
    assert unlocked(page, gated[1]) and "Subscriber" in banner(page)
    control.close()

    for name, value in forged.items():
        context = browser.new_context()
        page = context.new_page()
        page.goto(preview.url(gated[0].url))       # the guest's one view
        context.add_cookies([{"name": "ocr_session", "value": value, "url": preview.base}])
        response = page.goto(preview.url(gated[1].url))
        assert response.status == 200, name
        assert not unlocked(page, gated[1]), name
        assert "Guest accounts are limited to 1 page view" in banner(page), name
        context.close()


def _meter_cookie(month: str, pages: list[str]) -> str:
    """A guest meter cookie as the edge signs it (the meter key, not the session key)."""
    payload = {"g": _b64(os.urandom(16)), "n": len(pages), "m": month, "p": pages}
    body = _b64(json.dumps(payload).encode())
    key = hmac.new(SECRET.encode(), b"guest-meter-v1", hashlib.sha256).digest()
    return f"{body}.{_b64(hmac.new(key, body.encode(), hashlib.sha256).digest())}"


def test_pages_requested_at_once_unlock_no_more_than_the_allowance(preview, gated):
    """A script sends all nine pages at the same instant: an account allowed 6 unlocks 6, a
    guest whose one view was last month unlocks 1 (the meter's slots take create-only writes)."""
    now = int(time.time())
    token = _token({"alg": "HS256", "typ": "JWT"}, {"iss": "open-code-reference", "sub": "burst",
                                                     "role": "registered", "iat": now - 5, "exp": now + 3600})
    year, month = time.gmtime().tm_year, time.gmtime().tm_mon
    last_month = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    guest = _meter_cookie(last_month, ["/modifiers/47/"])
    for cookie, allowed in ((f"ocr_session={token}", 6), (f"ocr_meter={guest}", 1)):
        start = threading.Barrier(len(gated))

        def fetch(target: Gated) -> str:
            start.wait()
            request = urllib.request.Request(preview.url(target.url), headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.read().decode()

        with ThreadPoolExecutor(len(gated)) as pool:
            pages = list(pool.map(fetch, gated))
        unlocked = [t.url for t, html in zip(gated, pages) if t.needles[0] in html]
        assert len(unlocked) == allowed, (cookie.split("=")[0], unlocked)
        for target, html in zip(gated, pages):
            if target.url not in unlocked:
                assert "Register to view content" in html and not [n for n in target.needles if n in html]
