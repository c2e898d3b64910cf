"""make deploy-check: a publish folder inspected as a host would, with a clear line per limit."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator import deploy

from .conftest import ROOT

TOML = """
[build]
  publish = "site"
  edge_functions = "netlify/edge-functions"
[functions]
  directory = "netlify/functions"
[[redirects]]
  from = "/old"
  to = "/new"
[[headers]]
  for = "/*"
  [headers.values]
    X-Frame-Options = "DENY"
"""


def project(tmp_path: Path, redirects: int) -> Path:
    site = tmp_path / "site"
    (site / "cpt" / "99213").mkdir(parents=True)
    (site / "index.html").write_text("<html>home</html>")
    (site / "cpt" / "99213" / "index.html").write_text("x" * 50_000)
    (site / "_redirects").write_text("# short links\n\n" + "".join(
        f"/{n} /cpt/{n}/ 301\n" for n in range(redirects)))
    (site / "_headers").write_text("/assets/*\n  Cache-Control: max-age=31536000\n")
    (tmp_path / "netlify.toml").write_text(TOML)
    edge = tmp_path / "netlify" / "edge-functions"
    lib = tmp_path / "netlify" / "lib"
    edge.mkdir(parents=True)
    lib.mkdir()
    (tmp_path / "netlify" / "functions").mkdir()
    (edge / "gate.mjs").write_text('import { a } from "../lib/a.mjs";\n'
                                   'import { getStore } from "@netlify/blobs";\nexport default a;\n')
    (lib / "a.mjs").write_text('export { b as a } from "./b.mjs";\n')
    (lib / "b.mjs").write_text("export const b = 1;\n" + "//" * 100 + "\n")
    blobs = tmp_path / "node_modules" / "@netlify" / "blobs" / "dist"
    blobs.mkdir(parents=True)
    (blobs / "main.js").write_text("y" * 1000)
    (blobs / "README.md").write_text("not bundled")
    return tmp_path


def test_report_counts_what_a_host_counts(tmp_path):
    root = project(tmp_path, redirects=3)
    report = deploy.inspect(root / "site", root / "netlify.toml")
    assert report.files == 4
    assert report.largest_file == "cpt/99213/index.html" and report.largest_file_bytes == 50_000
    assert report.redirect_rules == 3 + 1 and report.header_rules == 1 + 1
    edge = root / "netlify" / "edge-functions" / "gate.mjs"
    local = sum(p.stat().st_size for p in [edge, *(root / "netlify" / "lib").iterdir()])
    assert report.edge_functions == {"gate": local + 1000}   # the package's JS, not its README
    assert report.functions == {}
    assert deploy.problems(report) == []


def test_each_limit_passed_is_one_clear_line(tmp_path, capsys):
    root = project(tmp_path, redirects=1000)
    report = deploy.inspect(root / "site", root / "netlify.toml")
    limits = {**deploy.LIMITS, "site_bytes": 1000, "files": 3, "largest_file_bytes": 40_000,
              "edge_function_bytes": 500}
    assert deploy.problems(report, limits) == [
        f"{root / 'site'} holds {report.site_bytes / 1e3:.1f} KB; the limit is 1.0 KB "
        "(GitHub Pages accepts 1 GB)",
        f"{root / 'site'} holds 4 files; the limit is 3",
        "cpt/99213/index.html is 50.0 KB; no file may exceed 40.0 KB",
        "1,001 redirect rules in _redirects and netlify.toml; the limit is 1,000 (Netlify parses "
        "every rule on every request)",
        f"the edge function 'gate' bundles {report.edge_functions['gate'] / 1e3:.1f} KB; the "
        "limit is 0.5 KB",
    ]
    assert deploy.main(["--site", str(root / "site"), "--netlify-toml",
                        str(root / "netlify.toml")]) == 1
    assert "deploy-check: 1,001 redirect rules" in capsys.readouterr().err


def test_no_site_is_a_clear_error(tmp_path, capsys):
    assert deploy.main(["--site", str(tmp_path / "site")]) == 1
    assert "no site in" in capsys.readouterr().err


def test_the_real_functions_are_within_their_limits():
    report = deploy.inspect(ROOT / "no-site", ROOT / "netlify.toml")
    assert set(report.edge_functions) >= {"members"} and set(report.functions) >= {"auth"}
    assert deploy.problems(report) == []
    assert report.redirect_rules == 0 or report.redirect_rules <= deploy.LIMITS["redirect_rules"]


NETLIFY = ROOT / "node_modules" / ".bin" / "netlify"


@pytest.mark.slow   # netlify-cli takes seconds to start
def test_netlify_cli_bundles_the_real_functions():
    """netlify-cli (pinned in package.json) zips the serverless functions here, offline."""
    if not NETLIFY.is_file():
        pytest.fail("netlify-cli is not installed: run 'npm ci' (make test does)")
    report = deploy.inspect(ROOT / "no-site", ROOT / "netlify.toml", NETLIFY)
    assert report.netlify_error == ""
    assert set(report.netlify_bundles) == set(report.functions)
    assert all(0 < size < deploy.LIMITS["function_bytes"]
               for size in report.netlify_bundles.values())
    assert deploy.problems(report) == []


def test_a_failing_netlify_build_is_one_clear_line(tmp_path):
    root = project(tmp_path, redirects=1)
    functions = root / "netlify" / "functions"
    functions.mkdir(exist_ok=True)
    (functions / "f.mjs").write_text("export default () => 1;\n")
    fake = tmp_path / "netlify-cli"
    fake.write_text("#!/bin/sh\necho 'Error: cannot bundle f.mjs' >&2\nexit 3\n")
    fake.chmod(0o755)
    report = deploy.inspect(root / "site", root / "netlify.toml", fake)
    assert report.netlify_bundles is None
    assert deploy.problems(report) == [
        "netlify functions:build failed (exit 3): Error: cannot bundle f.mjs"]


def test_the_real_site_passes_the_deploy_check(real_site):
    """The full build, inspected as a host would: within every limit (make deploy-check)."""
    report = deploy.inspect(real_site, ROOT / "netlify.toml", NETLIFY)
    assert deploy.problems(report) == []
