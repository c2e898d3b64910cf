"""The job board: a neighbour of the code reference, sharing only the YAML loader and the
field kit with it.

- `model`: every field of a posting declared once (field kit), the `Job` model, the JSON Schema;
- `loading`: data/jobs.yaml read and checked, the build date that decides what is open;
- `rendering` and `templates/`: the listing, a page per posting and the Atom feed;
- `plugin`: the MkDocs plugin `jobs` that adds those files to the site (and `assets/jobs.js`,
  the listing's filters).
"""
from __future__ import annotations

from pathlib import Path

from .loading import (BUILD_DATE_ENV, JOBS_FILE, JobsError, build_date, check, file_name,
                      load_jobs)
from .model import (ARRANGEMENTS, CREDENTIALS, EMPLOYMENT_TYPES, FOLDER, JOB_FIELDS,
                    JOB_FIELDS_BY_NAME, SALARY_PERIODS, STATES, Job, json_schema)
from .rendering import job_posting, render_files

__all__ = ["ARRANGEMENTS", "BUILD_DATE_ENV", "CREDENTIALS", "EMPLOYMENT_TYPES", "FOLDER",
           "JOBS_FILE", "JOB_FIELDS", "JOB_FIELDS_BY_NAME", "Job", "JobsError", "SALARY_PERIODS",
           "STATES", "build_date", "check", "job_posting", "json_schema", "load_jobs",
           "render_files", "site_files"]


def site_files(data_dir: Path, root: Path, directory_urls: bool = True,
               site_url: str | None = None, today: str | None = None) -> dict[str, str]:
    """The job board's files for a site whose data folder is `data_dir`; nothing when the
    folder has no jobs.yaml. Raises JobsError listing every problem in the file."""
    path = data_dir / JOBS_FILE
    if not path.is_file():
        return {}
    name = file_name(path, root)
    jobs, problems = load_jobs(path, name)
    if problems:
        raise JobsError(f"{len(problems)} error(s) in {name}:\n"
                        + "\n".join(str(p) for p in problems))
    return render_files(jobs, build_date(today), directory_urls, site_url)
