"""Rules as data: owned, versioned, four eyes on widening, decisions under a version."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from exceptions.models import Case
from exceptions.services import cases_reevaluate
from orders.models import Order
from orders.services.execution import INLINE
from rules.errors import RuleError
from rules.models import Rule, RuleChange, RuleSetVersion
from rules.rulebook import RULE_CODES
from rules.selectors import rulebook_current
from rules.services import rule_change_approve, rule_change_reject, rule_change_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def masterdata(load):
    load("customers", [
        {"customer_number": "C1001", "name": "Acme GmbH", "email_domains": "acme.example",
         "country": "DE", "currency": "EUR", "customer_group": "key"},
        {"customer_number": "C2002", "name": "Beta GmbH", "email_domains": "beta.example",
         "country": "DE", "currency": "EUR", "customer_group": "smb"},
    ])
    load("shiptos", [{"customer_number": c, "shipto_code": "MAIN", "name": "Main", "street": "Weg 1",
                      "city": "Köln", "postal_code": "50667", "country": "DE", "is_default": "true"}
                     for c in ("C1001", "C2002")])
    load("products", [{"sku": "SKU-1", "description": "Widget", "base_uom": "EA",
                       "product_family": "widgets"}])
    load("prices", [{"customer_number": c, "sku": "SKU-1", "unit_price": "1.00", "currency": "EUR"}
                    for c in ("C1001", "C2002")])
    load("inventory", [{"sku": "SKU-1", "warehouse": "A", "on_hand": "1000"}])
    load("credit", [{"customer_number": c, "credit_limit": "10000", "open_exposure": "0"}
                    for c in ("C1001", "C2002")])
    call_command("set_autonomy", "autonomous", stdout=StringIO())


@pytest.fixture
def finance(make_user):
    return make_user("fiona", "Finance"), make_user("frank", "Finance")


def send(tmp_path, customer="C1001", price="1.04", po="4711", sender=None) -> Order:
    domain = "acme.example" if customer == "C1001" else "beta.example"
    body = {"sender": sender or f"buyer@{domain}", "customer_number": customer, "po_number": po,
            "currency": "EUR", "lines": [{"sku": "SKU-1", "quantity": "10", "unit_price": price}]}
    path = tmp_path / f"{customer}-{po}.json"
    path.write_text(json.dumps(body))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    return Order.objects.get(source=str(path))


def propose(actor, code="PRICE_MISMATCH", reason="agreed with the customer", **fields):
    change = RuleChange(code=code, reason=reason, **fields)
    return rule_change_submit(change=change, actor=actor)


def causes(order) -> list[str]:
    return sorted(c["code"] for c in order.causes)


def test_every_check_is_a_rule_at_the_contract_defaults_in_version_1(db):
    assert set(Rule.objects.values_list("code", flat=True)) == {c.value for c in RULE_CODES}
    assert Rule.objects.get(code="PRICE_MISMATCH").parameters == {"tolerance_pct": "2"}
    book = rulebook_current()
    assert book.version == "1"
    assert book.rule("QUANTITY_ANOMALY").param("factor") == 3


def test_decision_records_the_rule_set_version(tmp_path, masterdata, finance):
    assert send(tmp_path).decisions.get().rule_set_version == "1"
    propose(finance[0], parameters={"tolerance_pct": "1"})  # narrows: applies at once
    assert send(tmp_path, po="4712", price="1.00").decisions.get().rule_set_version == "2"


def test_narrowing_applies_at_once_as_a_new_version_with_author_and_reason(masterdata, finance):
    change = propose(finance[0], parameters={"tolerance_pct": "1.5"})
    assert change.state == RuleChange.State.APPLIED and not change.widens
    assert change.summary == "PRICE_MISMATCH for everything: price tolerance (%) 2 → 1.5"
    assert RuleSetVersion.objects.get(number=2).change == change
    rule = Rule.objects.get(code="PRICE_MISMATCH")
    assert rule.parameters == {"tolerance_pct": "1.5"}
    record = rule.history.first()
    assert (record.history_user, record.history_change_reason) == (finance[0],
                                                                   "agreed with the customer")


def test_widening_waits_for_a_second_person_and_the_author_cannot_approve(masterdata, finance):
    author, second = finance
    change = propose(author, parameters={"tolerance_pct": "3"})
    assert change.widens and change.state == RuleChange.State.PENDING
    assert Rule.objects.get(code="PRICE_MISMATCH").parameters == {"tolerance_pct": "2"}
    with pytest.raises(RuleError, match="four eyes"):
        rule_change_approve(change_id=change.pk, actor=author)
    rule_change_approve(change_id=change.pk, actor=second, note="fine for this quarter")
    change.refresh_from_db()
    assert (change.state, change.reviewer) == (RuleChange.State.APPLIED, second)
    assert Rule.objects.get(code="PRICE_MISMATCH").parameters == {"tolerance_pct": "3"}
    assert rulebook_current().version == "2"


def test_the_database_refuses_a_reviewer_who_is_the_author(masterdata, finance):
    change = propose(finance[0], parameters={"tolerance_pct": "3"})
    change.reviewer = finance[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        change.save()


def test_a_rejected_change_never_applies(masterdata, finance):
    change = propose(finance[0], parameters={"tolerance_pct": "9"})
    rule_change_reject(change_id=change.pk, actor=finance[1], note="too wide")
    change.refresh_from_db()
    assert change.state == RuleChange.State.REJECTED
    assert Rule.objects.get(code="PRICE_MISMATCH").parameters == {"tolerance_pct": "2"}
    with pytest.raises(RuleError, match="already rejected"):
        rule_change_approve(change_id=change.pk, actor=finance[1])


def test_only_the_owner_group_may_propose_or_review(masterdata, finance, make_user):
    clerk = make_user("cs", "Customer service")
    with pytest.raises(RuleError, match="only Finance may change the PRICE_MISMATCH rule"):
        propose(clerk, parameters={"tolerance_pct": "1"})
    change = propose(finance[0], parameters={"tolerance_pct": "4"})
    with pytest.raises(RuleError, match="only Finance may review"):
        rule_change_approve(change_id=change.pk, actor=clerk)
    assert RuleChange.objects.get(pk=change.pk).state == RuleChange.State.PENDING


def test_bad_proposals_are_refused_with_the_reason(masterdata, finance, make_user):
    with pytest.raises(RuleError, match="needs a reason"):
        propose(finance[0], reason=" ", parameters={"tolerance_pct": "1"})
    with pytest.raises(RuleError, match="outside 0–100"):
        propose(finance[0], parameters={"tolerance_pct": "250"})
    with pytest.raises(RuleError, match="has no parameter factor"):
        propose(finance[0], parameters={"factor": "2"})
    with pytest.raises(RuleError, match="cannot be switched off"):
        propose(finance[0], code="CREDIT_LIMIT_EXCEEDED", enabled=False)
    with pytest.raises(RuleError, match="scope: customer 'NOPE' does not exist"):
        propose(finance[0], customer_number="NOPE", parameters={"tolerance_pct": "1"})
    assert RuleChange.objects.count() == 0 and rulebook_current().version == "1"


def test_a_customer_scoped_tolerance_applies_to_that_customer_only(tmp_path, masterdata, finance):
    change = propose(finance[0], customer_number="C1001", parameters={"tolerance_pct": "5"})
    assert change.widens
    rule_change_approve(change_id=change.pk, actor=finance[1])
    assert send(tmp_path, customer="C1001", price="1.04").status == Order.State.EXECUTED
    routed = send(tmp_path, customer="C2002", price="1.04")
    assert causes(routed) == ["PRICE_MISMATCH"]


def test_a_stricter_scoped_rule_narrows_and_removing_it_widens(masterdata, finance):
    stricter = propose(finance[0], product_family="widgets", parameters={"tolerance_pct": "1"})
    assert stricter.state == RuleChange.State.APPLIED
    removal = propose(finance[0], product_family="widgets", action=RuleChange.Action.DELETE)
    assert removal.widens and removal.state == RuleChange.State.PENDING
    rule_change_approve(change_id=removal.pk, actor=finance[1])
    assert not Rule.objects.filter(product_family="widgets").exists()


def test_a_new_scoped_rule_cannot_sneak_past_a_stricter_family_rule(masterdata, finance):
    propose(finance[0], product_family="widgets", parameters={"tolerance_pct": "1"})
    # 2% for one customer is looser than the 1% its widget lines are held to today.
    change = propose(finance[0], customer_number="C1001", parameters={"tolerance_pct": "2"})
    assert change.widens


def test_switching_off_an_intake_rule_lets_its_orders_through_and_says_so(tmp_path, masterdata,
                                                                         make_user):
    author, second = make_user("cs1", "Customer service"), make_user("cs2", "Customer service")
    assert causes(send(tmp_path, price="1.00", sender="someone@elsewhere.example")) == [
        "UNAUTHORIZED_SENDER"]
    change = propose(author, code="UNAUTHORIZED_SENDER", customer_number="C1001", enabled=False,
                     reason="C1001 orders through its purchasing agency")
    assert change.widens
    rule_change_approve(change_id=change.pk, actor=second)
    order = send(tmp_path, po="4712", price="1.00", sender="someone@elsewhere.example")
    assert order.status == Order.State.EXECUTED
    checks = {c["code"]: c["message"] for c in order.decisions.get().checks}
    assert checks["UNAUTHORIZED_SENDER"].startswith(
        "rule UNAUTHORIZED_SENDER is switched off for customer C1001")


def test_an_approved_rule_change_releases_the_open_cases_it_stopped(tmp_path, masterdata, finance,
                                                                   django_capture_on_commit_callbacks):
    order = send(tmp_path, price="1.04")
    assert causes(order) == ["PRICE_MISMATCH"]
    change = propose(finance[0], parameters={"tolerance_pct": "5"})
    token = INLINE.set(True)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            rule_change_approve(change_id=change.pk, actor=finance[1])
    finally:
        INLINE.reset(token)
    order.refresh_from_db()
    case = Case.objects.get(order=order)
    assert order.status == Order.State.EXECUTED
    assert (case.status, case.resolution) == (Case.State.RESOLVED, Case.Resolution.RULE_CHANGED)
    assert [d.rule_set_version for d in order.decisions.order_by("pk")] == ["1", "2"]


def test_fixing_master_data_re_evaluates_open_cases(tmp_path, masterdata, load):
    missing = send(tmp_path, price="1.00", po="1")
    load("products", [{"sku": "SKU-9", "description": "Bolt", "base_uom": "EA"}])
    body = {"sender": "buyer@acme.example", "customer_number": "C1001", "po_number": "2",
            "currency": "EUR", "lines": [{"sku": "SKU-9", "quantity": "10"}]}
    (tmp_path / "two.json").write_text(json.dumps(body))
    call_command("intake", str(tmp_path / "two.json"), "--sync", stdout=StringIO())
    no_price = Order.objects.get(po_number="2")
    assert missing.status == Order.State.EXECUTED
    assert causes(no_price) == ["INSUFFICIENT_STOCK", "PRICE_MISSING"]
    load("prices", [{"customer_number": "C1001", "sku": "SKU-9", "unit_price": "2", "currency": "EUR"}])
    counts = cases_reevaluate(codes=["PRICE_MISSING"], reason="prices imported",
                              resolution=Case.Resolution.MASTER_DATA_FIXED)
    no_price.refresh_from_db()
    assert causes(no_price) == ["INSUFFICIENT_STOCK"] and counts == {"still open": 1}
    load("inventory", [{"sku": "SKU-9", "warehouse": "A", "on_hand": "50"}])
    counts = cases_reevaluate(codes=["INSUFFICIENT_STOCK"], reason="stock counted",
                              resolution=Case.Resolution.MASTER_DATA_FIXED)
    no_price.refresh_from_db()
    assert no_price.status == Order.State.EXECUTED and counts == {"executed": 1}
    assert Case.objects.get(order=no_price).resolution == Case.Resolution.MASTER_DATA_FIXED


def test_a_new_customer_part_clears_unknown_product_when_the_order_is_read_again(tmp_path, masterdata,
                                                                                 load):
    body = {"sender": "buyer@acme.example", "customer_number": "C1001", "po_number": "3",
            "currency": "EUR", "lines": [{"customer_part_number": "AC-77", "quantity": "10"}]}
    (tmp_path / "three.json").write_text(json.dumps(body))
    call_command("intake", str(tmp_path / "three.json"), "--sync", stdout=StringIO())
    order = Order.objects.get(po_number="3")
    assert causes(order) == ["UNKNOWN_PRODUCT"]
    load("customer_parts", [{"customer_number": "C1001", "customer_part_number": "AC-77",
                             "sku": "SKU-1"}])
    counts = cases_reevaluate(codes=["UNKNOWN_PRODUCT"], reason="part added",
                              resolution=Case.Resolution.MASTER_DATA_FIXED)
    order.refresh_from_db()
    assert counts == {"executed": 1}
    assert order.status == Order.State.EXECUTED
    assert order.lines.get().product.sku == "SKU-1"


def test_a_case_a_person_is_working_on_is_left_alone(tmp_path, masterdata, finance):
    order = send(tmp_path, price="1.04")
    case = Case.objects.get(order=order)
    case.status = Case.State.IN_PROGRESS
    case.save()
    propose(finance[0], parameters={"tolerance_pct": "1"})
    assert cases_reevaluate(codes=["PRICE_MISMATCH"], reason="x", resolution="rule_changed") == {}
