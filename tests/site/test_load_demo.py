"""``manage.py load_demo``: the demo knowledge base, loaded all or nothing."""

import re
import shutil
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError

from processes import models as pm
from processes import services as psvc
from rcpdb.site import demo as services
from tests.factories import ThemeFactory
from workshops import models as wm

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_states")]

DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"

EXPECTED_COUNTS = {
    # The 30 UN M49 regions and 249 ISO 3166-1 states come with the migration (the demo describes two
    # of the regions again), plus the demo's 4 groupings that are not M49 regions.
    "processes.Region": 34,
    "processes.State": 249,
    "processes.Source": 34,
    "processes.Organization": 33,
    "processes.Theme": 33,
    "processes.Process": 9,
    "processes.ProcessClaim": 26,
    "processes.ListCompleteness": 72,
    "processes.Membership": 151,
    "processes.OrganizationRole": 36,
    "processes.Secretariat": 9,
    "processes.ChairTerm": 46,
    "processes.InstitutionLink": 24,
    "workshops.Person": 8,
    "workshops.Workshop": 1,
    "workshops.Session": 8,
    "workshops.SessionLead": 12,
    "workshops.Participation": 19,
    "workshops.Finding": 49,
    "workshops.Recommendation": 19,
    "workshops.Document": 7,
}

SESSION_TITLES = [
    "Introduction",
    "Evolution of RCPs",
    "Overview of similarities and disparities",
    "Achievements and implementation",
    "Cross-fertilization between RCPs",
    "Relationship of RCPs to economic, political and security institutions",
    "The future of RCPs",
    "Conclusions",
]


def load(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts():
    """Rows of every table, many-to-many tables included."""
    return {model._meta.label: model.objects.count() for model in apps.get_models(include_auto_created=True)}


def loaded_models(app_label):
    """The app's own models, without the history tables django-simple-history adds."""
    return [
        model
        for model in apps.get_app_config(app_label).get_models()
        if not model._meta.model_name.startswith("historical")
    ]


def codes(memberships):
    return sorted(str(m.state.code) for m in memberships)


@pytest.fixture
def broken_set(tmp_path):
    """A folder with one broken fixture, after a copy of the demo ones unless ``alone``.

    Returns the folder and the broken file's path, as error messages show it.
    """

    def build(filename, content, *, alone=False):
        if not alone:
            for path in DEMO.iterdir():
                # Without the manifest: these tests are about the broken file's own error.
                if path.name != services.MANIFEST_NAME:
                    shutil.copy(path, tmp_path / path.name)
        broken = tmp_path / filename
        broken.write_text(content, encoding="utf-8")
        return tmp_path, broken.resolve()

    return build


# --- Content ------------------------------------------------------------------------------------


def test_load_demo_creates_exact_counts():
    output = load()

    counts = row_counts()
    assert {label: counts[label] for label in EXPECTED_COUNTS} == EXPECTED_COUNTS
    assert output.startswith(
        "Loaded 602 objects from 6 fixtures (fixtures/demo/00_sources.yaml, "
        "fixtures/demo/01_reference.yaml, fixtures/demo/02_processes.yaml, fixtures/demo/03_workshop.yaml, "
        "fixtures/demo/04_completeness.yaml, fixtures/demo/05_count_claims.yaml) in "
    )


def test_load_demo_findings_are_paragraphs_1_to_49_in_their_sessions():
    load()

    findings = wm.Finding.objects.select_related("session").order_by("number")
    assert [f.number for f in findings] == list(range(1, 50))
    first_paragraph_of_session = {}
    for finding in findings:
        first_paragraph_of_session.setdefault(finding.session.order, finding.number)
    assert first_paragraph_of_session == {1: 1, 2: 8, 3: 14, 4: 24, 5: 33, 6: 37, 7: 39, 8: 45}
    assert findings.get(number=48).text.startswith(
        "Concluding his statement, Dr. Jenny thanked Ms. Phyllis Coven"
    )


def test_load_demo_sessions_in_order_with_leads_and_questions():
    load()

    sessions = wm.Session.objects.filter(workshop__slug="gcim-iom-workshop-2005").order_by("order")
    assert [s.title for s in sessions] == SESSION_TITLES
    assert [s.order for s in sessions] == list(range(1, 9))
    leads = {
        s.order: sorted((lead.person.slug, lead.role) for lead in s.session_leads.all()) for s in sessions
    }
    assert leads[2] == [("m-klein-solomon", "chair")]
    assert leads[3] == [("j-crisp", "presenter")]
    assert leads[4] == [("f-laczko", "presenter")]
    assert leads[5] == [("m-klein-solomon", "facilitator")]
    assert leads[6] == []
    assert leads[7] == [("robert-paiva", "presenter")]
    assert (
        sessions[1].guiding_question_list[0]
        == "Why has there been a growth in the number of RCPs in recent years?"
    )
    assert len(sessions[3].guiding_question_list) == 3
    assert sessions[0].guiding_question_list == []


def test_load_demo_workshop_facts():
    load()

    workshop = wm.Workshop.objects.get(slug="gcim-iom-workshop-2005")
    assert workshop.title == "GCIM – IOM Workshop on Regional Consultative Processes"
    assert (str(workshop.start_date), str(workshop.end_date)) == ("2005-04-14", "2005-04-15")
    assert (workshop.city, str(workshop.country)) == ("Geneva", "CH")
    assert sorted(workshop.organizers.values_list("slug", flat=True)) == ["gcim", "iom"]
    assert workshop.processes.count() == 9
    presiding = workshop.participations.filter(role="presiding").values_list("person__name", flat=True)
    assert sorted(presiding) == ["Dr. R.K. Jenny", "Mr. Robert Paiva"]
    represented = workshop.participations.filter(role="represented").values_list(
        "organization__slug", flat=True
    )
    assert sorted(represented) == ["ilo", "unhcr"]


def test_load_demo_recommendations_by_kind_not_tracked():
    load()

    recommendations = wm.Recommendation.objects.all()
    by_kind = {
        kind: recommendations.filter(kind=kind).count() for kind in ("recommendation", "lesson", "conclusion")
    }
    assert by_kind == {"recommendation": 4, "lesson": 6, "conclusion": 9}
    assert set(recommendations.values_list("status", flat=True)) == {"not_tracked"}
    assert sorted(set(recommendations.values_list("paragraph", flat=True))) == [45, 46, 47, 49]
    assert recommendations.filter(addressed_to="").count() == 0
    assert set(recommendations.filter(paragraph=47).values_list("kind", flat=True)) == {"lesson"}


def test_load_demo_numbers_each_kind_as_the_report_does():
    load()

    def numbered(kind):
        rows = wm.Recommendation.objects.filter(kind=kind).order_by("position")
        return [(r.number, r.paragraph) for r in rows]

    assert numbered("lesson") == [(n, 47) for n in range(1, 7)]
    assert numbered("recommendation") == [(n, 45) for n in range(1, 5)]
    assert numbered("conclusion") == [
        (1, 45),
        (2, 46),
        (3, 46),
        (4, 46),
        (5, 49),
        (6, 49),
        (7, 49),
        (8, 49),
        (9, 49),
    ]
    first_lesson = wm.Recommendation.objects.get(kind="lesson", number=1)
    assert first_lesson.label == "Lesson learned 1"
    assert first_lesson.text.startswith(
        "The erroneous perception that RCPs were only dealing with migration control"
    )
    assert first_lesson.paragraph_url == f"{first_lesson.workshop.get_absolute_url()}#finding-47"
    assert wm.Recommendation.objects.get(kind="lesson", number=6).text.startswith(
        "Some participants had also mentioned the need for greater continuity"
    )


def test_load_demo_puebla_has_11_members_including_belize_and_5_observers():
    load()

    puebla = pm.Process.objects.get(slug="puebla")
    members = puebla.memberships.members().current()
    assert codes(members) == ["BZ", "CA", "CR", "DO", "GT", "HN", "MX", "NI", "PA", "SV", "US"]
    assert codes(puebla.memberships.observers()) == ["AR", "CO", "EC", "JM", "PE"]


def test_load_demo_colombo_has_8_observer_states():
    load()

    colombo = pm.Process.objects.get(slug="colombo")
    assert codes(colombo.memberships.observers()) == ["AE", "BH", "IT", "KR", "KW", "MY", "QA", "SA"]
    assert colombo.memberships.members().count() == 12


def test_load_demo_budapest_keeps_both_founding_years_with_their_sources():
    load()

    claims = pm.ProcessClaim.objects.filter(process__slug="budapest", topic="established")
    assert sorted(claims.values_list("value", "source__slug", "as_of")) == [
        ("1991", "iom-matrix-2015", date(2015, 2, 1)),
        ("1993", "iom-budapest", date(2026, 12, 1)),
    ]
    assert pm.Process.objects.get(slug="budapest").established_year == 1993


def test_load_demo_igc_keeps_every_state_count_and_austria_from_iom():
    load()

    claims = pm.ProcessClaim.objects.filter(process__slug="igc", topic="member_count")
    assert sorted(claims.values_list("value", "source__slug")) == [
        ("17", "baliprocess-igc"),
        ("17", "igc-overview-2009"),
        ("17", "sem-igc"),
        ("19", "iom-igc"),
    ]
    austria = pm.Membership.objects.get(process__slug="igc", state__code="AT")
    assert list(austria.sources.values_list("slug", flat=True)) == ["iom-igc"]
    assert pm.Membership.objects.filter(process__slug="igc").count() == 18


# Per process: (member states, observer states, organisation roles) recorded, and its sources.
RECORDED = {
    "apc": (0, 0, 0, ["apcprocess-net", "report-2005"]),
    "bali": (
        0,
        0,
        4,
        ["baliprocess-net", "dfat-bali-process", "dfat-millar-2004", "iom-bali", "report-2005"],
    ),
    "budapest": (
        52,
        6,
        1,
        [
            "budapestprocess-governance",
            "budapestprocess-org",
            "iom-budapest",
            "iom-matrix-2015",
            "report-2005",
        ],
    ),
    "colombo": (
        12,
        8,
        1,
        [
            "colomboprocess-org",
            "colomboprocess-secretariat",
            "devdiscourse-colombo-chair-2024",
            "iom-colombo",
            "report-2005",
            "tribune-colombo-2024",
        ],
    ),
    "five-plus-five": (
        10,
        0,
        10,
        [
            "euneighbours-five-plus-five-2020",
            "iom-five-plus-five",
            "iom-five-plus-five-2016",
            "liberte-five-plus-five-2005",
            "moroccoworldnews-five-plus-five-2020",
            "report-2005",
        ],
    ),
    "igc": (18, 0, 4, ["baliprocess-igc", "igc-overview-2009", "iom-igc", "report-2005", "sem-igc"]),
    "lima": (12, 1, 1, ["csm-about", "iom-lima", "oim-cimal-csm", "report-2005"]),
    "midsa": (
        16,
        0,
        1,
        ["iom-midsa", "iom-midsa-ministerial-2021", "iom-midsa-technical-2022", "report-2005"],
    ),
    "puebla": (
        11,
        5,
        14,
        [
            "crmsv-about",
            "crmsv-observer-organizations",
            "crmsv-technical-secretariat",
            "iom-puebla",
            "report-2005",
        ],
    ),
}

# Per process: the counts its sources state, as (topic, value, source).
STATED = {
    "apc": [],
    "bali": [
        ("member_count", "45", "baliprocess-net"),
        ("member_count", "45", "dfat-bali-process"),
        ("observer_count", "18", "baliprocess-net"),
    ],
    "budapest": [("member_count", "49", "iom-matrix-2015")],
    "colombo": [("member_count", "12", "colomboprocess-org"), ("observer_count", "8", "colomboprocess-org")],
    "five-plus-five": [("member_count", "10", "iom-five-plus-five-2016")],
    "igc": [
        ("member_count", "17", "baliprocess-igc"),
        ("member_count", "17", "igc-overview-2009"),
        ("member_count", "17", "sem-igc"),
        ("member_count", "19", "iom-igc"),
    ],
    "lima": [("member_count", "12", "iom-lima"), ("observer_count", "1", "iom-lima")],
    "midsa": [("member_count", "16", "iom-midsa")],
    "puebla": [("member_count", "11", "iom-puebla"), ("observer_count", "5", "iom-puebla")],
}


def test_load_demo_recorded_and_stated_figures_of_every_process():
    load()

    recorded = {}
    stated = {}
    for process in pm.Process.objects.all():
        recorded[process.slug] = (
            process.memberships.filter(role="member").count(),
            process.memberships.filter(role="observer").count(),
            process.organization_roles.count(),
            sorted(process.sources.values_list("slug", flat=True)),
        )
        stated[process.slug] = sorted(
            process.claims.filter(topic__in=["member_count", "observer_count"]).values_list(
                "topic", "value", "source__slug"
            )
        )
    assert recorded == RECORDED
    assert stated == STATED


def test_load_demo_cites_no_internal_notes_and_every_source_can_be_opened():
    load()

    assert not pm.Source.objects.filter(slug__in=["rcpdb-research-notes"]).exists()
    assert not pm.Source.objects.filter(title__icontains="research notes").exists()
    assert not pm.Source.objects.filter(url="").exists()
    assert pm.Source.objects.get(slug="report-2005").url == "https://www.iom.int/2005-global-iscm-meeting"
    assert pm.Source.objects.filter(accessed__isnull=True).count() == 0
    assert pm.Source.objects.exclude(url="").exclude(url__startswith="http").count() == 0


def test_load_demo_every_sourced_row_has_an_as_of_date_and_a_source():
    load()

    for model in [
        pm.Process,
        pm.Membership,
        pm.OrganizationRole,
        pm.Secretariat,
        pm.ChairTerm,
        pm.InstitutionLink,
    ]:
        assert model.objects.filter(as_of__isnull=True).count() == 0, model
        assert model.objects.filter(sources__isnull=True).count() == 0, model
    assert pm.ProcessClaim.objects.filter(as_of__isnull=True).count() == 0
    assert pm.Process.objects.get(slug="puebla").as_of == date(2026, 12, 1)


def test_load_demo_founding_years_only_where_a_source_says_so():
    load()

    founding = pm.Membership.objects.filter(since__isnull=False).order_by("process__slug", "state__code")
    assert [(m.process.slug, str(m.state.code), m.since) for m in founding] == [
        ("colombo", "IN", 2003),
        ("igc", "CH", 1985),
        *[("lima", code, 2000) for code in ["AR", "BO", "BR", "CL", "CO", "EC", "PE", "PY", "UY", "VE"]],
    ]


def test_load_demo_apc_status_unclear_others_active():
    load()

    assert dict(pm.Process.objects.values_list("slug", "status").filter(status="unclear")) == {
        "apc": "unclear"
    }
    assert pm.Process.objects.active().count() == 8


def test_load_demo_links_every_para_37_institution_to_a_process():
    load()

    regional = pm.Organization.objects.filter(kind="regional", description__contains="(para. 37)")
    assert regional.count() == 15
    linked = set(pm.InstitutionLink.objects.values_list("institution__slug", flat=True))
    assert linked == set(regional.values_list("slug", flat=True))
    assert set(pm.InstitutionLink.objects.values_list("nature", flat=True)) == {"regional_basis"}


def test_load_demo_every_loaded_object_passes_full_clean():
    load()

    checked = 0
    for model in [*loaded_models("processes"), *loaded_models("workshops")]:
        for instance in model.objects.all():
            instance.full_clean()
            checked += 1
    assert checked == sum(EXPECTED_COUNTS.values())


def test_load_demo_records_one_initial_history_entry_per_object():
    load()

    # The states and most regions come with the migration, which writes no history: the demo loads
    # 6 regions (Africa and the Caribbean again, and its 4 groupings) and no state.
    loaded = {**EXPECTED_COUNTS, "processes.Region": 6, "processes.State": 0}
    for label, count in loaded.items():
        history = apps.get_model(label).history.all()
        assert history.count() == count, label
        kinds = set(history.values_list("history_type", "history_change_reason", "history_user"))
        assert kinds == ({("+", "Loaded from the demo fixtures", None)} if count else set())
    puebla = pm.Process.objects.get(slug="puebla")
    assert puebla.history.get().instance.short_name == puebla.short_name


def test_load_demo_twice_adds_no_history():
    load()
    first = {model._meta.label: model.history.count() for model in loaded_models("processes")}

    load()

    assert {model._meta.label: model.history.count() for model in loaded_models("processes")} == first
    assert first["processes.Membership"] == EXPECTED_COUNTS["processes.Membership"]


def test_load_demo_twice_changes_no_counts():
    load()
    first = row_counts()

    load()

    assert row_counts() == first


def test_load_demo_keeps_unrelated_rows():
    ThemeFactory(slug="not-in-the-demo", name="Not in the demo")

    load()

    assert pm.Theme.objects.filter(slug="not-in-the-demo").exists()
    assert pm.Theme.objects.count() == EXPECTED_COUNTS["processes.Theme"] + 1


NOTE_PHRASING = re.compile(
    r"In (Spanish|French|English)\b|En (espagnol|français|anglais|español|francés|inglés)\b"
)
BARE_DOMAIN = re.compile(r"\([^()]*\b[a-z0-9-]+\.(org|net|int|com|gov|au)\b[^()]*\)")


def test_load_demo_descriptions_are_encyclopedic_in_three_languages():
    load()

    for process in pm.Process.objects.all():
        texts = {"en": process.description_en, "fr": process.description_fr, "es": process.description_es}
        for language, text in texts.items():
            assert text, (process.slug, language)
            assert not NOTE_PHRASING.search(text), (process.slug, language)
            assert not BARE_DOMAIN.search(text), (process.slug, language)
        assert 60 <= len(texts["en"].split()) <= 120, process.slug
        assert texts["fr"] != texts["en"] and texts["es"] != texts["en"], process.slug
    notes = " ".join(
        f"{p.established_note} {p.chair_note} {p.meeting_structure} {p.funding_note} {p.involvement_note}"
        for p in pm.Process.objects.all()
    )
    assert not BARE_DOMAIN.search(notes)


def test_note_phrasing_checks_catch_what_the_issue_reported():
    # The checks above must reject the research-note style the demo had.
    old = (
        "In Spanish: Conferencia Regional sobre Migración (CRM). "
        "11 member states (crmsv.org; IOM-ISCM also gives 11)."
    )
    assert NOTE_PHRASING.search(old)
    assert BARE_DOMAIN.search(old)
    assert not BARE_DOMAIN.search("a Technical Secretariat in San José (Costa Rica)")


def test_completeness_rows_cover_every_process_and_section_once():
    import yaml

    rows = yaml.safe_load((DEMO / "04_completeness.yaml").read_text(encoding="utf-8"))
    sections = [
        "members",
        "observers",
        "organizations",
        "chairs",
        "funding",
        "evaluations",
        "outputs",
        "achievements",
    ]
    seen = {(row["fields"]["process"][0], row["fields"]["section"]) for row in rows}
    slugs = ["apc", "bali", "budapest", "colombo", "five-plus-five", "igc", "lima", "midsa", "puebla"]
    assert len(rows) == 72
    assert seen == {(slug, section) for slug in slugs for section in sections}
    assert sorted({row["pk"] for row in rows}) == list(range(1, 73))
    for row in rows:
        fields = row["fields"]
        assert fields["status"] in {"complete", "partial", "not_recorded"}
        assert fields["as_of"] and fields["sources"] and fields["note"]
    status = {(r["fields"]["process"][0], r["fields"]["section"]): r["fields"]["status"] for r in rows}
    assert status["bali", "members"] == "not_recorded"
    assert status["apc", "members"] == "not_recorded"
    assert status["budapest", "members"] == "complete"
    assert status["igc", "members"] == "partial"
    assert sum(1 for v in status.values() if v == "complete") == 13
    load()
    loaded = {(row.process.slug, row.section): row.status for row in pm.ListCompleteness.objects.all()}
    assert loaded == status


def test_count_claims_use_the_new_topics_as_stated():
    import yaml

    rows = yaml.safe_load((DEMO / "05_count_claims.yaml").read_text(encoding="utf-8"))
    assert sorted((r["fields"]["process"][0], r["fields"]["topic"], r["fields"]["value"]) for r in rows) == [
        ("bali", "member_organization_count", "4"),
        ("bali", "member_organization_count", "4"),
        ("bali", "observer_organization_count", "9"),
        ("budapest", "member_organization_count", "10"),
        ("lima", "observer_organization_count", "10"),
        ("puebla", "observer_organization_count", "12"),
    ]
    assert [r["pk"] for r in rows] == list(range(21, 27))
    load()
    new_topics = ["member_organization_count", "observer_organization_count"]
    assert pm.ProcessClaim.objects.filter(topic__in=new_topics).count() == 6


# --- Broken fixtures ----------------------------------------------------------------------------

MEMBERSHIP = (
    "- model: processes.membership\n  pk: 500\n  fields: {process: [puebla], state: [%s], role: %s}\n"
)

BROKEN = {
    "invalid-yaml": (
        "04_broken.yaml",
        "- model: processes.theme\n  fields: {slug: x, name: [unclosed\n",
        "invalid YAML at line 3, column 1: did not find expected ',' or ']'.",
    ),
    "invalid-json": (
        "04_broken.json",
        '[{"model": "processes.theme", "fields": {"slug": "x",}}]',
        "invalid JSON at line 1, column 54: Expecting property name enclosed in double quotes.",
    ),
    "not-a-list": (
        "04_broken.yaml",
        "model: processes.theme\n",
        "expected a list of objects, each with 'model' and 'fields'.",
    ),
    "unknown-model": (
        "04_broken.yaml",
        "- model: processes.nothing\n  pk: 1\n  fields: {name: x}\n",
        "processes.nothing pk=1: unknown model 'processes.nothing'.",
    ),
    "unknown-field": (
        "04_broken.yaml",
        "- model: processes.membership\n  pk: 500\n"
        "  fields: {process: [puebla], state: [MX], rolee: member}\n",
        "processes.membership pk=500: unknown field 'rolee' on processes.membership.",
    ),
    "missing-natural-key": (
        "04_broken.yaml",
        MEMBERSHIP % ("XX", "member"),
        'processes.membership pk=500: state: no state with key ["XX"].',
    ),
    "over-long-text": (
        "04_broken.yaml",
        "- model: processes.theme\n  fields: {slug: too-long, name: %s}\n" % ("x" * 121),
        "processes.theme slug=too-long: name: Ensure this value has at most 120 characters (it has 121).",
    ),
    "invalid-choice": (
        "04_broken.yaml",
        MEMBERSHIP % ("BZ", "memberr"),
        "processes.membership pk=500: role: Value 'memberr' is not a valid choice.",
    ),
    "invalid-yaml-date": (
        "04_broken.yaml",
        "- model: processes.source\n  fields: {slug: bad-date, title: T, published: 2005-13-45}\n",
        "invalid YAML value: month must be in 1..12.",
    ),
    "invalid-date": (
        "04_broken.yaml",
        '- model: processes.source\n  fields: {slug: bad-date, title: T, published: "2005-13-45"}\n',
        "processes.source slug=bad-date: published: “2005-13-45” value has the correct format (YYYY-MM-DD) "
        "but it is an invalid date.",
    ),
    "overlapping-chair-term": (
        "04_broken.yaml",
        "- model: processes.chairterm\n  pk: 500\n"
        "  fields: {process: [puebla], state: [PA], start_year: 2018, end_year: 2020}\n",
        "processes.chairterm pk=500: start_year: This term overlaps the chair term of Guatemala (2019–2019). "
        "Terms of one process must not overlap; a term may begin in the year the previous one ends.",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_load_demo_broken_fixture_fails_with_one_line_and_changes_nothing(broken_set, case):
    filename, content, problem = BROKEN[case]
    load()
    before = row_counts()
    folder, broken = broken_set(filename, content, alone=True)

    with pytest.raises(CommandError) as excinfo:
        load("--fixtures", str(folder))

    assert str(excinfo.value) == f"{broken}: {problem}"
    assert "\n" not in str(excinfo.value)
    assert row_counts() == before


@pytest.mark.parametrize("case", ["invalid-yaml", "missing-natural-key", "invalid-choice"])
def test_load_demo_broken_fixture_on_empty_database_leaves_it_empty(broken_set, case):
    filename, content, problem = BROKEN[case]
    before = row_counts()
    folder, broken = broken_set(filename, content)

    with pytest.raises(CommandError) as excinfo:
        load("--fixtures", str(folder))

    assert str(excinfo.value) == f"{broken}: {problem}"
    assert row_counts() == before
    assert pm.Process.objects.count() == 0


def test_load_demo_missing_primary_key_reference_is_named(broken_set):
    load()
    before = row_counts()
    folder, broken = broken_set(
        "04_broken.yaml",
        "- model: workshops.sessionlead\n  pk: 500\n"
        "  fields: {session: 999, person: [j-crisp], role: chair}\n",
    )

    with pytest.raises(CommandError) as excinfo:
        load("--fixtures", str(folder))

    message = str(excinfo.value)
    assert message.startswith(f"{broken}: ")
    assert "workshops_sessionlead" in message
    assert "999" in message
    assert "\n" not in message
    assert row_counts() == before


def test_load_demo_names_the_broken_file_not_the_last_one(broken_set):
    folder, _broken = broken_set(
        "04_extra.yaml", "- model: processes.theme\n  fields: {slug: extra, name: Extra}\n"
    )
    processes_file = folder / "02_processes.yaml"
    processes_file.write_text(
        processes_file.read_text(encoding="utf-8").replace("role: observer", "role: watcher", 1),
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as excinfo:
        load("--fixtures", str(folder))

    problem = "processes.membership pk=12: role: Value 'watcher' is not a valid choice."
    assert str(excinfo.value) == f"{processes_file.resolve()}: {problem}"


def test_load_demo_empty_folder_is_refused(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        load("--fixtures", str(tmp_path))

    assert (
        str(excinfo.value)
        == f"{tmp_path.resolve()}: no fixture files (*.yaml, *.yml, *.json) in this folder."
    )


@pytest.mark.django_db(transaction=True)
def test_load_demo_broken_fixture_rolls_back_a_real_transaction(broken_set):
    # Without the test case's own transaction around it, the command's atomic block is the real one.
    load()
    before = row_counts()
    folder, broken = broken_set("04_broken.yaml", MEMBERSHIP % ("BZ", "memberr"))
    reference = folder / "01_reference.yaml"
    reference.write_text(
        reference.read_text(encoding="utf-8").replace("name: Trade,", "name: Changed then rolled back,"),
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as excinfo:
        load("--fixtures", str(folder))

    assert (
        str(excinfo.value)
        == f"{broken}: processes.membership pk=500: role: Value 'memberr' is not a valid choice."
    )
    assert row_counts() == before
    assert pm.Theme.objects.get(slug="trade").name == "Trade"


# --- Demo users ---------------------------------------------------------------------------------


def test_load_demo_with_demo_users_refused_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError) as excinfo:
        load("--with-demo-users")

    assert str(excinfo.value) == (
        "--with-demo-users creates accounts with printed passwords, so it only runs when DEBUG is on."
    )
    assert pm.Process.objects.count() == 0
    assert get_user_model().objects.count() == 0


def test_load_demo_with_demo_users_creates_central_and_puebla_editors(settings, editor_groups):
    settings.DEBUG = True

    output = load("--with-demo-users")

    passwords = dict(re.findall(r"^  (demo-\S+)\s+password: (\S+)", output, flags=re.MULTILINE))
    users = get_user_model().objects.filter(username__startswith="demo-").order_by("username")
    assert [u.username for u in users] == ["demo-central", "demo-puebla"]
    assert all(u.is_staff and not u.is_superuser for u in users)
    assert all(u.check_password(passwords[u.username]) for u in users)
    central, puebla_editor = users
    assert list(central.groups.values_list("name", flat=True)) == ["Central editors"]
    assert list(puebla_editor.groups.values_list("name", flat=True)) == ["Process editors"]
    all_perms = Permission.objects.filter(content_type__app_label__in=["processes", "workshops"]).count()
    assert central.groups.get().permissions.count() == all_perms + 7
    assert central.has_perm("workshops.delete_finding")
    assert central.has_perm("auth.view_user")
    assert not central.has_perm("auth.change_user")
    assert central.has_perm("otp_totp.add_totpdevice")
    assert central.has_perm("axes.delete_accessattempt")
    assert puebla_editor.has_perm("processes.change_membership")
    assert puebla_editor.has_perm("processes.view_region")
    assert not puebla_editor.has_perm("processes.add_region")
    assert not puebla_editor.has_perm("processes.add_process")
    assert not puebla_editor.has_perm("processes.delete_process")
    # Meetings of their processes (which ones is the admin's business: processes/admin_scoping.py).
    assert puebla_editor.has_perm("workshops.change_finding")
    assert puebla_editor.has_perm("workshops.view_person")
    assert not puebla_editor.has_perm("workshops.change_person")
    assert list(pm.Process.objects.get(slug="puebla").editors.all()) == [puebla_editor]
    assert list(pm.Process.objects.filter(editors=puebla_editor).values_list("slug", flat=True)) == ["puebla"]
    assert "Log in at http://127.0.0.1:8000/admin/" in output


def test_load_demo_with_demo_users_twice_keeps_two_users_with_new_passwords(settings, editor_groups):
    settings.DEBUG = True
    first = load("--with-demo-users")

    second = load("--with-demo-users")

    assert get_user_model().objects.filter(username__startswith="demo-").count() == 2
    password = re.compile(r"demo-central\s+password: (\S+)")
    assert password.search(first).group(1) != password.search(second).group(1)


def test_load_demo_leaves_room_for_new_rows_after_explicit_primary_keys():
    # On PostgreSQL the command moves the sequences past the fixtures' primary keys.
    load()
    workshop = wm.Workshop.objects.get(slug="gcim-iom-workshop-2005")

    finding = wm.Finding.objects.create(
        workshop=workshop, number=50, kind="observation", text="Added by staff."
    )
    membership = pm.Membership.objects.create(
        process=pm.Process.objects.get(slug="lima"), state=pm.State.objects.get(code="JM"), role="observer"
    )

    assert finding.pk == 50
    assert membership.pk == 152


def test_load_demo_secretariat_host_roles_are_what_the_secretariats_say():
    """Each current "secretariat host" role is derived from its secretariat (its hosts, since-year,
    "as of" and sources): deriving them again changes nothing."""
    load()
    roles = pm.OrganizationRole.objects.filter(role="secretariat_host", until__isnull=True)
    before = sorted(
        (
            r.process.slug,
            r.organization.slug,
            r.since,
            r.as_of,
            sorted(r.sources.values_list("slug", flat=True)),
        )
        for r in roles
    )
    entries = pm.OrganizationRole.history.count()

    for process in pm.Process.objects.filter(secretariat__isnull=False):
        psvc.sync_secretariat_host_roles(process)

    assert pm.OrganizationRole.history.count() == entries
    assert [(slug, host) for slug, host, *_rest in before] == [
        ("budapest", "icmpd"),
        ("colombo", "iom"),
        ("igc", "iom"),
        ("lima", "iom"),
        ("puebla", "iom"),
    ]
    hosts = sorted(
        pm.Secretariat.hosts.through.objects.values_list("secretariat__process__slug", "organization__slug")
    )
    assert hosts == [(slug, host) for slug, host, *_rest in before]
