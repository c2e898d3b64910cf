"""MkDocs plugin `codes`: connects MkDocs events to pure modules (dataset, nav, plan: which pages
this process writes, outputs: everything else it writes); build.py sets its options."""
from __future__ import annotations

import functools
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from . import book, bundle, codesets, frames, markup, nav, outputs, plan
from .dataset import DataError, load_checked

log = get_plugin_logger(__name__)


class CodesConfig(book.BookConfig):   # option `book`: the offline bundle's ICD-10-CM pages
    data_dir = c.Type(str, default="data")
    add_nav = c.Type(bool, default=True)
    shard = c.Type(str, default="0/1")          # "k/n": this process writes share k of n
    incremental = c.Type(bool, default=False)   # rewrite only the pages an edit affects
    previous = c.Optional(c.Type(str))          # the last build's site folder (default: site_dir)
    subset = c.Choice(plan.SUBSETS, default="all")
    staged = c.Type(bool, default=False)        # build.py commits the outputs beside the site


def _render_later(page, config, files):
    page.content = ""


class CodesPlugin(BasePlugin[CodesConfig]):
    # Runs first on every build, so a bad record stops MkDocs before anything is written.
    def on_config(self, config):
        self.root = Path(config.config_file_path or ".").resolve().parent
        first = plan.parse_shard(self.config.shard)[0] == 0   # shard 0 writes the 404 page
        config.theme.static_templates.intersection_update(() if not first else ["404.html"])
        try:   # history: shard 0 alone warns of an out-of-date release
            self.dataset = load_checked(self.root / self.config.data_dir, self.root,
                                        self.root / ".cache" / "records.pickle", log, first)
        except DataError as exc:
            raise PluginError(str(exc)) from None
        if self.config.add_nav and config.nav:
            config.nav = list(config.nav) + nav.nav_entries(self.dataset.catalog)
        return config

    # Generated pages join the hand-written ones here, so the navigation and links see them.
    def on_files(self, files: Files, config) -> Files:
        inputs = [Path(p) for p in (config.theme.custom_dir, config.config_file_path) if p]
        inputs += self.dataset.inputs
        self.plan = plan.make_plan(
            self.dataset.catalog, config.use_directory_urls, inputs, self.config.shard,
            self.config.incremental, Path(self.config.previous or config.site_dir),
            self.config.subset, log, self.config.book)
        rebuilt = self.plan.mark_hand_written(files.documentation_pages())
        for uri in [uri for uri, built in self.plan.listed(rebuilt) if built]:   # the rest: lazily
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"{config.docs_dir}/{uri} would hide the generated page for "
                                  f"{uri[:-3]}; rename or remove the hand-written file")
            edit = self.plan.edit_path(uri, self.root, config.docs_dir)
            level = "NOT_IN_NAV" if edit else "UNDEFINED"   # code pages are not in the nav
            file = File.generated(config, uri, content="", inclusion=InclusionLevel[level])
            file.edit_uri, file.is_modified = edit, functools.partial(self.plan.rewrites, uri)
            files.append(file)
        if self.plan.main:   # theme assets (and the one script built from them): shard 0 alone
            for file in bundle.theme_files(config):
                files.append(file)
        else:
            files = Files([f for f in files if f.is_documentation_page()])
        return nav.LinkTargets(files, config, self.plan.generates)   # other pages when linked

    def _generated(self, page) -> str | None:
        uri = page.file.src_uri
        return uri if page.file.generated_by and self.plan.generates(uri) else None

    # Generated pages have no Markdown to read or convert: their metadata comes from the record.
    def on_page_read_source(self, page, config):
        return "" if self._generated(page) else None

    def on_page_markdown(self, markdown, page, config, files):
        if uri := self._generated(page):   # MkDocs keeps what it reads: bodies come at writing
            page.meta, page.render = self.plan.meta(uri), functools.partial(_render_later, page)
        elif not self.plan.main:
            page.meta["template"] = "skip.html"   # another shard writes it
        return markdown if uri else codesets.fill_content_page(markdown, self.dataset.catalog, page.file.src_uri)

    # Just before a generated page is written: its body, contents and JSON-LD.
    def on_page_context(self, context, page, config, nav):
        if (uri := self._generated(page)) and self.plan.writes(uri):
            page.content, toc, page.present_anchor_ids, data = self.plan.page(uri, page.canonical_url)
            page.toc, context["structured_data"] = get_toc(toc), data
            if "frame" in page.meta:   # the theme's template skips it: frames.py writes it
                page.meta = self.plan.meta(uri, writing=True)
                page.content = self.frames.page_html(context, page, page.content, page.toc, data)
        return context

    def on_post_page(self, output, page, config):   # every page minified (markup.py) once
        return frames.written(page, output) if self._generated(page) else markup.minify_html(output)

    def on_env(self, env, config, files):
        self.frames = frames.Frames(env)
        self.page_urls = self.plan.page_urls(files.documentation_pages())   # for the sitemaps
        return env

    # After the pages, by shard 0: search index, ask data, sitemaps, short links, blobs, state.
    def on_post_build(self, config):
        if self.plan.main:
            outputs.write_all(outputs.Build.after(self.plan, self.dataset.catalog, config,
                                                  self.page_urls), log)
            if not self.config.staged:   # a plain `mkdocs build`: nothing else commits them
                outputs.commit(Path(config.site_dir), Path(config.site_dir))

    # During `mkdocs serve`, editing a record or the generator rebuilds like editing a page.
    def on_serve(self, server, config, builder):
        server.watch(str(self.root / self.config.data_dir))
        server.watch(str(Path(__file__).parent))
        return server
