"""Members-only sections, kept out of the publish directory.

Public pages carry only each section's title and a "Register to view content" teaser (see
templates/record.html.j2). The bodies are rendered to HTML here and written as Netlify Blobs
file-based uploads: one JSON file per page under `.netlify/v1/blobs/deploy/members/`, beside the
site directory, never inside it. Netlify uploads that folder into the deploy's own blob store,
where the edge function (netlify/edge-functions/members.mjs) reads it; the local preview seeds
its blob server from the same files.

A build writes the blobs under `members.new/` and they replace `members/` only when the whole
build has succeeded (`commit_member_blobs`, called by build.py after the site swap), so a failed
build leaves the previous blobs exactly as they were.

Blob key: "members/<page path>", e.g. "members/modifiers/53" for /modifiers/53/. Value:
{"v": 1, "sections": [html of section 1, html of section 2, ...]} in the page's order.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

from . import markup
from .links import Catalog, link_prose
from .markup import escape_markdown
from .records import Record

# Frameworks API location of deploy-scoped blobs, relative to the build directory.
BLOBS_DIR = Path(".netlify") / "v1" / "blobs" / "deploy"
PREFIX = "members"
ENV_DIR = "OCR_MEMBERS_BLOBS_DIR"
OLD_ENV_DIR = "MEMBERS_BLOBS_DIR"   # the name before the OCR_ prefix: still read, with a warning


def blob_key(src_uri: str) -> str:
    return f"{PREFIX}/{src_uri[: -len('.md')]}"


def render_body(body: str, catalog: Catalog, src_uri: str) -> str:
    """HTML of one section body: Markdown with raw HTML shown as text, code mentions linked."""
    text = link_prose(escape_markdown(body.strip()), catalog, src_uri)
    return markup.render_markdown(text, src_uri)


def member_blobs(records: list[Record], catalog: Catalog) -> dict[str, dict]:
    """Blob key -> value for every record that has member sections."""
    return {
        blob_key(r.src_uri): {"v": 1, "sections": [render_body(s["body"], catalog, r.src_uri)
                                                    for s in r.members]}
        for r in records if r.members
    }


def blobs_dir(site_dir: Path) -> Path:
    """Where deploy blobs go: $OCR_MEMBERS_BLOBS_DIR, else .netlify/v1/blobs/deploy beside
    site/."""
    configured = os.environ.get(ENV_DIR)
    if not configured and os.environ.get(OLD_ENV_DIR):
        configured = os.environ[OLD_ENV_DIR]
        logging.getLogger(__name__).warning(
            f"{OLD_ENV_DIR} is deprecated; set {ENV_DIR} instead")
    return Path(configured) if configured else site_dir.resolve().parent / BLOBS_DIR


def _staged(site_dir: Path) -> tuple[Path, Path]:
    root = blobs_dir(site_dir)
    return root / (PREFIX + ".new"), root / PREFIX


def write_member_blobs(catalog: Catalog, site_dir: Path, staged: bool = False) -> Path:
    """Write this build's member blobs beside `site_dir`; return the blobs folder.

    The set is written whole under `members.new/` and swapped in, so sections of deleted records
    never linger. With `staged`, the swap is left to `commit_member_blobs`, which build.py calls
    once the whole build has succeeded."""
    root = blobs_dir(site_dir)
    site = site_dir.resolve()
    if root.resolve() == site or site in root.resolve().parents:
        raise ValueError(f"{ENV_DIR}={root} is inside the site directory {site}: member "
                         f"sections would be published; choose a folder outside it")
    staging, _ = _staged(site_dir)
    shutil.rmtree(staging, ignore_errors=True)
    for key, value in member_blobs(catalog.records, catalog).items():
        path = staging / key[len(PREFIX) + 1:]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    staging.mkdir(parents=True, exist_ok=True)
    if not staged:
        commit_member_blobs(site_dir)
    return root


def commit_member_blobs(site_dir: Path) -> None:
    """Swap the staged blobs in, if a build staged any."""
    staging, final = _staged(site_dir)
    if staging.is_dir():
        shutil.rmtree(final, ignore_errors=True)
        staging.rename(final)


def discard_member_blobs(site_dir: Path) -> None:
    """Drop the blobs a failed build staged; the published ones stay."""
    shutil.rmtree(_staged(site_dir)[0], ignore_errors=True)
