"""MkDocs plugin `jobs`: adds the job board (data/jobs.yaml) to the site.

Listed in mkdocs.yml beside `codes`; it knows nothing of code records, and they nothing of it.
A bad posting stops the build before anything is written, with every problem's file and line.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import JOBS_FILE, JobsError, site_files

ASSET = Path(__file__).parent / "assets" / "jobs.js"
ASSET_URI = "assets/javascripts/jobs.js"


class JobsConfig(Config):
    data_dir = c.Type(str, default="data")
    # YYYY-MM-DD; empty: OCR_BUILD_DATE (or CODES_BUILD_DATE) from the environment, else today.
    build_date = c.Type(str, default="")


class JobsPlugin(BasePlugin[JobsConfig]):
    files: dict[str, str]

    def _root(self, config) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def on_config(self, config):
        root = self._root(config)
        try:
            self.files = site_files(root / self.config.data_dir, root, config.use_directory_urls,
                                    config.site_url, self.config.build_date)
        except JobsError as exc:
            raise PluginError(str(exc)) from None
        return config

    def on_files(self, files: Files, config) -> Files:
        for uri, content in self.files.items():
            files.append(File.generated(config, uri, content=content))
        if self.files and files.get_file_from_path(ASSET_URI) is None:
            files.append(File.generated(config, ASSET_URI, abs_src_path=str(ASSET)))
        return files

    def on_serve(self, server, config, builder):
        server.watch(str(self._root(config) / self.config.data_dir / JOBS_FILE))
        server.watch(str(Path(__file__).parent))
        return server
