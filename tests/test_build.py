"""Builds fixture sites for real with MkDocs and inspects the HTML they produce."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from generator.build import build_site

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
    assert '<li><a href="../#cpt">CPT modifiers</a></li>' in html   # breadcrumb


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
