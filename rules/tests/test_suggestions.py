"""Autonomy suggestions: measured first-time-right rates per customer group,
proposals a person approves or dismisses, never applied on their own."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from orders import roles
from orders.models import Order
from orders.services.correction import order_correct
from orders.services.execution import order_release
from rules import suggestions
from rules.errors import RuleError
from rules.models import AutonomySetting, AutonomySuggestion
from rules.selectors import autonomy_level
from rules.suggestions import segment_rates, suggestion_approve, suggestion_dismiss, suggestions_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(load, desk_masterdata):
    """C1 in group "key" (autonomous), C2 in group "smb" (shadow); 4 orders make a verdict."""
    load("customers", [
        {"customer_number": "C1", "name": "Acme GmbH", "email_domains": "acme.example",
         "customer_group": "key", "country": "DE", "currency": "EUR"},
        {"customer_number": "C2", "name": "Beta SARL", "email_domains": "beta.example",
         "customer_group": "smb", "country": "FR", "currency": "EUR"}])
    call_command("set_autonomy", "shadow", "--customer-group", "smb", stdout=StringIO())
    suggestions.MIN_ORDERS, saved = 4, suggestions.MIN_ORDERS
    yield
    suggestions.MIN_ORDERS = saved


@pytest.fixture
def people(make_user):
    return {"cs": make_user("cs", roles.CUSTOMER_SERVICE),
            "manager": make_user("manager", roles.ORDER_DESK_MANAGER),
            "manager2": make_user("manager2", roles.ORDER_DESK_MANAGER)}


def send(tmp_path, po, *, customer="C1", quantity="5", name="") -> Order:
    sender = {"C1": "b@acme.example", "C2": "b@beta.example"}[customer]
    path = tmp_path / f"{name or po}.json"
    path.write_text(json.dumps({"sender": sender, "customer_number": customer, "po_number": po,
                                "lines": [{"sku": "SKU-1", "quantity": quantity}]}))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    return Order.objects.get(source=str(path))


def release_as_they_stood(tmp_path, person, count=4):
    """Shadow-held orders of group smb, released by a person without a correction."""
    for n in range(count):
        order_release(order_id=send(tmp_path, f"S{n}", customer="C2").pk, actor=person,
                      reason="ok")


def rate_of(group):
    return next(rate for rate in segment_rates() if rate.customer_group == group)


def test_shadow_orders_released_as_they_stood_suggest_promotion(tmp_path, groups, people):
    for n in range(4):
        order = send(tmp_path, f"S{n}", customer="C2")
        assert order.case.causes[0]["code"] == "AUTONOMY_DISABLED"
        order_release(order_id=order.pk, actor=people["cs"], reason="as proposed")
    send(tmp_path, "S-waiting", customer="C2")
    rate = rate_of("smb")
    assert (rate.level, rate.orders, rate.right, rate.waiting) == ("shadow", 4, 4, 1)
    [suggestion] = suggestions_refresh()
    assert (suggestion.customer_group, suggestion.suggested_level) == ("smb", "autonomous")
    assert "4 of 4 orders" in suggestion.evidence and "1 still wait" in suggestion.evidence
    # A proposal only: the level has not moved.
    assert _level("smb") == "shadow"


def test_a_correction_before_release_counts_against_the_rate(tmp_path, groups, people):
    orders = [send(tmp_path, f"S{n}", customer="C2") for n in range(4)]
    line = orders[0].lines.get()
    order_correct(order_id=orders[0].pk, actor=people["cs"], reason="buyer meant 6",
                  header={}, lines={line.position: {"quantity": Decimal("6")}})
    for order in orders:
        order_release(order_id=order.pk, actor=people["cs"], reason="ok")
    rate = rate_of("smb")
    assert (rate.orders, rate.right) == (4, 3)
    assert rate.wrong == {"corrected by a person before release": 1}
    assert suggestions_refresh() == []  # 75% is no ground for promotion


def test_autonomous_orders_changed_later_suggest_demotion(tmp_path, groups):
    for n in range(4):
        assert send(tmp_path, f"K{n}").status == Order.State.EXECUTED
    # The customer sends two of them again with other quantities: changes.
    send(tmp_path, "K0", quantity="7", name="K0-changed")
    send(tmp_path, "K1", quantity="8", name="K1-changed")
    rate = rate_of("key")
    assert (rate.level, rate.orders, rate.right) == ("autonomous", 4, 2)
    [suggestion] = suggestions_refresh()
    assert (suggestion.current_level, suggestion.suggested_level) == ("autonomous", "shadow")
    assert "2 changed or cancelled by the customer later" in suggestion.evidence


def test_refresh_keeps_one_pending_proposal_and_withdraws_stale_ones(tmp_path, groups, people):
    release_as_they_stood(tmp_path, people["cs"])
    first = suggestions_refresh()[0]
    again = suggestions_refresh()[0]
    assert first.pk == again.pk
    assert AutonomySuggestion.objects.filter(state="pending").count() == 1
    # Someone sets the level by hand: the proposal no longer fits and is withdrawn.
    call_command("set_autonomy", "autonomous", "--customer-group", "smb", stdout=StringIO())
    assert suggestions_refresh() == []
    first.refresh_from_db()
    assert first.state == AutonomySuggestion.State.WITHDRAWN


def test_only_a_person_who_sets_autonomy_approves_and_it_applies(tmp_path, groups, people):
    release_as_they_stood(tmp_path, people["cs"])
    [suggestion] = suggestions_refresh()
    with pytest.raises(RuleError, match="only a person who may set autonomy"):
        suggestion_approve(suggestion_id=suggestion.pk, actor=people["cs"])
    suggestion_approve(suggestion_id=suggestion.pk, actor=people["manager"], note="figures hold")
    suggestion.refresh_from_db()
    assert suggestion.state == "approved" and suggestion.decided_by == people["manager"]
    assert _level("smb") == "autonomous"
    setting = AutonomySetting.objects.get(customer_group="smb")
    assert setting.history.first().history_user == people["manager"]
    assert f"suggestion {suggestion.pk}" in setting.history.first().history_change_reason
    with pytest.raises(RuleError, match="approved"):
        suggestion_dismiss(suggestion_id=suggestion.pk, actor=people["manager2"], note="late")


def test_dismissing_needs_a_reason_and_changes_nothing(tmp_path, groups, people):
    release_as_they_stood(tmp_path, people["cs"])
    [suggestion] = suggestions_refresh()
    with pytest.raises(RuleError, match="say why"):
        suggestion_dismiss(suggestion_id=suggestion.pk, actor=people["manager"], note=" ")
    suggestion_dismiss(suggestion_id=suggestion.pk, actor=people["manager"],
                       note="peak season: wait")
    assert _level("smb") == "shadow"


def test_the_boundary_page_shows_rates_and_lets_a_manager_decide(client, tmp_path, groups,
                                                                 people):
    release_as_they_stood(tmp_path, people["cs"])
    [suggestion] = suggestions_refresh()
    client.force_login(people["cs"])
    page = client.get(reverse("autonomy")).content.decode()
    assert "100.0%" in page and "an Order desk manager decides" in page
    refused = client.post(reverse("suggestion_decide", args=[suggestion.pk]),
                          {"decision": "approve"}, follow=True)
    assert "only a person who may set autonomy" in refused.content.decode()
    assert _level("smb") == "shadow"
    client.force_login(people["manager"])
    client.post(reverse("suggestion_decide", args=[suggestion.pk]), {"decision": "approve"})
    assert _level("smb") == "autonomous"


def test_the_command_prints_the_rates_and_proposals(tmp_path, groups, people):
    release_as_they_stood(tmp_path, people["cs"])
    out = StringIO()
    call_command("suggest_autonomy", stdout=out)
    assert "smb (shadow): 4 of 4 orders" in out.getvalue()
    assert "suggested: smb shadow → autonomous (waits for approval)" in out.getvalue()


def _level(group: str) -> str:
    return autonomy_level(customer_number="", customer_group=group, product_families=(),
                          channels=())[0]
