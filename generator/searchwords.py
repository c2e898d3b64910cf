"""The word index of the site search: which documents hold a word, and how well it describes them.

Words are cut and stemmed with lunr.py's tokenizer, trimmer and Porter stemmer, the same steps
lunr.js runs on a query in the browser, so the two sides agree on every stem.

A posting's weight says how much of a field the word covers, so that a title that the query
matches with few other words ranks first (a general code before its narrow cousins):

- title (`t`): 1 / the number of content words of the title. Words in parentheses are the
  classification's nonessential modifiers ("Essential (primary) hypertension") and filler words
  ("unspecified", "NOS", "due to") do not count against a title.
- inclusion terms and "includes" lines (`i`): the same, per line, the best line for the word,
  times 0.85: "hypertension (arterial) (benign)" is a one-word line of I10.
- notes and descriptions (`d`): a flat 0.2, enough to find a code, never to outrank a title.

Each weight is shipped as an integer `q * PRIOR_SPAN + prior`, q in 1..100, with the document's
prior (code depth, "unspecified" title, kind) in the low part: see `prior`.
"""
from __future__ import annotations

import re
from collections import defaultdict

from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.tokenizer import Tokenizer
from lunr.trimmer import trimmer

from .systems import term_shard

FIELDS = ("t", "i", "d")
FIELD_WEIGHTS = {"t": 1.0, "i": 0.85, "d": 0.2}
PRIOR_SPAN = 512
# Words that say little about a code: they do not make its title longer.
FILLER = {"unspecifi", "no", "due", "without", "not", "elsewher", "classifi", "site"}
_OTHER = re.compile(r"\bother\b", re.I)   # a stop word to lunr, yet "Other X" is a residual code
_PARENS = re.compile(r"\([^()]*\)|\[[^\]]*\]")
_stems: dict[str, str] = {}


def stems(text: str) -> list[str]:
    """The stems of a text's words, stop words left out, as lunr.js's pipeline makes them."""
    out = []
    for token in Tokenizer(text):
        trimmed = trimmer(token)
        word = str(trimmed)
        if not word or stop_word_filter(trimmed) is None:
            continue
        stem = _stems.get(word)
        if stem is None:
            stem = _stems[word] = str(stemmer(trimmed))
        out.append(stem)
    return out


def coverage(line: str) -> dict[str, float]:
    """Each stem of a line -> 1 / the number of content words of the line."""
    words = set(stems(line))
    essential = _PARENS.sub(" ", line)
    content = set(stems(essential)) - FILLER
    share = 1.0 / max(1, len(content) + (1 if _OTHER.search(essential) else 0))
    return {w: share for w in words}


def prior(doc) -> int:
    """What the browser needs of a document before its row is loaded, in 0..PRIOR_SPAN-1:
    ranking bonuses (search/words.js) and the results page's filters.

    Bits 0-1: code depth (0 for a three-character category, 3 for six characters and more);
    bit 2: the title says "unspecified" or "NOS" (a default for one- or two-word queries);
    bits 3-4: kind (0 code, 1 range, 2 modifier, 3 page); bits 5-6: system (0 CPT, 1 HCPCS,
    2 ICD-10-CM, 3 page); bit 7: reportable (a code or modifier that is not an ICD-10-CM header,
    or a family head, whose 7th-character codes are); bit 8: new in the release shown.
    """
    bare = re.sub(r"[\s.]", "", doc.code)
    depth = min(3, max(0, len(bare) - 3)) if doc.kind == "code" else 0
    unspecified = 4 if re.search(r"\bunspecified\b|\bNOS\b|\bwithout complications\b", doc.title, re.I) else 0
    kind = {"code": 0, "range": 1, "modifier": 2, "page": 3}.get(doc.kind, 0)
    system = {"cpt": 0, "hcpcs": 1, "icd-10-cm": 2}.get(doc.system, 3)
    reportable = doc.kind in ("code", "modifier") and (doc.billable is not False or bool(doc.family))
    return depth + unspecified + 8 * kind + 32 * system + 128 * reportable + 256 * bool(getattr(doc, "new", False))


ENCOUNTER = {"initial", "subsequent", "sequela", "sequelae", "encounter", "routine", "delayed",
             "healing", "nonunion", "malunion", "open", "closed"}


def encounter_stems(sevenths) -> set[str]:
    """Stems of the words a query uses to pick a 7th character ("initial", "sequela", "open"):
    the browser does not require them of a title, it uses them to choose a family member."""
    said = {w for meanings in sevenths for _, meaning in meanings for w in stems(meaning)}
    return said & {s for w in ENCOUNTER for s in stems(w)}


def postings(docs) -> dict[str, dict[int, list[tuple[int, int]]]]:
    """stem -> field number -> [(document number, shipped weight)], documents ascending.

    `docs` are search.Document objects with `words` True; others are left out.
    """
    out: dict[str, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for doc in sorted(docs, key=lambda d: d.number):
        if not doc.words:
            continue
        low = prior(doc)
        fields = {
            "t": coverage(doc.title),
            "i": _best(coverage(line) for line in doc.terms),
            "d": {w: 1.0 for w in stems(doc.text)},
        }
        for f, name in enumerate(FIELDS):
            for stem, share in fields[name].items():
                q = max(1, min(100, round(100 * FIELD_WEIGHTS[name] * share)))
                out[stem][f].append((doc.number, q * PRIOR_SPAN + low))
    return out


def _best(maps) -> dict[str, float]:
    best: dict[str, float] = {}
    for m in maps:
        for w, v in m.items():
            if v > best.get(w, 0):
                best[w] = v
    return best


def encode(docs) -> dict[str, list]:
    """Word files: shard key -> [[term, field, doc deltas, weights, field, ...], ...]."""
    shards: dict[str, list] = defaultdict(list)
    for term, by_field in sorted(postings(docs).items()):
        entry: list = [term]
        for f in sorted(by_field):
            deltas, weights, last = [], [], 0
            for number, weight in by_field[f]:
                deltas.append(number - last)
                weights.append(weight)
                last = number
            entry += [f, deltas, weights]
        shards[term_shard(term)].append(entry)
    return dict(shards)
