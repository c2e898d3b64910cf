"""What an ICD-10-CM page adds to a record's view: level, billable status, notes inherited
from above, the 7th characters that apply, and the subtree below a block or category."""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import tabular
from .history import views as history_views
from .links import Catalog
from .records import Record
from .schema import RELATIONS

if TYPE_CHECKING:
    from .pages import PageContext

INSTRUCTION_TYPES = [key for key, r in RELATIONS.items() if r.icd_only]

BILLABLE = "Billable"
NEEDS_SEVENTH = "Not billable: needs a 7th character"
NOT_BILLABLE = "Not billable: choose a more specific code"


# The flags in a subtree: a header with codes below it needs none.
TREE_FLAGS = {BILLABLE: "Billable", NEEDS_SEVENTH: "Needs 7th character"}


def billable_label(record: Record, catalog: Catalog) -> str | None:
    """What a coder must know about reporting an ICD-10-CM code, or None for other pages."""
    if record.system != "icd-10-cm" or record.kind != "code":
        return None
    if record.billable:
        return BILLABLE
    kids = catalog.children.get(record.code, [])
    if kids and all(k.seventh for k in kids):
        return NEEDS_SEVENTH
    return NOT_BILLABLE


def _instructions(record: Record) -> list[dict]:
    return [{"key": key, "label": RELATIONS[key].label, "texts": record.instructions[key]}
            for key in INSTRUCTION_TYPES if record.instructions.get(key)]


def tabular_view(record: Record, ctx: PageContext) -> dict:
    """What an ICD-10-CM page adds: level, billable status, notes inherited from above, and
    the 7th characters that apply."""
    catalog = ctx.catalog
    ancestors = catalog.ancestors(record)
    inherited = [{"source": ctx.item(b.origin), "record": b.origin, "level": b.level,
                  "groups": b.groups} for b in tabular.inherited_instructions(record, catalog)]
    definer = next((r for r in [record, *ancestors] if r.seven_chr_def), None)
    seventh = None
    # The full codes the table's rows lead to: this code's own 7th-character extensions, or
    # on an extension's page, its siblings.
    base = catalog.parents[record.code] if record.seventh else record
    full = {k.seventh: ctx.item(k) for k in catalog.children.get(base.code, []) if k.seventh}
    if definer is not None and record.kind == "code":
        seventh = {"source": ctx.item(definer), "record": definer, "own": definer is record,
                   "rows": [(char, meaning, definer.seven_chr_includes.get(char, []),
                             full.get(char))
                            for char, meaning in definer.seven_chr_def.items()
                            if not full or char in full],
                   "linked": bool(full),
                   "notes": definer.seven_chr_note, "current": record.seventh,
                   "base": base.code}
    return {
        "kind_label": f"ICD-10-CM {tabular.level(record)}",
        "billable": record.billable if record.kind == "code" else None,
        "instructions": _instructions(record),
        "inherited": inherited,
        "seventh": seventh,
        "origin": ctx.item(catalog.parents[record.code]) if record.seventh else None,
        # The 7th-character table lists the extensions; "Codes under" would repeat them.
        "children": [ctx.item(c) for c in catalog.children.get(record.code, []) if not c.seventh],
        "subtree": [] if record.chapter else subtree(record, ctx),
        **history_views.record_view(record, ctx),   # release, code history, Medicare facts
    }


def subtree(record: Record, ctx: PageContext) -> list[dict]:
    """Everything below a block, category or subcategory, for a collapsible list with each
    code's billable status. Extensions with a 7th character are left to their code's table."""
    catalog = ctx.catalog
    nodes = []
    for child in catalog.children.get(record.code, []):
        if child.seventh:
            continue
        label = billable_label(child, catalog)
        nodes.append({"item": ctx.item(child), "children": subtree(child, ctx),
                      "billable": label == BILLABLE,
                      "flag": TREE_FLAGS.get(label)})
    return nodes
