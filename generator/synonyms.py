"""Editors' synonyms for the site search: abbreviations, lay terms and word pairs (data/synonyms.yaml).

Coders type "chf", "uti", "heart attack" or "femoral neck fracture"; the classification says
"congestive heart failure", "urinary tract infection", "myocardial infarction", "femur". Each
entry of the file says what is typed and what it means:

    synonyms:
      - words: [chf]                       # what coders type (one or more spellings)
        means: congestive heart failure    # searched as well as the typed words
        codes: [I50.9, I50]                # shown first when the query is just these words

`means` and `codes` are each optional, but an entry needs one of them. A one-word entry with a
one-word `means` (femoral -> femur) lets either word match inside any query. Every code must
exist in the reference: `check` reports each problem with its file and line, as the record
validator does, and `python -m generator check` runs it.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from .records import Problem

FILE = "synonyms.yaml"
KEYS = {"words", "means", "codes", "note"}
_WORD = re.compile(r"[a-z0-9][a-z0-9 '&/+-]*")


class Entry:
    def __init__(self, line: int, words: list[str], means: str, codes: list[str]):
        self.line, self.words, self.means, self.codes = line, words, means, codes


def _scalar_list(node) -> list | None:
    if isinstance(node, yaml.ScalarNode):
        return [node]
    if isinstance(node, yaml.SequenceNode) and all(isinstance(n, yaml.ScalarNode) for n in node.value):
        return node.value
    return None


def parse(path: Path, shown: str | None = None) -> tuple[list[Entry], list[Problem]]:
    """Entries of a synonyms file and the problems of its shape (not of its codes)."""
    name = shown or str(path)
    problems: list[Problem] = []

    def problem(line: int, record: str, field: str, message: str):
        problems.append(Problem(name, line, record, field, message))

    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem(mark.line + 1 if mark else 1, "", "", f"not valid YAML: {error}")
        return [], problems
    top = {k.value: v for k, v in root.value} if isinstance(root, yaml.MappingNode) else {}
    items = top.get("synonyms")
    if not isinstance(items, yaml.SequenceNode):
        problem(1, "", "synonyms", "the file needs a 'synonyms' list")
        return [], problems
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for node in items.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            problem(line, "", "", "each synonym is a mapping with 'words' and 'means' or 'codes'")
            continue
        fields = {k.value: v for k, v in node.value}
        label = "synonym"
        for key in sorted(set(fields) - KEYS):
            problem(line, label, key, f"unknown field '{key}'; use {', '.join(sorted(KEYS))}")
        words_node = _scalar_list(fields.get("words"))
        if not words_node or not all(str(n.value).strip() for n in words_node):
            problem(line, label, "words", "'words' lists what coders type, e.g. [chf]")
            continue
        words = [" ".join(str(n.value).lower().split()) for n in words_node]
        label = f"synonym '{words[0]}'"
        for n, w in zip(words_node, words):
            if not _WORD.fullmatch(w):
                problem(n.start_mark.line + 1, label, "words",
                        f"'{w}' has characters a query never keeps; use letters, digits and spaces")
            elif w in seen:
                problem(n.start_mark.line + 1, label, "words",
                        f"'{w}' is already listed on line {seen[w]}; keep one entry per word")
            else:
                seen[w] = n.start_mark.line + 1
        means_node = fields.get("means")
        means = ""
        if means_node is not None:
            if not isinstance(means_node, yaml.ScalarNode) or not str(means_node.value).strip():
                problem(means_node.start_mark.line + 1, label, "means", "'means' is one phrase")
            else:
                means = " ".join(str(means_node.value).lower().split())
        codes_node = fields.get("codes")
        codes: list[tuple[str, int]] = []
        if codes_node is not None:
            listed = _scalar_list(codes_node)
            if listed is None:
                problem(codes_node.start_mark.line + 1, label, "codes", "'codes' is a list of codes")
            else:
                codes = [(str(n.value).strip(), n.start_mark.line + 1) for n in listed]
        if not means and not codes:
            problem(line, label, "", "an entry needs 'means' (what the words stand for) or 'codes'")
        entry = Entry(line, words, means, [c for c, _ in codes])
        entry.code_lines = codes
        entries.append(entry)
    return entries, problems


def check(data_dir: Path, catalog, root: Path | None = None) -> list[Problem]:
    """Every problem of data_dir/synonyms.yaml: its shape, and codes the reference lacks.

    A missing file is no problem (the search then has no synonyms).
    """
    path = Path(data_dir) / FILE
    if not path.is_file():
        return []
    shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    entries, problems = parse(path, shown)
    known = catalog.by_code
    for entry in entries:
        for code, line in entry.code_lines:
            if code not in known:
                hint = next((k for k in (code.upper(), _dotted(code)) if k in known), None)
                more = f"; did you mean '{hint}'?" if hint else "; every target must be a page here"
                problems.append(Problem(shown, line, f"synonym '{entry.words[0]}'", "codes",
                                        f"'{code}' is not a code in the reference{more}"))
    return sorted(problems, key=lambda p: (p.line, p.field))


def check_source(data_dir: Path, root: Path):
    """The data-source hook of `python -m generator check` (sources.SOURCES)."""
    from .dataset import load_dataset
    from .sources import Checked

    path = Path(data_dir) / FILE
    if not path.is_file():
        return Checked([], "")
    catalog = load_dataset(Path(data_dir), root).catalog   # the codes a synonym may name
    return Checked(check(Path(data_dir), catalog, root), f"{len(parse(path)[0])} search synonyms")


def _dotted(code: str) -> str:
    bare = code.upper().replace(".", "")
    return f"{bare[:3]}.{bare[3:]}" if len(bare) > 3 and bare[0].isalpha() else bare


def for_index(data_dir: Path | None, catalog) -> list[list]:
    """The entries the browser uses: [[words...], means, [codes...]], codes that exist only."""
    if data_dir is None or not (Path(data_dir) / FILE).is_file():
        return []
    entries, _ = parse(Path(data_dir) / FILE)
    return [[e.words, e.means, [c for c in e.codes if c in catalog.by_code]] for e in entries]
