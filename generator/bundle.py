"""The site's one script: the browser modules concatenated in load order into `ocr.js`.

Every page loads one deferred classic script (partials/core.html) instead of some twenty tags:
the shared core (code rules, element helper, shard loader, URL contract), search, the ask box
and the account buttons. The modules under the theme's `assets/javascripts/` are the source
(and what `node --test` loads one by one); every build writes the bundle from them into the
site (`bundle_file`, added by the plugin), so there is no copy in the repository to keep in
step. `python -m generator.bundle --output F` writes it elsewhere (tests/js/bundle.test.mjs).
Classic scripts, not ES modules, so that the offline bundle works from file://.
"""
from __future__ import annotations

from pathlib import Path

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


def bundle_file(config):
    """The bundle as a file of the build, from the theme's own folder (`custom_dir`)."""
    from mkdocs.structure.files import File

    return File.generated(config, BUNDLE_URI, content=bundle_text(Path(config.theme.custom_dir)))


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
