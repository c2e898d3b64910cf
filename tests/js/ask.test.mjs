// The ask box's reading of questions and its answers, without a browser, on a few records
// written here in the format generator/ask.py writes (the full set runs in Chromium:
// tests/test_ask_questions.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { CORE, loadScripts } from "./load.mjs";

export const ASK = ["store", "links", "intents", "answers", "seventh", "together", "route"].map((n) => `ask/${n}.js`);
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
