"""Shared fixtures, and the test tiers.

Tiers cannot be forgotten: a test is marked from the fixtures it uses. One that asks (directly or
through another fixture) for `site_builder` runs MkDocs and is marked `slow`; one that asks for
`browser` is marked `browser` and `slow`. `make test-fast` runs what is left. A test that runs
MkDocs without being marked slow fails with a message saying which fixture to request, so a
build cannot slip into the fast tier by calling `build_site` directly.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


# Fixtures whose use makes a test slow (runs MkDocs) or a browser test.
SLOW_FIXTURES = {"site_builder"}
BROWSER_FIXTURES = {"browser"}

_TIER = {"fast": False}   # True while a test of the fast tier (not marked slow) is set up or runs


def pytest_collection_modifyitems(items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
        elif names & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)


def pytest_configure(config):
    # Every MkDocs build goes through this function, in this process or in a forked shard.
    import mkdocs.commands.build as mkdocs_build

    real = mkdocs_build.build

    def guarded(*args, **kwargs):
        if _TIER["fast"]:
            raise RuntimeError("this test runs MkDocs but is not marked slow: request the "
                               "`site_builder` fixture (directly or through a fixture) to build")
        return real(*args, **kwargs)

    mkdocs_build.build = guarded


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _TIER["fast"] = item.get_closest_marker("slow") is None


def pytest_runtest_teardown(item):
    _TIER["fast"] = False


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output (read the diff!)")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """An empty data/ folder inside a throwaway project root."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def site_builder():
    """build(config_file, site_dir, ...) -> exit code: a real MkDocs build (marks a test slow)."""
    from generator.build import build_site

    return build_site


@pytest.fixture(scope="session")
def project_factory():
    """new(folder, ...) -> a throwaway project: see tests/projects.py."""
    from .projects import new_project

    return new_project


@pytest.fixture(scope="session")
def real_site(tmp_path_factory, site_builder) -> Path:
    """The real site (mkdocs.yml and data/ of this repository), built once per test run."""
    from generator.build import default_jobs

    out = tmp_path_factory.mktemp("real") / "site"
    assert site_builder(ROOT / "mkdocs.yml", out, jobs=default_jobs()) == 0
    return out


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory, site_builder) -> Path:
    out = tmp_path_factory.mktemp("fixture") / "site"
    assert site_builder(FIXTURES / "basic" / "mkdocs.yml", out) == 0
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def serve():
    """serve(folder) -> base URL of a loopback HTTP server for that folder."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright's own browsers cannot be downloaded)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("chromium is not installed: run 'make test', which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def viewport() -> dict:
    """The browser window for `page`; a test module may override it."""
    return {"width": 1280, "height": 1000}


@pytest.fixture
def page(browser, viewport):
    """A fresh Chromium page; the test fails if the page logs an error or throws."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert errors == []
