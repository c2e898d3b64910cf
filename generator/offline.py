"""The offline bundle: the whole public site in one zip, to unzip and open from file://.

`python -m generator.offline` (or `make offline`) builds the site a second time with
mkdocs.offline.yml, whose `use_directory_urls: false` makes every link point at an .html file
(a browser shows a folder listing, not index.html, for a file:// folder link). The site's search
loads its index as plain scripts, which browsers allow from file://; nothing is fetched from the
network. The build runs in a scratch folder beside the output, and only the site folder goes into
the zip: member sections, written by every build beside the site for Netlify (members.py), are
never in it. Files that only mean something to a web server are left out.

ICD-10-CM is a book in the bundle (`book: true` in mkdocs.offline.yml, see book.py): MkDocs
renders one page per category with every code under it as a section, and the build's outputs
(outputs.BookStubs) give every other code's URL a small page that forwards to its section.
One file per code would not fit the zip (zip compresses each file on its own).

Usage: python -m generator.offline [--config mkdocs.offline.yml] [--output dist/NAME-offline.zip]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import load_config

from .build import build_site, default_jobs

# Served by Netlify, useless or broken from file:// (the 404 page uses site-absolute links).
SERVER_ONLY = re.compile(r"^(404\.html|_redirects|_headers|robots\.txt|sitemap.*\.xml(\.gz)?"
                         r"|sitemaps/.*)$")


@dataclass
class Bundle:
    path: Path
    files: int          # files in the zip
    bytes: int          # their total size, uncompressed
    zip_bytes: int      # size of the zip
    seconds: float


class OfflineError(Exception):
    pass


def bundle_name(site_name: str) -> str:
    """'Open Code Reference' -> 'open-code-reference' (the zip's name and its top folder)."""
    return re.sub(r"[^a-z0-9]+", "-", site_name.lower()).strip("-") or "site"


def default_output(config_file: Path) -> Path:
    config = load_config(str(config_file))
    return Path("dist") / f"{bundle_name(config.site_name)}-offline.zip"


def included(relative: str) -> bool:
    return not SERVER_ONLY.match(relative)


def zip_site(site: Path, output: Path, folder: str) -> tuple[int, int]:
    """Write every published file of `site` under `folder/` in a new zip; (files, bytes)."""
    partial = output.with_name(output.name + ".part")
    files = size = 0
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as bundle:
        for directory, dirnames, names in os.walk(site):
            dirnames.sort()
            for name in sorted(names):
                path = Path(directory) / name
                relative = path.relative_to(site).as_posix()
                if not included(relative):
                    continue
                bundle.write(path, f"{folder}/{relative}")
                files += 1
                size += path.stat().st_size
    partial.replace(output)   # a failed run never leaves a half-written zip under the real name
    return files, size


def build_bundle(config_file: Path, output: Path, jobs: int = 1, strict: bool = True) -> Bundle:
    """Build the site with `config_file` (use_directory_urls: false) and zip it to `output`."""
    started = time.perf_counter()
    config = load_config(str(config_file))
    if config.use_directory_urls:
        raise OfflineError(f"{config_file} must set 'use_directory_urls: false': links to "
                           "folders do not open index.html from file:// (see mkdocs.offline.yml)")
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    scratch = output.with_name(f".{output.stem}.build")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    try:
        site = scratch / "site"
        if build_site(config_file, site, strict, jobs=jobs) != 0:
            raise OfflineError("the offline build failed; nothing was written")
        files, size = zip_site(site, output, output.stem)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Bundle(output, files, size, output.stat().st_size, time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.offline",
                                     description="build the offline bundle (a zip of the site)")
    parser.add_argument("--config", default="mkdocs.offline.yml")
    parser.add_argument("--output", help="the zip (default: dist/<site name>-offline.zip)")
    parser.add_argument("--jobs", type=int, default=0,
                        help="parallel MkDocs processes (default: one per core, at most 4)")
    parser.add_argument("--no-strict", action="store_true", help="accept warnings")
    args = parser.parse_args(argv)
    config = Path(args.config)
    output = Path(args.output) if args.output else default_output(config)
    try:
        bundle = build_bundle(config, output, args.jobs or default_jobs(), not args.no_strict)
    except OfflineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {bundle.path}: {bundle.files} files, {bundle.bytes / 1e6:.1f} MB unzipped, "
          f"{bundle.zip_bytes / 1e6:.1f} MB zipped, in {bundle.seconds:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
