"""Safe YAML loading for every data file, and the helpers that read its nodes.

`read` turns a file into a YAML node tree (PyYAML's safe composer, libyaml when present) or
exactly one problem that says why it cannot: bytes that are not UTF-8 (with their line and
column), YAML that does not parse, an empty file, or limits an editor never needs but a hostile
file would abuse: aliases that expand to millions of values, an alias inside its own anchor,
nesting deeper than MAX_DEPTH. Nothing here builds Python objects from the tree, so no tag can
run code and no alias is ever expanded; the field kit (`fields.py`) reads the nodes.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
from pathlib import Path

import yaml

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader

_NULLS = {"", "~", "null", "Null", "NULL"}
MAX_DEPTH = 50             # lists and mappings inside each other; real files use six
MAX_VALUES = 1_000_000     # values a file holds once aliases are expanded
MAX_KEY = 100              # characters in a mapping key


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located precisely enough for an editor to fix it."""

    file: str
    line: int
    record: str          # "modifier '53'", or "" for a problem with the file itself
    field: str           # "relations.see_also", or "" when not about one field
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: "
        who = f"{self.record}: " if self.record else ""
        what = f"'{self.field}' " if self.field else ""
        return visible(f"{where}{who}{what}{self.message}")


# Control characters, invisible and direction-changing characters: shown as escapes in messages,
# so that a value in a data file cannot move a terminal's cursor, start a workflow command or
# reorder what an editor reads.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def visible(text: str) -> str:
    return _INVISIBLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class Checker:
    """Collects the problems of one file."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int, who: str, name: str, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.file, line, who, name, message, severity))


# --- YAML nodes ------------------------------------------------------------------------------

def line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def text(node: yaml.Node | None) -> str | None:
    """The text of a scalar node; None for a list, a mapping or nothing (null)."""
    if isinstance(node, yaml.ScalarNode) and not (
            node.tag == "tag:yaml.org,2002:null" and node.value in _NULLS):
        return node.value
    return None


def describe(node: yaml.Node) -> str:
    """What an editor wrote, for a message: never walks into a list or mapping."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if text(node) is None:
        return "nothing"
    value = node.value if len(node.value) <= 60 else node.value[:57] + "..."
    return f"'{value}'"


def check_mapping(chk: Checker, node: yaml.MappingNode, known, who: str, prefix: str = "",
                  noun: str = "field") -> tuple[dict[str, yaml.Node], dict[str, int]]:
    """Field name -> value node, reporting keys that are not plain text, unknown or repeated.

    `known` is a collection of allowed keys, or None for any key."""
    seen: dict[str, yaml.Node] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = text(key_node)
        if key is None:
            chk.add(line(key_node), who, prefix[:-1], f"has a key that is {describe(key_node)}; "
                    "keys are plain text such as 'title'")
            continue
        if len(key) > MAX_KEY:
            chk.add(line(key_node), who, prefix[:-1], f"has a key {len(key):,} characters long; "
                    "keys are short names such as 'title'")
            continue
        if key in lines:
            chk.add(line(key_node), who, prefix + key,
                    f"appears twice (first on line {lines[key]}); keep one")
            continue
        lines[key] = line(key_node)
        if known is not None and key not in known:
            names = [prefix + k for k in known]
            guess = difflib.get_close_matches(prefix + key, names, n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else f"; known fields: {', '.join(names)}"
            where = f" of '{prefix[:-1]}'" if prefix else ""
            chk.add(line(key_node), who, prefix + key, f"is not a known {noun}{where}{hint}")
            continue
        seen[key] = value_node
    return seen, {k: lines[k] for k in seen}


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (from 1, in characters) of a byte offset."""
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def _limits(root: yaml.Node) -> tuple[yaml.Node, str] | None:
    """The first node that breaks a limit, and the message; walks each node once (aliases
    are shared nodes, counted by the size they expand to, never expanded)."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if isinstance(node, yaml.ScalarNode):
            size[key], depth[key] = 1, 0
            continue
        children = node.value if isinstance(node, yaml.SequenceNode) else \
            [n for pair in node.value for n in pair]
        if not done:
            if key in size:
                continue
            open_.add(key)
            stack.append((node, True))
            for child in children:
                if id(child) in open_:
                    return child, ("has an alias inside the value it refers to, which would "
                                   "never end; write the value out")
                if id(child) not in size:
                    stack.append((child, False))
            continue
        open_.discard(key)
        size[key] = 1 + sum(size[id(c)] for c in children)
        depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
        if depth[key] > MAX_DEPTH:
            return node, (f"nests lists and mappings more than {MAX_DEPTH} levels deep; a data "
                          "file needs a few levels")
        if size[key] > MAX_VALUES:
            return node, (f"has aliases ('*name') that expand to more than {MAX_VALUES:,} "
                          "values; write the values out instead")
    return None


def read(path: Path, chk: Checker, empty: str) -> yaml.Node | None:
    """The node tree of the file at `path`, or None after adding one problem to `chk`.

    `empty` says what the file should hold, for the message about an empty file."""
    if path.is_symlink():
        chk.add(1, "", "", "is not read: it is a symbolic link; data files are plain files in the "
                "repository")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        chk.add(1, "", "", f"cannot be read: {exc.strerror}")
        return None
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        row, column = _position(data, exc.start)
        chk.add(row, "", "", f"is not UTF-8 text: byte 0x{data[exc.start]:02x} at column "
                f"{column} ({exc.reason}); save the file as UTF-8")
        return None
    try:
        root = yaml.compose(source, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        what = getattr(exc, "problem", None) or str(exc)
        if "tab" in what:
            what += " (indent with spaces, not tabs)"
        chk.add(mark.line + 1 if mark else 1, "", "",
                f"is not valid YAML: {what}; check indentation and quoting")
        return None
    except RecursionError:   # only without libyaml, which stops at 1,000 levels itself
        chk.add(1, "", "", f"nests lists and mappings more than {MAX_DEPTH} levels deep; a data "
                "file needs a few levels")
        return None
    if root is None:
        chk.add(1, "", "", f"is empty; {empty}, or delete the file")
        return None
    if broken := _limits(root):
        chk.add(line(broken[0]), "", "", broken[1])
        return None
    return root
