"""The job board's pages: the listing at jobs/ (open postings only, with filters that run in the
browser), one page per posting with schema.org JobPosting JSON-LD (closed postings keep their
page, which says the position is closed) and an Atom feed of open postings at jobs/feed.xml."""
from __future__ import annotations

import datetime as dt
import html
import json
import uuid
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..sitefiles import page_href, page_url
from .model import ARRANGEMENTS, CREDENTIALS, EMPLOYMENT_TYPES, FOLDER, SALARY_PERIODS, STATES, Job

TEMPLATES = Path(__file__).parent / "templates"
POST_URI = f"{FOLDER}/post.md"    # the post-a-job form (content/jobs/post.md)


def _json_ld(data: dict) -> Markup:
    # JSON inside <script>: "<" escaped so no text can close the element.
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def job_posting(job: Job, url: str | None = None) -> dict:
    """The schema.org JobPosting of a job, with the fields Google requires and recommends."""
    description = "".join(f"<p>{_escape(p)}</p>" for p in job.paragraphs)
    org: dict = {"@type": "Organization", "name": job.employer}
    if job.employer_url:
        org["sameAs"] = job.employer_url
    data: dict = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": description,
        "identifier": {"@type": "PropertyValue", "name": job.employer, "value": job.id},
        "datePosted": job.posted.isoformat(),
        "validThrough": f"{job.expires.isoformat()}T23:59:59",
        "employmentType": EMPLOYMENT_TYPES[job.employment_type],
        "hiringOrganization": org,
        "directApply": False,
    }
    if url:
        data["url"] = url
    if job.arrangement == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = (
            [{"@type": "State", "name": STATES[s]} for s in job.remote_states]
            if job.remote_states else [{"@type": "Country", "name": "USA"}])
    else:
        data["jobLocation"] = {"@type": "Place", "address": {
            "@type": "PostalAddress", "addressLocality": job.city,
            "addressRegion": job.state, "addressCountry": "US"}}
    if job.salary:
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "USD", "value": {
            "@type": "QuantitativeValue", "minValue": job.salary["min"],
            "maxValue": job.salary["max"], "unitText": SALARY_PERIODS[job.salary["period"]]}}
    if job.credentials:
        data["qualifications"] = "One of: " + ", ".join(job.credentials)
    if job.specialty:
        data["occupationalCategory"] = job.specialty
    return data


def _escape(text: str) -> str:
    return str(Markup.escape(text))


def _salary_text(salary: dict | None) -> str:
    if not salary:
        return ""
    def money(v):
        return f"${v:,.2f}" if isinstance(v, float) else f"${v:,}"
    return f"{money(salary['min'])}–{money(salary['max'])} per {salary['period']}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters["salary"] = _salary_text
    env.globals.update(ARRANGEMENTS=ARRANGEMENTS, CREDENTIALS=CREDENTIALS, STATES=STATES)
    return env


def _front_matter(title: str, description: str) -> str:
    # HTML-escaped: Material prints the title and description into the page unescaped.
    title, description = html.escape(title), html.escape(description)
    return f"---\ntitle: {json.dumps(title)}\ndescription: {json.dumps(description)}\n---\n\n"


def _absolute(site_url: str | None, uri: str, directory_urls: bool) -> str | None:
    if not site_url:
        return None
    return site_url.rstrip("/") + "/" + page_url(uri, directory_urls)


def render_files(jobs: list[Job], today: dt.date, directory_urls: bool = True,
                 site_url: str | None = None) -> dict[str, str]:
    """Every file of the job board: docs-tree path -> content (Markdown pages whose body is
    the HTML the templates render, and the Atom feed)."""
    env = _environment()
    listing_uri = f"{FOLDER}/index.md"
    open_jobs = sorted((j for j in jobs if j.is_open(today)), key=lambda j: (-j.posted.toordinal(), j.title))

    def root(uri: str) -> str:
        return "../" * page_url(uri, directory_urls).count("/")

    files: dict[str, str] = {}
    credentials = sorted({c for j in open_jobs for c in j.credentials})
    states = sorted({s for j in open_jobs for s in j.filter_states if s != "US"})
    body = env.get_template("jobs.html.j2").render(
        jobs=[(j, page_href(listing_uri, j.src_uri, directory_urls)) for j in open_jobs],
        credentials=credentials, states=states, today=today, root=root(listing_uri),
        post=page_href(listing_uri, POST_URI, directory_urls),
        closed=len([j for j in jobs if today > j.expires]))
    files[listing_uri] = _front_matter(
        "Medical coding jobs",
        "Open positions for medical coders, auditors and CDI specialists, filterable by "
        "credential, work arrangement and state.") + body
    for job in jobs:
        uri = job.src_uri
        ld = job_posting(job, _absolute(site_url, uri, directory_urls)) if job.is_open(today) \
            else None
        body = env.get_template("jobs-posting.html.j2").render(
            job=job, today=today, open=job.is_open(today), upcoming=today < job.posted,
            json_ld=_json_ld(ld) if ld else None, root=root(uri),
            post=page_href(uri, POST_URI, directory_urls),
            listing=page_href(uri, listing_uri, directory_urls))
        files[uri] = _front_matter(f"{job.title}, {job.employer}",
                                   f"{job.title} at {job.employer}: {job.location}.") + body
    base = _absolute(site_url, listing_uri, directory_urls)
    files[f"{FOLDER}/feed.xml"] = env.get_template("jobs-feed.xml.j2").render(
        jobs=[(j, page_href(listing_uri, j.src_uri, directory_urls), uuid.uuid5(
            uuid.NAMESPACE_URL, f"open-code-reference:jobs:{j.id}")) for j in open_jobs],
        updated=max((j.posted for j in open_jobs), default=today), base=base,
        feed_id=uuid.uuid5(uuid.NAMESPACE_URL, "open-code-reference:jobs"))
    return files


