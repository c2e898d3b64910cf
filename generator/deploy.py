"""`make deploy-check`: the publish folder inspected as a host would, before a deploy is tried.

Counts what hosts limit or charge for: files, total size, the largest file, redirect rules
(`_redirects` in the site plus `[[redirects]]` in netlify.toml: Netlify parses every rule on
every request and advises staying well under 10,000), header rules, and the size of each
function's bundle (the function file, the modules it imports and the npm packages they use).
Fails with one clear line per limit passed.

Limits (LIMITS below) and why:
- site at most 1.2 GB and 150,000 files: GitHub Pages accepts 1 GB, Cloudflare Pages 20,000
  files (100,000 on paid plans); uploading stays minutes, not hours;
- no file over 25 MiB (Cloudflare Pages' limit per file; Netlify serves larger ones from its CDN
  but a search shard that large would be a bug);
- at most 1,000 redirect rules and 100 header rules;
- edge function bundles at most 20 MB and serverless function bundles at most 50 MB (Netlify's
  limits, which apply to compressed bundles; these sizes are uncompressed, so stricter).

Netlify's own bundler: with netlify-cli installed (pinned in package.json), the serverless
functions are also bundled by `netlify functions:build`, which runs here without network access,
and the zips it writes are checked against the same limit. Edge functions cannot be bundled by
it here: netlify-cli's edge bundler imports its bootstrap from https://edge.netlify.com, so their
size is the module graph above.

Usage: python -m generator.deploy [--site site] [--netlify-toml netlify.toml]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

LIMITS = {
    "site_bytes": 1_200_000_000,
    "files": 150_000,
    "largest_file_bytes": 25 * 2**20,
    "redirect_rules": 1_000,
    "header_rules": 100,
    "edge_function_bytes": 20_000_000,
    "function_bytes": 50_000_000,
}
_IMPORT = re.compile(r"""(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]"""
                     r"""|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]""", re.M)


@dataclass
class Report:
    site: str
    files: int = 0
    site_bytes: int = 0
    largest_file: str = ""
    largest_file_bytes: int = 0
    redirect_rules: int = 0
    header_rules: int = 0
    edge_functions: dict[str, int] = field(default_factory=dict)   # name -> bundle bytes
    functions: dict[str, int] = field(default_factory=dict)
    netlify_bundles: dict[str, int] | None = None   # name -> zip bytes, by netlify-cli
    netlify_error: str = ""                         # why netlify-cli could not bundle


def _rules(path: Path) -> int:
    """Rules in a `_redirects` file: lines that are neither blank nor comments."""
    if not path.is_file():
        return 0
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.lstrip().startswith("#"))


def _header_rules(path: Path) -> int:
    """Rules in a `_headers` file: each unindented path line starts one."""
    if not path.is_file():
        return 0
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines()
               if line.strip() and not line[0].isspace() and not line.startswith("#"))


def _package_dir(specifier: str, node_modules: Path) -> Path | None:
    parts = specifier.split("/")
    name = "/".join(parts[:2]) if specifier.startswith("@") else parts[0]
    folder = node_modules / name
    return folder if folder.is_dir() else None


def bundle_bytes(entry: Path, node_modules: Path) -> int:
    """The function file, every module it imports by relative path (recursively), and the
    JavaScript files of every npm package it imports, in bytes (uncompressed)."""
    seen: set[Path] = set()
    packages: set[Path] = set()
    todo = [entry.resolve()]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        for match in _IMPORT.finditer(path.read_text(encoding="utf-8", errors="replace")):
            spec = next(g for g in match.groups() if g)
            if spec.startswith("."):
                todo.append((path.parent / spec).resolve())
            elif not spec.startswith(("node:", "http:", "https:")):
                folder = _package_dir(spec, node_modules)
                if folder is not None:
                    packages.add(folder)
    size = sum(p.stat().st_size for p in seen)
    for folder in packages:
        size += sum(p.stat().st_size for p in folder.rglob("*")
                    if p.is_file() and p.suffix in (".js", ".mjs", ".cjs", ".json"))
    return size


def _functions(folder: Path, node_modules: Path) -> dict[str, int]:
    if not folder.is_dir():
        return {}
    return {p.stem: bundle_bytes(p, node_modules) for p in sorted(folder.iterdir())
            if p.suffix in (".js", ".mjs", ".ts", ".mts")}


def netlify_bundles(functions: Path, netlify: Path) -> tuple[dict[str, int] | None, str]:
    """({name: zip bytes} from `netlify functions:build`, "") or (None, why it failed); (None,
    "") when netlify-cli is not installed."""
    if not netlify.is_file() or not functions.is_dir():
        return None, ""
    with tempfile.TemporaryDirectory() as out:
        try:
            done = subprocess.run([str(netlify), "functions:build", "--src", str(functions),
                                   "--functions", out], capture_output=True, text=True,
                                  timeout=300, cwd=functions.parent.parent,
                                  env={**os.environ, "NETLIFY_TELEMETRY_DISABLED": "1"})
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"netlify functions:build did not finish: {exc}"
        zips = {p.stem: p.stat().st_size for p in sorted(Path(out).glob("*.zip"))}
        if done.returncode != 0 or not zips:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            return None, (f"netlify functions:build failed (exit {done.returncode}): "
                          f"{last[0][:300]}")
        return zips, ""


def inspect(site: Path, netlify_toml: Path, netlify: Path | None = None) -> Report:
    report = Report(str(site))
    for folder, _, names in os.walk(site):
        for name in names:
            size = os.path.getsize(os.path.join(folder, name))
            report.files += 1
            report.site_bytes += size
            if size > report.largest_file_bytes:
                report.largest_file_bytes = size
                report.largest_file = os.path.relpath(os.path.join(folder, name), site)
    config = tomllib.loads(netlify_toml.read_text(encoding="utf-8")) if netlify_toml.is_file() \
        else {}
    root = netlify_toml.resolve().parent
    report.redirect_rules = _rules(site / "_redirects") + len(config.get("redirects", []))
    report.header_rules = _header_rules(site / "_headers") + len(config.get("headers", []))
    build = config.get("build", {})
    modules = root / "node_modules"
    report.edge_functions = _functions(root / build.get("edge_functions", "netlify/edge-functions"),
                                       modules)
    functions = root / config.get("functions", {}).get("directory", "netlify/functions")
    report.functions = _functions(functions, modules)
    if netlify is not None:
        report.netlify_bundles, report.netlify_error = netlify_bundles(functions, netlify)
    return report


def _size(n: int) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} KB"


def problems(report: Report, limits: dict = LIMITS) -> list[str]:
    """One line per limit passed, saying what, how much, the limit and where to look."""
    out = []
    if report.site_bytes > limits["site_bytes"]:
        out.append(f"{report.site} holds {_size(report.site_bytes)}; the limit is "
                   f"{_size(limits['site_bytes'])} (GitHub Pages accepts 1 GB)")
    if report.files > limits["files"]:
        out.append(f"{report.site} holds {report.files:,} files; the limit is {limits['files']:,}")
    if report.largest_file_bytes > limits["largest_file_bytes"]:
        out.append(f"{report.largest_file} is {_size(report.largest_file_bytes)}; no file may "
                   f"exceed {_size(limits['largest_file_bytes'])}")
    if report.redirect_rules > limits["redirect_rules"]:
        out.append(f"{report.redirect_rules:,} redirect rules in _redirects and netlify.toml; the "
                   f"limit is {limits['redirect_rules']:,} (Netlify parses every rule on every "
                   "request)")
    if report.header_rules > limits["header_rules"]:
        out.append(f"{report.header_rules} header rules; the limit is {limits['header_rules']}")
    if report.netlify_error:
        out.append(report.netlify_error)
    for kind, bundles, limit in (("edge function", report.edge_functions, "edge_function_bytes"),
                                 ("function", report.functions, "function_bytes"),
                                 ("function (netlify functions:build)",
                                  report.netlify_bundles or {}, "function_bytes")):
        for name, size in bundles.items():
            if size > limits[limit]:
                out.append(f"the {kind} {name!r} bundles {_size(size)}; the limit is "
                           f"{_size(limits[limit])}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.deploy",
                                     description="check the publish folder against host limits")
    parser.add_argument("--site", default="site")
    parser.add_argument("--netlify-toml", default="netlify.toml")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--netlify", default="node_modules/.bin/netlify",
                        help="netlify-cli, to bundle the functions with Netlify's own bundler")
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"error: no site in {site}/: run 'make site' first", file=sys.stderr)
        return 1
    report = inspect(site, Path(args.netlify_toml), Path(args.netlify))
    if args.json:
        print(json.dumps(asdict(report), indent=2))
    else:
        bundles = ", ".join(f"{k} {_size(v)}" for k, v in {**report.edge_functions,
                                                            **report.functions}.items())
        print(f"{report.site}: {report.files:,} files, {_size(report.site_bytes)}; largest "
              f"{report.largest_file} ({_size(report.largest_file_bytes)}); "
              f"{report.redirect_rules:,} redirect rules, {report.header_rules} header rules; "
              f"function bundles: {bundles or 'none'}", file=sys.stderr)
        if report.netlify_bundles is not None:
            zips = ", ".join(f"{k} {_size(v)}" for k, v in report.netlify_bundles.items())
            print(f"netlify functions:build zips: {zips}", file=sys.stderr)
        elif not report.netlify_error:
            print(f"{args.netlify} not found: functions not bundled by netlify-cli "
                  "(npm ci installs it)", file=sys.stderr)
    found = problems(report)
    for problem in found:
        print(f"deploy-check: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
