"""Per-page views of the release history: what `_release.html.j2`, `_history.html.j2` and
`_medicare.html.j2` show on an ICD-10-CM page, and `code_facts` for search and the ask box."""
from __future__ import annotations

import datetime as dt

from . import MCE_EDITS, NOT_PRINCIPAL, History, out_of_date

_SHOW_COLLECTION = 5   # principal diagnoses listed before "and N more"


def first_release(history: History, code: str) -> str | None:
    """The release a billable code first appears in within FY2024-FY2026."""
    for fy, change, _ in history.changes.get(code, ()):
        if change == "added" and fy != "FY2027":
            return fy
    periods = history.periods.get(code)
    if not periods:
        return None
    start = periods[0][0]
    fy2024 = history.releases["FY2024"]
    if start > fy2024["last_day"]:
        return None
    return "FY2024" if start >= fy2024["first_day"] else "before FY2024"


def code_facts(history: History, code: str) -> dict:
    """The documented per-code summary other modules may use (search, ask box):

    {"release": "FY2026", "new": bool, "revised": bool, "first_release": "FY2025" | ... | None,
     "valid": [["2025-10-01", "2026-09-30"], ...], "fy2027": True | False | None,
     "level": "CC" | "MCC" | "", "mdc": ["10"], "mce": ["qadm", ...]}"""
    mine = history.changes.get(code, ())
    nxt = history.next_release()
    level, _, _, mdc, mce = history.medicare.get(code, ("-", "-", "", "-", "-"))
    return {
        "release": history.shown,
        "new": any(fy == history.shown and c == "added" for fy, c, _ in mine),
        "revised": any(fy == history.shown and c == "revised" for fy, c, _ in mine),
        "first_release": first_release(history, code),
        "valid": [list(p) for p in history.periods.get(code, ())],
        "fy2027": (history.valid_on(code, dt.date.fromisoformat(
            history.releases[nxt]["first_day"])) if nxt and code in history.periods else None),
        "level": "" if level == "-" else level,
        "mdc": [] if mdc == "-" else mdc.split(),
        "mce": [] if mce == "-" else mce.split(),
    }


def release_view(history: History) -> dict:
    r = history.release
    return {"label": history.shown, "first_day": r["first_day"], "last_day": r["last_day"],
            "banner": out_of_date(history)}


def record_view(record, ctx) -> dict:
    """The history keys of an ICD-10-CM page's view ({} when no history was imported)."""
    history = getattr(ctx.catalog, "history", None)
    if history is None:
        return {}
    view = {"release": release_view(history), "history": None, "medicare": None}
    if record.kind != "code":
        return view
    code = record.code
    facts = code_facts(history, code)
    mine = history.changes.get(code, ())
    nxt = history.next_release()
    banner = view["release"]["banner"]
    if banner:
        banner = dict(banner, valid_next=facts["fy2027"] if banner["current"] == nxt else None)
        view["release"]["banner"] = banner
    deleted = [row for fy, c, row in mine if c == "deleted" and fy != nxt]
    view["history"] = {
        "first_release": facts["first_release"],
        "new": facts["new"], "revised": facts["revised"],
        "revisions": [{"release": fy, "before": row[4], "after": row[5]}
                      for fy, c, row in mine if c == "revised"],
        "next": nxt, "valid_next": facts["fy2027"],
        "next_successors": [_code_item(ctx, s) for fy, c, row in mine
                            if fy == nxt and c == "deleted" for s in row[6].split()],
        # A code that was billable before and is a header now (split into children).
        "was_billable": [{"release": row[0], "last_day": _day_before(history, row[0])}
                         for row in deleted] if not record.billable else [],
        "billable": record.billable,
    }
    if record.billable and code in history.medicare:
        view["medicare"] = _medicare(history, code, facts, ctx)
    return view


def _day_before(history: History, release: str) -> str:
    first = dt.date.fromisoformat(history.releases[release]["first_day"])
    return (first - dt.timedelta(days=1)).isoformat()


def _code_item(ctx, code: str) -> dict:
    """A code as a link when the site has its page, as plain text otherwise."""
    target = ctx.catalog.by_code.get(code)
    return {"code": code, "title": target.title if target else "", "note": "",
            "url": ctx.href(target) if target and target.src_uri != ctx.uri else None}


def _medicare(history: History, code: str, facts: dict, ctx) -> dict:
    level, collection, source, _, _ = history.medicare[code]
    ages = {k: f"{a} to {b}" for k, (a, b) in history.meta["medicare"]["mce_ages"].items()}
    edits = [{"key": f, "name": MCE_EDITS[f][0], "text": MCE_EDITS[f][1].format(**ages)}
             for f in facts["mce"] if f in MCE_EDITS]
    excluded = history.collections.get(collection, []) if collection != "-" else []
    return {
        "release": history.meta["medicare"]["release"],
        "source": history.meta["medicare"]["source"],
        "level": facts["level"] or "neither",
        "april": source == "v43.1",
        "collection": None if not excluded else {
            "number": collection, "count": len(excluded),
            "shown": [_code_item(ctx, c) for c in excluded[:_SHOW_COLLECTION]],
            "more": max(0, len(excluded) - _SHOW_COLLECTION)},
        # "MDC 10 (Diseases and Disorders of the Endocrine, ...)": names from releases.json.
        "mdc": [{"number": m, "name": history.meta["medicare"].get("mdc_names", {}).get(m, "")}
                for m in facts["mdc"]],
        "mdc_source": history.meta["medicare"].get("mdc_source", ""),
        "principal": not (set(facts["mce"]) & NOT_PRINCIPAL),
        "edits": edits,
    }
