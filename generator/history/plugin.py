"""MkDocs plugin `history`: adds the release-history pages (changepages.py) to the site.

Listed in mkdocs.yml after `codes`, whose data set (with the history attached) it reads: pages
for codes deleted since FY2024 at the address they had, one changes page per release, and a
"Changes by release" line on the ICD-10-CM index page. A deleted code whose address has a page
(the code is a header now, or a hand-written page) is skipped and reported.
"""
from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from . import changepages

log = get_plugin_logger(__name__)


def _first_shard(codes) -> bool:
    """Whether this process writes the pages that are not code pages (always, unsharded)."""
    plan = getattr(codes, "plan", None)
    return plan.main if plan is not None else getattr(codes, "shard", 0) == 0


class HistoryPlugin(BasePlugin):
    pages: changepages.HistoryPages | None = None

    def on_config(self, config):
        self.codes = config.plugins.get("codes")
        if self.codes is None:
            raise PluginError("the history plugin needs the codes plugin, listed before it")
        self.pages = None
        return config

    def on_files(self, files: Files, config) -> Files:
        catalog = self.codes.dataset.catalog
        history = getattr(catalog, "history", None)
        if history is None or not _first_shard(self.codes):
            return files
        self.pages = changepages.build(catalog, history, config.use_directory_urls)
        for uri, content in list(self.pages.pages.items()):
            if files.get_file_from_path(uri) is not None:   # a hand-written page is there
                del self.pages.pages[uri]
                self.pages.clashes.append(uri[len(changepages.FOLDER) + 1:-3])
                continue
            files.append(File.generated(config, uri, content=content,
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        counts = ", ".join(f"{fy}: " + " ".join(f"{n} {k}" for k, n in c.items())
                           for fy, c in self.pages.counts.items())
        log.info(f"Release history: {len(self.pages.deleted)} deleted-code pages, changes pages "
                 f"({counts}); {len(self.pages.clashes)} deleted codes have a page of the shown "
                 f"release at their address: {' '.join(self.pages.clashes)}")
        return files

    # The codes plugin renders the index page's body in its on_page_context, which runs first.
    def on_page_context(self, context, page, config, nav):
        if self.pages and page.file.src_uri == changepages.INDEX_URI and page.content:
            line = changepages.index_links(self.pages, config.use_directory_urls)
            head, sep, rest = page.content.partition("</p>")
            page.content = head + sep + "\n" + line + rest if sep else page.content + line
        return context
