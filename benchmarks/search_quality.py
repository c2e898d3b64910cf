"""Search quality: does a coder's query find the page they want? success@1, success@k, MRR.

A query set is a YAML file (tests/search_queries.yaml): each entry has `q`, and either `want`
(pages, one of which must be among the first `k` results, default 5) or `missing` (a system:
the search must say that the typed code is not in this reference yet). `evaluate` runs every
query through the site's own search engine in a Chromium page of the built site
(window.OCR.search.search, what the header box and the results page call), so the answer is the
browser's, over the real index files.
"""
from __future__ import annotations

from pathlib import Path

import yaml

LIMIT = 10   # results asked for per query; ranks beyond it count as not found


def load_queries(path: Path) -> list[dict]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]
    for e in entries:
        e["q"] = str(e["q"])
        e["want"] = [str(w) for w in e.get("want", [])]
        e.setdefault("k", 5)
    return entries


JS = """async ([queries, limit]) => {
  const out = [];
  for (const q of queries) {
    const started = performance.now();
    const r = await window.OCR.search.search(q, { limit });
    out.push({ codes: r.items.map((it) => it.code), missing: r.missing && r.missing.system,
               ms: performance.now() - started });
  }
  return out;
}"""


def evaluate(page, queries: list[dict]) -> dict:
    """Ranks and metrics for `queries`, asked in `page` (a page of the built site)."""
    page.wait_for_function("() => window.OCR && window.OCR.search")
    answers = page.evaluate(JS, [[e["q"] for e in queries], LIMIT])
    rows = []
    for e, a in zip(queries, answers):
        if e.get("missing"):
            rank = 1 if a["missing"] == e["missing"] else 0
        else:
            rank = next((i + 1 for i, code in enumerate(a["codes"]) if code in e["want"]), 0)
        rows.append({"q": e["q"], "want": e.get("missing") or e["want"], "k": e["k"], "rank": rank,
                     "ok": 0 < rank <= e["k"], "top": a["codes"][:5], "ms": round(a["ms"], 1),
                     "issue": bool(e.get("issue"))})
    n = len(rows) or 1
    return {
        "queries": len(rows),
        "success_at_1": round(sum(r["rank"] == 1 for r in rows) / n, 3),
        "success_at_5": round(sum(0 < r["rank"] <= 5 for r in rows) / n, 3),
        "success_at_k": round(sum(r["ok"] for r in rows) / n, 3),
        "mrr": round(sum(1 / r["rank"] for r in rows if r["rank"]) / n, 3),
        "issue_rows_ok": all(r["ok"] for r in rows if r["issue"]),
        "failures": [r for r in rows if not r["ok"]],
        "rows": rows,
    }
