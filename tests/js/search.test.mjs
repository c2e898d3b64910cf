// The search engine (overrides/assets/javascripts/search/) under node --test, over a small real
// index: the cut CDC tabular list, this repository's codes and modifiers, and a few synonyms
// (tests/search_fixture.py builds it with generator/search.py, as the site build does).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT } from "./load.mjs";
import { openSearch } from "./search_engine.mjs";

let site, search;
const python = existsSync(join(ROOT, ".venv", "bin", "python")) ? join(ROOT, ".venv", "bin", "python") : "python3";

before(() => {
  site = mkdtempSync(join(tmpdir(), "search-"));
  execFileSync(python, [join(ROOT, "tests", "search_fixture.py"), site]);
  search = openSearch(site);
});
after(() => rmSync(site, { recursive: true, force: true }));

// Arrays made in the vm context have its own prototype: copy them to compare with deepEqual.
const codes = async (q, opts = {}) => [...(await search(q, { limit: 10, ...opts })).items].map((it) => it.code);

test("an exact code comes first, with or without its dot", async () => {
  for (const [q, first] of [["e11.65", "E11.65"], ["E1165", "E11.65"], ["s72001a", "S72.001A"],
                            ["T81.40XA", "T81.40XA"], ["t8140xa", "T81.40XA"], ["99213", "99213"], ["G0008", "G0008"]]) {
    assert.equal((await codes(q))[0], first, q);
  }
});

test("modifiers by number and by name", async () => {
  for (const q of ["59", "mod 59", "modifier 59", "-59"]) assert.equal((await codes(q))[0], "59", q);
  assert.ok((await codes("distinct procedural service")).slice(0, 3).includes("59"));
});

test("a general code ranks before its narrow cousins, and a default for short queries", async () => {
  const cholera = await codes("cholera");
  assert.ok(cholera.indexOf("A00") < cholera.indexOf("A00.0") && cholera.indexOf("A00.9") < cholera.indexOf("A00.0"));
  const femur = await codes("fracture femur");
  assert.ok(femur.slice(0, 3).includes("S72"), femur.join(" "));
  const t2 = await codes("type 2 diabetes");
  assert.equal(t2[0].slice(0, 3), "E11");
  assert.ok(t2.slice(0, 5).includes("E11.9"), t2.join(" "));
  assert.equal((await codes("type 2 diabetes hyperglycemia"))[0], "E11.65");
  assert.ok(!(await codes("type 2 diabetes hyperglycemia", { limit: 50 })).includes("E10.65"));
});

test("inclusion terms are searchable", async () => {
  // A01.00 has the inclusion term "Typhoid fever NOS"; E11.65's words are in its title only.
  const result = await search("infection due to Salmonella typhi", { limit: 10 });
  assert.ok(result.items.some((it) => it.code.startsWith("A01")), result.items.map((it) => it.code).join(" "));
});

test("an editors' synonym expands what is typed and pins its codes", async () => {
  assert.equal((await codes("dm2"))[0], "E11.9");
  assert.equal((await codes("t2dm"))[0], "E11.9");
  assert.deepEqual((await codes("uncontrolled diabetes")).slice(0, 2), ["E11.65", "E11.649"]);
  // femoral -> femur, broken -> fracture: words the stemmer does not join.
  const neck = await codes("broken femoral neck");
  assert.ok(neck.slice(0, 5).some((c) => c.startsWith("S72.0")), neck.join(" "));
});

test("7th-character codes are one family, opened by the code or chosen by encounter words", async () => {
  const result = await search("fracture of unspecified part of neck of right femur", { limit: 10 });
  const family = result.items.find((it) => it.code === "S72.001");
  assert.ok(family && family.family, "the family head is a result");
  assert.equal(family.family.chars.length, 16);
  assert.ok(!result.items.some((it) => /^S72\.001[A-Z]$/.test(it.code)), "no member row");
  const prefix = await codes("S72.00", { limit: 50 });
  assert.deepEqual(prefix.filter((c) => c.startsWith("S72.001")), ["S72.001"]);
  const opened = await codes("S72.001", { limit: 50 });
  assert.equal(opened[0], "S72.001");
  assert.equal(opened.filter((c) => /^S72\.001[A-Z]$/.test(c)).length, 16);
  const sequela = await search("fracture of neck of right femur sequela", { limit: 10 });
  const member = sequela.items.find((it) => it.code.startsWith("S72.001"));
  assert.equal(member.code, "S72.001S");
  assert.equal(member.title, "Fracture of unspecified part of neck of right femur, sequela");
  assert.ok(member.url.endsWith("/icd-10-cm/S72.001S/"));
  const initial = await search("right femur neck fracture initial encounter", { limit: 10 });
  assert.ok(initial.items.some((it) => it.code === "S72.001A"), initial.items.map((it) => it.code).join(" "));
});

test("typos: one or two edits in words of five letters or more, never instead of a match as typed", async () => {
  assert.ok((await codes("cholra")).includes("A00"));           // one edit
  assert.ok((await codes("choelra")).includes("A00"));          // a transposition
  assert.ok((await codes("diabtees mellitus type 2")).some((c) => c.startsWith("E11")));
  assert.deepEqual(await codes("chlera xx"), []);                // short words get no typo
  // "typhoid" is found as typed: no document that only has a near word ("typhoi...") joins.
  const typhoid = await search("typhoid", { limit: 100 });
  assert.ok(typhoid.items.every((it) => /typhoid/i.test(it.title) || it.kind === "page"), typhoid.items.map((it) => it.title).join(" | "));
});

test("a code of a system the reference does not hold is not here yet, never a look-alike", async () => {
  for (const [q, system] of [["J3420", "hcpcs"], ["G0439", "hcpcs"], ["99999", "cpt"], ["1036F", "cpt"]]) {
    const result = await search(q, { limit: 10 });
    assert.equal(result.missing && result.missing.system, system, q);
    assert.ok(result.missing.url.endsWith("/" + system + "/"), result.missing.url);
    // Only the same characters read as ICD-10-CM (G0439 is also G04.39) may follow the note.
    assert.ok(result.items.every((it) => it.system === system || it.norm === q), `${q}: ${result.items.map((it) => it.code)}`);
    assert.ok(result.nearest.every((it) => it.system === system), `${q}: ${result.nearest.map((it) => it.code)}`);
    assert.ok(!result.nearest.some((it) => it.code === "10004-69990"), "1036F is not in 10004-69990");
  }
  assert.equal((await search("G0008")).missing, null);
  assert.equal((await search("E11.99")).missing, null);
  assert.ok((await search("E11.99")).nearest.every((it) => it.code.startsWith("E11.9")));
});

test("paging: offset and limit walk one stable list with its total", async () => {
  const all = await search("diabetes", { limit: 1000 });
  assert.ok(all.total > 100);
  assert.equal(all.items.length, all.total);
  const first = await search("diabetes", { limit: 50 });
  const second = await search("diabetes", { limit: 50, offset: 50 });
  assert.equal(first.total, all.total);
  assert.deepEqual([...first.items, ...second.items].map((it) => it.code), [...all.items].slice(0, 100).map((it) => it.code));
});

test("filters: code system, billable only, hide subsequent and sequela encounters", async () => {
  const icd = await search("diabetes", { limit: 1000, filters: { system: "icd-10-cm" } });
  assert.ok(icd.items.length && icd.items.every((it) => it.system === "icd-10-cm"));
  const billable = await search("type 1 diabetes", { limit: 1000, filters: { billable: true } });
  assert.ok(billable.items.every((it) => it.billable === true || it.family), billable.items.filter((it) => !it.billable).map((it) => it.code).join(" "));
  assert.ok(billable.total < (await search("type 1 diabetes", { limit: 1 })).total);
  const mods = await search("procedure", { limit: 100, filters: { system: "modifier" } });
  assert.ok(mods.items.length && mods.items.every((it) => it.kind === "modifier"));
  const family = await codes("S72.001", { limit: 50, filters: { initial: true } });
  assert.deepEqual(family.filter((c) => /^S72\.001[A-Z]$/.test(c)), ["S72.001A", "S72.001B", "S72.001C"]);
  const later = await search("fracture of neck of right femur sequela", { limit: 10, filters: { initial: true } });
  assert.ok(!later.items.some((it) => /sequela|subsequent/i.test(it.title)));
});

test("filter: new in this release keeps only the codes the release history says were added", async () => {
  const all = await search("diabetes", { limit: 1000 });
  const fresh = await search("diabetes", { limit: 1000, filters: { isNew: true } });
  assert.ok(fresh.items.length >= 1 && fresh.total < all.total, `${fresh.total} of ${all.total}`);
  assert.ok(fresh.items.every((it) => it.isNew), fresh.items.map((it) => it.code).join(" "));
  assert.ok(fresh.items.some((it) => it.code === "E11.A"));
  assert.ok(all.items.some((it) => it.code === "E11.A" && it.isNew));
  assert.ok(all.items.some((it) => it.code === "E11.9" && !it.isNew));
  assert.deepEqual([...(await search("E11", { limit: 100, filters: { isNew: true } })).items].map((it) => it.code), ["E11.A"]);
});

test("when no page has every word, the pages with the most of them come", async () => {
  const got = await codes("cholera typhoid");
  assert.ok(got.length && got.every((c) => /^A0[01]/.test(c)), got.join(" "));
});

test("nothing found says what to drop", async () => {
  const result = await search("diabetes zzqxv");
  assert.equal(result.items.length, 0);
  assert.deepEqual([...result.broader], ["diabetes"]);
});

test("addresses follow the build's URL mode, from file:// too", async () => {
  const offline = openSearch(site, { base: "file:///bundle/", fileUrls: true });
  const [code] = (await offline("E11.65")).items;
  assert.equal(code.url, "file:///bundle/icd-10-cm/E11.65.html");
  const web = openSearch(site, { base: "file:///site/" });
  assert.equal((await web("E11.65")).items[0].url, "file:///site/icd-10-cm/E11.65/index.html");
  assert.equal((await web("J3420")).missing.url, "file:///site/hcpcs/index.html");
});

test("a query loads the manifest and only the files of its words and codes", async () => {
  const fresh = openSearch(site);
  await fresh("type 2 diabetes");
  assert.deepEqual([...fresh.loaded].sort(), ["manifest", "w/2", "w/di", "w/ty"].concat(fresh.loaded.filter((n) => n.startsWith("d/"))).sort());
});

test("members-only text is in no index file", () => {
  const files = [];
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).forEach((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : files.push(join(dir, e.name)));
  walk(join(site, "search-index"));
  const secrets = [];
  const data = readFileSync(join(ROOT, "data", "codes.yaml"), "utf-8") + readFileSync(join(ROOT, "data", "modifiers-cpt.yaml"), "utf-8");
  // The first line of every members-only body (block scalars: "body: |" and the next line).
  for (const m of data.matchAll(/^\s+body: (?:[|>]-?\n\s+)?(.{30,})$/gm)) secrets.push(m[1].replace(/^["']/, "").slice(0, 40));
  assert.ok(secrets.length, "the data has members-only bodies to look for");
  const all = files.map((f) => readFileSync(f, "utf-8")).join("\n");
  for (const s of secrets) assert.ok(!all.includes(s), s);
});
