"""The record schema, declared once.

Every field a YAML record may have is declared in FIELDS as a field-kit type (`fields.py`) with a
description. The validator (records.py), the `Record` model, the JSON Schema for editors
(`python -m generator schema`) and the field table in README.md all come from this declaration.
Tags on a field: `kinds` and `systems` (the records that may carry it) and `overlay` (what a
curated ICD-10-CM overlay does with it: "append" to the imported code's list, "set" the value,
"relations" merges typed links, "own" describes the overlay itself; untagged fields are refused
on an overlay).
"""
from __future__ import annotations

from dataclasses import dataclass

from .fields import (Bool, Choice, Code, Date, Field, Map, Markdown, Object, ObjectList, Text,
                     TextList, Url, markdown_rows, object_schema)
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


ALL_KINDS = tuple(KINDS)
ALL_SYSTEMS = tuple(SYSTEMS)
ICD = ("icd-10-cm",)
CODES = "codes or ranges"


def Relations(name: str, description: str, **tags) -> Map:
    """Typed links: relation type -> list of codes, each with its line for messages."""
    return Map(name, description, {
        key: TextList(key, r.description, Code(key, ""), "codes", item_lines=True)
        for key, r in RELATIONS.items()}, expected=(
        f"expected a mapping from relation type ({', '.join(RELATIONS)}) to a list of codes; "
        "found"), **tags)


SOURCE_FIELDS = (
    Text("name", "Who wrote or published the text, e.g. 'Editors (original summary)' "
         "or 'CMS HCPCS Level II modifier file'.", required=True),
    Url("url", "Where the source can be read, if public.", max_length=2000),
    Text("release", "The release or version of the source, e.g. '2026 annual'."),
    Date("retrieved", "The date the text was taken from the source (YYYY-MM-DD)."),
)

SECTION_FIELDS = (
    Text("title", "Heading of the section, e.g. 'Coding tips' or 'Payer notes'; "
         "shown to every reader.", required=True),
    Text("summary", "One line, public by design: what the section covers, shown to every reader "
         "on the members-only teaser (e.g. 'When payers accept 25 on a same-day visit'); never "
         "the members-only text itself.", max_length=200),
    Markdown("body", "The members-only text, in the editors' own words (Markdown).",
             required=True, max_length=20000, strip=True),
)

FIELDS: tuple[Field, ...] = (
    Choice("kind", "What the record is: modifier, code or range.", KINDS, required=True,
           overlay="own"),
    Choice("system", "The code system: cpt, hcpcs or icd-10-cm.", SYSTEMS, required=True,
           overlay="own"),
    Code("code", "The code as written in the code book: '53', 'LT', '99213', 'G0008', "
         "'E11.65', or 'FIRST-LAST' for a range.", required=True, overlay="own"),
    Text("title", "Short title. For CPT, words of our own, never the AMA descriptor; for "
         "HCPCS Level II and ICD-10-CM, the official short descriptor or title.", required=True),
    Text("official_descriptor", "The official long descriptor, only for public-domain "
         "systems (HCPCS Level II, ICD-10-CM); never for CPT.", max_length=2000),
    Markdown("description", "Plain-language explanation in the editors' own words "
             "(Markdown). Code mentions such as 'modifier 52' or '(E10.-)' are linked "
             "automatically.", overlay="set"),
    TextList("use_when", "Situations in which the code or modifier is reported (Markdown).",
             Markdown("use_when", ""), "Markdown texts", overlay="append"),
    TextList("do_not_use_when", "Situations in which it must not be reported, and what to "
             "report instead (Markdown).", Markdown("do_not_use_when", ""), "Markdown texts",
             overlay="append"),
    TextList("notes", "Editorial notes shown to every reader (Markdown).",
             Markdown("notes", ""), "Markdown texts", overlay="append"),
    Relations("relations", "Typed links to other records: a mapping from a relation type "
              "to a list of codes, modifiers or ranges. " + "; ".join(
                  f"{r.key}: {r.description}" for r in RELATIONS.values()), overlay="relations"),
    TextList("applies_to", "For modifiers: the codes or code ranges the modifier may be "
             "appended to, e.g. '10004-69990'.", Code("applies_to", ""), CODES,
             kinds=("modifier",)),
    Date("effective", "First date of service on which the record is valid (YYYY-MM-DD).",
         overlay="set"),
    Date("end", "Last date of service on which the record is valid (YYYY-MM-DD).",
         overlay="set"),
    Choice("status", "Status in the current release; 'active' when left out.", STATUSES,
           default="active", overlay="set"),
    Object("source", "Provenance: where the record's text came from; may be left out "
           "when the file gives a 'source' for all its records.", SOURCE_FIELDS, required=True,
           overlay="own"),
    ObjectList("members", "Members-only sections (coding tips, clinical examples, payer "
               "notes, FAQ). Only their titles and summaries are public.",
               Object("members", "", SECTION_FIELDS,
                      expected="expected a section with title and body; found"),
               "expected a list of sections with title and body; found", overlay="append"),
    # ICD-10-CM tabular content, written by the importer (data/icd-10-cm/) and never by hand.
    Text("chapter", "ICD-10-CM: the chapter number, on the range record of a chapter "
         "(e.g. '1' on A00-B99).", systems=ICD),
    TextList("inclusion_terms", "ICD-10-CM: conditions the code covers (inclusion terms).",
             Text("inclusion_terms", "", max_length=2000), "texts", systems=ICD),
    TextList("includes", "ICD-10-CM: 'Includes' notes that further define the content.",
             Text("includes", "", max_length=2000), "texts", systems=ICD),
    Map("instructions", "ICD-10-CM: instructional notes by type (excludes1, "
        "excludes2, code_first, use_additional, code_also), each a list of note texts; code "
        "references in them such as '(E10.-)' become links.",
        TextList("instructions", "", Text("instructions", "", max_length=2000), "texts"),
        keys=[k for k, r in RELATIONS.items() if r.icd_only], systems=ICD),
    Map("seven_chr_def", "ICD-10-CM: the 7th characters that apply to every code "
        "below this one, mapping each character to its meaning (A: initial encounter).",
        Text("seven_chr_def", ""), systems=ICD),
    Map("seven_chr_includes", "ICD-10-CM: what a 7th character also covers, "
        "mapping the character to notes (S72: B also covers 'initial encounter for open "
        "fracture NOS').", TextList("seven_chr_includes", "", Text("seven_chr_includes", "",
                                                                    max_length=2000), "texts"),
        systems=ICD),
    TextList("seven_chr_note", "ICD-10-CM: notes about the 7th characters.",
             Text("seven_chr_note", "", max_length=2000), "texts", systems=ICD),
    Map("seven_chr_limits", "ICD-10-CM: 7th characters that do not apply to some "
        "codes, mapping a 7th character to the 6th characters of the codes it is not used with "
        "(S06: D and S not with 6th character 7 or 8).",
        TextList("seven_chr_limits", "", Text("seven_chr_limits", ""), "texts"), systems=ICD),
    TextList("tables", "ICD-10-CM: tables from the tabular list (such as the visual "
             "impairment categories at H54), as Markdown.",
             Markdown("tables", "", max_length=20000), "Markdown texts", systems=ICD),
    Bool("overlay", "ICD-10-CM: true on a curated record that adds notes, relations or "
         "members-only sections to an imported code; it keeps the imported title and text.",
         systems=ICD, overlay="own"),
)

for _f in FIELDS:
    _f.kinds = getattr(_f, "kinds", ALL_KINDS)
    _f.systems = getattr(_f, "systems", ALL_SYSTEMS)
    _f.overlay = getattr(_f, "overlay", None)

FIELDS_BY_NAME = {f.name: f for f in FIELDS}

FILE_KEYS = {
    "source": "Provenance for every record in the file that has no 'source' of its own.",
    "records": "The list of records in this file.",
}


def json_schema() -> dict:
    """The JSON Schema of a data file, for editors' YAML language servers."""
    # An overlay has no title and a file may give every record's source.
    record = object_schema(FIELDS, [f.name for f in FIELDS
                                    if f.required and f.name not in ("source", "title")])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Medical code reference data file",
        "type": "object",
        "additionalProperties": False,
        "required": ["records"],
        "properties": {
            "source": {"description": FILE_KEYS["source"], **object_schema(SOURCE_FIELDS)},
            "records": {"description": FILE_KEYS["records"], "type": "array", "items": record},
        },
    }


def fields_markdown() -> str:
    """The field reference table for editors, as Markdown."""
    def kinds(f: Field) -> list[str]:
        own = getattr(f, "kinds", ALL_KINDS)
        return ["all" if own == ALL_KINDS else ", ".join(own)]

    rows = ["| Field | Required | Kinds | Description |", "|---|---|---|---|"]
    return "\n".join(rows + markdown_rows(FIELDS, kinds)) + "\n"
