// The ask box's reading of questions and its answers, without a browser, on a few records
// written here in the format generator/ask.py writes (the full set runs in Chromium:
// tests/test_ask_questions.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { CORE, loadScripts } from "./load.mjs";

export const ASK = ["store", "links", "intents", "answers", "seventh", "together", "release", "route"].map((n) => `ask/${n}.js`);
const OCR = loadScripts([...CORE, ...ASK], { attrs: { "core/urls.js": { "data-urls": "directory" } } }).OCR;

// A context {store, links} over `files` (name -> data, as generator/ask.py writes them).
function contextFor(OCR, files) {
  const load = (name) => name in files ? Promise.resolve(files[name])
    : Promise.reject(new Error(`no data file ${name}`));
  const store = new OCR.ask.Store(load);
  return { store, links: new OCR.ask.Links(OCR.urls, store), from: "/ask/" };
}
const note = (text, refs = []) => [text, refs];
const MODS = { "59": "Distinct procedural service", XE: "Separate encounter", XU: "Unusual non-overlapping service",
  "50": "Bilateral procedure", "25": "Significant, separate E/M service", LT: "Left side", RT: "Right side",
  AS: "Assistant at surgery", "76": "Repeat procedure by same physician" };
const FILES = {
  manifest: {
    format: 1, folders: { "icd-10-cm": "icd-10-cm", cpt: "cpt", hcpcs: "hcpcs", modifier: "modifiers" },
    labels: { "icd-10-cm": "ICD-10-CM", cpt: "CPT", hcpcs: "HCPCS Level II" },
    modifiers: Object.fromEntries(Object.entries(MODS).map(([c, t]) => [c, [t, "cpt"]])),
    ranges: { "I00-I99": ["Diseases of the circulatory system", "icd-10-cm", "9"],
              "I10-I1A": ["Hypertensive diseases", "icd-10-cm", ""],
              "Z00-Z99": ["Factors influencing health status", "icd-10-cm", "21"],
              "Z20-Z29": ["Persons with potential health hazards related to communicable diseases", "icd-10-cm", ""] },
    codes: ["I10", "I11", "Z23", "G04", "992"], topics: [], directory_urls: true,
  },
  "r/I00-I99": { c: "I00-I99", t: "Diseases of the circulatory system", s: "icd-10-cm", k: "r", chapter: "9", ch: [] },
  "r/I10-I1A": { c: "I10-I1A", t: "Hypertensive diseases", s: "icd-10-cm", k: "r", p: "I00-I99", ch: [] },
  "r/Z00-Z99": { c: "Z00-Z99", t: "Factors influencing health status", s: "icd-10-cm", k: "r", chapter: "21", ch: [] },
  "r/Z20-Z29": { c: "Z20-Z29", t: "Persons with potential health hazards", s: "icd-10-cm", k: "r", p: "Z00-Z99", ch: [] },
  "c/I10": [{ c: "I10", t: "Essential (primary) hypertension", s: "icd-10-cm", k: "c", p: "I10-I1A", b: 1,
              i: { includes: [note("high blood pressure")] } }],
  "c/I11": [{ c: "I11", t: "Hypertensive heart disease", s: "icd-10-cm", k: "c", p: "I10-I1A", b: 0 },
            { c: "I11.0", t: "Hypertensive heart disease with heart failure", s: "icd-10-cm", k: "c", p: "I11", b: 1 },
            { c: "I11.9", t: "Hypertensive heart disease without heart failure", s: "icd-10-cm", k: "c", p: "I11", b: 1 }],
  "c/Z23": [{ c: "Z23", t: "Encounter for immunization", s: "icd-10-cm", k: "c", p: "Z20-Z29", b: 1 }],
  "c/G04": [{ c: "G04.39", t: "Other acute disseminated encephalitis and encephalomyelitis", s: "icd-10-cm", k: "c", b: 1 }],
  "c/992": [{ c: "99213", t: "Established patient office visit, low MDM", s: "cpt", k: "c" },
            { c: "99214", t: "Established patient office visit, moderate MDM", s: "cpt", k: "c" }],
};
for (const [c, t] of Object.entries(MODS)) FILES[`m/${c}`] = { c, t, s: "cpt", k: "m" };

const ctx = contextFor(OCR, FILES);
const answer = (q) => OCR.ask.answer(ctx, q);
const read = async (q) => OCR.ask.intents.read(q, (await ctx.store.ready()));

test("the ask box uses the shared code rules: 1036F is not inside 10004-69990", async () => {
  assert.equal(OCR.codes.covers("10004-69990", "1036F"), false);
  // A note naming CPT 10004-69990 does not name 1036F.
  const r = await read("what is 1036F");
  assert.deepEqual(JSON.parse(JSON.stringify(r.mentions.map((m) => [m.code, m.system]))), [["1036F", "cpt"]]);
});

test("a question is read by what it asks, not by one word of a title", async () => {
  const r = await read("what is z23 encounter for immunization");
  assert.deepEqual([...r.mentions.map((m) => m.code)], ["Z23"]);
  assert.equal(r.asks.what, true);
  const a = await answer("what is z23 encounter for immunization");
  assert.equal(a.kind, "what");
  assert.match(a.lead, /Z23 is the ICD-10-CM code .Encounter for immunization/);
});

test("a five-character letter code stays HCPCS and is not held, never its ICD-10-CM look-alike", async () => {
  const r = await read("what is G0439");
  assert.deepEqual(JSON.parse(JSON.stringify(r.mentions.map((m) => [m.code, m.system]))), [["G0439", "hcpcs"]]);
  const a = await answer("what is G0439");
  assert.equal(a.kind, "unknown");
  assert.equal(a.verdict, "not-held");
  assert.match(a.lead, /G0439 is not in this reference yet/);
  assert.doesNotMatch(a.text(), /encephalitis/);
});

test("modifiers in any case and phrasing", async () => {
  const r = await read("when do i use xe instead of 59");
  assert.deepEqual([...r.mentions.map((m) => m.code)].sort(), ["59", "XE"]);
  const a = await answer("when do i use xe instead of 59");
  assert.equal(a.kind, "modifier-compare");
  const b = await answer("which modifier do i use for a bilateral procedure");
  assert.equal(b.kind, "modifier-find");
  assert.equal(b.verdict, "50");
  // "as" is an English word here, not modifier AS.
  assert.deepEqual([...(await read("code as 99213")).mentions.map((m) => m.code)], ["99213"]);
  assert.deepEqual([...(await read("modifier as")).mentions.map((m) => m.code)], ["AS"]);
});

test("payment, bundling, payers and three codes get an honest refusal that links the codes", async () => {
  for (const q of ["is 93000 bundled into 99214", "does bcbs cover 99213", "how much does aetna pay for 99214",
                   "can I bill I10, I11.9 and Z23 together"]) {
    const a = await answer(q);
    assert.equal(a.kind, "unknown", q);
    assert.equal(a.verdict, "refused", q);
  }
  const a = await answer("is 99213 bundled into 99214");
  assert.deepEqual([...a.sources.map((s) => s.c)], ["99213", "99214"]);
});

test("no Excludes note is not a yes: I10 with I11.9 points to the combination code", async () => {
  const a = await answer("can I10 be coded with I11.9");
  assert.equal(a.kind, "together");
  assert.equal(a.verdict, "check");
  assert.match(a.text(), /does not mean they may be coded together/);
  assert.match(a.text(), /combination code/);
  assert.match(a.text(), /block I10-I1A/);
});

test("two codes of one subcategory: the without code against the with code", async () => {
  const a = await answer("I11.0 with I11.9");
  assert.equal(a.verdict, "check");
  assert.match(a.text(), /the \u201cwithout\u201d code/);
});

test("answers are plain node trees whose links point into the site", async () => {
  const a = await answer("can I10 be coded with I11.9");
  const hrefs = [];
  const walk = (n) => { if (typeof n !== "string") { if (n.attrs.href) hrefs.push(n.attrs.href); n.children.forEach(walk); } };
  a.parts.forEach(walk);
  assert.ok(hrefs.length && hrefs.every((h) => h.startsWith("http://site.test/")), hrefs.join(" "));
  assert.ok(hrefs.includes("http://site.test/icd-10-cm/I10-I1A/"));
  assert.deepEqual([...a.sources.map((s) => OCR.ask.level(s))].slice(0, 2), ["category", "code"]);
  assert.ok(a.sources.some((s) => OCR.ask.level(s) === "block"));
});

// --- release and Medicare questions (ask/release.js), over history data as generator/ask.py
// writes it: the manifest's `history` and each code's `h` (only what differs from the defaults).
const HISTORY = {
  shown: "FY2026",
  releases: { FY2024: ["2023-10-01", "2024-09-30", "list 2024"], FY2025: ["2024-10-01", "2025-09-30", "xml 2025"],
              FY2026: ["2025-10-01", "2026-09-30", "xml 2026"], FY2027: ["2026-10-01", "2027-09-30", "MCE data"] },
  default: [["2015-10-01", "2027-03-31"]], through: "2027-03-31",
  medicare: ["FY2026 (MS-DRG v43)", "CMS FY2026 IPPS Final Rule Tables 6I, 6J, 6K"],
  mce: { manifestation: ["Manifestation code as principal diagnosis", "Code the underlying disease first."],
         qadm: ["Questionable admission", "Rarely a reason for admission."],
         unacceptable: ["Unacceptable principal diagnosis", "Not accepted as the main reason."] },
};
const RFILES = { ...FILES, manifest: { ...FILES.manifest, codes: [...FILES.manifest.codes, "E11", "I50", "G63", "S72"], history: HISTORY },
  "c/E11": [{ c: "E11", t: "Type 2 diabetes mellitus", s: "icd-10-cm", k: "c", b: 0 },
            { c: "E11.65", t: "Type 2 diabetes mellitus with hyperglycemia", s: "icd-10-cm", k: "c", p: "E11", b: 1 },
            { c: "E11.A", t: "Type 2 diabetes mellitus without complications in remission", s: "icd-10-cm", k: "c", p: "E11", b: 1,
              h: { f: "FY2026", v: [["2025-10-01", "2027-03-31"]], e: ["qadm"] } }],
  "c/I50": [{ c: "I50.21", t: "Acute systolic (congestive) heart failure", s: "icd-10-cm", k: "c", b: 1, h: { l: "MCC", cx: ["0824", 120] } },
            { c: "I50.22", t: "Chronic systolic (congestive) heart failure", s: "icd-10-cm", k: "c", b: 1, h: { l: "CC", cx: ["0823", 118] } }],
  "c/G63": [{ c: "G63", t: "Polyneuropathy in diseases classified elsewhere", s: "icd-10-cm", k: "c", b: 1, h: { e: ["manifestation"] } }],
  "c/S72": [{ c: "S72.001", t: "Fracture of unspecified part of neck of right femur", s: "icd-10-cm", k: "c", b: 0, x: "AD",
              sd: { A: "initial encounter for closed fracture", D: "subsequent encounter" }, h7: { A: { l: "MCC", cx: ["1763", 900] } } }],
};
// ask-data/past.js: codes deleted since FY2024 and codes added after the shown release.
HISTORY.past = true;
RFILES["c/E78"] = [{ c: "E78.01", t: "Familial hypercholesterolemia", s: "icd-10-cm", k: "c", b: 0 },
                   { c: "E78.010", t: "Homozygous familial hypercholesterolemia", s: "icd-10-cm", k: "c", p: "E78.01", b: 1 }];
RFILES["c/K74"] = [{ c: "K74.0", t: "Hepatic fibrosis", s: "icd-10-cm", k: "c", b: 0 }];
RFILES.manifest.codes.push("E78", "K74");
RFILES.past = { codes: {
  "E78.01": { d: "FY2026", t: "Familial hypercholesterolemia", s: [["E78.010", "Homozygous familial hypercholesterolemia", 1]],
              v: [["2016-10-01", "2025-09-30"]] },
  "T81.32XA": { d: "FY2025", t: "Disruption of internal operation wound, initial encounter", s: [["T81.320A", "", 0]],
                v: [["2015-10-01", "2024-09-30"]] },
  "K74.0A": { a: "FY2027", u: ["K74.0", "Hepatic fibrosis"], v: [["2026-10-01", "2027-03-31"]] } },
  changes: { FY2025: "icd-10-cm/changes/fy2025/", FY2026: "icd-10-cm/changes/fy2026/", FY2027: "icd-10-cm/changes/fy2027/" } };
const rctx = contextFor(OCR, RFILES);
const rAnswer = (q) => OCR.ask.answer(rctx, q);

test("CC and MCC questions answer from Tables 6I and 6J, with the CC exclusion list", async () => {
  const cases = [["is E11.65 a CC?", "neither"], ["is I50.21 an MCC", "MCC"], ["is I50.22 a cc or mcc", "CC"],
                 ["Is I50.21 a CC for Medicare?", "MCC"], ["is S72.001A an mcc", "MCC"], ["is S72.001D a cc", "neither"]];
  for (const [q, verdict] of cases) {
    const a = await rAnswer(q);
    assert.equal(a.kind, "medicare-cc", q);
    assert.equal(a.verdict, verdict, q);
    assert.match(a.text(), /FY2026 \(MS-DRG v43\)/, q);
    assert.match(a.text(), /Source: CMS FY2026 IPPS Final Rule/, q);
  }
  assert.match((await rAnswer("is I50.22 a cc")).text(), /one of the 118 codes of its exclusion list \(principal diagnosis collection 0823\)/);
  assert.equal((await rAnswer("is E11 a CC")).verdict, "header");
  // A payer question about Medicare is still refused.
  assert.equal((await rAnswer("how much does medicare pay for E11.65")).verdict, "refused");
});

test("principal diagnosis questions answer from the Medicare Code Editor", async () => {
  const no = await rAnswer("can G63 be a principal diagnosis");
  assert.equal(no.kind, "medicare-principal");
  assert.equal(no.verdict, "no");
  assert.match(no.text(), /Manifestation code as principal diagnosis/);
  const yes = await rAnswer("can E11.A be the principal diagnosis?");
  assert.equal(yes.verdict, "yes");
  assert.match(yes.text(), /Questionable admission/);
});

test("first release questions: new in a release, when added, revisions", async () => {
  const a = await rAnswer("was E11.A new in FY2025?");
  assert.equal(a.kind, "history");
  assert.equal(a.verdict, "no");
  assert.match(a.lead, /E11.A was added in FY2026 \(valid from 2025-10-01\), not in FY2025/);
  assert.equal((await rAnswer("was E11.A new in FY2026")).verdict, "yes");
  assert.equal((await rAnswer("when was E11.65 added")).verdict, "before FY2024");
  assert.equal((await rAnswer("E11.A effective date")).kind, "history");
  assert.match((await rAnswer("is E11.A a new code")).lead, /new in the release this reference shows/);
});

test("validity on a date of service, in a month or a release, and after the shown release", async () => {
  const cases = [["is E11.A valid for a date of service in December 2026?", "yes"], ["is E11.A valid on 2025-03-01", "no"],
                 ["was E11.A valid in FY2025", "no"], ["is E11.65 valid in FY2027", "yes"], ["is E11.65 valid on 12/25/2026", "yes"],
                 ["is E11.65 valid in FY2028", "unknown"], ["is E11.65 valid for dates of service in June 2027", "unknown"],
                 ["is E11.A still valid", "yes"]];
  for (const [q, verdict] of cases) {
    const a = await rAnswer(q);
    assert.equal(a.kind, "validity", q);
    assert.equal(a.verdict, verdict, q);
  }
  const dec = await rAnswer("is E11.A valid for a date of service in December 2026?");
  assert.match(dec.text(), /falls in FY2027, after the FY2026 release this reference shows/);
  // The 25 of a date is no modifier 25.
  assert.deepEqual([...(await OCR.ask.intents.read("is E11.65 valid on 12/25/2026", rctx.store.manifest)).mentions.map((m) => m.code)], ["E11.65"]);
  assert.equal((await rAnswer("is E11.65 a valid code")).kind, "what");
});

test("codes deleted since FY2024: valid per release, deleted when, what takes their place", async () => {
  const cases = [["is E78.01 valid in FY2025?", "validity", "yes"], ["is E78.01 valid in FY2026", "validity", "no"],
                 ["was E78.01 deleted?", "history", "yes"], ["was E78.01 deleted in FY2025", "history", "no"],
                 ["is T81.32XA valid on 2024-09-30", "validity", "yes"], ["is t81.32xa still valid", "validity", "no"],
                 ["what is T81.32XA", "history", "deleted"]];
  for (const [q, kind, verdict] of cases) {
    const a = await rAnswer(q);
    assert.equal(a.kind, kind, q);
    assert.equal(a.verdict, verdict, q);
  }
  const a = await rAnswer("was E78.01 deleted?");
  assert.match(a.lead, /E78.01 was deleted in FY2026: its last valid date of service was 2025-09-30; it is not valid from 2025-10-01/);
  assert.match(a.text(), /In FY2026 it is a header, not billable by itself/);
  assert.match(a.text(), /the codes that take its place:.*E78.010 Homozygous/s);
  const t81 = await rAnswer("was T81.32XA deleted");
  assert.match(t81.text(), /T81.320A \(title not yet imported\)/);
  assert.deepEqual([...t81.sources.map((s) => s.c)], ["T81.32XA"]);
  assert.match((await rAnswer("is T81.32XA a cc")).lead, /^T81.32XA is not a code of FY2026, the release whose MS-DRG/);
  assert.equal((await rAnswer("what replaced T81.32XA")).verdict, "yes");
  // "expired" is about a patient, not a code: no release answer for a code of the release shown.
  assert.equal((await rAnswer("E11.65 patient expired")).kind, "what");
  // An ICD-10-CM code nobody ever had is still not in the reference.
  assert.equal((await rAnswer("is E78.09 valid in FY2025")).verdict, "not-held");
});

test("codes added in FY2027: valid from 2026-10-01, title not yet imported, the code above linked", async () => {
  const cases = [["is K74.0A valid for a date of service in December 2026?", "validity", "yes"],
                 ["is K74.0A valid on 9/30/2026", "validity", "no"], ["was K74.0A new in FY2027", "history", "yes"],
                 ["was K74.0A new in FY2026", "history", "no"], ["what is K74.0A", "history", "FY2027"]];
  for (const [q, kind, verdict] of cases) {
    const a = await rAnswer(q);
    assert.equal(a.kind, kind, q);
    assert.equal(a.verdict, verdict, q);
  }
  const a = await rAnswer("is K74.0A valid for a date of service in December 2026?");
  assert.match(a.text(), /Title not yet imported/);
  assert.match(a.text(), /nearest code above it is K74.0 Hepatic fibrosis/);
  assert.deepEqual([...a.sources.map((s) => s.c)], ["K74.0"]);   // no page for K74.0A: never cited
});

test("dates: calendar years per release, month names, slashes, and dates outside the data", async () => {
  const when = (q) => OCR.ask.release.when(q.toLowerCase(), RFILES.manifest);
  assert.deepEqual([when("in 2027").from, when("in 2027").to, when("during 2026").label], ["2027-01-01", "2027-12-31", "calendar year 2026"]);
  assert.deepEqual([when("Dec 2026").from, when("Dec 2026").to], ["2026-12-01", "2026-12-31"]);
  assert.equal(when("15 December 2026").from, "2026-12-15");
  assert.equal(when("December 15, 2026").from, "2026-12-15");
  assert.equal(when("12/15/2026").from, "2026-12-15");
  assert.equal(when("2026-12-15").from, "2026-12-15");
  assert.deepEqual([when("12/2026").from, when("12/2026").to], ["2026-12-01", "2026-12-31"]);
  assert.equal(when("fiscal year 2026").fy, "FY2026");
  assert.equal(when("2/30/2026").invalid, true);
  const year = await rAnswer("is E11.A valid in 2025");
  assert.equal(year.verdict, "partly");
  assert.match(year.text(), /2025-01-01 to 2025-09-30 \(FY2025\): not valid/);
  assert.match(year.text(), /2025-10-01 to 2025-12-31 \(FY2026\): valid/);
  const late = await rAnswer("is E11.65 valid during 2027");
  assert.match(late.text(), /2027-10-01 to 2027-12-31: no release in the data covers these dates/);
  assert.match(late.text(), /\(the data ends 2027-03-31\)/);
  for (const [q, lead] of [["is E11.65 valid on 2020-05-01", /cannot say for 2020-05-01: its release history covers dates of service from 2023-10-01/],
                           ["is E11.65 valid on 2/30/2026", /not a date/], ["is E11.65 valid in FY2020", /no data for FY2020/]]) {
    const a = await rAnswer(q);
    assert.equal(a.verdict, "unknown", q);
    assert.match(a.lead, lead, q);
  }
});
