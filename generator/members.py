"""Members-only sections, kept out of the publish directory.

Public pages carry only each section's title and a "Register to view content" teaser (see
templates/record.md.j2). The bodies are rendered to HTML here and written as Netlify Blobs
file-based uploads: one JSON file per page under `.netlify/v1/blobs/deploy/members/`, beside the
site directory, never inside it. Netlify uploads that folder into the deploy's own blob store,
where the edge function (netlify/edge-functions/members.mjs) reads it; the local preview seeds
its blob server from the same files.

Blob key: "members/<page path>", e.g. "members/modifiers/53" for /modifiers/53/. Value:
{"v": 1, "sections": [html of section 1, html of section 2, ...]} in the page's order.
"""
from __future__ import annotations

import json
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
ENV_DIR = "MEMBERS_BLOBS_DIR"


def page_url(src_uri: str) -> str:
    """'modifiers/53.md' -> 'modifiers/53/' (the site uses directory URLs)."""
    return src_uri[: -len(".md")] + "/"


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
    """Where deploy blobs go: $MEMBERS_BLOBS_DIR, else .netlify/v1/blobs/deploy beside site/."""
    configured = os.environ.get(ENV_DIR)
    return Path(configured) if configured else site_dir.resolve().parent / BLOBS_DIR


def write_member_blobs(catalog: Catalog, site_dir: Path) -> Path:
    """Replace the members/ blobs beside `site_dir` with this build's; return the blobs folder.

    The folder is written whole under a temporary name and swapped in, so sections of deleted
    records never linger and a crash never leaves half a set.
    """
    root = blobs_dir(site_dir)
    site = site_dir.resolve()
    if root.resolve() == site or site in root.resolve().parents:
        raise ValueError(f"{ENV_DIR}={root} is inside the site directory {site}: member "
                         f"sections would be published; choose a folder outside it")
    final, staging = root / PREFIX, root / (PREFIX + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    for key, value in member_blobs(catalog.records, catalog).items():
        path = root / (key.replace(PREFIX, PREFIX + ".new", 1))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    staging.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(final, ignore_errors=True)
    staging.rename(final)
    return root
