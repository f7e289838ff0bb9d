"""The rule owners' admin: propose with a reason, four eyes, no edits in place."""

import pytest
from django.urls import reverse

from rules.models import Rule, RuleChange

pytestmark = pytest.mark.django_db

ADD = "admin:rules_rulechange_add"


def form(code="PRICE_MISMATCH", **extra):
    data = {"code": code, "customer_number": "", "customer_group": "", "product_family": "",
            "channel": "", "action": "set", "enabled": "on", "reason": "margin review"}
    data.update(extra)
    return data


def test_finance_tightens_its_tolerance_in_the_admin(client, make_user):
    client.force_login(make_user("fiona", "Finance"))
    response = client.post(reverse(ADD), form(param__PRICE_MISMATCH__tolerance_pct="1.5"),
                           follow=True)
    assert response.status_code == 200
    assert "applied as rule set v2" in response.content.decode()
    assert Rule.objects.get(code="PRICE_MISMATCH").parameters == {"tolerance_pct": "1.5"}


def test_a_widening_proposal_waits_and_its_author_cannot_approve_it(client, make_user):
    author, second = make_user("fiona", "Finance"), make_user("frank", "Finance")
    client.force_login(author)
    response = client.post(reverse(ADD), form(param__PRICE_MISMATCH__tolerance_pct="4"), follow=True)
    assert "a second person of Finance must approve it" in response.content.decode()
    change = RuleChange.objects.get()
    changelist = reverse("admin:rules_rulechange_changelist")
    response = client.post(changelist, {"action": "approve", "_selected_action": [change.pk]},
                           follow=True)
    assert "four eyes" in response.content.decode()
    assert RuleChange.objects.get().state == RuleChange.State.PENDING
    client.force_login(second)
    client.post(changelist, {"action": "approve", "_selected_action": [change.pk]})
    assert RuleChange.objects.get().state == RuleChange.State.APPLIED
    assert Rule.objects.get(code="PRICE_MISMATCH").parameters == {"tolerance_pct": "4"}


def test_customer_service_cannot_change_a_finance_rule(client, make_user):
    client.force_login(make_user("cs", "Customer service"))
    response = client.post(reverse(ADD), form(param__PRICE_MISMATCH__tolerance_pct="9"))
    assert response.status_code == 200  # the form again, with the error
    assert "only Finance may change the PRICE_MISMATCH rule" in response.content.decode()
    assert not RuleChange.objects.exists()


def test_a_proposal_without_a_reason_is_refused(client, make_user):
    client.force_login(make_user("fiona", "Finance"))
    response = client.post(reverse(ADD), form(reason="", param__PRICE_MISMATCH__tolerance_pct="1"))
    assert "This field is required" in response.content.decode()
    assert not RuleChange.objects.exists()


def test_rules_are_read_only_and_link_to_a_proposal(client, make_user):
    client.force_login(make_user("fiona", "Finance"))
    rule = Rule.objects.get(code="QUANTITY_ANOMALY")
    page = client.get(reverse("admin:rules_rule_changelist")).content.decode()
    assert "Propose a change" in page
    assert client.post(reverse("admin:rules_rule_change", args=[rule.pk]),
                       {"enabled": ""}).status_code == 403
    assert Rule.objects.get(pk=rule.pk).enabled


def test_customer_service_has_no_write_access_to_autonomy_or_rules(client, make_user):
    client.force_login(make_user("cs", "Customer service"))
    assert client.get(reverse("admin:rules_autonomysetting_add")).status_code == 403
    assert client.get(reverse(ADD)).status_code == 200  # may propose its own rules
