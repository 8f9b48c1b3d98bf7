"""English fallback text on French and Spanish pages says so: ``lang="en"`` and a visible marker (#14)."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories as f

pytestmark = pytest.mark.django_db

FR_MARKER = '<span class="badge text-bg-light border fallback-marker">(en anglais)</span>'
ES_MARKER = '<span class="badge text-bg-light border fallback-marker">(en inglés)</span>'


def url_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def puebla():
    americas = f.RegionFactory(slug="americas", name="The Americas", name_fr="Les Amériques", name_es=None)
    return f.ProcessFactory(
        slug="puebla",
        short_name="Puebla Process",
        short_name_fr="Processus de Puebla",
        short_name_es=None,
        name="Regional Conference on Migration",
        name_fr=None,
        name_es="Conferencia Regional sobre Migración",
        description="A dialogue of eleven states.",
        description_fr="Un dialogue de onze États.",
        description_es=None,
        regions=[americas],
    )


def test_french_profile_marks_only_the_untranslated_fields(client, puebla):
    html = client.get(url_in("fr", "processes:process-detail", slug="puebla")).content.decode()

    # The short name and description are in French: not marked.
    assert '<h1>Processus de Puebla <span class="text-body-secondary">' in html
    assert "<p>Un dialogue de onze États.</p>" in html
    # The official name has no French: English, marked.
    assert (
        f'<p class="lead mb-1"><span lang="en">Regional Conference on Migration</span> {FR_MARKER}</p>'
        in html
    )
    assert ">Les Amériques</a>" in html
    assert "The Americas" not in html


def test_spanish_profile_marks_the_english_fallbacks(client, puebla):
    html = client.get(url_in("es", "processes:process-detail", slug="puebla")).content.decode()

    assert f'<h1><span lang="en">Puebla Process</span> {ES_MARKER} <span class="text-body-secondary">' in html
    assert f'<p><span lang="en">A dialogue of eleven states.</span> {ES_MARKER}</p>' in html
    assert f'<span lang="en">The Americas</span> {ES_MARKER}</a>' in html
    assert '<p class="lead mb-1">Conferencia Regional sobre Migración</p>' in html


def test_english_page_has_no_marker(client, puebla):
    html = client.get(url_in("en", "processes:process-detail", slug="puebla")).content.decode()

    assert "fallback-marker" not in html
    assert '<span lang="en">' not in html


def test_process_list_and_meeting_page_mark_fallbacks(client, puebla):
    f.ProcessFactory(slug="bali", short_name="Bali Process", short_name_fr="Processus de Bali")
    workshop = f.WorkshopFactory(slug="geneva", title="Workshop on RCPs", title_fr=None, title_es="Taller")

    listing = client.get(url_in("fr", "processes:process-list")).content.decode()
    meeting = client.get(url_in("fr", "workshops:workshop-detail", slug=workshop.slug)).content.decode()

    assert f'<span lang="en">Regional Conference on Migration</span> {FR_MARKER}' in listing
    assert ">Processus de Bali</a>" in listing
    assert listing.count("fallback-marker") == 2  # Puebla's and Bali's official names only
    assert f'<h1><span lang="en">Workshop on RCPs</span> {FR_MARKER}</h1>' in meeting
