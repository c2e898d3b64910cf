"""The site's outputs besides its pages: each an object with `write()`, called after the pages.

The plugin calls `write_all` once the pages are written; adding an output means adding a class
here and an entry to OUTPUTS, never touching the plugin. Each output calls the module-level entry
point of the module that owns its data (search, ask, members, seo, shortlinks).

Some outputs go beside the site, never into it (member sections, the build state). They are
written staged and put in place by `commit` only after the whole build succeeded (build.py calls
it after swapping the site in), or dropped by `discard` when it failed, so a failed build leaves
the previous ones byte-identical.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from . import ask, book, changes, members, routes, search, seo, shortlinks
from .links import Catalog


@dataclass
class Build:
    """What outputs need to know about the build that just wrote its pages."""
    catalog: Catalog
    docs_dir: Path
    site_dir: Path
    directory_urls: bool
    site_url: str | None
    page_urls: list[str]
    state: changes.State
    complete: bool    # every page was written (not an incremental build, not a subset)
    subset: bool      # only some records have pages (a quick first preview)
    book: bool = False   # the offline bundle's ICD-10-CM book (book.py)


    @classmethod
    def after(cls, plan, catalog: Catalog, config, page_urls: list[str]) -> "Build":
        """The Build of a finished MkDocs build: `plan` from plan.py, `config` MkDocs' config."""
        return cls(catalog, Path(config["docs_dir"]), Path(config["site_dir"]),
                   config["use_directory_urls"], config["site_url"], page_urls, plan.state,
                   plan.complete, plan.subset != "all",
                   isinstance(plan.renderer, book.BookRenderer))


class Output:
    """One output. By default written only by complete builds: whole-site files take tens of
    seconds to make, and an editor's incremental preview keeps the last complete build's."""
    complete_only = True
    hosted_only = False   # only for the hosted site (directory URLs), not the offline bundle

    def wanted(self, build: Build) -> bool:
        return ((build.complete or not self.complete_only)
                and (build.directory_urls or not self.hosted_only))

    def write(self, build: Build) -> str:
        """Write the output; return a line for the build log."""
        raise NotImplementedError

    def commit(self, staging: Path, site_dir: Path) -> None:
        """Put what was staged beside `staging` in place beside `site_dir` (outputs beside the
        site only)."""

    def discard(self, staging: Path) -> None:
        """Drop what a failed build staged beside `staging`."""


class SearchIndex(Output):
    def write(self, build: Build) -> str:
        stats = search.write_index(build.catalog, build.docs_dir, build.site_dir,
                                   build.directory_urls)
        return (f"Search index: {stats.files} files, {stats.bytes / 1e6:.1f} MB, "
                f"{stats.seconds:.1f} s")


class AskData(Output):
    def write(self, build: Build) -> str:
        ask.write_data(build.catalog, build.docs_dir, build.site_dir, build.directory_urls)
        return "Ask box data written"


class ShortLinks(Output):
    """The short-link lookup: browser shards in the site, the edge function's copy beside it."""

    def write(self, build: Build) -> str:
        count = shortlinks.write(build.catalog, build.site_dir, build.directory_urls, staged=True)
        return f"Short links for {count} codes"

    def commit(self, staging: Path, site_dir: Path) -> None:
        shortlinks.commit(site_dir)

    def discard(self, staging: Path) -> None:
        shortlinks.discard(staging)


class EdgeRoutes(Output):
    """Which pages invoke the members gate: exactly those with member sections (routes.py).
    Written by every build, like the member blobs, so the two never disagree."""
    hosted_only = True
    complete_only = False

    def write(self, build: Build) -> str:
        path = routes.write(build.catalog, build.site_dir, staged=True)
        return f"Edge routes staged in {path.name}"

    def commit(self, staging: Path, site_dir: Path) -> None:
        routes.commit(site_dir)

    def discard(self, staging: Path) -> None:
        routes.discard(staging)


class Sitemaps(Output):
    hosted_only = True

    def wanted(self, build: Build) -> bool:
        return super().wanted(build) and bool(build.site_url)   # sitemaps need absolute URLs

    def write(self, build: Build) -> str:
        count = seo.write_sitemaps(build.site_url, build.page_urls, build.site_dir)
        return f"{count} pages in the sitemaps"


class BookStubs(Output):
    """The offline book's small pages that forward each ICD-10-CM code's URL to its section of
    its category's page (book.py), written with the data set this build already holds."""

    def wanted(self, build: Build) -> bool:
        return build.book and super().wanted(build)

    def write(self, build: Build) -> str:
        return f"{book.write_stubs(build.catalog, build.site_dir)} book stubs written"


class MemberBlobs(Output):
    """Member sections as deploy blobs beside the site (see members.py); every build."""
    complete_only = False

    def write(self, build: Build) -> str:
        members.write_member_blobs(build.catalog, build.site_dir, staged=True)
        return "Member sections staged"

    def commit(self, staging: Path, site_dir: Path) -> None:
        members.commit_member_blobs(site_dir)

    def discard(self, staging: Path) -> None:
        members.discard_member_blobs(staging)


class BuildState(Output):
    """What the next incremental build compares with (see changes.py): every build after which
    the site has a current page for every record, incremental ones included."""
    complete_only = False

    def wanted(self, build: Build) -> bool:
        return not build.subset

    def write(self, build: Build) -> str:
        changes.save_state(build.state, build.site_dir)
        return "Build state staged"

    def commit(self, staging: Path, site_dir: Path) -> None:
        staged = changes.state_path(staging)
        if staged != changes.state_path(site_dir) and staged.exists():
            staged.replace(changes.state_path(site_dir))

    def discard(self, staging: Path) -> None:
        changes.state_path(staging).unlink(missing_ok=True)


OUTPUTS: list[Output] = [SearchIndex(), AskData(), ShortLinks(), EdgeRoutes(), Sitemaps(),
                         BookStubs(), MemberBlobs(), BuildState()]


def write_all(build: Build, log: logging.Logger, outputs: list[Output] = OUTPUTS) -> None:
    for output in outputs:
        if output.wanted(build):
            log.info(output.write(build))


def commit(staging: Path, site_dir: Path, outputs: list[Output] = OUTPUTS) -> None:
    """After the whole build succeeded: put the outputs staged beside `staging` in place."""
    for output in outputs:
        output.commit(staging, site_dir)


def discard(staging: Path, outputs: list[Output] = OUTPUTS) -> None:
    """After a failed build: drop what it staged; the previous outputs stay as they were."""
    for output in outputs:
        output.discard(staging)
