"""The layout every page shares: navigation, breadcrumbs, footer, meta tags, and a CSP-friendly page."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests import factories as f


@pytest.fixture
def pages(db):
    process = f.ProcessFactory(slug="puebla", themes=[f.ThemeFactory(slug="trafficking")])
    state = f.StateFactory(code="MX")
    f.MembershipFactory(process=process, state=state)
    organization = f.OrganizationFactory(slug="iom")
    return [
        reverse("home"),
        reverse("processes:process-list"),
        reverse("processes:process-detail", kwargs={"slug": "puebla"}),
        reverse("processes:state-list"),
        reverse("processes:state-detail", kwargs={"code": "MX"}),
        reverse("processes:organization-list"),
        organization.get_absolute_url(),
        reverse("processes:theme-list"),
        reverse("processes:theme-detail", kwargs={"slug": "trafficking"}),
        reverse("processes:process-list") + "?region=atlantis",  # the 400 page
        "/no-such-page/",  # the 404 page
    ]


def test_layout_has_the_main_navigation(client, pages):
    response = client.get(reverse("processes:process-list"))

    html = response.content.decode()
    for url_name, label in [
        ("processes:process-list", "Processes"),
        ("processes:state-list", "States"),
        ("processes:organization-list", "Organisations"),
        ("processes:theme-list", "Themes"),
        ("workshops:workshop-list", "Meetings"),
        ("workshops:finding-list", "Findings"),
        ("workshops:recommendation-list", "Recommendations"),
        ("search", "Search"),
    ]:
        assert f'href="{reverse(url_name)}"' in html
        assert f">{label}</a></li>" in html
    assert '<a class="nav-link active" href="/en/processes/" aria-current="page">Processes</a>' in html
    assert '<nav class="navbar navbar-expand-lg" aria-label="Main">' in html
    assert 'aria-controls="site-menu" aria-expanded="false">' in html  # the phone's menu button


def test_layout_has_skip_link_language_assets_and_footer(client, pages):
    response = client.get(reverse("processes:process-list"))

    html = response.content.decode()
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<a class="visually-hidden-focusable skip-link" href="#main">Skip to main content</a>' in html
    assert '<main id="main" tabindex="-1" class="pb-5">' in html
    assert '<link rel="stylesheet" href="/static/bootstrap/css/bootstrap.min.css">' in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert '<script src="/static/bootstrap/js/bootstrap.bundle.min.js" defer></script>' in html
    assert "the 2005 GCIM–IOM workshop of the Regional Consultative Processes" in html
    assert "Each fact shows its sources and the date it was last checked." in html


def test_layout_meta_tags_and_canonical_url(client, pages):
    response = client.get(reverse("processes:process-list"), {"kind": "thematic"})

    html = response.content.decode()
    assert '<meta property="og:title" content="Processes">' in html
    assert (
        '<meta property="og:description" content="Every Regional Consultative Process on migration,' in html
    )
    assert '<meta name="description" content="Every Regional Consultative Process on migration,' in html
    assert '<link rel="canonical" href="http://testserver/en/processes/">' in html


def test_layout_breadcrumbs_start_at_home(client, pages):
    response = client.get(reverse("processes:process-detail", kwargs={"slug": "puebla"}))

    html = response.content.decode()
    assert re.search(
        r'<nav aria-label="Breadcrumb" class="site-breadcrumbs mt-3">\s*<ol class="breadcrumb">\s*'
        r'<li class="breadcrumb-item"><a href="/en/">Home</a></li>\s*'
        r'<li class="breadcrumb-item"><a href="/en/processes/">Processes</a></li>\s*'
        r'<li class="breadcrumb-item active" aria-current="page">Process \d+</li>',
        html,
    )


def test_pages_have_no_inline_script_or_style(client, pages):
    for url in pages:
        response = client.get(url)
        html = response.content.decode()

        assert response.status_code in {200, 400, 404}, url
        # A JSON-LD block (schema.org data) is data the browser never runs, not a script.
        assert re.findall(r'<script(?![^>]*\bsrc=)(?![^>]*type="application/ld\+json")[^>]*>', html) == [], (
            url
        )
        assert " style=" not in html, url
        assert "<style" not in html, url
        assert re.findall(r"\son[a-z]+=", html) == [], url


def test_site_css_has_a_print_style_hiding_navigation_and_forms():
    css = Path(finders.find("css/site.css")).read_text()

    print_block = css[css.index("@media print") :]
    for selector in [".site-header", ".site-footer", ".site-breadcrumbs", ".filter-form", "form"]:
        assert selector in print_block.split("display: none")[0]
