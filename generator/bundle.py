"""The site's one script: the browser modules concatenated in load order into `ocr.js`.

Every page loads one deferred classic script (partials/core.html) instead of some twenty tags:
the shared core (code rules, element helper, shard loader, URL contract), search, the ask box
and the account buttons. The modules under the theme's `assets/javascripts/` are the source
(and what `node --test` loads one by one); every build writes the bundle from them into the
site (`bundle_file`, added by the plugin), so there is no copy in the repository to keep in
step. `python -m generator.bundle --output F` writes it elsewhere (tests/js/bundle.test.mjs).
Material's preferences helpers, an inline script on every page in Material, are a shared file
too (`scope_file`), so that no page carries an inline script.
Classic scripts, not ES modules, so that the offline bundle works from file://.
"""
from __future__ import annotations

import re
from pathlib import Path

import jinja2
import material
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = "assets/javascripts"
BUNDLE_URI = f"{SCRIPTS}/ocr.js"

# Load order: each module only uses what the ones before it define.
MODULES = (
    "core/codes-data.js", "core/codes.js", "core/dom.js", "core/shards.js", "core/urls.js",
    "search/index.js", "search/query.js", "search/words.js", "search/engine.js", "search/ui.js",
    "search/main.js",
    "ask/store.js", "ask/links.js", "ask/intents.js", "ask/answers.js", "ask/seventh.js",
    "ask/together.js", "ask/release.js", "ask/route.js", "ask/ui.js",
    "account.js",
)


def bundle_text(theme: Path = ROOT / "overrides") -> str:
    """The bundle of the modules under `theme`: a header, then each module under a comment
    naming its file."""
    parts = ["/* Written by every build from the modules under assets/javascripts/ "
             "(generator/bundle.py). */\n"]
    for name in MODULES:
        text = (theme / SCRIPTS / name).read_text(encoding="utf-8")
        parts.append(f"\n/* ---- {name} ---- */\n{text.rstrip()}\n;\n")
    return "".join(parts)


def bundle_file(config) -> File:
    """The bundle as a file of the build, from the theme's own folder (`custom_dir`)."""
    return File.generated(config, BUNDLE_URI, content=bundle_text(Path(config.theme.custom_dir)))


def scope_text(scope: str | None) -> str:
    """Material's preferences helpers (its `partials/javascripts/base.html`, an inline script on
    every page) as the text of one shared file, rendered from Material's own template so that
    it follows Material. `scope` is mkdocs.yml's `extra.scope`: a shared file cannot carry the
    per-page relative root Material falls back to, so without one it is the domain's root."""
    template = Path(material.__file__).parent / "templates/partials/javascripts/base.html"
    html = jinja2.Template(template.read_text(encoding="utf-8")).render(
        config={"extra": {} if scope is None else {"scope": scope}}, base_url="/")
    script = re.search(r"<script>(.*?)</script>", html, re.S)
    if script is None:
        raise ValueError(f"{template}: expected Material's inline <script>, found none")
    return script.group(1).strip() + "\n"


def scope_file(config) -> File:
    """scope_text as a file of the build (assets/javascripts/md-scope.js)."""
    return File.generated(config, f"{SCRIPTS}/md-scope.js",
                          content=scope_text(config.extra.get("scope")))


def theme_files(config) -> list[File]:
    """What every build adds to the theme's assets: the one script and Material's helpers."""
    return [bundle_file(config), scope_file(config)]


def main(argv: list[str] | None = None) -> int:
    """`python -m generator.bundle --output F`: write the bundle of this repository's theme."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m generator.bundle", description=main.__doc__)
    parser.add_argument("--output", required=True)
    args = parser.parse_args(argv)
    Path(args.output).write_text(bundle_text(), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
