"""MkDocs plugin: adds a page for every record under data/ to the site.

The plugin only wires MkDocs events to the pure modules (`site`, `pages`); everything it does
can be tested without MkDocs.
"""
from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from . import members, pages, search, systems
from .site import Dataset, load_dataset

log = get_plugin_logger(__name__)


class CodesConfig(Config):
    data_dir = c.Type(str, default="data")
    add_nav = c.Type(bool, default=True)


class CodesPlugin(BasePlugin[CodesConfig]):
    dataset: Dataset | None = None

    def _root(self, config) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    # Runs first on every build and rebuild, so a bad record stops MkDocs before anything is
    # written to site/.
    def on_config(self, config):
        root = self._root(config)
        data_dir = root / self.config.data_dir
        self.dataset = load_dataset(data_dir, root)
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
                            key=lambda r: systems.sort_key(r.code))
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

    # Generated pages join the hand-written ones here, so MkDocs checks their links as it
    # checks any page's.
    def on_files(self, files: Files, config) -> Files:
        root = self._root(config)
        docs_dir = Path(config.docs_dir)
        generated = pages.render_pages(self.dataset.catalog)
        by_uri = {r.src_uri: r for r in self.dataset.catalog.records}
        for uri, content in generated.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"{config.docs_dir}/{uri} would hide the generated page for "
                                  f"{uri[:-3]}; rename or remove the hand-written file")
            record = by_uri.get(uri)
            # Code pages are reached through index and range pages, never listed in the nav.
            inclusion = InclusionLevel.NOT_IN_NAV if record else InclusionLevel.UNDEFINED
            file = File.generated(config, uri, content=content, inclusion=inclusion)
            if record is not None:
                # Edit links lead to the record an editor should change: the curated overlay of
                # an imported code if there is one, else the record itself.
                editable = record.overlay_from or record
                source = os.path.relpath(root / editable.file, docs_dir).replace(os.sep, "/")
                file.edit_uri = f"{source}#L{editable.line}"
            files.append(file)
        return files

    # Member sections go to deploy blobs beside the site, never into it (see members.py).
    def on_post_build(self, config):
        members.write_member_blobs(self.dataset.catalog, Path(config.site_dir))
        self._write_search_index(config)

    # The search index is built from the same records after the pages (see search.py).
    def _write_search_index(self, config):
        stats = search.write_index(self.dataset.catalog, Path(config.docs_dir),
                                   Path(config.site_dir))
        log.info(f"Search index: {stats.files} files, {stats.bytes / 1e6:.1f} MB, "
                 f"{stats.seconds:.1f} s")

    # During `mkdocs serve`, editing a YAML record rebuilds the site like editing a page does.
    def on_serve(self, server, config, builder):
        server.watch(str(self._root(config) / self.config.data_dir))
        server.watch(str(Path(__file__).parent / "templates"))
        return server
