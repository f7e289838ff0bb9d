"""Master-data fixes from a case that set what an order executes at (price
agreements) or who may order (e-mail domains): each refusal the issue of an
order executed wrongly asked for, with the path that would have let it through."""

import json
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from exceptions.fixes import case_fix
from exceptions.models import Case
from integrations.models import OutboxMessage
from orders import roles
from orders.errors import CaseActionError
from orders.models import Contact, CustomerEmailDomain, Order, Price
from orders.services.execution import INLINE
from rules.models import RuleChange
from rules.services import rule_change_submit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def masterdata(load):
    """SKU-1 has an agreement at 1.00; SKU-2 has none, and was last bought at 2.00."""
    load("customers", [{"customer_number": "C1", "name": "Acme GmbH",
                        "email_domains": "acme.example", "country": "DE", "currency": "EUR"}])
    load("shiptos", [{"customer_number": "C1", "shipto_code": "S1", "name": "Acme",
                      "street": "Weg 1", "city": "Köln", "postal_code": "50667", "country": "DE",
                      "is_default": "true"}])
    load("products", [{"sku": "SKU-1", "description": "Widget", "base_uom": "EA"},
                      {"sku": "SKU-2", "description": "Gadget", "base_uom": "EA"}])
    load("prices", [{"customer_number": "C1", "sku": "SKU-1", "unit_price": "1",
                     "currency": "EUR"}])
    load("inventory", [{"sku": sku, "warehouse": "A", "on_hand": "1000"}
                       for sku in ("SKU-1", "SKU-2")])
    load("credit", [{"customer_number": "C1", "credit_limit": "100000"}])
    load("order_history", [{"customer_number": "C1", "po_number": "H-1", "sku": "SKU-2",
                            "order_date": (TODAY - timedelta(days=30)).isoformat(),
                            "quantity": "5", "unit_price": "2.00"}])
    call_command("set_autonomy", "autonomous", stdout=StringIO())


@pytest.fixture
def finance(make_user):
    return make_user("fin", roles.FINANCE)


@pytest.fixture
def inline():
    """Deliver the outbox in this process, as `intake --sync` does."""
    token = INLINE.set(True)
    yield
    INLINE.reset(token)


def send(tmp_path, po: str, lines: list[dict], sender: str = "b@acme.example") -> Order:
    path = tmp_path / f"{po}.json"
    path.write_text(json.dumps({"sender": sender, "customer_number": "C1", "po_number": po,
                                "order_date": TODAY.isoformat(), "lines": lines}))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    return Order.objects.get(source=str(path))


def two_lines(tmp_path, sku2_price: str = "2.00") -> Case:
    """Line 1 has an agreement, line 2 has none: PRICE_MISSING on line 2 only."""
    order = send(tmp_path, "PO-1", [{"sku": "SKU-1", "quantity": "5", "unit_price": "1.00"},
                                    {"sku": "SKU-2", "quantity": "5", "unit_price": sku2_price}])
    assert [(c["code"], c["line"]) for c in order.causes] == [("PRICE_MISSING", 2)]
    return Case.objects.get(order=order)


def price(sku: str) -> list[tuple]:
    return list(Price.objects.filter(product__sku=sku).order_by(F("valid_from").asc(nulls_first=True))
                .values_list("unit_price", "valid_from"))


def fix(case, actor, **data):
    return case_fix(case_id=case.pk, actor=actor, kind="price",
                    data={"customer_number": "C1", **data}, reason="agreed by phone")


# --- Point 4: the price-agreement fix ---------------------------------------------------------


def test_price_fix_prefills_the_failing_line_and_shows_agreement_and_last_price(
        tmp_path, masterdata, finance, client):
    case = two_lines(tmp_path)
    client.force_login(finance)
    page = client.get(reverse("case", args=[case.pk]))
    form = dict((fix.kind, form) for fix, form in page.context["fixes"])["price"]
    assert form.initial["sku"] == "SKU-2"  # line 2's product, not line 1's (which has one)
    assert form.initial["unit_price"] == Decimal("2.00")
    assert form.facts[0] == "Line 2: SKU-2 Gadget"
    assert form.facts[1] == f"current agreement on {TODAY}: none"
    assert form.facts[2].startswith(f"last price paid: 2 on {TODAY - timedelta(days=30)} "
                                    "(PO H-1); a new price beyond 2% from it")
    html = page.content.decode()
    assert "last price paid: 2 on" in html and 'name="price-replace_agreement"' in html


def test_price_fix_from_the_prefilled_form_executes_at_the_agreed_prices(
        tmp_path, masterdata, finance, client, inline):
    case = two_lines(tmp_path)
    client.force_login(finance)
    form = dict(client.get(reverse("case", args=[case.pk])).context["fixes"])
    initial = next(form for fix, form in form.items() if fix.kind == "price").initial
    data = {f"price-{name}": "" if value is None else value for name, value in initial.items()}
    response = client.post(reverse("case_fix", args=[case.pk, "price"]),
                           {**data, "price-reason": "new agreement"}, follow=True)
    assert "this order is executed" in str(list(response.context["messages"])[0])
    order = Order.objects.get(pk=case.order_id)
    assert order.status == Order.State.EXECUTED
    assert [line.agreed_unit_price for line in order.lines.order_by("position")] == [
        Decimal("1"), Decimal("2")]
    assert price("SKU-1") == [(Decimal("1"), None)]  # line 1's agreement untouched
    assert Case.objects.get(pk=case.pk).fixed_permanently


def test_price_fix_for_another_lines_product_is_refused(tmp_path, masterdata, finance):
    case = two_lines(tmp_path)
    with pytest.raises(CaseActionError, match=r"SKU-1 is not the product of a line with "
                                              r"PRICE_MISMATCH or PRICE_MISSING \(line 2 SKU-2\)"):
        fix(case, finance, sku="SKU-1", unit_price="2.00", replace_agreement=True)
    assert price("SKU-1") == [(Decimal("1"), None)]
    assert not Case.objects.get(pk=case.pk).fixed_permanently


def test_replacing_an_agreement_needs_an_explicit_confirmation(tmp_path, masterdata, finance,
                                                                inline):
    order = send(tmp_path, "PO-1", [{"sku": "SKU-1", "quantity": "5", "unit_price": "1.01"}])
    order = send(tmp_path, "PO-2", [{"sku": "SKU-1", "quantity": "5", "unit_price": "1.50"}])
    assert [c["code"] for c in order.causes] == ["PRICE_MISMATCH"]
    case = Case.objects.get(order=order)
    with pytest.raises(CaseActionError, match=r"C1 has an agreement for SKU-1 over these dates: "
                                              r"1 EUR from open start to open end\. Tick "
                                              r"“replace the current agreement”"):
        fix(case, finance, sku="SKU-1", unit_price="1.50")
    assert price("SKU-1") == [(Decimal("1"), None)]
    # Confirmed; 1.50 is still far from the 1.00 last paid (PO-1): the second confirmation.
    with pytest.raises(CaseActionError, match=r"1.5 is \+50% from the last price paid \(1 on "):
        fix(case, finance, sku="SKU-1", unit_price="1.50", replace_agreement=True)
    report = fix(case, finance, sku="SKU-1", unit_price="1.50", replace_agreement=True,
                 confirm_far_price=True)
    assert "replacing 1 EUR from open start to open end" in report.written
    assert price("SKU-1") == [(Decimal("1"), None), (Decimal("1.5"), TODAY)]
    assert Order.objects.get(pk=order.pk).lines.get().agreed_unit_price == Decimal("1.5")


def test_a_confirmed_replacement_of_the_same_start_date_changes_that_row(
        tmp_path, masterdata, finance, load):
    load("prices", [{"customer_number": "C1", "sku": "SKU-2", "unit_price": "2.00",
                     "currency": "EUR", "valid_from": TODAY.isoformat(),
                     "valid_to": TODAY.isoformat()}])
    order = send(tmp_path, "PO-1", [{"sku": "SKU-2", "quantity": "5", "unit_price": "2.10"}])
    case = Case.objects.get(order=order)
    report = fix(case, finance, sku="SKU-2", unit_price="2.10", replace_agreement=True,
                 confirm_far_price=True)
    assert report.this_case == "executed"
    assert price("SKU-2") == [(Decimal("2.1"), TODAY)]
    assert Price.objects.get(product__sku="SKU-2").history.first().history_user == finance


def test_a_price_ten_times_the_last_paid_needs_a_second_confirmation(tmp_path, masterdata,
                                                                     finance, inline):
    case = two_lines(tmp_path, sku2_price="20.00")
    with pytest.raises(CaseActionError, match=r"20 is \+900% from the last price paid \(2 on .* "
                                              r"\(PO H-1\)\), beyond the 2% tolerance"):
        fix(case, finance, sku="SKU-2", unit_price="20.00")
    assert price("SKU-2") == []
    order = Order.objects.get(pk=case.order_id)
    assert order.status == Order.State.EXCEPTION
    assert not OutboxMessage.objects.filter(order=order).exists()  # no confirmation mailed
    report = fix(case, finance, sku="SKU-2", unit_price="20.00", confirm_far_price=True)
    assert report.this_case == "executed"


def test_the_far_price_tolerance_is_the_rules_price_tolerance(tmp_path, masterdata, finance,
                                                              make_user):
    case = two_lines(tmp_path, sku2_price="2.03")
    rule_change_submit(change=RuleChange(code="PRICE_MISMATCH", parameters={"tolerance_pct": "1"},
                                         reason="tighter"), actor=make_user("boss", superuser=True))
    with pytest.raises(CaseActionError, match=r"beyond the 1% tolerance"):
        fix(case, finance, sku="SKU-2", unit_price="2.03")  # +1.5%: inside the default 2%


def test_a_case_is_tagged_fixed_only_when_its_cause_clears(tmp_path, masterdata, finance):
    case = two_lines(tmp_path)
    later = (TODAY + timedelta(days=30)).isoformat()
    report = fix(case, finance, sku="SKU-2", unit_price="2.00", valid_from=later)
    assert not report.cleared
    assert "PRICE_MISSING did not clear on this case, which is not marked fixed" in report.summary()
    case.refresh_from_db()
    assert not case.fixed_permanently and case.is_open
    assert [c["code"] for c in case.causes] == ["PRICE_MISSING"]
    # Up to the day before the first one: nothing is replaced, the cause clears.
    report = fix(case, finance, sku="SKU-2", unit_price="2.00",
                 valid_to=(TODAY + timedelta(days=29)).isoformat())
    assert report.cleared and report.this_case == "executed"
    assert Case.objects.get(pk=case.pk).fixed_permanently


def test_an_extension_bringing_back_a_far_price_needs_the_second_confirmation(
        tmp_path, masterdata, finance, load):
    load("prices", [{"customer_number": "C1", "sku": "SKU-2", "unit_price": "20.00",
                     "currency": "EUR", "valid_from": "2020-01-01", "valid_to": "2020-12-31"}])
    case = two_lines(tmp_path)
    with pytest.raises(CaseActionError, match=r"20 is \+900% from the last price paid"):
        case_fix(case_id=case.pk, actor=finance, kind="price_extend",
                 data={"sku": "SKU-2", "customer_number": "C1"}, reason="still valid")
    assert Price.objects.get(product__sku="SKU-2").valid_to.year == 2020


# --- Point 5: public e-mail domains ----------------------------------------------------------


def test_a_public_mail_domain_is_refused_and_the_contact_fix_offered(tmp_path, masterdata,
                                                                     make_user, client):
    cs = make_user("cs", roles.CUSTOMER_SERVICE)
    order = send(tmp_path, "PO-G", [{"sku": "SKU-1", "quantity": "5"}], sender="Buyer@Gmail.com")
    assert [c["code"] for c in order.causes] == ["UNAUTHORIZED_SENDER"]
    case = Case.objects.get(order=order)
    client.force_login(cs)
    forms = {fix.kind: form for fix, form in
             client.get(reverse("case", args=[case.pk])).context["fixes"]}
    assert forms["email_domain"].facts == [
        "gmail.com is a public e-mail domain and cannot be a customer's: add buyer@gmail.com as "
        "a contact instead."]
    with pytest.raises(CaseActionError, match=r"gmail\.com is a public e-mail domain: anyone can "
                                              r"have an address there\. Add buyer@gmail\.com as a "
                                              r"contact instead"):
        case_fix(case_id=case.pk, actor=cs, kind="email_domain",
                 data={"customer_number": "C1"}, reason="their buyer")
    for domain in ("mailinator.com", "eu.mail.yahoo.com"):  # throwaway, and a subdomain
        with pytest.raises(CaseActionError, match="public e-mail domain"):
            case_fix(case_id=case.pk, actor=cs, kind="email_domain",
                     data={"customer_number": "C1", "domain": domain}, reason="x")
    assert not CustomerEmailDomain.objects.exclude(domain="acme.example").exists()
    case_fix(case_id=case.pk, actor=cs, kind="contact",
             data={"customer_number": "C1", "email": "buyer@gmail.com"}, reason="their buyer")
    assert Contact.objects.get().email == "buyer@gmail.com"
