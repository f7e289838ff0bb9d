"""The rule owners' page: their rules, pending approvals and the exceptions
their rules produced, for their own groups only."""

import pytest
from django.urls import reverse

from exceptions.bulk import cases_seed
from exceptions.models import CaseCause
from orders import roles
from rules.models import RuleChange
from rules.services import rule_change_submit

pytestmark = pytest.mark.django_db


def test_finance_sees_its_rules_pending_widening_and_exceptions(client, load, make_user):
    load("customers", [{"customer_number": "C1", "name": "Acme", "country": "DE",
                        "currency": "EUR"}])
    cases_seed(40)
    finance = make_user("fin", roles.FINANCE)
    other = make_user("fin2", roles.FINANCE)
    rule_change_submit(change=RuleChange(code="PRICE_MISMATCH", parameters={"tolerance_pct": 5},
                                         reason="list prices lag a week"), actor=other)
    client.force_login(finance)
    page = client.get(reverse("rule_owners"))
    assert page.status_code == 200
    sections = page.context["sections"]
    assert [section["group"] for section in sections] == [roles.FINANCE]
    finance_section = sections[0]
    assert {rule.code for rule, _params in finance_section["rules"]} >= {"PRICE_MISMATCH",
                                                                        "CREDIT_HOLD"}
    assert [change.code for change in finance_section["pending"]] == ["PRICE_MISMATCH"]
    counts = {row["code"]: row["open"] for row in finance_section["exceptions"]}
    assert counts["PRICE_MISMATCH"] == CaseCause.objects.filter(code="PRICE_MISMATCH").count()
    assert "UNKNOWN_PRODUCT" not in counts  # customer service's
    html = page.content.decode()
    assert "Tolerance" in html or "tolerance" in html
    assert "Review" in html  # another person's widening change: finance may review it
    client.force_login(other)
    assert "yours: another person approves" in client.get(reverse("rule_owners")).content.decode()


def test_compliance_sees_only_its_own_group(client, make_user):
    client.force_login(make_user("comp", roles.COMPLIANCE))
    sections = client.get(reverse("rule_owners")).context["sections"]
    assert [section["group"] for section in sections] == [roles.COMPLIANCE]
    assert {row["code"] for row in sections[0]["exceptions"]} == {"DENIED_PARTY",
                                                                  "COMPLIANCE_RESTRICTED"}
