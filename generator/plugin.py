"""MkDocs plugin: adds a page for every record under data/ to the site.

The plugin only wires MkDocs events to the pure modules (`site`, `pages`); everything it does
can be tested without MkDocs.
"""
from __future__ import annotations

import functools
import logging
import os
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from . import (ask, changes, codesets, history, jobs, markup, members, pages, search, seo,
               shortlinks, systems)
from .build import INCREMENTAL_ENV, SHARD_ENV
from .site import Dataset, load_dataset

log = get_plugin_logger(__name__)


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    return "A 'dirty' build is being performed" not in record.getMessage()


class CodesConfig(Config):
    data_dir = c.Type(str, default="data")
    add_nav = c.Type(bool, default=True)


class CodesPlugin(BasePlugin[CodesConfig]):
    dataset: Dataset | None = None
    owned: set[str] | None = None

    def _root(self, config) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    # Runs first on every build and rebuild, so a bad record stops MkDocs before anything is
    # written to site/.
    def on_config(self, config):
        # Set by generator.build when the build runs as parallel shards: this process writes
        # share k of n of the generated pages, and shard 0 writes everything else.
        k, _, n = os.environ.get(SHARD_ENV, "0/1").partition("/")
        self.shard, self.shards = int(k), int(n)
        self.incremental = os.environ.get(INCREMENTAL_ENV) == "1"
        if self.incremental:
            # An incremental build is MkDocs' dirty build on purpose; its warning about
            # dirty builds would otherwise fail the strict build.
            logging.getLogger("mkdocs.commands.build").addFilter(_not_dirty_warning)
        if self.shard:
            config.theme.static_templates.clear()   # 404 page and sitemap: shard 0 only
        # One sitemap file is limited to 50,000 URLs; seo.py writes an index and its parts.
        config.theme.static_templates.discard("sitemap.xml")
        root = self._root(config)
        data_dir = root / self.config.data_dir
        # Builds re-read only the data files that changed since the last one (see records.py).
        self.dataset = load_dataset(data_dir, root, root / ".cache" / "records.pickle")
        for warning in self.dataset.warnings:
            log.warning(str(warning))
        if self.dataset.reports:
            log.info(f"{len(self.dataset.reports)} references in imported official text lead "
                     "nowhere; they stay plain text (see data/icd-10-cm/unresolved-references.md)")
        if self.dataset.errors:
            raise PluginError(
                f"{len(self.dataset.errors)} error(s) in {self.config.data_dir}/:\n"
                + "\n".join(str(e) for e in self.dataset.errors)
            )
        # Release history for ICD-10-CM pages; warns once when the release is out of date.
        history.attach(self.dataset.catalog, data_dir, warn=self.shard == 0)
        if self.config.add_nav and config.nav:
            config.nav = list(config.nav) + self._nav()
        return config

    def _nav(self) -> list:
        catalog = self.dataset.catalog
        entries = []
        if any(r.kind == "modifier" for r in catalog.records):
            entries.append({"Modifiers": pages.index_uri(systems.MODIFIER_FOLDER)})
        for system in systems.SYSTEMS.values():
            mine = [r for r in catalog.records if r.system == system.key and r.kind != "modifier"]
            if not mine:
                continue
            ranges = sorted((r for r in mine if r.kind == "range" and r.code not in catalog.parents),
                            key=pages.chapter_order)
            section = [{"Overview": pages.index_uri(system.folder)}]
            for r in ranges:
                # A top range with ranges inside it (an ICD-10-CM chapter and its blocks) becomes
                # a section; codes themselves are never in the navigation.
                inner = [c for c in catalog.children.get(r.code, []) if c.kind == "range"]
                label = pages.nav_title(r)
                if inner:
                    section.append({label: [{"Overview": r.src_uri}] + [
                        {pages.nav_title(c): c.src_uri} for c in inner]})
                else:
                    section.append({label: r.src_uri})
            entries.append({system.label: section})
        return entries

    # Generated pages join the hand-written ones here, so the navigation, the sitemap and
    # other pages' links see them as any page.
    def on_files(self, files: Files, config) -> Files:
        root = self._root(config)
        docs_dir = Path(config.docs_dir)
        self.renderer = pages.Renderer(self.dataset.catalog, config.use_directory_urls)
        self._plan_incremental(config)
        # An incremental build gives MkDocs only the pages it rewrites and the pages the
        # navigation lists: creating ~98,700 File objects is most of a small rebuild's time.
        keep = None if self.affected is None else self.affected | {
            uri for uri, r in self.renderer.records.items() if r.kind == "range"} | set(
            self.renderer.indexes)
        for uri in self.renderer.uris():
            if keep is not None and uri not in keep:
                continue
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"{config.docs_dir}/{uri} would hide the generated page for "
                                  f"{uri[:-3]}; rename or remove the hand-written file")
            record = self.renderer.records.get(uri)
            # Code pages are reached through index and range pages, never listed in the nav.
            inclusion = InclusionLevel.NOT_IN_NAV if record else InclusionLevel.UNDEFINED
            file = File.generated(config, uri, content="", inclusion=inclusion)
            if record is not None:
                # Edit links lead to the record an editor should change: the curated overlay of
                # an imported code if there is one, else the record itself.
                editable = record.overlay_from or record
                source = os.path.relpath(root / editable.file, docs_dir).replace(os.sep, "/")
                file.edit_uri = f"{source}#L{editable.line}"
            if self.affected is not None:
                file.is_modified = functools.partial(self.affected.__contains__, uri)
            files.append(file)
        self._add_job_board(files, config)
        if self.shard:
            # Theme assets are copied by shard 0 alone.
            for file in [f for f in files if not f.is_documentation_page()]:
                files.remove(file)
        owned = self.renderer.uris()[self.shard::self.shards]
        self.owned = set(owned) if self.shards > 1 else None
        return files

    # The job board (data/jobs.yaml) is pages and a feed like any generated file (see jobs.py).
    def _add_job_board(self, files: Files, config) -> None:
        try:
            board = jobs.site_files(self._root(config) / self.config.data_dir, self._root(config),
                                    config.use_directory_urls, config.site_url)
        except jobs.JobsError as exc:
            raise PluginError(str(exc)) from None
        for uri, content in board.items():
            files.append(File.generated(config, uri, content=content))

    def _plan_incremental(self, config) -> None:
        """On an incremental build, find the pages an edit affects: only those are marked
        modified, so MkDocs' dirty build reads and writes them alone (see changes.py)."""
        custom = config.theme.custom_dir
        self.state = changes.capture(self.dataset.catalog, [Path(custom)] if custom else [])
        self.affected = None
        if not self.incremental:
            return
        old = changes.load_state(Path(config.site_dir))
        self.affected = changes.affected_pages(self.dataset.catalog, old, self.state)
        if self.affected is None:
            reason = changes.full_build_reason(old, self.state) or "a code range changed"
            log.info(f"Incremental build: every page, because {reason}")
        else:
            log.info(f"Incremental build: {len(self.affected)} generated pages to rebuild")

    def _builds(self, page) -> bool:
        """Whether this process writes `page` (always, unless the build runs in shards)."""
        if self.owned is None:
            return True
        if page.file.generated_by and page.file.src_uri in self.renderer:
            return page.file.src_uri in self.owned
        return self.shard == 0

    # A generated page has no Markdown: its metadata comes from the record and its body is
    # rendered straight to HTML by pages.py. Skipping the read, the front-matter parse and the
    # Markdown conversion of ~98,500 pages is most of what keeps the full build fast.
    def on_page_read_source(self, page, config):
        return "" if page.file.generated_by and page.file.src_uri in self.renderer else None

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.generated_by and page.file.src_uri in self.renderer:
            page.meta = self.renderer.meta(page.file.src_uri)
            page.render = functools.partial(self._render_generated, page)
        else:
            markdown = codesets.fill_content_page(markdown, self.dataset.catalog, page.file.src_uri)
        if not self._builds(page):
            page.meta["template"] = "skip.html"   # another shard writes it
        return markdown

    def _render_generated(self, page, config, files):
        # MkDocs reads every page before writing any and keeps what it read; holding ~98,500
        # bodies would cost gigabytes, so the body is made just before the page is written.
        page.content = ""
        page.links_to_anchors = {}

    def on_page_context(self, context, page, config, nav):
        if page.file.generated_by and page.file.src_uri in self.renderer and self._builds(page):
            body = self.renderer.body(page.file.src_uri)
            page.content = body
            page.toc = get_toc(pages.toc_tokens(body))
            page.present_anchor_ids = pages.anchor_ids(body)
            record = self.renderer.records.get(page.file.src_uri)
            if record is not None:   # JSON-LD for search engines, printed by main.html
                context["structured_data"] = seo.structured_data(record, page.canonical_url)
        return context

    def on_post_page(self, output, page, config):
        if page.file.generated_by and page.file.src_uri in self.renderer:
            page.content = ""   # written; free the memory (see _render_generated)
        return markup.minify_html(output)

    # Code pages share their navigation and footer with every code page in the same folder
    # (they are never in the nav themselves), so overrides/code.html renders those once per
    # folder through this cache.
    def on_env(self, env, config, files):
        env.globals["fragment_cache"] = pages.FragmentCache()
        self.page_urls = [f.url for f in files.documentation_pages()]   # for the sitemaps
        return env

    # Member sections go to deploy blobs beside the site, never into it (see members.py).
    def on_post_build(self, config):
        if self.shard:
            return
        changes.save_state(self.state, Path(config.site_dir))
        members.write_member_blobs(self.dataset.catalog, Path(config.site_dir))
        if self.affected is not None:
            # An incremental build changed no code's existence, so short links and sitemaps
            # stand; the search index and the ask box's data are whole-site files (tens of
            # seconds to make) that an editor's preview keeps until the next full build.
            log.info("Incremental build: search index, ask box data, short links and sitemaps "
                     "are left as the last full build wrote them")
            return
        self._write_search_index(config)
        # The ask box's data, from the same records (see ask.py).
        ask.write_data(self.dataset.catalog, Path(config.docs_dir), Path(config.site_dir),
                       config.use_directory_urls)
        if config.use_directory_urls:   # the hosted site (not the offline bundle)
            self._write_deploy_files(config)

    # Short links for Netlify and sitemaps for search engines (sitemaps need site_url).
    def _write_deploy_files(self, config):
        site_dir = Path(config.site_dir)
        links = shortlinks.write_redirects(self.dataset.catalog, site_dir)
        urls = seo.write_sitemaps(config.site_url, self.page_urls, site_dir) if config.site_url else 0
        log.info(f"{links} short links in {shortlinks.FILE}, {urls} pages in the sitemaps")

    # The search index is built from the same records after the pages (see search.py).
    def _write_search_index(self, config):
        stats = search.write_index(self.dataset.catalog, Path(config.docs_dir),
                                   Path(config.site_dir), config.use_directory_urls)
        log.info(f"Search index: {stats.files} files, {stats.bytes / 1e6:.1f} MB, "
                 f"{stats.seconds:.1f} s")

    # During `mkdocs serve`, editing a YAML record rebuilds the site like editing a page does.
    def on_serve(self, server, config, builder):
        server.watch(str(self._root(config) / self.config.data_dir))
        server.watch(str(Path(__file__).parent / "templates"))
        return server
