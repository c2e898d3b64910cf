"""Reading data/jobs.yaml: safe YAML (`yamlfile`), every field checked by its declaration in
`model.py`, every problem reported at once as `file:line: job 'id': 'field' message`."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import yaml

from ..fields import INVALID
from ..sources import Checked
from ..yamlfile import Checker, Problem, check_mapping, describe, line, read, text
from .model import JOB_FIELDS, JOB_FIELDS_BY_NAME, Job

JOBS_FILE = "jobs.yaml"
# The date that decides which postings are open; CODES_BUILD_DATE is its former name.
BUILD_DATE_ENV = "OCR_BUILD_DATE"
BUILD_DATE_ENVS = (BUILD_DATE_ENV, "CODES_BUILD_DATE")


class JobsError(Exception):
    """data/jobs.yaml has errors; the message lists every one with file and line."""


def _job(chk: Checker, node: yaml.Node, index: int) -> Job | None:
    if not isinstance(node, yaml.MappingNode):
        chk.add(line(node), f"job {index}", "", "expected a mapping of fields (id, title, "
                f"employer, ...), found {describe(node)}")
        return None
    ident = text(next((v for k, v in node.value if text(k) == "id"), None))
    who = f"job '{ident.strip()}'" if ident and ident.strip() else f"job {index}"
    nodes, lines = check_mapping(chk, node, JOB_FIELDS_BY_NAME, who, noun="job field")
    ok = len(nodes) == len(node.value)
    values: dict = {}
    for key, value_node in nodes.items():
        value = JOB_FIELDS_BY_NAME[key].check(chk, value_node, who, key, lines)
        if value is INVALID:
            ok = False
        else:
            values[key] = value
    for f in JOB_FIELDS:
        if f.required and f.name not in nodes:
            chk.add(line(node), who, f.name, f"is required but missing ({f.description})")
            ok = False
    if not ok:
        return None
    arrangement = values["arrangement"]
    if arrangement != "remote":
        for name in ("city", "state"):
            if name not in values:
                chk.add(line(node), who, name, f"is required for {arrangement} jobs "
                        f"({JOB_FIELDS_BY_NAME[name].description})")
                ok = False
    elif "remote_states" in values and not values["remote_states"]:
        chk.add(lines["remote_states"], who, "remote_states", "is empty; leave it out when "
                "applicants may live anywhere in the US")
        ok = False
    if arrangement == "on-site" and "remote_states" in values:
        chk.add(lines["remote_states"], who, "remote_states", "is only for remote jobs")
        ok = False
    if "apply_url" not in values and "apply_email" not in values:
        chk.add(line(node), who, "apply_url", "is missing: give apply_url or apply_email so "
                "readers can apply")
        ok = False
    if values["expires"] < values["posted"]:
        chk.add(lines["expires"], who, "expires", f"is {values['expires'].isoformat()}, before "
                f"'posted' {values['posted'].isoformat()}")
        ok = False
    return Job(file=chk.file, line=line(node), lines=lines, **values) if ok else None


def load_jobs(path: Path, name: str | None = None) -> tuple[list[Job], list[Problem]]:
    """Read and check a jobs file; `name` is how messages call it (data/jobs.yaml)."""
    chk = Checker(name or path.as_posix())
    root = read(path, chk, "put the postings in a 'jobs:' list")
    if root is None:
        return [], chk.problems
    if not isinstance(root, yaml.MappingNode):
        chk.add(line(root), "", "", f"expected a mapping with a 'jobs' list, found "
                f"{describe(root)}")
        return [], chk.problems
    nodes, _ = check_mapping(chk, root, ("jobs",), "", noun="key (the file holds one 'jobs:' "
                             "list)")
    jobs_node = nodes.get("jobs")
    if not isinstance(jobs_node, yaml.SequenceNode):
        chk.add(line(jobs_node or root), "", "jobs", "is required: put the postings in a "
                "'jobs:' list")
        return [], chk.problems
    jobs: list[Job] = []
    seen: dict[str, Job] = {}
    for i, item in enumerate(jobs_node.value, 1):
        job = _job(chk, item, i)
        if job is None:
            continue
        if job.id in seen:
            chk.add(job.line, f"job '{job.id}'", "id", f"duplicates the job on line "
                    f"{seen[job.id].line}; each posting needs its own id")
            continue
        seen[job.id] = job
        jobs.append(job)
    return jobs, chk.problems


def file_name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def check(data_dir: Path, root: Path) -> Checked:
    """The job board as a data source (sources.py): its problems and a one-line summary."""
    path = data_dir / JOBS_FILE
    if not path.is_file():
        return Checked([], "")
    jobs, problems = load_jobs(path, file_name(path, root))
    today = build_date()
    return Checked(problems, f"{len(jobs)} jobs ({sum(j.is_open(today) for j in jobs)} open)")


def build_date(value: str | None = None) -> dt.date:
    """The date that decides which postings are open: `value` (the plugin's build_date
    option), else OCR_BUILD_DATE or CODES_BUILD_DATE, else today."""
    name = "build_date"
    if not value:
        name, value = next(((n, os.environ[n]) for n in BUILD_DATE_ENVS if os.environ.get(n)),
                           (name, None))
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise JobsError(f"{name}={value!r} is not a date; use YYYY-MM-DD") from None
