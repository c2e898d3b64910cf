"""A synthetic ICD-10-CM-sized catalog (about 105,000 records, a little more than the real one) for measuring the search index.

Shaped like the real code set where it matters for index size and speed: ~1,900 three-character
categories; about half the codes are injury codes (S, T) whose long titles repeat laterality,
site and seventh-character phrases ("initial encounter for closed fracture"); the rest draw
their words from a Zipf-distributed vocabulary; one code in five has inclusion terms; headers
are not billable. A few real titles are planted so benchmark queries have known answers.
"""
from __future__ import annotations

import random
import string

from generator.links import Catalog
from generator.records import Record

REAL = {
    "E11": ("Type 2 diabetes mellitus", False),
    "E11.6": ("Type 2 diabetes mellitus with other specified complications", False),
    "E11.65": ("Type 2 diabetes mellitus with hyperglycemia", True),
    "E11.9": ("Type 2 diabetes mellitus without complications", True),
    "E10.65": ("Type 1 diabetes mellitus with hyperglycemia", True),
    "I10": ("Essential (primary) hypertension", True),
    "J45.909": ("Unspecified asthma, uncomplicated", True),
    "S72.001A": ("Fracture of unspecified part of neck of right femur, initial encounter for "
                 "closed fracture", True),
    "A00": ("Cholera", False),
    "A00.0": ("Cholera due to Vibrio cholerae 01, biovar cholerae", True),
    "A09": ("Infectious gastroenteritis and colitis, unspecified", True),
}

MEDICAL = """abscess acute adverse allergic anemia aneurysm angina anomaly arthritis arthropathy
asthma atherosclerosis atrophy bacterial benign bleeding bronchitis burn calculus carcinoma
cardiomyopathy cataract cellulitis cerebral cholera chronic cirrhosis colitis complication
congenital contusion cyst deficiency deformity degeneration dementia dependence dermatitis
diabetes disorder dislocation disease dysplasia edema embolism encephalopathy enteritis
epilepsy erosion failure fever fibrosis fistula gastritis glaucoma gout hemorrhage hepatitis
hernia hyperglycemia hypertension hypoglycemia infection inflammation injury insufficiency
ischemia laceration lesion leukemia lymphoma malignant mellitus melanoma migraine myopathy
necrosis neoplasm nephropathy neuropathy obstruction occlusion osteoarthritis osteoporosis
pain paralysis pneumonia poisoning polyp pregnancy puncture retinopathy rupture sarcoma
sclerosis sepsis sprain stenosis strain syndrome thrombosis toxic tuberculosis ulcer
viral""".split()
SITES = """abdomen ankle arm back bladder brain breast chest colon ear elbow eye face femur finger
foot forearm hand head heart hip humerus kidney knee larynx leg lip liver lung mouth neck nose
pelvis radius rib shoulder skin spine stomach thigh thumb tibia toe ulna wrist""".split()
FRACTURES = "transverse oblique spiral comminuted segmental displaced nondisplaced".split()
PARTS = ["shaft", "neck", "head", "lower end", "upper end", "unspecified part"]
SIDES = ["right", "left", "unspecified"]
SEVENTH = [
    ("A", "initial encounter for closed fracture"),
    ("B", "initial encounter for open fracture"),
    ("D", "subsequent encounter for closed fracture with routine healing"),
    ("G", "subsequent encounter for closed fracture with delayed healing"),
    ("K", "subsequent encounter for closed fracture with nonunion"),
    ("P", "subsequent encounter for closed fracture with malunion"),
    ("S", "sequela"),
]
LINKS = ["with", "without", "due to", "of", "in", "and", "associated with"]


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    syllables = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 3)))
                 for _ in range(300)]
    words = set(MEDICAL)
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    ranked = sorted(words)
    rng.shuffle(ranked)      # rank must not follow the alphabet, or one word file gets them all
    return ranked


def _zipf(rng: random.Random, words: list[str]) -> str:
    # Rank r is drawn with probability ~ 1/r: a few words are everywhere, most are rare.
    return words[min(int(len(words) ** rng.random()) - 1, len(words) - 1)]


def _record(code: str, title: str, billable: bool, terms: list[str]) -> Record:
    record = Record(kind="code", system="icd-10-cm", code=code, title=title,
                    file="data/icd-10-cm/synthetic.yaml", line=1,
                    source={"name": "Synthetic benchmark data"})
    record.billable = billable
    record.inclusion_terms = terms
    return record


def synthetic_catalog(total: int = 98_500, seed: int = 4) -> Catalog:
    rng = random.Random(seed)
    words = _vocabulary(rng)
    records: list[Record] = []
    seen: set[str] = set()

    def add(code: str, title: str, billable: bool, terms: list[str] | None = None):
        if code in seen:
            return
        if code in REAL:
            title, billable = REAL[code]
        seen.add(code)
        records.append(_record(code, title, billable, terms or []))

    for code, (title, billable) in REAL.items():
        add(code, title, billable)
    letters = [c for c in string.ascii_uppercase if c != "U"]
    injury_share = total // 2
    categories = [f"{letter}{n:02d}" for letter in letters for n in range(76)]
    injury = [c for c in categories if c[0] in "ST"]
    other = [c for c in categories if c[0] not in "ST"]
    per_injury = injury_share // len(injury)
    per_other = (total - injury_share) // len(other)

    for cat in injury:
        site = rng.choice(SITES)
        add(cat, f"Injury of {site}", False)
        n = 0
        while n < per_injury:
            sub = f"{cat}.{rng.randint(0, 9)}{rng.randint(0, 9)}{rng.randint(0, 9)}"
            kind, part, side = rng.choice(FRACTURES), rng.choice(PARTS), rng.choice(SIDES)
            base = f"{kind.capitalize()} fracture of {part} of {side} {site}"
            add(sub, base, False)
            for letter, phrase in SEVENTH:
                add(f"{sub}{letter}", f"{base}, {phrase}", True)
                n += 1
            n += 1
    for cat in other:
        head = _zipf(rng, words)
        add(cat, f"{head.capitalize()} of {rng.choice(SITES)}", False)
        for n in range(per_other):
            if n % 10 == 0:
                add(f"{cat}.{n // 10}", f"{head.capitalize()} of {rng.choice(SITES)}, "
                    f"{rng.choice(LINKS)} {_zipf(rng, words)}", False)
            code = f"{cat}.{n // 10}{n % 10}"
            title = " ".join([head.capitalize()] + [
                rng.choice(LINKS) if i % 2 else _zipf(rng, words) for i in range(rng.randint(3, 9))])
            terms = ([" ".join(_zipf(rng, words) for _ in range(rng.randint(2, 4)))
                      for _ in range(rng.randint(1, 3))] if rng.random() < 0.2 else [])
            add(code, title, True, terms)
    catalog = Catalog(records)
    catalog.by_code = {r.code: r for r in records}
    return catalog
