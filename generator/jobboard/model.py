"""The job board's data: every field of a posting declared once with the field kit, the `Job`
model derived from it, and the JSON Schema editors get for data/jobs.yaml."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import field

import yaml

from ..fields import (INVALID, Bool, Choice, Date, Field, Object, Pattern, Text, Url,
                      markdown_rows, model, object_schema)
from ..yamlfile import describe, line, text

FOLDER = "jobs"
# Pages that live beside the postings (hand-written content/jobs/post.md, the feed).
RESERVED_IDS = {"index", "post", "feed", "thanks"}

ARRANGEMENTS = {"remote": "Remote", "hybrid": "Hybrid", "on-site": "On-site"}
# Employment types as schema.org's JobPosting employmentType spells them.
EMPLOYMENT_TYPES = {"full-time": "FULL_TIME", "part-time": "PART_TIME", "contract": "CONTRACTOR",
                    "temporary": "TEMPORARY", "per-diem": "PER_DIEM", "internship": "INTERN"}
CREDENTIALS = {
    "CPC": "Certified Professional Coder (AAPC)",
    "COC": "Certified Outpatient Coder (AAPC)",
    "CIC": "Certified Inpatient Coder (AAPC)",
    "CRC": "Certified Risk Adjustment Coder (AAPC)",
    "CPB": "Certified Professional Biller (AAPC)",
    "CPMA": "Certified Professional Medical Auditor (AAPC)",
    "CDEO": "Certified Documentation Expert Outpatient (AAPC)",
    "CCA": "Certified Coding Associate (AHIMA)",
    "CCS": "Certified Coding Specialist (AHIMA)",
    "CCS-P": "Certified Coding Specialist, Physician-based (AHIMA)",
    "CDIP": "Certified Documentation Integrity Practitioner (AHIMA)",
    "RHIT": "Registered Health Information Technician (AHIMA)",
    "RHIA": "Registered Health Information Administrator (AHIMA)",
    "CCDS": "Certified Clinical Documentation Specialist (ACDIS)",
}
STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming",
}
SALARY_PERIODS = {"hour": "HOUR", "year": "YEAR"}


class Number(Field):
    """A positive number."""
    annotation = "float"

    def __init__(self, name, description, problem: str = "expected a positive number", **kw):
        super().__init__(name, description, **kw)
        self.problem = problem

    def check(self, chk, node, who, path, lines):
        try:
            value = float(text(node) or "")
            if not 0 < value < float("inf"):
                raise ValueError
        except ValueError:
            chk.add(line(node), who, path, f"{self.problem}, found {describe(node)}")
            return INVALID
        return int(value) if value.is_integer() else value

    def json(self):
        return {"type": "number", "exclusiveMinimum": 0}


class ChoiceList(Choice):
    """A list of values from a fixed set."""
    annotation = "list[str]"

    def __init__(self, name, description, choices, **kw):
        super().__init__(name, description, choices, default=[], **kw)

    def check(self, chk, node, who, path, lines):
        if not isinstance(node, yaml.SequenceNode):
            chk.add(line(node), who, path, f"expected a list, found {describe(node)}")
            return INVALID
        out = []
        for item in node.value:
            if text(item) not in self.choices:
                chk.add(line(item), who, path,
                        f"{describe(item)} is not one of {', '.join(self.choices)}")
                return INVALID
            out.append(text(item))
        return out

    def json(self):
        return {"type": "array", "items": {"enum": list(self.choices)}}


class Salary(Object):
    """min, max (US dollars) and period; min no more than max."""

    def missing(self, chk, node, who, path, fields):
        if fields:
            chk.add(line(node), who, path, f"is missing {', '.join(f.name for f in fields)}")
        return not fields

    def finish(self, chk, node, who, path, out):
        if out["min"] > out["max"]:
            chk.add(line(node), who, path, f"min {out['min']} is more than max {out['max']}")
            return INVALID
        return out


class Slug(Pattern):
    """The posting's name in its URL; not the name of another page under /jobs/."""

    def check(self, chk, node, who, path, lines):
        value = super().check(chk, node, who, path, lines)
        if value in RESERVED_IDS:
            chk.add(line(node), who, path, f"'{value}' is the name of another page under "
                    "/jobs/; choose another")
            return INVALID
        return value


def _usd(name: str, description: str) -> Number:
    return Number(name, description, "expected a positive number of US dollars", required=True)


JOB_FIELDS: tuple[Field, ...] = (
    Slug("id", "Short unique name of the posting, used in its URL: lowercase letters, "
         "digits and hyphens, e.g. 'remote-risk-adjustment-coder-acme'.",
         r"[a-z0-9]+(?:-[a-z0-9]+)*", "'{value}' must be lowercase letters, digits and single "
         "hyphens, e.g. 'remote-outpatient-coder'", required=True, max_length=80),
    Bool("example", "true for a sample posting that shows how the board works; its "
         "page and listing entry say it is an example, not a real vacancy."),
    Text("title", "The job title, e.g. 'Outpatient Coder II'.", required=True, max_length=150),
    Text("employer", "The hiring organization's name.", required=True, max_length=150),
    Url("employer_url", "The employer's website (http or https).", max_length=2000),
    Choice("arrangement", "Where the work is done.", ARRANGEMENTS, required=True),
    Text("city", "City of the workplace; required for hybrid and on-site jobs.", max_length=100),
    Choice("state", "Two-letter US state of the workplace (TX); required for hybrid "
           "and on-site jobs.", STATES),
    ChoiceList("remote_states", "For remote jobs: the states applicants must live in, as "
               "two-letter codes; leave out when applicants may live anywhere in the US.",
               STATES),
    Choice("employment_type", "The kind of employment.", EMPLOYMENT_TYPES, required=True),
    ChoiceList("credentials", "Credentials the employer requires, any of them "
               "accepted (CPC, CCS, CCA, RHIT, CRC, CDIP, ...); leave out when none is "
               "required.", CREDENTIALS),
    Text("specialty", "The coding specialty, e.g. 'Risk adjustment', "
         "'Emergency department', 'Inpatient facility'.", max_length=150),
    Salary("salary", "Optional pay range: a mapping with min, max (numbers, US "
           "dollars) and period (hour or year).", (
               _usd("min", "The lowest pay offered, in US dollars per period."),
               _usd("max", "The highest pay offered, in US dollars per period."),
               Choice("period", "What the amounts are paid for: an hour or a year of work.",
                      SALARY_PERIODS, required=True)),
           expected="expected a mapping with min, max and period; found", default=None),
    Date("posted", "The date the posting was published (YYYY-MM-DD).", required=True),
    Date("expires", "The last day the posting is open (YYYY-MM-DD); after it the "
         "posting leaves the listing and the feed, and its page says it is closed.",
         required=True),
    Text("description", "What the job is, in plain text; blank lines separate "
         "paragraphs.", required=True, max_length=10000),
    Url("apply_url", "Where to apply (http or https); give this or apply_email.",
        max_length=2000),
    Pattern("apply_email", "The address applications go to; give this or apply_url.",
            r"[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}", "must be an email address like "
            "jobs@example.org, found '{value}'", max_length=254),
)
JOB_FIELDS_BY_NAME = {f.name: f for f in JOB_FIELDS}


class _JobBase:
    def is_open(self, today: dt.date) -> bool:
        return self.posted <= today <= self.expires

    @property
    def src_uri(self) -> str:
        return f"{FOLDER}/{self.id}.md"

    @property
    def location(self) -> str:
        if self.arrangement == "remote":
            where = ", ".join(self.remote_states) if self.remote_states else "anywhere in the US"
            return f"Remote ({where})"
        return f"{self.city}, {self.state}"

    @property
    def filter_states(self) -> list[str]:
        """States a reader filtering by state finds this job under: where it is, or where a
        remote worker may live ('US' for anywhere)."""
        if self.arrangement == "remote":
            return self.remote_states or ["US"]
        return [self.state]

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n", self.description) if p.strip()]


Job = model("Job", JOB_FIELDS, _JobBase, [("file", "str"), ("line", "int"),
                                          ("lines", "dict", field(default_factory=dict))],
            __name__)
Job.__doc__ = "A job posting, with one attribute per field declared in JOB_FIELDS."


def json_schema() -> dict:
    """The JSON Schema of data/jobs.yaml, for editors' YAML language servers."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Job board postings",
        "type": "object",
        "additionalProperties": False,
        "required": ["jobs"],
        "properties": {"jobs": {"description": "The postings, one mapping each.",
                                "type": "array", "items": object_schema(JOB_FIELDS)}},
    }


def fields_markdown() -> str:
    """The job field table for the README, as Markdown."""
    rows = ["| Field | Required | Description |", "|---|---|---|"]
    return "\n".join(rows + markdown_rows(JOB_FIELDS, lambda f: [])) + "\n"
