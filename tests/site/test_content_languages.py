"""Content in English, French and Spanish: names, descriptions and headings, with English as the fallback."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from processes import models as pm
from rcpdb.site.demo import load_demo
from tests import factories as f
from tests.admin_forms import record_state
from workshops import models as wm


def url_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def puebla(db):
    americas = f.RegionFactory(slug="americas", name="The Americas", name_fr="Les Amériques", name_es="")
    process = f.ProcessFactory(
        slug="puebla",
        short_name="Puebla Process",
        short_name_fr="Processus de Puebla",
        short_name_es="Proceso de Puebla",
        name="Regional Conference on Migration",
        name_fr="Conférence régionale sur les migrations",
        name_es="Conferencia Regional sobre Migración",
        objectives="Dialogue on migration.",
        objectives_es="Diálogo sobre migración.",
    )
    process.regions.add(americas)
    return process


@pytest.mark.parametrize(
    ("language", "heading", "objectives", "region"),
    [
        ("en", "Puebla Process", "Dialogue on migration.", "The Americas"),
        ("fr", "Processus de Puebla", "Dialogue on migration.", "Les Amériques"),
        ("es", "Proceso de Puebla", "Diálogo sobre migración.", "The Americas"),
    ],
)
def test_profile_shows_the_language_and_falls_back_to_english(
    client, puebla, language, heading, objectives, region
):
    response = client.get(url_in(language, "processes:process-detail", slug="puebla"))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1>{heading} <span class="text-body-secondary">' in html
    assert objectives in html
    assert region in html


def test_meeting_and_session_headings_are_translated(client, db):
    workshop = f.WorkshopFactory(slug="geneva", title="Workshop on RCPs", title_es="Taller sobre los PCR")
    f.SessionFactory(workshop=workshop, order=1, title="Introduction", title_es="Introducción")
    f.SessionFactory(workshop=workshop, order=2, title="Funding")

    spanish = client.get(url_in("es", "workshops:workshop-detail", slug="geneva")).content.decode()
    french = client.get(url_in("fr", "workshops:workshop-detail", slug="geneva")).content.decode()

    assert "<h1>Taller sobre los PCR</h1>" in spanish
    assert "Introducción" in spanish
    assert "Funding" in spanish  # no Spanish title: the English one
    assert (
        '<h1><span lang="en">Workshop on RCPs</span> '
        '<span class="badge text-bg-light border fallback-marker">(en anglais)</span></h1>'
    ) in french


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("words", ["Regional Conference", "Conférence régionale", "Conferencia Regional"])
def test_process_filter_finds_a_name_in_any_language(client, puebla, language, words):
    f.ProcessFactory(slug="bali", short_name="Bali Process", name="Bali Process on People Smuggling")

    response = client.get(url_in(language, "processes:process-list"), {"q": words, "format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["slug"] for row in rows] == ["puebla"]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("word", ["Conference", "Conférence", "Conferencia"])
def test_site_search_finds_a_name_in_any_language(client, puebla, language, word):
    f.ProcessFactory(slug="bali", short_name="Bali Process", name="Bali Process on People Smuggling")

    response = client.get(url_in(language, "search"), {"q": word})

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/{language}/processes/puebla/"' in html
    assert f'href="/{language}/processes/bali/"' not in html


def test_process_list_sorts_by_the_name_shown(client, db):
    f.ProcessFactory(slug="a", short_name="Alpha Process", short_name_fr="Processus Zêta", short_name_es="")
    f.ProcessFactory(slug="b", short_name="Zulu Process", short_name_fr="", short_name_es="")
    f.ProcessFactory(slug="c", short_name="Gamma Process", short_name_fr="Processus Alpha")

    def slugs(language, **params):
        response = client.get(url_in(language, "processes:process-list"), {**params, "format": "csv"})
        return [row["slug"] for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))]

    assert slugs("en") == ["a", "c", "b"]
    # French: "Processus Alpha", "Processus Zêta", then "Zulu Process" (no French name: the English one).
    assert slugs("fr") == ["c", "a", "b"]
    assert slugs("fr", ordering="-name") == ["b", "a", "c"]
    assert slugs("es") == ["a", "c", "b"]


def test_downloads_and_api_keep_english_keys_with_values_in_the_language(client, puebla):
    english = client.get(url_in("en", "processes:process-list"), {"format": "csv"})
    french = client.get(url_in("fr", "processes:process-list"), {"format": "csv"})
    api_fr = client.get(reverse("api:processes-list"), headers={"accept-language": "fr"}).json()
    api_en = client.get(reverse("api:processes-list"), headers={"accept-language": "en"}).json()

    english_rows = list(csv.reader(io.StringIO(english.content.decode("utf-8-sig"))))
    french_rows = list(csv.reader(io.StringIO(french.content.decode("utf-8-sig"))))
    assert french_rows[0] == english_rows[0]
    assert "short_name" in english_rows[0]
    french_record = dict(zip(french_rows[0], french_rows[1], strict=True))
    assert (french_record["short_name"], french_record["regions"]) == ("Processus de Puebla", "Les Amériques")
    assert api_fr["results"][0].keys() == api_en["results"][0].keys()
    assert api_fr["results"][0]["name"] == "Conférence régionale sur les migrations"
    assert api_en["results"][0]["name"] == "Regional Conference on Migration"


def test_admin_edits_the_three_languages_side_by_side(admin_client, puebla):
    response = admin_client.get(reverse("admin:processes_process_change", args=[puebla.pk]))

    html = response.content.decode()
    for field in ["name", "short_name", "description", "objectives"]:
        positions = [html.index(f'name="{field}_{language}"') for language in ["en", "fr", "es"]]
        assert positions == sorted(positions)
    assert 'name="name"' not in html


def test_admin_requires_the_english_name_only(admin_client, puebla):
    url = reverse("admin:processes_theme_add")

    missing = admin_client.post(url, {"name_en": "", "name_fr": "Santé", "slug": "health"})
    stored = admin_client.post(url, {"name_en": "Health", "name_fr": "", "name_es": "", "slug": "health"})

    assert missing.status_code == 200
    assert "This field is required." in missing.content.decode()
    assert stored.status_code == 302
    theme = pm.Theme.objects.get(slug="health")
    assert (theme.name_en, theme.name_fr, theme.name_es) == ("Health", None, None)


def test_a_translation_change_is_in_the_history_and_can_be_reverted(admin_client, puebla):
    url = reverse("admin:processes_region_change", args=[pm.Region.objects.get(slug="americas").pk])
    data = {"name_en": "The Americas", "name_fr": "Amériques", "name_es": "Las Américas", "slug": "americas"}
    data |= record_state(admin_client, url)

    admin_client.post(url, data)

    region = pm.Region.objects.get(slug="americas")
    versions = list(region.history.order_by("history_id").values_list("name_fr", "name_es"))
    assert (region.name_fr, region.name_es) == ("Amériques", "Las Américas")
    assert versions == [("Les Amériques", ""), ("Amériques", "Las Américas")]

    first = region.history.order_by("history_id").first()
    first.instance.save()
    region.refresh_from_db()
    assert (region.name_fr, region.name_es) == ("Les Amériques", "")


@pytest.mark.parametrize(
    ("slug", "english", "french", "spanish"),
    [
        (
            "puebla",
            "Regional Conference on Migration",
            "Conférence régionale sur les migrations",
            "Conferencia Regional sobre Migración",
        ),
        (
            "lima",
            "South American Conference on Migration",
            "Conférence sud-américaine sur les migrations",
            "Conferencia Suramericana sobre Migraciones",
        ),
    ],
)
def test_demo_carries_the_official_names(shipped_states, slug, english, french, spanish):
    load_demo()

    process = pm.Process.objects.get(slug=slug)

    assert (process.name_en, process.name_fr, process.name_es) == (english, french, spanish)


def test_demo_translates_every_region_theme_and_session(shipped_states):
    load_demo()

    untranslated = [
        str(record)
        for model, field in [
            (pm.Region, "name"),
            (pm.Theme, "name"),
            (wm.Session, "title"),
            (pm.Process, "short_name"),
        ]
        for record in model.objects.all()
        if not getattr(record, f"{field}_fr") or not getattr(record, f"{field}_es")
    ]
    asia = pm.Region.objects.get(slug="asia")
    trafficking = pm.Theme.objects.get(slug="trafficking")

    assert untranslated == []
    assert (asia.name_fr, asia.name_es) == ("Asie", "Asia")
    assert (trafficking.name_fr, trafficking.name_es) == ("Traite des personnes", "Trata de personas")
