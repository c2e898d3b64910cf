"""The ask-an-expert and post-a-job forms: Netlify Forms markup in the static HTML (Netlify
finds forms by parsing the deployed HTML), the honeypot, the thank-you page, prefilling from
the address, and validation in Chromium before anything is sent."""
from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest

from .test_jobs import jobs_site  # noqa: F401  (the basic fixture with the forms' pages)


def form_tag(html: str, name: str) -> str:
    match = re.search(rf'<form[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no form named {name}"
    return match.group(0)


@pytest.mark.parametrize("path, name, fields", [
    ("ask-an-expert", "ask-an-expert", ["name", "email", "code", "question", "page"]),
    ("jobs/post", "post-a-job", ["employer", "email", "title", "arrangement", "location",
                                 "employment_type", "credentials", "expires", "description",
                                 "apply"]),
])
def test_forms_are_netlify_forms_in_the_static_html(jobs_site, path, name, fields):
    html = (jobs_site / path / "index.html").read_text()
    tag = form_tag(html, name)
    assert 'data-netlify="true"' in tag
    assert 'netlify-honeypot="bot-field"' in tag
    assert 'method="POST"' in tag
    action = re.search(r'action="([^"]+)"', tag).group(1)
    assert action == "/thanks/" and (jobs_site / "thanks" / "index.html").is_file()
    body = html[html.index(tag):html.index("</form>", html.index(tag))]
    assert f'<input type="hidden" name="form-name" value="{name}">' in body
    assert re.search(r'<p class="cc-form__trap" hidden><label>[^<]*<input name="bot-field"', body)
    for field in fields:
        assert f'name="{field}"' in body, field
    assert "What happens next" in html
    assert "assets/javascripts/ask-forms.js" in html


def test_thank_you_page_says_what_happens_next(jobs_site):
    html = (jobs_site / "thanks" / "index.html").read_text()
    assert "three business days" in html and "five business days" in html


@pytest.fixture
def form_page(jobs_site, browser, serve):
    """A page on a loopback server whose form posts are caught, as Netlify would receive them."""
    base = serve(jobs_site)
    page = browser.new_page()
    posts = []

    def catch(route):
        posts.append(parse_qs(route.request.post_data or ""))
        route.fulfill(status=200, content_type="text/html", body="<h1>Thank you</h1>")

    page.route("**/thanks/**", catch)
    page.route("**/thanks/", catch)
    yield base, page, posts
    page.close()


def test_expert_form_is_prefilled_from_the_address(form_page):
    base, page, posts = form_page
    page.goto(base + "ask-an-expert/?code=E11.65&q=Can+E11.9+be+coded+with+E10.9%3F"
              "&from=%2Ficd-10-cm%2FE11.65%2F")
    page.wait_for_function("document.getElementById('expert-code').value !== ''")
    assert page.input_value("#expert-code") == "E11.65"
    assert page.input_value("#expert-question") == "Can E11.9 be coded with E10.9?"
    assert page.input_value("input[name=page]") == "/icd-10-cm/E11.65/"


def test_expert_form_checks_fields_before_sending(form_page):
    base, page, posts = form_page
    page.goto(base + "ask-an-expert/")
    page.click("#ask-an-expert-form button[type=submit]")
    assert posts == []
    assert page.evaluate("document.activeElement.id") == "expert-name"
    assert "Please fill in: Your name." == page.inner_text("#expert-name-error")
    assert page.get_attribute("#expert-question", "aria-invalid") == "true"
    page.fill("#expert-name", "Pat Coder")
    page.fill("#expert-email", "not-an-email")
    page.fill("#expert-question", "Too short")
    page.fill("#expert-code", "<b>")
    page.click("#ask-an-expert-form button[type=submit]")
    assert posts == []
    assert "email address" in page.inner_text("#expert-email-error")
    assert "at least 20 characters" in page.inner_text("#expert-question-error")
    assert "does not look like a code" in page.inner_text("#expert-code-error")
    assert page.inner_text("#expert-name-error") == ""


def test_expert_form_sends_a_valid_question_with_the_code(form_page):
    base, page, posts = form_page
    page.goto(base + "ask-an-expert/?code=S72.001")
    page.wait_for_function("document.getElementById('expert-code').value === 'S72.001'")
    page.fill("#expert-name", "Pat Coder")
    page.fill("#expert-email", "pat@example.org")
    page.fill("#expert-question", "Which 7th character for a follow-up visit after a cast?")
    with page.expect_navigation():
        page.click("#ask-an-expert-form button[type=submit]")
    assert len(posts) == 1
    sent = posts[0]
    assert sent["form-name"] == ["ask-an-expert"]
    assert sent["code"] == ["S72.001"] and sent["email"] == ["pat@example.org"]
    assert sent["question"] == ["Which 7th character for a follow-up visit after a cast?"]
    assert "bot-field" not in sent or sent["bot-field"] == [""]


def test_post_a_job_form_checks_and_sends(form_page):
    base, page, posts = form_page
    page.goto(base + "jobs/post/")
    page.click("#post-a-job-form button[type=submit]")
    assert posts == []
    assert page.evaluate("document.activeElement.id") == "job-employer"
    page.fill("#job-employer", "Example Clinic")
    page.fill("#job-contact", "hr@example.org")
    page.fill("#job-title", "Coder")
    page.select_option("#job-arrangement", "remote")
    page.fill("#job-location", "TX, OK")
    page.select_option("#job-type", "full-time")
    page.check("input[name=credentials][value=CPC]")
    page.check("input[name=credentials][value=CRC]")
    page.fill("#job-expires", "2001-01-01")
    page.fill("#job-description", "Code office visits and procedures for a busy family practice.")
    page.fill("#job-apply", "apply here")
    page.click("#post-a-job-form button[type=submit]")
    assert posts == []
    errors = page.eval_on_selector_all(".cc-form__error", "els => els.map(e => e.textContent).filter(Boolean)")
    assert any("today or later" in e for e in errors)
    assert any("web address" in e for e in errors)
    page.fill("#job-expires", "2099-12-31")
    page.fill("#job-apply", "https://example.org/jobs/1")
    with page.expect_navigation():
        page.click("#post-a-job-form button[type=submit]")
    assert len(posts) == 1
    assert posts[0]["form-name"] == ["post-a-job"]
    assert posts[0]["credentials"] == ["CPC", "CRC"]
