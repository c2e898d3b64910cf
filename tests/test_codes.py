"""The code rules of generator/systems.py: the shared vectors (run by node too), the browser's
data file kept in step, and the tabular order of the real CDC XML."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import sitefiles, systems

ROOT = Path(__file__).resolve().parent.parent
VECTORS = json.loads((ROOT / "tests" / "vectors" / "codes.json").read_text(encoding="utf-8"))


def _key(system):
    return system.key if system else None


FUNCTIONS = {
    "normalize": systems.normalize,
    "bare": systems.bare,
    "dotted": systems.dotted,
    "dotless_hint": systems.dotless_hint,
    "readings": lambda text: [list(r) for r in systems.readings(text)],
    "system_of": lambda code: _key(systems.system_of_code(code)),
    "is_code": lambda key, code: systems.is_code(systems.SYSTEMS[key], code),
    "is_modifier": lambda key, code: systems.is_modifier(systems.SYSTEMS[key], code),
    "range_contains": systems.range_contains,
    "covers": systems.covers,
    "seventh_code": systems.seventh_code,
    "seventh_base": lambda code: list(b) if (b := systems.seventh_base(code)) else None,
    "parent_code": lambda code, known: systems.parent_code(code, set(known)),
    "term_shard": systems.term_shard,
    "page_url": sitefiles.page_url,      # the URL contract core/urls.js shares
}
CASES = [(name, case) for name in FUNCTIONS for case in VECTORS[name]]


@pytest.mark.parametrize("name, case", CASES, ids=[f"{n}-{'-'.join(map(str, c[:-1]))}" for n, c in CASES])
def test_vector(name, case):
    assert FUNCTIONS[name](*case[:-1]) == case[-1]


def test_every_vector_group_is_run():
    assert set(VECTORS) - {"about"} == set(FUNCTIONS) | {"sort_order"}


@pytest.mark.parametrize("order", VECTORS["sort_order"])
def test_sort_order(order):
    assert sorted(reversed(order), key=systems.sort_key) == order


def test_category_ii_code_is_not_inside_a_category_i_range():
    assert not systems.CodeRange("10004", "69990").contains("1036F")


def test_browser_data_file_is_current():
    path = ROOT / systems.BROWSER_DATA_PATH
    assert path.read_text(encoding="utf-8") == systems.browser_script(), \
        "run 'python -m generator.systems'"


def test_stale_browser_data_is_reported(tmp_path, capsys):
    stale = tmp_path / "codes-data.js"
    stale.write_text("old", encoding="utf-8")
    assert systems.main(["--check", "--output", str(stale)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert systems.main(["--output", str(stale)]) == 0
    assert systems.main(["--check", "--output", str(stale)]) == 0


def _xml_root():
    from generator import icd10cm
    return icd10cm.parse_xml(icd10cm.default_xml())


def test_tabular_places_are_those_of_the_real_file():
    from generator import icd10cm
    from generator.tabular_order import TABULAR_PLACES
    from generator.tabular_order import RANGE_LAST
    root = _xml_root()
    assert TABULAR_PLACES == icd10cm.tabular_places(root), \
        "generator/tabular_order.py is out of date: write icd10cm.tabular_places(...) into it"
    assert RANGE_LAST == icd10cm.range_ends(root)
    assert {"C4A", "D3A", "M1A", "Z3A", "QA0"} <= set(systems.LETTER_CATEGORIES)


def _xml_codes():
    root = _xml_root()
    out = []

    def walk(element):
        for diag in element.all("diag"):
            out.append(diag.find("name").text)
            walk(diag)

    for chapter in root.all("chapter"):
        for section in chapter.all("section"):
            walk(section)
    return out


def test_code_order_and_ranges_follow_the_tabular_list_of_the_real_file():
    codes = _xml_codes()
    assert len(codes) > 40_000
    assert codes == sorted(codes, key=systems.sort_key)
    categories = [c for c in codes if len(c) == 3]
    for before, after in zip(categories, categories[1:]):
        assert systems.range_contains(before, after, after)
        assert not systems.range_contains(after, after, before)


def test_every_category_is_inside_its_block_and_no_other_of_the_real_file():
    root = _xml_root()
    blocks = []
    for chapter in root.all("chapter"):
        for section in chapter.all("section"):
            first, _, last = section.attrs["id"].partition("-")
            listed = [d.find("name").text for d in section.all("diag")]
            if listed:
                blocks.append((first, last or first, listed))
    for first, last, listed in blocks:
        for category in listed:
            holders = [(f, l) for f, l, _ in blocks if systems.range_contains(f, l, category)]
            assert holders == [(first, last)], category


@pytest.mark.parametrize("text", ["５３", "٥٣", "９９２１３", "E١١.65", "G０008"])
def test_codes_are_ascii_only(text):
    """Python's \\d matches any Unicode digit; code formats take ASCII digits alone, so a
    fullwidth '５３' is no modifier and no page folder, and prose does not link it."""
    from generator import links

    assert systems.system_of_code(text) is None
    assert systems.system_of_modifier(text) is None
    assert links.find_mentions(f"See modifier {text} and code {text}.") == []


@pytest.mark.parametrize("text", ["[" * 40_000, "[a" * 40_000, "<" * 40_000, "](" * 40_000])
def test_prose_linking_takes_linear_time(text):
    """Runs of opening brackets once made the prose linker quadratic (35 s for 40,000 '[')."""
    import time

    from generator import links

    started = time.process_time()
    links.find_mentions(text + " modifier 53")
    # A guard against the quadratic case, not a speed target: about 0.05 s now, 6 to 12 s before.
    assert time.process_time() - started < 5.0
