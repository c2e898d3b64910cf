"""The field kit: field types as small classes, shared by code records and the job board.

Like MkDocs' `config_options`, each field type checks one YAML node (`check`, which reports
problems with file, line, record and field, and returns the value or INVALID) and describes
itself in JSON Schema (`json`). A data source declares its fields once as a tuple of these, and
everything else comes from that declaration: the loader's checks (`check_mapping`), the JSON
Schema editors get (`object_schema`), the documentation table and the Python model (`model`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from typing import Any, Iterable

import yaml

from . import prose
from .yamlfile import Checker, check_mapping, describe, line, text

INVALID: Any = object()   # what `check` returns after reporting a problem
TEXT_ITEM = {"type": ["string", "integer"]}   # YAML reads 52 as a number: editors may write it


class Field:
    """A field of a record; subclasses check one kind of value."""

    annotation = "str | None"

    def __init__(self, name: str, description: str, *, required: bool = False,
                 default: Any = None, max_length: int = 300, **tags: Any):
        self.name = name
        self.description = description
        self.required = required
        self.default = default
        self.max_length = max_length
        self.tags = tags   # what a data source attaches: record kinds, systems, overlay rule
        self.__dict__.update(tags)

    def check(self, chk: Checker, node: yaml.Node, who: str, path: str, lines: dict) -> Any:
        raise NotImplementedError

    def json(self) -> dict:
        raise NotImplementedError

    def schema(self) -> dict:
        return {"description": self.description, **self.json()}

    def children(self) -> tuple[str, tuple["Field", ...]]:
        """Sub-fields, for documentation tables: (path suffix, fields)."""
        return "", ()

    def model_field(self) -> tuple[str, str, dataclasses.Field]:
        if isinstance(self.default, (list, dict)):
            default = dataclasses.field(default_factory=type(self.default))
        elif self.required and self.default is None:
            default = dataclasses.field()
        else:
            default = dataclasses.field(default=self.default)
        return self.name, self.annotation, default

    def _text(self, chk, node, who, path, expected="text"):
        value = text(node)
        if value is None or not value.strip():
            chk.add(line(node), who, path, f"expected {expected}, found {describe(node)}")
            return INVALID
        if len(value) > self.max_length:
            chk.add(line(node), who, path, f"is {len(value):,} characters long, more than the "
                    f"{self.max_length:,} allowed; shorten it")
            return INVALID
        return value


class Text(Field):
    """One line or paragraph of plain text."""

    def check(self, chk, node, who, path, lines):
        value = self._text(chk, node, who, path)
        return value if value is INVALID else value.strip()

    def json(self):
        return {"type": "string", "maxLength": self.max_length}


def non_ascii(value: str) -> str | None:
    """'U+0415 CYRILLIC CAPITAL LETTER IE at position 1' for the first character that is not
    ASCII (position counted from 1), or None."""
    for i, char in enumerate(value, 1):
        if ord(char) > 127:
            name = unicodedata.name(char, "")
            return f"U+{ord(char):04X}{' ' + name if name else ''} at position {i}"
    return None


class Code(Text):
    """A code, modifier or range as the code book writes it: ASCII only, so a Cyrillic 'Е' or a
    fullwidth '５' never passes for a Latin 'E' or a '5'."""

    def __init__(self, name, description, max_length=40, **kw):
        super().__init__(name, description, max_length=max_length, **kw)

    def check(self, chk, node, who, path, lines):
        value = super().check(chk, node, who, path, lines)
        if value is not INVALID and (where := non_ascii(value)):
            chk.add(line(node), who, path, f"has {where}; codes are written with ASCII letters "
                    "and digits only, so type it again")
            return INVALID
        return value

    def json(self):
        return {"type": ["string", "integer"], "maxLength": self.max_length}


class Markdown(Text):
    """Editors' prose in Markdown: links only to http, https and mailto addresses (inline or
    by reference, however the scheme is disguised), and no attribute lists."""

    def __init__(self, name, description, max_length=5000, strip=False, **kw):
        super().__init__(name, description, max_length=max_length, **kw)
        self.strip = strip

    def check(self, chk, node, who, path, lines):
        value = self._text(chk, node, who, path, "Markdown text")
        if value is INVALID:
            return value
        if problem := prose.problem(value):
            chk.add(line(node), who, path, problem)
            return INVALID
        return value.strip() if self.strip else value


class Pattern(Text):
    """Text that must match a regular expression (ASCII classes only: [0-9], never \\d)."""

    def __init__(self, name, description, pattern: str, problem: str, **kw):
        super().__init__(name, description, **kw)
        self.pattern = pattern
        self.problem = problem   # a message with {value}

    def check(self, chk, node, who, path, lines):
        value = super().check(chk, node, who, path, lines)
        if value is not INVALID and not re.fullmatch(self.pattern, value):
            chk.add(line(node), who, path, self.problem.format(value=value))
            return INVALID
        return value

    def json(self):
        return {**super().json(), "pattern": f"^{self.pattern}$"}


def Url(name: str, description: str, **kw) -> Pattern:
    return Pattern(name, description, r"https?://[^\s<>\"]+",
                   "must be an http or https address, found '{value}'", **kw)


class Choice(Field):
    def __init__(self, name, description, choices: Iterable[str], **kw):
        super().__init__(name, description, **kw)
        self.choices = tuple(choices)

    def check(self, chk, node, who, path, lines):
        value = text(node)
        if value not in self.choices:
            chk.add(line(node), who, path, f"must be one of {', '.join(self.choices)}; "
                    f"found {describe(node)}")
            return INVALID
        return value

    def json(self):
        return {"enum": list(self.choices)}


class Bool(Field):
    annotation = "bool"

    def __init__(self, name, description, **kw):
        super().__init__(name, description, default=False, **kw)

    def check(self, chk, node, who, path, lines):
        value = text(node)
        if value not in ("true", "false"):
            chk.add(line(node), who, path, f"must be true or false; found {describe(node)}")
            return INVALID
        return value == "true"

    def json(self):
        return {"type": "boolean"}


class Date(Field):
    annotation = "dt.date | None"

    def check(self, chk, node, who, path, lines):
        value = text(node)
        if value is not None and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        chk.add(line(node), who, path,
                f"expected a date as YYYY-MM-DD (2026-01-01), found {describe(node)}")
        return INVALID

    def json(self):
        return {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


class TextList(Field):
    """A list of texts, each checked by `item` (a Text, Code or Markdown field)."""
    annotation = "list[str]"

    def __init__(self, name, description, item: Field, what: str, item_lines=False, **kw):
        super().__init__(name, description, default=[], **kw)
        self.item, self.what, self.item_lines = item, what, item_lines

    def check(self, chk, node, who, path, lines):
        if not isinstance(node, yaml.SequenceNode):
            chk.add(line(node), who, path, f"expected a list of {self.what}, found {describe(node)}")
            return INVALID
        out = []
        for i, item in enumerate(node.value):
            value = text(item)
            if value is None or not value.strip():
                hint = (" (put text that contains ': ' in quotes)"
                        if isinstance(item, yaml.MappingNode) else "")
                chk.add(line(item), who, path, f"expected a list of {self.what}, found an item "
                        f"that is {describe(item)}{hint}")
                out = INVALID
                continue
            value = self.item.check(chk, item, who, path, lines)
            if value is INVALID or out is INVALID:
                out = INVALID
                continue
            out.append(value.strip())
            if self.item_lines:
                lines[f"{path}.{i}"] = line(item)
        return out

    def json(self):
        return {"type": "array", "items": TEXT_ITEM}


class Object(Field):
    """A mapping with declared sub-fields."""
    annotation = "dict"

    def __init__(self, name, description, fields: tuple[Field, ...], expected: str = "",
                 default: Any = {}, **kw):   # noqa: B006 (copied per record by model_field)
        super().__init__(name, description, default=default, **kw)
        self.fields = fields
        self.by_name = {f.name: f for f in fields}
        self.expected = expected or \
            f"expected a mapping with {', '.join(f.name for f in fields)}; found"

    def check(self, chk, node, who, path, lines):
        if not isinstance(node, yaml.MappingNode):
            chk.add(line(node), who, path, f"{self.expected} {describe(node)}")
            return INVALID
        values, _ = check_mapping(chk, node, self.by_name, who, path + ".")
        ok = len(values) == len(node.value)
        out = {}
        missing = [f for f in self.fields if f.required and f.name not in values]
        ok = self.missing(chk, node, who, path, missing) and ok
        for name, sub in values.items():
            value = self.by_name[name].check(chk, sub, who, f"{path}.{name}", lines)
            if value is INVALID:
                ok = False
            else:
                out[name] = value
        return self.finish(chk, node, who, path, out) if ok else INVALID

    def missing(self, chk, node, who, path, fields: list[Field]) -> bool:
        for f in fields:
            chk.add(line(node), who, f"{path}.{f.name}",
                    f"is required but missing ({f.description})")
        return not fields

    def finish(self, chk, node, who, path, out: dict):
        """Checks across sub-fields; the value, or INVALID after reporting."""
        return out

    def json(self):
        return object_schema(self.fields)

    def children(self):
        return ".", self.fields


class ObjectList(Field):
    """A list of mappings, each checked by `item` (an Object); paths are 'members[1].title'."""
    annotation = "list[dict]"

    def __init__(self, name, description, item: Object, expected: str, **kw):
        super().__init__(name, description, default=[], **kw)
        self.item, self.expected = item, expected

    def check(self, chk, node, who, path, lines):
        if not isinstance(node, yaml.SequenceNode):
            chk.add(line(node), who, path, f"{self.expected} {describe(node)}")
            return INVALID
        out = [self.item.check(chk, item, who, f"{path}[{i}]", lines)
               for i, item in enumerate(node.value, 1)]
        return INVALID if INVALID in out else out

    def json(self):
        return {"type": "array", "items": self.item.json()}

    def children(self):
        return "[].", self.item.fields


class Map(Field):
    """A mapping from keys to values checked by `value`: one field for any key, or a dict of
    the allowed keys and their fields."""
    annotation = "dict"

    def __init__(self, name, description, value: Field | dict[str, Field],
                 keys: Iterable[str] | None = None, expected: str = "expected a mapping, found",
                 **kw):
        super().__init__(name, description, default={}, **kw)
        self.value, self.expected = value, expected
        self.keys = tuple(value) if isinstance(value, dict) else tuple(keys) if keys else None

    def field(self, key: str) -> Field:
        return self.value[key] if isinstance(self.value, dict) else self.value

    def check(self, chk, node, who, path, lines):
        if not isinstance(node, yaml.MappingNode):
            chk.add(line(node), who, path, f"{self.expected} {describe(node)}")
            return INVALID
        values, _ = check_mapping(chk, node, self.keys, who, path + ".")
        out = {key: self.field(key).check(chk, sub, who, f"{path}.{key}", lines)
               for key, sub in values.items()}
        ok = len(values) == len(node.value) and INVALID not in out.values()
        return out if ok else INVALID

    def json(self):
        if self.keys is None:
            return {"type": "object", "additionalProperties": self.value.json()}
        return {"type": "object", "additionalProperties": False, "properties": {
            k: self.field(k).schema() if isinstance(self.value, dict) else self.value.json()
            for k in self.keys}}


# --- what the declarations give --------------------------------------------------------------

def object_schema(fields: tuple[Field, ...], required: Iterable[str] | None = None) -> dict:
    """The JSON Schema of a mapping with these fields."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(required) if required is not None else
        [f.name for f in fields if f.required],
        "properties": {f.name: f.schema() for f in fields},
    }


def markdown_rows(fields: tuple[Field, ...], columns, prefix: str = "") -> list[str]:
    """Documentation table rows: `columns(field)` gives the cells after name and required."""
    rows = []
    for f in fields:
        desc = f.description.replace("|", "\\|")
        choices = f.choices if isinstance(f, Choice) else \
            f.keys if isinstance(f, Map) and isinstance(f.value, Field) else None
        if choices and len(choices) <= 12:
            desc += " One of: " + ", ".join(f"`{c}`" for c in choices) + "."
        cells = " | ".join([f"`{prefix}{f.name}`", "yes" if f.required else "", *columns(f), desc])
        rows.append(f"| {cells} |")
        suffix, children = f.children()
        rows += markdown_rows(children, columns, f"{prefix}{f.name}{suffix}")
    return rows


def model(name: str, fields: tuple[Field, ...], base: type, extra: list, module: str,
          slots: bool = False) -> type:
    """The Python model of a record: a dataclass with one attribute per declared field, then
    `extra` (dataclass field specs for what loading adds). Required fields come first.
    `slots`: attributes in slots, not a dict per instance (`base` must declare `__slots__`):
    a fifth of the memory for 98,700 records."""
    specs = [f.model_field() for f in fields] + extra

    def has_default(spec) -> bool:
        return len(spec) == 3 and (spec[2].default is not dataclasses.MISSING or
                                   spec[2].default_factory is not dataclasses.MISSING)

    specs.sort(key=has_default)   # stable: declaration order within each group
    cls = dataclasses.make_dataclass(name, specs, bases=(base,), slots=slots)
    cls.__module__ = module   # so that pickle (the records cache) finds it
    return cls
