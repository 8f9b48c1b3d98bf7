import pytest

from tests import factories


@pytest.mark.django_db
def test_factories_build_valid_objects():
    objects = [
        factories.MembershipFactory(),
        factories.ChairTermFactory(),
        factories.FundingFactory(),
        factories.EvaluationFactory(),
        factories.SessionLeadFactory(),
        factories.ParticipationFactory(),
        factories.FindingFactory(),
        factories.RecommendationFactory(),
        factories.DocumentFactory(),
        factories.InstitutionLinkFactory(),
        factories.ProcessClaimFactory(),
    ]

    for obj in objects:
        obj.full_clean()
    assert len({type(obj) for obj in objects}) == 11
