"""The code systems the reference covers: their formats, URLs, ordering and licence lines.

Everything that depends on which code set a code belongs to lives here, so that the loader,
the linker and the page renderer agree on what a valid code or range looks like.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class System:
    key: str            # value of the `system` field in YAML
    label: str          # shown to readers
    folder: str         # URL folder for codes and ranges
    code_pattern: re.Pattern
    code_hint: str      # what a valid code looks like, for error messages
    modifier_pattern: re.Pattern | None
    modifier_hint: str
    licence: str        # source and licence line printed on every page of the system
    public_domain: bool  # may official descriptor text be shipped?


SYSTEMS: dict[str, System] = {
    "cpt": System(
        key="cpt",
        label="CPT",
        folder="cpt",
        code_pattern=re.compile(r"\d{5}|\d{4}[FT]"),
        code_hint="five digits (99213), or four digits and F or T (1036F, 0042T)",
        modifier_pattern=re.compile(r"\d{2}|P[1-6]|[1238]P"),
        modifier_hint="two digits (53), P1-P6, or 1P, 2P, 3P, 8P",
        licence=(
            "CPT® is a registered trademark of the American Medical Association. This site shows "
            "CPT code numbers with summaries written by its editors; it does not reproduce AMA "
            "descriptors."
        ),
        public_domain=False,
    ),
    "hcpcs": System(
        key="hcpcs",
        label="HCPCS Level II",
        folder="hcpcs",
        code_pattern=re.compile(r"[A-V]\d{4}"),
        code_hint="a letter A-V and four digits (G0008)",
        modifier_pattern=re.compile(r"[A-Z][A-Z0-9]|[0-9][A-Z]"),
        modifier_hint="two characters, at least one a letter (LT, Q5, 1D)",
        licence=(
            "HCPCS Level II codes, modifiers and descriptors are published by the Centers for "
            "Medicare & Medicaid Services and are in the public domain."
        ),
        public_domain=True,
    ),
    "icd-10-cm": System(
        key="icd-10-cm",
        label="ICD-10-CM",
        folder="icd-10-cm",
        # A letter, then two characters of which one at least is a digit (E11, C7A, QA0).
        code_pattern=re.compile(r"[A-Z](?:\d[0-9A-Z]|[A-Z]\d)(?:\.[0-9A-Z]{1,4})?"),
        code_hint="a letter, two characters, then a dot and up to four more (E11, E11.65, S72.001A)",
        modifier_pattern=None,
        modifier_hint="",
        licence=(
            "ICD-10-CM is published by the National Center for Health Statistics (CDC) and CMS "
            "and is in the public domain."
        ),
        public_domain=True,
    ),
}

MODIFIER_FOLDER = "modifiers"


def is_code(system: System, code: str) -> bool:
    return bool(system.code_pattern.fullmatch(code))


def is_modifier(system: System, code: str) -> bool:
    return bool(system.modifier_pattern and system.modifier_pattern.fullmatch(code))


def system_of_code(code: str) -> System | None:
    """The system whose code format `code` has; formats do not overlap between systems."""
    for system in SYSTEMS.values():
        if is_code(system, code):
            return system
    return None


def system_of_modifier(code: str) -> System | None:
    for system in SYSTEMS.values():
        if is_modifier(system, code):
            return system
    return None


def dotless_hint(code: str) -> str | None:
    """'E1165' -> 'E11.65': the likely intended ICD-10-CM code when the dot was left out."""
    if re.fullmatch(r"[A-Z](?:\d[0-9A-Z]|[A-Z]\d)[0-9A-Z]{1,4}", code):
        return f"{code[:3]}.{code[3:]}"
    return None


def sort_key(code: str) -> tuple:
    """Code order as coders read a code book: by type, then character by character.

    CPT Category II and III codes (with an F or T suffix) sort after Category I, each kind in
    number order; ICD-10-CM codes compare character by character, which puts 'O9A' after
    'O99' as the tabular list does.
    """
    if code[:1].isdigit():
        first = code.split("-")[0]
        suffix = first[-1:] if first[-1:].isalpha() else ""
        return (1, suffix, code)
    return (0, "", code)


@dataclass(frozen=True)
class CodeRange:
    """An inclusive range of codes, such as 'A00-A09' or '99202-99499'."""

    first: str
    last: str

    @property
    def code(self) -> str:
        return f"{self.first}-{self.last}"

    def contains(self, code: str) -> bool:
        """True when `code` (of the same system) falls inside the range.

        ICD-10-CM ranges name categories, so 'A09.9' is inside 'A00-A09': each end is compared
        with as many leading characters of the code as that end has. CPT and HCPCS codes have a
        fixed length and compare whole, within one kind of code (99213 is not in 0001F-9007F).
        """
        if "." in code or len(code) == 3 or "." in self.first or len(self.first) == 3:
            return self.first <= code[: len(self.first)] and code[: len(self.last)] <= self.last
        suffix = self.first[-1:] if self.first[-1:].isalpha() else ""
        if len(code) != len(self.first) or (code[-1:] if code[-1:].isalpha() else "") != suffix:
            return False
        return self.first <= code <= self.last


RANGE_RE = re.compile(r"([A-Z0-9.]+)-([A-Z0-9.]+)")


def parse_range(text: str, system: System) -> tuple[CodeRange | None, str | None]:
    """Parse 'FIRST-LAST' for `system`; return (range, None) or (None, what is wrong)."""
    match = RANGE_RE.fullmatch(text)
    if not match:
        return None, f"expected a range FIRST-LAST of {system.label} codes, found '{text}'"
    first, last = match.groups()
    for end in (first, last):
        if not is_code(system, end):
            return None, (
                f"range '{text}': '{end}' is not a {system.label} code "
                f"(expected {system.code_hint})"
            )
    if first[:1].isdigit() and (len(first) != len(last) or
                                (first[-1:].isalpha() or last[-1:].isalpha()) and first[-1] != last[-1]):
        return None, f"range '{text}' mixes two kinds of {system.label} code"
    if sort_key(first) > sort_key(last):
        return None, f"range '{text}' is empty: '{first}' comes after '{last}'"
    return CodeRange(first, last), None
