"""Builds fixture sites for real with MkDocs and inspects the HTML they produce."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from generator import changes, members
from generator.build import build_site, update_site

from .conftest import ROOT

pytestmark = pytest.mark.slow


def read(site, path):
    return (site / path).read_text(encoding="utf-8")


def test_modifier_page_links_and_placeholders(fixture_site):
    html = read(fixture_site, "modifiers/53/index.html")
    assert '<span class="code-badge code-badge--cpt">53</span>' in html
    for target in ("52", "73", "74"):
        assert f'<a href="../{target}/">{target}</a>' in html
    assert html.count("Register to view content") == 2
    assert '<h3 id="member-1">Coding tips' in html
    assert '<a href="../../cpt/45378/">45378</a>' in html          # prose mention
    assert '<a href="../../cpt/10004-69990/">10004-69990</a> — Surgery' in html
    assert 'href="https://example.org/repo/blob/main/data/codes.yaml#L12"' in html
    # The breadcrumb's parent (minified pages leave out the optional </li>).
    assert '<li class="crumbs__parent"><a href="../#cpt">CPT modifiers</a><li aria-current' in html


def test_backlinks_and_range_pages(fixture_site):
    html = read(fixture_site, "modifiers/74/index.html")
    assert re.search(r'<a href="../53/">53</a> — Discontinued procedure <span class="ref-how">'
                     r'\(often confused with\)</span>', html)
    # 52 and 53 name each other, so neither repeats the other under "Referenced by".
    page52 = read(fixture_site, "modifiers/52/index.html")
    referenced = page52[page52.index('<h2 id="referenced-by"'):]
    assert '<a href="../XU/">XU</a>' in referenced and '<a href="../53/">' not in referenced
    rng = read(fixture_site, "cpt/99202-99499/index.html")
    assert '<a href="../99213/">99213</a> — Established patient office visit' in rng


def test_member_text_is_in_no_output_file(fixture_site):
    for path in fixture_site.rglob("*"):
        if path.is_file():
            assert b"FIXTURE-SECRET" not in path.read_bytes(), path


def test_raw_html_from_yaml_is_shown_as_text(fixture_site):
    html = read(fixture_site, "modifiers/74/index.html")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_navigation_lists_systems_not_codes(fixture_site):
    html = read(fixture_site, "index.html")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):html.index("</nav>", html.index('<nav class="md-nav md-nav--primary"'))]
    assert "Modifiers" in nav and "CPT" in nav
    assert "Discontinued procedure" not in nav


@pytest.fixture
def project(tmp_path, project_factory):
    return project_factory(tmp_path)


def test_broken_record_fails_the_build_and_keeps_the_previous_site(project, capsys):
    site = project / "site"
    assert build_site(project / "mkdocs.yml", site) == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    data = project / "data" / "codes.yaml"
    data.write_text(data.read_text().replace("title: Reduced services", "titel: Reduced services"))
    assert build_site(project / "mkdocs.yml", site) == 1
    err = capsys.readouterr().err
    assert "data/codes.yaml:5: modifier '52': 'titel' is not a known field; did you mean 'title'?" in err
    assert "data/codes.yaml:2: modifier '52': 'title' is required but missing" in err
    assert "refers to '52'" not in err and "mentions '52'" not in err  # no knock-on errors
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not (project / "site.new").exists()


def test_strict_build_fails_on_a_warning(project, capsys):
    data = project / "data" / "codes.yaml"
    data.write_text(data.read_text().replace("compare modifier 52", "compare modifier 54"))
    assert build_site(project / "mkdocs.yml", project / "site") == 1
    assert not (project / "site").exists()


def snapshot(project):
    """Every byte of what a build leaves in the project folder outside its sources: the site,
    the member blobs and the build state beside it, and any staging left-overs."""
    sources = {"content", "data", "mkdocs.yml", ".cache"}
    return {str(p.relative_to(project)): p.read_bytes() for p in project.rglob("*")
            if p.is_file() and p.relative_to(project).parts[0] not in sources}


def test_failed_builds_change_nothing(project, capsys):
    site = project / "site"
    assert build_site(project / "mkdocs.yml", site) == 0
    before = snapshot(project)
    blobs = members.blobs_dir(site) / members.PREFIX
    assert any(k.startswith("site/") for k in before)
    assert changes.state_path(site).exists() and (blobs / "modifiers" / "53").exists()
    data = project / "data" / "codes.yaml"
    # A strict-mode warning (a mention of an unknown modifier) fails the build at its very end,
    # after every page, the member blobs and the state were written to the staging area.
    warned = data.read_text().replace("compare modifier 52", "compare modifier 54").replace(
        "FIXTURE-SECRET-53-PAYER is", "FIXTURE-SECRET-53-PAYER (edited) is")
    data.write_text(warned)
    assert build_site(project / "mkdocs.yml", site) == 1
    assert snapshot(project) == before
    # The same edit through an incremental build.
    assert update_site(project / "mkdocs.yml", site) == 1
    assert snapshot(project) == before
    assert "Build failed" in capsys.readouterr().err


def test_incremental_build_commits_pages_blobs_and_state_together(project):
    site = project / "site"
    assert build_site(project / "mkdocs.yml", site) == 0
    state = changes.state_path(site).read_bytes()
    data = project / "data" / "codes.yaml"
    data.write_text(data.read_text().replace("Facility version, before anesthesia.",
                                             "Facility version, stopped before anesthesia."))
    assert update_site(project / "mkdocs.yml", site) == 0
    assert "stopped before anesthesia" in (site / "modifiers/73/index.html").read_text()
    assert changes.state_path(site).read_bytes() != state
    assert (site / "cpt/99213/index.html").exists() and (site / "search-index").is_dir()
    leftovers = [p.name for p in project.iterdir() if p.name.startswith("site.new")]
    assert leftovers == [] and not (members.blobs_dir(site) / "members.new").exists()


def test_hand_written_page_may_not_hide_a_generated_one(project, capsys):
    (project / "content" / "modifiers").mkdir()
    (project / "content" / "modifiers" / "53.md").write_text("# Mine\n")
    assert build_site(project / "mkdocs.yml", project / "site") == 1
    assert "content/modifiers/53.md would hide the generated page for modifiers/53" in \
        capsys.readouterr().err


def test_real_data_is_valid_with_no_warnings():
    result = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("0 errors, 0 warnings"), result.stderr


def test_real_site_builds_strict_with_modifier_53_linking_52_73_74(real_site):
    html = read(real_site, "modifiers/53/index.html")
    for target in ("52", "73", "74"):
        assert f'href="../{target}/"' in html


def test_schema_file_is_current():
    result = subprocess.run([sys.executable, "-m", "generator", "schema", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _get(url: str) -> str | None:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait(condition, seconds: float = 90):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError(f"gave up after {seconds} s")


def test_serve_shows_curated_pages_first_then_everything_and_rebuilds_on_save(project):
    import socket

    data = project / "data" / "codes.yaml"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "generator.serve", "--config", "mkdocs.yml", "--dev-addr",
         f"127.0.0.1:{port}"], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        page = _wait(lambda: _get(base + "modifiers/73/"))
        assert "livereload" in page and "Facility version, before anesthesia." in page
        # The full build behind the first one writes the whole-site files and the state.
        _wait(lambda: (project / "site" / "search-index").is_dir()
              and (project / "site.codes-state").exists())
        data.write_text(data.read_text().replace("Facility version, before anesthesia.",
                                                 "Facility version, stopped before anesthesia."))
        _wait(lambda: "stopped before anesthesia" in (_get(base + "modifiers/73/") or ""))
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_pages_written_through_frames_match_pages_rendered_whole(fixture_site, tmp_path,
                                                                  monkeypatch):
    """frames.py fills a frame rendered once with each page's own values; the same site with
    every page rendered whole through the theme (and minified) is byte for byte the same."""
    from generator import plan

    meta = plan.Plan.meta

    def whole(self, uri, writing=False):   # no frame: MkDocs renders code.html for each page
        found = meta(self, uri, writing=True)
        if found.pop("frame", None):
            found["template"] = "code.html"
        return found

    monkeypatch.setattr(plan.Plan, "meta", whole)
    out = tmp_path / "site"
    assert build_site(ROOT / "tests" / "fixtures" / "basic" / "mkdocs.yml", out) == 0
    pages = sorted(p.relative_to(out) for p in out.rglob("*.html"))
    assert pages == sorted(p.relative_to(fixture_site) for p in fixture_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert read(fixture_site, page) == read(out, page), page
        assert "ocrslot" not in read(fixture_site, page)
