"""`make serve`: a live preview that shows a page within seconds and rebuilds what an edit changes.

`mkdocs serve` builds every page into a temporary folder before it serves the first one (minutes
with all of ICD-10-CM). Instead:

- when `site/` holds an earlier build (`make site`, or an earlier `make serve`), it is served at
  once, and an incremental build brings it up to date behind it;
- on a fresh clone, the curated records, ranges and index pages are built first (seconds) and
  served; the full build follows behind and is swapped in when it is done;
- saving a data file, a hand-written page, a template or the generator rebuilds incrementally
  (build.update_site: only the pages the edit affects) and the browser reloads.

Every build goes through build.py, so a broken record shows an error in the terminal and the
preview keeps the last good site. MkDocs' livereload server serves the folder and reloads the
browser.

Usage: python -m generator.serve [--config mkdocs.yml] [--site-dir site] [--dev-addr HOST:PORT]
                                 [--no-strict]
"""
from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import threading
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer, _timestamp

from .build import build_site, default_jobs, update_site
from .changes import load_state, state_path

log = logging.getLogger("mkdocs.livereload")


class Preview:
    """The builds behind the server: one at a time, each ending in a browser reload."""

    def __init__(self, config_file: Path, site_dir: Path, strict: bool = True):
        self.config_file, self.site_dir, self.strict = config_file, site_dir.resolve(), strict
        self.lock = threading.Lock()
        self.server: LiveReloadServer | None = None

    def first(self) -> int:
        """Make something to serve at once: nothing to do when there is an earlier build, the
        curated subset on a fresh clone."""
        if self.site_dir.is_dir() and load_state(self.site_dir) is not None:
            return 0
        return build_site(self.config_file, self.site_dir, self.strict, subset="curated")

    def rebuild(self) -> None:
        """On a change: the pages it affects (a full build when there is no earlier one); the
        browsers reload as soon as the pages are in place, and the memory of the build is
        tidied up after."""
        with self.lock:
            update_site(self.config_file, self.site_dir, self.strict)
            self.reload()
        self.tidy_later()

    def catch_up(self) -> None:
        """Behind the first page: bring the served site up to date, then reload browsers.
        Nothing to do when no watched file changed since the served site was built."""
        with self.lock:
            if load_state(self.site_dir) is None:
                build_site(self.config_file, self.site_dir, self.strict, jobs=default_jobs())
            elif changed_since(state_path(self.site_dir), watched(self.config_file)):
                update_site(self.config_file, self.site_dir, self.strict)
            else:
                log.info(f"{self.site_dir} is up to date")
                return
            self.reload()
        self.tidy_later()

    def tidy_later(self, delay: float = 2.0) -> None:
        """Collect the last build's memory once browsers had time to fetch the new page (the
        collector holds the interpreter for a second or two), unless a build is running: its
        end tidies up again."""
        def tidy():
            if self.lock.acquire(blocking=False):
                try:
                    _tidy()
                finally:
                    self.lock.release()

        timer = threading.Timer(delay, tidy)
        timer.daemon = True
        timer.start()

    def reload(self) -> None:
        if self.server is not None:
            # MkDocs' server reloads browsers when its visible epoch moves; it has no public
            # call for a build it did not start (mkdocs 1.6.1 is pinned).
            with self.server._epoch_cond:
                self.server._wanted_epoch = self.server._visible_epoch = _timestamp()
                self.server._epoch_cond.notify_all()


def _tidy() -> None:
    """A build freezes its data set out of the cycle collector's reach (dataset.load_checked);
    in this long-lived process the objects of a finished build are collected after it."""
    gc.unfreeze()
    gc.collect()


def changed_since(marker: Path, paths: list[Path]) -> bool:
    """Whether any file under `paths` was modified after `marker` (or `marker` is missing)."""
    try:
        since = marker.stat().st_mtime_ns
    except OSError:
        return True
    for path in paths:
        if path.is_file():
            if path.stat().st_mtime_ns > since:
                return True
            continue
        for folder, dirs, names in os.walk(path):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in names:
                try:
                    if os.stat(os.path.join(folder, name)).st_mtime_ns > since:
                        return True
                except OSError:
                    return True
    return False


def watched(config_file: Path) -> list[Path]:
    """What an editor may change: the data, pages, theme, generator and the config."""
    config = load_config(str(config_file))
    root = config_file.resolve().parent
    plugin = config.plugins.get("codes")
    data = root / (plugin.config.data_dir if plugin is not None else "data")
    paths = [data, Path(config.docs_dir), Path(__file__).parent, config_file.resolve()]
    if config.theme.custom_dir:
        paths.append(Path(config.theme.custom_dir))
    return [p for p in paths if p.exists()]


def serve(config_file: Path, site_dir: Path, host: str = "127.0.0.1", port: int = 8000,
          strict: bool = True) -> int:
    preview = Preview(config_file, site_dir, strict)
    if preview.first() != 0:
        return 1
    server = LiveReloadServer(builder=preview.rebuild, host=host, port=port,
                              root=str(preview.site_dir))
    preview.server = server
    for path in watched(config_file):
        server.watch(str(path))
    threading.Thread(target=preview.catch_up, daemon=True).start()
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.serve", description=__doc__
                                     .split("\n")[0])
    parser.add_argument("--config", default="mkdocs.yml")
    parser.add_argument("--site-dir", default="site")
    parser.add_argument("--dev-addr", default="127.0.0.1:8000")
    parser.add_argument("--no-strict", action="store_true",
                        help="accept builds with warnings (default: keep the last good site)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    host, _, port = args.dev_addr.rpartition(":")
    return serve(Path(args.config), Path(args.site_dir), host or "127.0.0.1", int(port),
                 not args.no_strict)


if __name__ == "__main__":
    sys.exit(main())
