"""Facts a question's answer must show, each checked first against the real FY2026 XML
(check_xml) and then against the answer in Chromium (check_answer, which returns problems)."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import tabular

XML_TYPES = {"excludes1": "excludes1", "excludes2": "excludes2", "code_first": "codeFirst",
             "use_additional": "useAdditionalCode", "code_also": "codeAlso", "includes": "includes"}
LABELS = {"excludes1": "Excludes1", "excludes2": "Excludes2", "code_first": "Code first",
          "use_additional": "Use additional code", "code_also": "Code also", "includes": "Includes"}


def seventh_code(code: str, char: str) -> str:
    bare = code.replace(".", "").ljust(6, "X") + char
    return f"{bare[:3]}.{bare[3:]}"


@dataclass
class Title:
    """The answer names `code` with its title as the XML gives it."""
    code: str

    def check_xml(self, case):
        assert tabular.level(self.code).title, self.code

    def check_answer(self, case, got, text, linked):
        title = " ".join(tabular.level(self.code).title.split())
        problems = [] if title in text else [f"does not give the XML title of {self.code}: {title!r}"]
        return problems + ([] if self.code in linked else [f"does not link {self.code}"])


@dataclass
class Note:
    """A note of `kind` at the XML level `at` containing `fragment`; the answer quotes it whole
    and links the level it comes from (`link`, the reference's code for that level)."""
    kind: str
    at: str
    fragment: str
    link: str | None = None

    def note(self) -> str:
        notes = tabular.levels()[self.at].notes.get(XML_TYPES[self.kind], [])
        found = [n for n in notes if self.fragment in n]
        assert len(found) == 1, f"{self.at} has {len(found)} {self.kind} notes with {self.fragment!r}: {notes}"
        return found[0]

    def check_xml(self, case):
        self.note()

    def check_answer(self, case, got, text, linked):
        problems = []
        if " ".join(self.note().split()) not in text:
            problems.append(f"does not quote the {self.kind} note at {self.at}: {self.note()!r}")
        if (self.link or self.at) not in linked:
            problems.append(f"does not link {self.link or self.at}, where the note is")
        return problems


@dataclass
class Absent:
    """`code` is no ICD-10-CM code in the XML; a look-alike of another system is never shown."""
    code: str
    lookalike: str | None = None

    def check_xml(self, case):
        assert self.code not in tabular.levels()
        if self.lookalike:
            tabular.level(self.lookalike)

    def check_answer(self, case, got, text, linked):
        if not self.lookalike:
            return []
        title = tabular.level(self.lookalike).title
        problems = [f"shows the look-alike {self.lookalike}"] if self.lookalike in linked else []
        return problems + ([f"gives the look-alike's title {title!r}"] if title in text else [])


@dataclass
class Pair:
    """Two codes asked about together: the verdict follows the Excludes notes in the XML
    (Excludes1 -> no, Excludes2 -> yes, none -> never a yes), and the answer quotes them."""
    a: str
    b: str
    hits: list = field(default_factory=list)

    def check_xml(self, case):
        self.hits = tabular.notes_naming(self.a, self.b) + tabular.notes_naming(self.b, self.a)
        kinds = {h[0] for h in self.hits}
        expected = "no" if "excludes1" in kinds else "yes" if "excludes2" in kinds else None
        if expected:
            assert case.verdict == expected, f"the XML says {expected}: {self.hits}"
        else:
            assert case.verdict in ("none", "check", "instructed"), f"no Excludes note in the XML; verdict {case.verdict}"

    def check_answer(self, case, got, text, linked):
        if not self.hits:
            self.check_xml(case)
        deciding = "excludes1" if case.verdict == "no" else "excludes2" if case.verdict == "yes" else None
        problems = []
        for kind, at, note in self.hits:
            if kind == deciding and " ".join(note.split()) not in text:
                problems.append(f"does not quote the {kind} note at {at}: {note!r}")
        if case.verdict in ("none", "check") and "does not mean they may be coded together" not in text:
            problems.append("does not say that no note is not a yes")
        return problems


@dataclass
class Seventh:
    """`code` takes 7th character `char`, defined at the code or a level above it in the XML."""
    code: str
    char: str

    def meaning(self) -> str:
        for level in tabular.level(self.code).chain():
            for row in level.notes.get("sevenChr", []):
                if row.startswith(self.char + ": "):
                    return row[3:]
        raise AssertionError(f"no 7th character {self.char} above {self.code}")

    def check_xml(self, case):
        self.meaning()

    def check_answer(self, case, got, text, linked):
        full = seventh_code(self.code, self.char)
        problems = [] if self.meaning() in text else [f"does not give the meaning {self.meaning()!r}"]
        return problems + ([] if full in linked else [f"does not link {full}"])
