"""What a reader sees, checked in real Chromium (Debian's package, driven by Playwright)."""
from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_modifier_53_page_screenshot(page, real_site, serve, artifacts):
    base = serve(real_site)
    page.goto(base + "modifiers/53/")
    assert page.locator("h1").inner_text().startswith("Modifier 53")
    assert page.locator(".code-badge").inner_text() == "53"
    confused = page.locator("h2#often-confused-with + ul a")
    assert {confused.nth(i).inner_text() for i in range(confused.count())} >= {"52", "73", "74"}
    assert page.locator(".member-section .member-teaser").first.is_visible()
    page.screenshot(path=str(artifacts / "modifier-53.png"), full_page=True)

    # Links go where they say: following 74 lands on modifier 74's page.
    page.locator("h2#often-confused-with + ul a", has_text="74").click()
    page.wait_for_url("**/modifiers/74/")
    assert page.locator(".code-badge").inner_text() == "74"


def test_dark_palette(page, real_site, serve, artifacts):
    page.emulate_media(color_scheme="dark")
    page.goto(serve(real_site) + "modifiers/53/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    page.screenshot(path=str(artifacts / "modifier-53-dark.png"))


def test_breadcrumbs_lead_back_to_the_index(page, real_site, serve):
    page.goto(serve(real_site) + "cpt/99213/")
    crumbs = page.locator("nav.crumbs li")
    assert [crumbs.nth(i).inner_text() for i in range(crumbs.count())][:3] == [
        "Home", "CPT", "99202-99499 Evaluation and Management"]
    page.locator("nav.crumbs a", has_text="CPT").click()
    page.wait_for_url("**/cpt/")
    assert page.locator("h1").inner_text().startswith("CPT codes")
