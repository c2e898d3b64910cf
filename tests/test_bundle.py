"""The site's one script (generator/bundle.py): complete and in load order."""
from __future__ import annotations

import re
from pathlib import Path

from generator import bundle

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "overrides" / bundle.SCRIPTS


def test_the_command_writes_the_bundle(tmp_path):
    out = tmp_path / "ocr.js"
    assert bundle.main(["--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == bundle.bundle_text()


def test_every_module_of_core_search_and_ask_is_in_the_bundle():
    on_disk = {p.relative_to(SCRIPTS).as_posix()
               for folder in ("core", "search", "ask") for p in (SCRIPTS / folder).glob("*.js")}
    assert on_disk <= set(bundle.MODULES), on_disk - set(bundle.MODULES)
    assert len(bundle.MODULES) == len(set(bundle.MODULES))


def test_modules_come_in_load_order_each_whole():
    text = bundle.bundle_text()
    names = re.findall(r"^/\* ---- (\S+) ---- \*/$", text, re.M)
    assert names == list(bundle.MODULES)
    for name in bundle.MODULES:
        assert (SCRIPTS / name).read_text(encoding="utf-8").rstrip() in text
    # What each part needs is defined before it: the core before search and ask.
    first = {name: text.index(f"/* ---- {name} ---- */") for name in bundle.MODULES}
    assert first["core/urls.js"] < first["search/index.js"] < first["ask/store.js"]
    assert first["core/codes-data.js"] < first["core/codes.js"]
    assert first["ask/route.js"] < first["ask/ui.js"]


def _palette_in_config(path: Path) -> list[list[str]]:
    """theme.palette of a MkDocs config, as palette.js lists it."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass
    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
    return [[o["media"], o.get("scheme") or "default", o.get("primary") or "indigo",
             o.get("accent") or "indigo", o["toggle"]["name"] if "toggle" in o else "",
             ("night" if "night" in o["toggle"]["icon"] else "sunny") if "toggle" in o else ""]
            for o in config.get("theme", {}).get("palette", [])]


def test_palette_script_has_the_configs_palette():
    """Pages carry an empty palette form; palette.js holds the options mkdocs.yml declares."""
    import json
    text = (SCRIPTS / "palette.js").read_text(encoding="utf-8")
    found = re.search(r"var OPTIONS = (\[.*?\]);", text, re.S)
    assert found, "palette.js has no OPTIONS list"
    options = json.loads(found.group(1))
    assert options == _palette_in_config(ROOT / "mkdocs.yml")
    offline = _palette_in_config(ROOT / "mkdocs.offline.yml")   # INHERITs mkdocs.yml's theme
    assert offline in ([], options)
    for option in options:
        assert (ROOT / "overrides" / "assets" / "images" / "icons" / f"{option[5]}.svg").exists()


def test_materials_helpers_are_one_shared_file_with_the_configs_scope():
    """md-scope.js is Material's inline preferences script, rendered from Material's own partial
    with mkdocs.yml's extra.scope; no page carries it inline (partials/javascripts/base.html)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass
    Loader.add_constructor("!ENV", lambda loader, node: None)
    scope = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)["extra"]["scope"]
    text = bundle.scope_text(scope)
    assert text.startswith(f'__md_scope=new URL("{scope}",location)')
    assert "__md_get=" in text and "__md_set=" in text and "<script" not in text
    assert bundle.scope_text(None).startswith('__md_scope=new URL("/",location)')
    partial = (ROOT / "overrides" / "partials" / "javascripts" / "base.html").read_text()
    assert '<script src="{{ \'assets/javascripts/md-scope.js\' | url }}"></script>' in partial
