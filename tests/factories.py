"""factory_boy factories for every model. Build only what a test needs; name what it asserts."""

import datetime

import factory
from django.contrib.auth import get_user_model

from processes import enums
from processes import models as pm
from workshops import enums as wenums
from workshops import models as wm


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Region

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


# ISO codes handed out in order, so each StateFactory() is a distinct real country.
STATE_CODES = [
    "MX", "US", "CA", "BZ", "GT", "SV", "HN", "NI", "CR", "PA", "DO", "AR", "BR", "CL", "PE",
    "CO", "EC", "BO", "PY", "UY", "IN", "LK", "PH", "ID", "AU", "NZ", "TH", "DE", "FR", "ES",
    "IT", "PT", "MA", "DZ", "TN", "ZA", "NA", "BW", "ZM", "ZW",
]  # fmt: skip


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.State
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: STATE_CODES[n % len(STATE_CODES)])
    region = None


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source {n}")
    publisher = "IOM"
    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = enums.OrganizationKind.INTERNATIONAL


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Theme

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Process
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Regional Conference {n}")
    short_name = factory.Sequence(lambda n: f"Process {n}")
    acronym = factory.Sequence(lambda n: f"P{n}")
    slug = factory.Sequence(lambda n: f"process-{n}")
    kind = enums.ProcessKind.GEOGRAPHIC
    established_year = 2000
    status = enums.ProcessStatus.ACTIVE

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class ProcessClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.ProcessClaim

    process = factory.SubFactory(ProcessFactory)
    topic = enums.ClaimTopic.ESTABLISHED
    value = "1991"
    source = factory.SubFactory(SourceFactory)


class ListCompletenessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.ListCompleteness
        django_get_or_create = ("process", "section")
        skip_postgeneration_save = True

    process = factory.SubFactory(ProcessFactory)
    section = enums.ListSection.MEMBERS
    status = enums.Completeness.COMPLETE

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.sources.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Membership

    process = factory.SubFactory(ProcessFactory)
    role = enums.MembershipRole.MEMBER

    @factory.lazy_attribute
    def state(self):
        """The next state in the sequence that is not yet in the process (the sequence wraps)."""
        taken = set(pm.Membership.objects.filter(process=self.process).values_list("state_id", flat=True))
        for _ in STATE_CODES:
            state = StateFactory()
            if state.pk not in taken:
                return state
        raise ValueError("every STATE_CODES state is already in this process")


class OrganizationRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.OrganizationRole

    process = factory.SubFactory(ProcessFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = enums.OrganizationRoleKind.OBSERVER


class SecretariatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Secretariat
        skip_postgeneration_save = True

    process = factory.SubFactory(ProcessFactory)
    arrangement = enums.SecretariatArrangement.FIXED

    @factory.post_generation
    def hosts(self, create, extracted, **kwargs):
        """``hosts=[iom, unhcr]``: the host organisations (their derived roles are not written)."""
        if create and extracted:
            self.hosts.set(extracted)


class ChairTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.ChairTerm

    process = factory.SubFactory(ProcessFactory)
    state = factory.SubFactory(StateFactory)
    start_year = 2020
    end_year = 2021


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Funding

    process = factory.SubFactory(ProcessFactory)
    state = factory.SubFactory(StateFactory)
    organization = None
    kind = enums.FundingKind.VOLUNTARY_STATE
    year = 2004


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Evaluation

    process = factory.SubFactory(ProcessFactory)
    kind = enums.EvaluationKind.INTERNAL_REVIEW
    start_date = datetime.date(2003, 1, 1)
    end_date = datetime.date(2003, 6, 30)


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Output

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Declaration {n}")
    kind = enums.OutputKind.DECLARATION
    year = 2004


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Achievement

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Achievement {n}")
    kind = enums.AchievementKind.LEGISLATION
    level = enums.AchievementLevel.NATIONAL
    year = 2004


class InstitutionLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.InstitutionLink

    process = factory.SubFactory(ProcessFactory)
    institution = factory.SubFactory(OrganizationFactory, kind=enums.OrganizationKind.REGIONAL_INSTITUTION)
    nature = enums.InstitutionLinkNature.CONTACT


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = wm.Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = wm.Workshop
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Workshop {n}")
    slug = factory.Sequence(lambda n: f"workshop-{n}")
    kind = wenums.WorkshopKind.INTER_PROCESS
    start_date = datetime.date(2005, 4, 14)
    end_date = datetime.date(2005, 4, 15)
    city = "Geneva"
    country = "CH"

    @factory.post_generation
    def processes(self, create, extracted, **kwargs):
        if create and extracted:
            self.processes.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = wm.Session

    workshop = factory.SubFactory(WorkshopFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Session {n}")


class SessionLeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = wm.SessionLead

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    role = wenums.LeadRole.FACILITATOR


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = wm.Participation

    workshop = factory.SubFactory(WorkshopFactory)
    role = wenums.ParticipationRole.PARTICIPANT
    person = factory.SubFactory(PersonFactory)


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = wm.Finding
        skip_postgeneration_save = True

    workshop = factory.SubFactory(WorkshopFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = wenums.FindingKind.OBSERVATION
    text = factory.Sequence(lambda n: f"Finding text {n}.")

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def processes(self, create, extracted, **kwargs):
        if create and extracted:
            self.processes.set(extracted)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = wm.Recommendation
        skip_postgeneration_save = True

    workshop = factory.SubFactory(WorkshopFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = wenums.RecommendationKind.RECOMMENDATION
    text = factory.Sequence(lambda n: f"Recommendation text {n}.")
    status = wenums.FollowUpStatus.OPEN

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = wm.Document

    title = factory.Sequence(lambda n: f"Document {n}")
    kind = wenums.DocumentKind.BACKGROUND_PAPER
    year = 2005
