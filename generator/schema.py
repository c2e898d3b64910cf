"""The record schema, declared once.

Every field a YAML record may have is listed in FIELDS with its type and a description. The
validator (records.py), the JSON Schema for editors (`python -m generator schema`) and the field
table in CONTRIBUTING.md are all generated from this one declaration.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .systems import SYSTEMS

KINDS = {
    "modifier": "A CPT or HCPCS Level II modifier, appended to a code to add information.",
    "code": "A single code of a code system (CPT, HCPCS Level II or ICD-10-CM).",
    "range": "A block of codes such as 'A00-A09' or 'Evaluation and Management 99202-99499'.",
}

STATUSES = {
    "active": "In current use.",
    "new": "Added in the current release.",
    "revised": "Its official wording changed in the current release.",
    "deleted": "No longer valid for dates of service after its end date.",
}


@dataclass(frozen=True)
class RelationType:
    key: str
    label: str        # heading on the page that declares it
    inverse: str      # how the target page lists it under "Referenced by"
    description: str
    icd_only: bool = False


RELATIONS: dict[str, RelationType] = {r.key: r for r in (
    RelationType("see_also", "See also", "see also", "Records worth reading alongside this one."),
    RelationType("related", "Related", "related", "Records often reported or discussed together."),
    RelationType("confused_with", "Often confused with", "often confused with",
                 "Records coders mistake for this one; the page explains the difference."),
    RelationType("replaces", "Replaces", "replaced by",
                 "Older records this one took the place of."),
    RelationType("excludes1", "Excludes1", "Excludes1 at",
                 "Not coded here: the two conditions are never reported together.", True),
    RelationType("excludes2", "Excludes2", "Excludes2 at",
                 "Not included here: both may be reported when both conditions exist.", True),
    RelationType("code_first", "Code first", "code first at",
                 "The underlying condition to sequence before this code.", True),
    RelationType("use_additional", "Use additional code", "use additional code at",
                 "A further code to report after this one.", True),
    RelationType("code_also", "Code also", "code also at",
                 "Another code that may be needed, with no sequencing rule.", True),
)}


@dataclass(frozen=True)
class Field:
    name: str
    type: str           # string | text | markdown | code | choice | date | list | relations | object
    description: str
    required: bool = False
    kinds: tuple[str, ...] = tuple(KINDS)   # the record kinds that may carry the field
    systems: tuple[str, ...] = tuple(SYSTEMS)  # the code systems whose records may carry it
    choices: tuple[str, ...] = ()
    items: str = ""                          # for lists: string | markdown | reference | range | section
    subfields: tuple["Field", ...] = field(default=())


SOURCE_FIELDS = (
    Field("name", "string", "Who wrote or published the text, e.g. 'Editors (original summary)' "
          "or 'CMS HCPCS Level II modifier file'.", required=True),
    Field("url", "string", "Where the source can be read, if public."),
    Field("release", "string", "The release or version of the source, e.g. '2026 annual'."),
    Field("retrieved", "date", "The date the text was taken from the source (YYYY-MM-DD)."),
)

SECTION_FIELDS = (
    Field("title", "string", "Heading of the section, e.g. 'Coding tips' or 'Payer notes'; "
          "shown to every reader.", required=True),
    Field("body", "markdown", "The members-only text, in the editors' own words (Markdown).",
          required=True),
)

FIELDS: tuple[Field, ...] = (
    Field("kind", "choice", "What the record is: modifier, code or range.", required=True,
          choices=tuple(KINDS)),
    Field("system", "choice", "The code system: cpt, hcpcs or icd-10-cm.", required=True,
          choices=tuple(SYSTEMS)),
    Field("code", "code", "The code as written in the code book: '53', 'LT', '99213', 'G0008', "
          "'E11.65', or 'FIRST-LAST' for a range.", required=True),
    Field("title", "text", "Short title. For CPT, words of our own, never the AMA descriptor; for "
          "HCPCS Level II and ICD-10-CM, the official short descriptor or title.", required=True),
    Field("official_descriptor", "text", "The official long descriptor, only for public-domain "
          "systems (HCPCS Level II, ICD-10-CM); never for CPT."),
    Field("description", "markdown", "Plain-language explanation in the editors' own words "
          "(Markdown). Code mentions such as 'modifier 52' or '(E10.-)' are linked automatically."),
    Field("use_when", "list", "Situations in which the code or modifier is reported (Markdown).",
          items="markdown"),
    Field("do_not_use_when", "list", "Situations in which it must not be reported, and what to "
          "report instead (Markdown).", items="markdown"),
    Field("notes", "list", "Editorial notes shown to every reader (Markdown).", items="markdown"),
    Field("relations", "relations", "Typed links to other records: a mapping from a relation type "
          "to a list of codes, modifiers or ranges. " + "; ".join(
              f"{r.key}: {r.description}" for r in RELATIONS.values())),
    Field("applies_to", "list", "For modifiers: the codes or code ranges the modifier may be "
          "appended to, e.g. '10004-69990'.", kinds=("modifier",), items="range"),
    Field("effective", "date", "First date of service on which the record is valid (YYYY-MM-DD)."),
    Field("end", "date", "Last date of service on which the record is valid (YYYY-MM-DD)."),
    Field("status", "choice", "Status in the current release; 'active' when left out.",
          choices=tuple(STATUSES)),
    Field("source", "object", "Provenance: where the record's text came from; may be left out "
          "when the file gives a 'source' for all its records.", required=True,
          subfields=SOURCE_FIELDS),
    Field("members", "list", "Members-only sections (coding tips, clinical examples, payer "
          "notes, FAQ). Only their titles are public.", items="section"),
    # ICD-10-CM tabular content, written by the importer (data/icd-10-cm/) and never by hand.
    Field("chapter", "string", "ICD-10-CM: the chapter number, on the range record of a chapter "
          "(e.g. '1' on A00-B99).", systems=("icd-10-cm",)),
    Field("inclusion_terms", "list", "ICD-10-CM: conditions the code covers (inclusion terms).",
          items="text", systems=("icd-10-cm",)),
    Field("includes", "list", "ICD-10-CM: 'Includes' notes that further define the content.",
          items="text", systems=("icd-10-cm",)),
    Field("instructions", "listmap", "ICD-10-CM: instructional notes by type (excludes1, "
          "excludes2, code_first, use_additional, code_also), each a list of note texts; code "
          "references in them such as '(E10.-)' become links.", systems=("icd-10-cm",),
          choices=tuple(k for k, r in RELATIONS.items() if r.icd_only)),
    Field("seven_chr_def", "textmap", "ICD-10-CM: the 7th characters that apply to every code "
          "below this one, mapping each character to its meaning (A: initial encounter).",
          systems=("icd-10-cm",)),
    Field("seven_chr_includes", "listmap", "ICD-10-CM: what a 7th character also covers, "
          "mapping the character to notes (S72: B also covers 'initial encounter for open "
          "fracture NOS').", systems=("icd-10-cm",)),
    Field("seven_chr_note", "list", "ICD-10-CM: notes about the 7th characters.", items="text",
          systems=("icd-10-cm",)),
    Field("seven_chr_limits", "listmap", "ICD-10-CM: 7th characters that do not apply to some "
          "codes, mapping a 7th character to the 6th characters of the codes it is not used with "
          "(S06: D and S not with 6th character 7 or 8).", systems=("icd-10-cm",)),
    Field("tables", "list", "ICD-10-CM: tables from the tabular list (such as the visual "
          "impairment categories at H54), as Markdown.", items="markdown",
          systems=("icd-10-cm",)),
    Field("overlay", "bool", "ICD-10-CM: true on a curated record that adds notes, relations or "
          "members-only sections to an imported code; it keeps the imported title and text.",
          systems=("icd-10-cm",)),
)

FIELDS_BY_NAME = {f.name: f for f in FIELDS}

FILE_KEYS = {
    "source": "Provenance for every record in the file that has no 'source' of its own.",
    "records": "The list of records in this file.",
}


def json_schema() -> dict:
    """The JSON Schema of a data file, for editors' YAML language servers."""

    def scalar(f: Field) -> dict:
        if f.type == "choice":
            return {"enum": list(f.choices)}
        if f.type == "date":
            return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
        if f.type == "code":
            return {"type": ["string", "integer"]}
        return {"type": "string"}

    def obj(fields: tuple[Field, ...]) -> dict:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [f.name for f in fields if f.required],
            "properties": {f.name: prop(f) for f in fields},
        }

    def prop(f: Field) -> dict:
        if f.type == "object":
            schema = obj(f.subfields)
        elif f.type == "relations":
            schema = {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    r.key: {"type": "array", "description": r.description,
                            "items": {"type": ["string", "integer"]}}
                    for r in RELATIONS.values()
                },
            }
        elif f.type == "list":
            item = obj(SECTION_FIELDS) if f.items == "section" else {"type": ["string", "integer"]}
            schema = {"type": "array", "items": item}
        elif f.type == "listmap":
            values = {"type": "array", "items": {"type": ["string", "integer"]}}
            schema = ({"type": "object", "additionalProperties": False,
                       "properties": {c: values for c in f.choices}} if f.choices else
                      {"type": "object", "additionalProperties": values})
        elif f.type == "textmap":
            schema = {"type": "object", "additionalProperties": {"type": ["string", "integer"]}}
        elif f.type == "bool":
            schema = {"type": "boolean"}
        else:
            schema = scalar(f)
        return {"description": f.description, **schema}

    record = obj(FIELDS)
    record["required"] = [n for n in record["required"] if n not in ("source", "title")]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Medical code reference data file",
        "type": "object",
        "additionalProperties": False,
        "required": ["records"],
        "properties": {
            "source": {"description": FILE_KEYS["source"], **obj(SOURCE_FIELDS)},
            "records": {"description": FILE_KEYS["records"], "type": "array", "items": record},
        },
    }


def fields_markdown() -> str:
    """The field reference table for editors, as Markdown."""
    rows = ["| Field | Required | Kinds | Description |", "|---|---|---|---|"]

    def add(f: Field, prefix: str = "") -> None:
        kinds = "all" if f.kinds == tuple(KINDS) else ", ".join(f.kinds)
        desc = f.description.replace("|", "\\|")
        if f.choices:
            desc += " One of: " + ", ".join(f"`{c}`" for c in f.choices) + "."
        rows.append(f"| `{prefix}{f.name}` | {'yes' if f.required else ''} | {kinds} | {desc} |")
        for sub in f.subfields or (SECTION_FIELDS if f.items == "section" else ()):
            add(sub, f"{prefix}{f.name}{'[]' if f.items == 'section' else ''}.")

    for f in FIELDS:
        add(f)
    return "\n".join(rows) + "\n"
