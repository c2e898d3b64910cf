"""The code systems the reference covers: the one source of code rules.

Formats, normalisation, ranges, 7th characters, ordering, folders, labels, licence lines and the
two-letter words that are also modifiers all live here, so that the loader, the linker, the
importer, the page renderer and the browser agree on what a code is. The browser gets the same
rules through `overrides/assets/javascripts/core/codes.js`, whose data file `core/codes-data.js`
is generated from this module (`python -m generator.systems`, see `browser_data`); the shared
vectors in tests/vectors/codes.json run against both.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from .tabular_order import RANGE_LAST, TABULAR_PLACES


# Code formats, as regular-expression sources that Python and JavaScript read alike.
CPT_CODE = r"[0-9]{4}[FT]|[0-9]{5}"                 # 99213; Category II 1036F; Category III 0042T
HCPCS_CODE = r"[A-V][0-9]{4}"                    # G0008
# ICD-10-CM: a letter, then two characters of which one at least is a digit (E11, C7A, QA0),
# then a dot and up to four more.
ICD_CATEGORY = r"[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])"
ICD_CODE = ICD_CATEGORY + r"(?:\.[0-9A-Z]{1,4})?"
CPT_MODIFIER = r"[0-9]{2}|P[1-6]|[1238]P"
HCPCS_MODIFIER = r"[A-Z][A-Z0-9]|[0-9][A-Z]"
MODIFIER = r"[0-9]{2}|[A-Z][A-Z0-9]|[0-9][A-Z]"      # any modifier of any system

# Two-letter words that are also modifiers but, written bare in prose, usually mean something
# else ("PT" for physical therapy). After the word "modifier" they are still modifiers.
AMBIGUOUS_WORDS = frozenset({
    "AS", "AT", "ET", "GO", "NU", "PT", "SA", "SB", "TA", "CR", "CS", "UA", "UB", "UC", "UD",
    "UE", "HA", "KS", "GT", "ER", "IV", "OR", "IN", "US", "ME", "NO", "EP", "HB", "HD", "HE",
    "HI", "HK", "RN"})

# Codes that the tabular list places where character order would not (C43, C4A, C44; D3A is
# its own block between D10-D36 and D37-D48; M1A lies inside M05-M14; chapter 22, U, after Z):
# code without dot -> the sibling it follows. Generated from the CDC's XML and checked by
# tests/test_codes.py against every code of it.
LETTER_CATEGORIES = {k: v for k, v in TABULAR_PLACES.items() if len(k) == 3}


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
        code_pattern=re.compile(CPT_CODE),
        code_hint="five digits (99213), or four digits and F or T (1036F, 0042T)",
        modifier_pattern=re.compile(CPT_MODIFIER),
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
        code_pattern=re.compile(HCPCS_CODE),
        code_hint="a letter A-V and four digits (G0008)",
        modifier_pattern=re.compile(HCPCS_MODIFIER),
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
        code_pattern=re.compile(ICD_CODE),
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
SEVENTH_PLACEHOLDER = "X"

_ICD_FULL = re.compile(ICD_CODE)
_ICD_DOTLESS = re.compile(ICD_CATEGORY + r"[0-9A-Z]{1,4}")
_SPACE = re.compile(r"\s+")


def is_code(system: System, code: str) -> bool:
    return bool(system.code_pattern.fullmatch(code))


def is_modifier(system: System, code: str) -> bool:
    return bool(system.modifier_pattern and system.modifier_pattern.fullmatch(code))


@lru_cache(maxsize=1 << 16)
def system_of_code(code: str) -> System | None:
    """The system whose code format `code` has, as written; formats do not overlap between
    systems ('E1165' is an HCPCS format; the ICD-10-CM code is written 'E11.65')."""
    for system in SYSTEMS.values():
        if is_code(system, code):
            return system
    return None


def system_of_modifier(code: str) -> System | None:
    for system in SYSTEMS.values():
        if is_modifier(system, code):
            return system
    return None


# --- normalisation ---------------------------------------------------------------------------

def normalize(text: str) -> str:
    """A code as typed to a code as written: ' e11.65 ' -> 'E11.65', 'a00 - a09' -> 'A00-A09'.
    Dots stay; whitespace goes, and the en dash of a range becomes a hyphen."""
    text = str(text)
    if _SPACE.search(text):
        text = _SPACE.sub("", text)
    return text.replace("\u2013", "-").upper()


def bare(text: str) -> str:
    """A code without dots or spaces, upper case: how codes are compared and filed
    ('e11.65' -> 'E1165', 'a00 - a09' -> 'A00-A09')."""
    return normalize(text).replace(".", "")


def dotted(code: str) -> str | None:
    """The ICD-10-CM code a reader means by `code` written without its dot, or None:
    'E1165' -> 'E11.65', 'e11' -> 'E11', 'S72001A' -> 'S72.001A', '99213' -> None."""
    b = bare(code)
    if _ICD_FULL.fullmatch(b):
        return b                          # a category: nothing to add
    if _ICD_DOTLESS.fullmatch(b):
        return f"{b[:3]}.{b[3:]}"
    return None


def dotless_hint(code: str) -> str | None:
    """'E1165' -> 'E11.65': the likely intended ICD-10-CM code when the dot was left out."""
    hint = dotted(code) if "." not in code else None
    return hint if hint and "." in hint else None


def readings(text: str) -> list[tuple[str, str]]:
    """Every (system key, code) that `text` can name, the code as written first:
    'G0439' -> [('hcpcs', 'G0439'), ('icd-10-cm', 'G04.39')]; 'e11.65' -> [('icd-10-cm',
    'E11.65')]. A reader may leave out the dot; a look-alike of another system is listed after
    the code as written, never instead of it."""
    code = normalize(text)
    out: list[tuple[str, str]] = []
    system = system_of_code(code)
    if system is not None:
        out.append((system.key, code))
    icd = dotted(code)
    if icd and ("icd-10-cm", icd) not in out and (icd == code or "." not in code):
        out.append(("icd-10-cm", icd))
    return out


# --- ordering --------------------------------------------------------------------------------

@lru_cache(maxsize=1 << 18)
def _icd_key(code: str) -> str:
    """Two characters per character of an ICD-10-CM code (without dot), ordered as the tabular
    list: the character and 'B', or for a code in TABULAR_PLACES the key of the code it follows
    with its last mark raised ('C4A' -> 'C' 'B' '4' 'B' '3' 'C', just after 'C43')."""
    if code in TABULAR_PLACES:
        after = _icd_key(TABULAR_PLACES[code])
        return after[:-1] + chr(ord(after[-1]) + 1)
    if len(code) <= 1:
        return code + "B" if code else ""
    return _icd_key(code[:-1]) + code[-1] + "B"


def sort_key(code: str) -> str:
    """Code order as coders read a code book, as a string (the browser's `sortKey` is equal).

    ICD-10-CM and HCPCS codes first, ICD-10-CM in the tabular list's order (C43, C4A, C44;
    O99, O9A); then CPT Category I, II and III, each kind in number order. A range sorts by
    its ends.
    """
    if "-" in code:
        first, _, last = code.partition("-")
        return sort_key(first) + "-" + sort_key(last)[2:]
    if code[:1].isdigit():
        suffix = code[-1:] if code[-1:].isalpha() else ""
        return f"1{suffix} {code}"
    if _ICD_FULL.fullmatch(code):
        return "0 " + _icd_key(code.replace(".", ""))
    return "0 " + code


# --- ranges ----------------------------------------------------------------------------------

def range_contains(first: str, last: str, code: str) -> bool:
    """True when `code` falls inside the inclusive range `first`-`last`, all as written.
    The code must be of the range's system (HCPCS A0428 is not inside ICD-10-CM A00-A09).
    ICD-10-CM ends name categories or subcategories, so 'A09.9' is inside 'A00-A09': each end is
    compared with as many leading characters of the code as that end has, in the tabular's
    order (C4A.0 is inside C43-C44, D3A.010 is not inside D37-D48). CPT and HCPCS codes compare
    whole, within one kind of code: Category II 1036F is not inside Category I 10004-69990."""
    ends, (system, written, plain, kind) = _range_ends(first, last), _code_form(code)
    return ends is not None and system is ends[0] and (   # ends: system, first, key, last, key
        ends[2] <= _icd_key(plain[:len(ends[1])]) and _icd_key(plain[:len(ends[3])]) <= ends[4]
        if system.key == "icd-10-cm" else kind == ends[2] and ends[1] <= written <= ends[3])

@lru_cache(maxsize=1 << 12)
def _range_ends(first: str, last: str) -> tuple | None:   # once per range; CPT, HCPCS: kind
    (system, first, f, kind), (other, last, l, _) = _code_form(first), _code_form(last)  # noqa
    return None if system is None or other is not system else (   # J40-J4A covers J45, J47 too
        (system, f, _icd_key(f), l := RANGE_LAST.get(l, l), _icd_key(l))  # noqa: E741
        if system.key == "icd-10-cm" else (system, first, kind, last, ""))

@lru_cache(maxsize=1 << 14)
def _code_form(code: str) -> tuple:   # system or None, as written, without dots, CPT's kind
    return system_of_code(w := normalize(code)), w, w.replace(".", ""), (
        w[-1:] if w[-1:].isalpha() and w[:1].isdigit() else "")


def covers(ref: str, code: str) -> bool:
    """True when a note's reference covers `code` (same system only): a range contains it
    ('E08-E13', 'I70.2--I70.7-'), or a code or category heads it ('E10', 'E10.-', 'E10.1').
    After '|', alternatives of which the code must meet one (generator.notes): '$22' its code
    without 7th character ends in 22, '.52' it continues its category with 52, '@4=5' its
    characters from position 4 (no dot, from 0) are 5: 'I69|$22', 'T36-T50|@4=5|@5=5'."""
    base, *alternatives = normalize(ref).split("|")
    if alternatives and not any(_meets(alt, bare(code)) for alt in alternatives):
        return False
    ends = [e for e in re.split(r"(?<=[0-9A-Z.])-+(?=[A-Z0-9])", base)]
    ends = [e.rstrip("-").rstrip(".") for e in ends]
    if len(ends) == 2:
        return range_contains(ends[0], ends[1], code)
    code = normalize(code)
    system = system_of_code(ends[0])
    return (system is not None and system_of_code(code) is system
            and bare(code).startswith(bare(ends[0])))


def _meets(alternative: str, code: str) -> bool:
    kind, value = alternative[0], alternative[1:]
    if kind == "$":
        return (code[:6] if len(code) == 7 else code).endswith(value)
    if kind == ".":
        return code[3:].startswith(value)
    position, _, chars = value.partition("=")
    return code[int(position):int(position) + len(chars)] == chars


@dataclass(frozen=True)
class CodeRange:
    """An inclusive range of codes, such as 'A00-A09' or '99202-99499'."""

    first: str
    last: str

    @property
    def code(self) -> str:
        return f"{self.first}-{self.last}"

    def contains(self, code: str) -> bool:
        """True when `code` falls inside the range (see `range_contains`)."""
        return range_contains(self.first, self.last, code)


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


# --- ICD-10-CM structure ---------------------------------------------------------------------

def parent_code(code: str, known) -> str | None:
    """The nearest shorter code in `known` that `code` extends: E11.65 -> E11.6 -> E11."""
    head = code
    while len(head) > 3:
        head = head[:-1].rstrip(".")
        if head in known:
            return head
    return None


def seventh_code(code: str, char: str) -> str:
    """'S72.001' + 'A' -> 'S72.001A'; 'T81.4' + 'A' -> 'T81.4XXA' (placeholder X)."""
    b = bare(code).ljust(6, SEVENTH_PLACEHOLDER) + char
    return f"{b[:3]}.{b[3:]}"


def seventh_base(code: str) -> tuple[str, str] | None:
    """'T81.4XXA' -> ('T81.4', 'A'): the code a 7th-character code extends, and the character."""
    b = bare(code)
    if len(b) != 7 or not _ICD_DOTLESS.fullmatch(b):
        return None
    base = b[:6].rstrip(SEVENTH_PLACEHOLDER)
    return (f"{base[:3]}.{base[3:]}" if len(base) > 3 else base), b[6]


# --- search-index file names -----------------------------------------------------------------

def term_shard(term: str) -> str:
    """Which word file holds a term: its first two characters, spelt safely for a file name."""
    return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}_" for c in term[:2])


# --- the browser's copy ----------------------------------------------------------------------

def browser_data() -> dict:
    """What core/codes.js needs from this module, written to core/codes-data.js."""
    return {
        "patterns": {"cpt": CPT_CODE, "hcpcs": HCPCS_CODE, "icdCategory": ICD_CATEGORY,
                     "icd": ICD_CODE, "modifier": MODIFIER},
        "systems": [{"key": s.key, "label": s.label, "folder": s.folder,
                     "code": s.code_pattern.pattern,
                     "modifier": s.modifier_pattern.pattern if s.modifier_pattern else None}
                    for s in SYSTEMS.values()],
        "modifierFolder": MODIFIER_FOLDER,
        "placeholder": SEVENTH_PLACEHOLDER,
        "places": TABULAR_PLACES,
        "rangeLast": RANGE_LAST,
        "ambiguous": sorted(AMBIGUOUS_WORDS),
    }


BROWSER_DATA_PATH = "overrides/assets/javascripts/core/codes-data.js"


def browser_script() -> str:
    return ("/* Generated by `python -m generator.systems` from generator/systems.py. Do not edit. */\n"
            "(window.OCR = window.OCR || {}).codesData = "
            + json.dumps(browser_data(), indent=1, sort_keys=True) + ";\n")


def main(argv: list[str] | None = None) -> int:
    """`python -m generator.systems [--check]`: write (or verify) core/codes-data.js."""
    import argparse
    import sys
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m generator.systems", description=main.__doc__)
    parser.add_argument("--output", default=BROWSER_DATA_PATH)
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args(argv)
    path, text = Path(args.output), browser_script()
    if args.check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print(f"{path} out of date: run 'python -m generator.systems'", file=sys.stderr)
            return 1
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
