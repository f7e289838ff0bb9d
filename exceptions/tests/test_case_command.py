"""CONTRACT §6 from a script: `case list|correct|release|reject`, each the
browser's service, checked and recorded the same way."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from exceptions.models import Case, CaseEvent
from orders import roles
from orders.models import Inventory, Order
from orders.selectors import outcome_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def masterdata(load):
    load("customers", [{"customer_number": "C1", "name": "Acme GmbH",
                        "email_domains": "acme.example", "country": "DE", "currency": "EUR"}])
    load("shiptos", [
        {"customer_number": "C1", "shipto_code": "S1", "name": "Acme", "street": "Weg 1",
         "city": "Köln", "postal_code": "50667", "country": "DE", "is_default": "true"},
        {"customer_number": "C1", "shipto_code": "S2", "name": "Acme Lager", "street": "Hafen 9",
         "city": "Bonn", "postal_code": "53111", "country": "DE", "is_default": "false"}])
    load("products", [{"sku": "SKU-1", "description": "Widget", "base_uom": "EA", "uoms": "CS=12"},
                      {"sku": "SKU-2", "description": "Gadget", "base_uom": "EA"}])
    load("prices", [{"customer_number": "C1", "sku": "SKU-1", "unit_price": "1", "currency": "EUR"},
                    {"customer_number": "C1", "sku": "SKU-2", "unit_price": "2", "currency": "EUR"}])
    load("inventory", [{"sku": "SKU-1", "warehouse": "A", "on_hand": "1000"},
                       {"sku": "SKU-2", "warehouse": "A", "on_hand": "1000"}])
    load("credit", [{"customer_number": "C1", "credit_limit": "100000"}])


@pytest.fixture
def people(make_user):
    return {"cs": make_user("cs", roles.CUSTOMER_SERVICE), "fin": make_user("fin", roles.FINANCE),
            "nobody": make_user("nobody"), "root": make_user("root", superuser=True)}


def send(tmp_path, po="PO-1", name=None, **changes) -> Order:
    body = {"sender": "b@acme.example", "customer_number": "C1", "po_number": po,
            "lines": [{"sku": "SKU-1", "quantity": "5"}], **changes}
    path = tmp_path / (name or f"{po}.json")
    path.write_text(json.dumps(body))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    return Order.objects.get(source=str(path))


def case(*args) -> str:
    out = StringIO()
    call_command("case", *args, stdout=out)
    return out.getvalue()


def correction(tmp_path, body: dict) -> str:
    path = tmp_path / "correction.json"
    path.write_text(json.dumps(body))
    return str(path)


def state(order: Order) -> tuple:
    """What a refused action must leave as it was."""
    order.refresh_from_db()
    kase = Case.objects.get(order=order)
    return (order.status, order.po_number, order.requested_date, order.shipto_id,
            [(line.sku, line.quantity) for line in order.lines.order_by("position")],
            kase.status, kase.causes, kase.events.count())


# --- case list ---------------------------------------------------------------------------


def test_list_writes_one_record_per_unresolved_case_in_the_contract_shape(tmp_path, masterdata,
                                                                          people):
    first, second = send(tmp_path, "PO-1"), send(tmp_path, "PO-2")
    case("reject", first.source, "--user", "cs", "--reason", "cancelled by phone")
    records = [json.loads(line) for line in case("list").splitlines()]
    assert records == [{
        "case": second.case.pk, "source": second.source, "po_number": "PO-2",
        "customer_number": "C1", "status": "open",
        "causes": [{"code": "AUTONOMY_DISABLED", "owner": "Customer service",
                    "message": second.causes[0]["message"], "evidence": "", "line": None}]}]
    everything = [json.loads(line) for line in case("list", "--status", "all").splitlines()]
    assert [(r["po_number"], r["status"]) for r in everything] == [("PO-1", "resolved"),
                                                                   ("PO-2", "open")]


def test_a_taken_case_is_still_listed_as_open_work_and_text_is_one_line_each(
        tmp_path, masterdata, people):
    from exceptions.services import case_take

    order = send(tmp_path)
    case_take(case_id=order.case.pk, actor=people["cs"])
    text = case("list", "--format", "text").splitlines()
    assert len(text) == 1 and "in_progress" in text[0] and "AUTONOMY_DISABLED" in text[0]


# --- case correct ------------------------------------------------------------------------


def test_correct_sets_header_fields_and_lines_and_records_what_changed(tmp_path, masterdata,
                                                                      people):
    order = send(tmp_path)
    body = {"requested_date": "2099-12-01", "shipto_code": "S2",
            "ship_to": {"street": "Somewhere 1", "postal_code": "99999"},
            "lines": [{"sku": "SKU-1", "quantity": "2", "uom": "CS"},
                      {"sku": "SKU-2", "quantity": "3"}]}
    out = case("correct", order.source, "--json", correction(tmp_path, body), "--user", "cs",
               "--reason", "customer phoned")
    assert "remaining: AUTONOMY_DISABLED" in out
    order.refresh_from_db()
    assert order.status == Order.State.EXCEPTION  # nothing executes
    assert order.shipto.shipto_code == "S2"  # the code wins over the address
    assert [(line.sku, line.quantity, line.resolved_uom, line.base_quantity)
            for line in order.lines.order_by("position")] == [("SKU-1", 2, "CS", 24),
                                                              ("SKU-2", 3, "EA", 3)]
    event = order.case.events.get(kind=CaseEvent.Kind.CORRECTED)
    assert (event.actor, event.reason) == (people["cs"], "customer phoned")
    assert event.changes["fields"]["requested_date"] == {"read": "", "set": "2099-12-01"}
    assert event.changes["fields"]["shipto_code"] == {"read": "S1", "set": "S2"}
    assert event.changes["lines"]["before"] == [
        {"sku": "SKU-1", "customer_part_number": "", "description": "", "quantity": "5",
         "uom": "EA", "unit_price": ""}]
    assert [line["sku"] for line in event.changes["lines"]["after"]] == ["SKU-1", "SKU-2"]


def test_not_instructions_clear_the_free_text_causes_they_name_and_no_other(tmp_path, masterdata,
                                                                            people):
    order = send(tmp_path, notes="Thank you for your business. Please deliver to gate 3.")
    free_text = [c for c in order.causes if c["code"] == "FREE_TEXT_INSTRUCTION"]
    assert free_text, order.causes
    listed = json.loads(case("list").splitlines()[0])
    sentences = [c["message"].partition("unexplained text: ")[2].strip("'\"")
                 for c in listed["causes"] if c["code"] == "FREE_TEXT_INSTRUCTION"]
    with pytest.raises(CommandError, match="not_instructions: 'Deliver to gate 4'"):
        case("correct", order.source, "--json",
             correction(tmp_path, {"not_instructions": ["Deliver to gate 4"]}),
             "--user", "cs", "--reason", "typo")
    case("correct", order.source, "--json",
         correction(tmp_path, {"not_instructions": sentences}), "--user", "cs",
         "--reason", "a gate note, nothing to do")
    order.refresh_from_db()
    assert "FREE_TEXT_INSTRUCTION" not in {c["code"] for c in order.causes}
    event = order.case.events.get(kind=CaseEvent.Kind.CORRECTED)
    assert event.changes["not_instructions"] == sentences
    assert "FREE_TEXT_INSTRUCTION" in event.changes["causes"]["before"]


@pytest.mark.parametrize(("body", "error"), [
    ({"lines": [{"sku": "NOPE", "quantity": "1"}]}, "there is no product 'NOPE'"),
    ({"lines": [{"sku": "SKU-1", "quantity": "-1"}]}, "lines\\[1\\].quantity"),
    ({"requested_date": "next week"}, "requested_date: 'next week' is not a date"),
    ({"shipto_code": "S9"}, "has no ship-to 'S9'"),
    ({"colour": "red"}, "colour: not a field"),
    ({"sender": "x@evil.example"}, "sender: who sent an order is not corrected"),
    ({}, "sets no field"),
])
def test_a_bad_field_refuses_the_whole_correction(tmp_path, masterdata, people, body, error):
    order = send(tmp_path)
    before = state(order)
    with pytest.raises(CommandError, match=error):
        case("correct", order.source, "--json", correction(tmp_path, {"po_number": "X", **body}
                                                           if body else body),
             "--user", "cs", "--reason", "r")
    assert state(order) == before


def test_correct_refuses_a_missing_or_malformed_file(tmp_path, masterdata, people):
    order = send(tmp_path)
    with pytest.raises(CommandError, match="no such file"):
        case("correct", order.source, "--json", str(tmp_path / "missing.json"), "--user", "cs",
             "--reason", "r")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="not an order JSON file"):
        case("correct", order.source, "--json", str(broken), "--user", "cs", "--reason", "r")


# --- case release ------------------------------------------------------------------------


def test_release_after_a_correction_executes_and_exports_as_a_touched_exception(
        tmp_path, masterdata, people):
    order = send(tmp_path)
    case("correct", order.source, "--json",
         correction(tmp_path, {"lines": [{"sku": "SKU-1", "quantity": "7"}],
                               "shipto_code": "S2"}),
         "--user", "cs", "--reason", "customer phoned")
    out = case("release", order.source, "--user", "cs", "--reason", "checked")
    assert "released and executed" in out
    order.refresh_from_db()
    assert order.status == Order.State.EXECUTED
    assert Inventory.objects.get(product__sku="SKU-1").allocated == 7
    kase = Case.objects.get(order=order)
    assert (kase.status, kase.resolution) == (Case.State.RESOLVED, Case.Resolution.RELEASED)
    assert [e.kind for e in kase.events.order_by("at", "pk")] == ["opened", "corrected",
                                                                  "released"]
    released = kase.events.get(kind="released")
    assert (released.actor, released.reason, released.status) == (people["cs"], "checked",
                                                                  "resolved")
    exported = [json.loads(line) for line in _export().splitlines()]
    assert len(exported) == 1
    record = exported[0]
    assert record == outcome_record(order)
    assert record["status"] == "exception" and record["causes"] == ["AUTONOMY_DISABLED"]
    assert record["shipto_code"] == "S2" and record["promised_date"]
    assert [(line["sku"], line["quantity"], line["unit_price"]) for line in record["lines"]] == [
        ("SKU-1", "7", "1.0000")]


def _export() -> str:
    out = StringIO()
    call_command("export_outcomes", stdout=out)
    return out.getvalue()


def test_release_names_the_causes_the_users_groups_may_not_override(tmp_path, masterdata,
                                                                    people):
    order = send(tmp_path, lines=[{"sku": "SKU-1", "quantity": "5", "unit_price": "9"}])
    before = state(order)
    with pytest.raises(CommandError, match="PRICE_MISMATCH can only be overridden by Finance"):
        case("release", order.source, "--user", "cs", "--reason", "fine")
    assert state(order) == before
    case("release", order.source, "--user", "root", "--reason", "superuser overrides")
    assert Order.objects.get(pk=order.pk).status == Order.State.EXECUTED


# --- case reject -------------------------------------------------------------------------


def test_reject_closes_the_case_with_the_user_and_reason(tmp_path, masterdata, people):
    order = send(tmp_path)
    out = case("reject", order.source, "--user", "cs", "--reason", "customer cancelled")
    assert "rejected" in out
    order.refresh_from_db()
    assert order.status == Order.State.REJECTED
    event = order.case.events.get(kind="rejected")
    assert (event.actor, event.reason) == (people["cs"], "customer cancelled")


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["release", "reject"])
def test_refusals_change_nothing(tmp_path, masterdata, people, action):
    order = send(tmp_path)
    before = state(order)
    for args, error in [
        (["no/such/file.json", "--user", "cs"], "no order was read from"),
        ([order.source, "--po", "OTHER", "--user", "cs"], "no case for PO 'OTHER'"),
        ([order.source, "--user", "ghost"], "no active user 'ghost'"),
        ([order.source, "--user", "nobody"], "none of the order desk's groups"),
    ]:
        with pytest.raises(CommandError, match=error):
            case(action, *args, "--reason", "r")
    assert state(order) == before
    case("reject", order.source, "--user", "cs", "--reason", "gone")
    with pytest.raises(CommandError, match="the case is resolved"):
        case(action, order.source, "--user", "cs", "--reason", "again")
    with pytest.raises(CommandError, match="the case is resolved"):
        case("correct", order.source, "--json", correction(tmp_path, {"po_number": "X"}),
             "--user", "cs", "--reason", "again")


def test_finance_may_not_reject_a_case_customer_service_owns(tmp_path, masterdata, people):
    order = send(tmp_path)
    with pytest.raises(CommandError, match="only Customer service may reject"):
        case("reject", order.source, "--user", "fin", "--reason", "not mine")
    assert Order.objects.get(pk=order.pk).status == Order.State.EXCEPTION


def test_po_picks_one_order_of_a_source_holding_several(tmp_path, masterdata, people):
    path = tmp_path / "two.eml"
    path.write_text(
        "From: b@acme.example\nTo: orders@desk.example\nSubject: orders\n"
        "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\n"
        "Content-Type: text/plain\n\nTwo orders attached.\n--XX\n"
        'Content-Type: application/json; name="a.json"\n'
        'Content-Disposition: attachment; filename="a.json"\n\n'
        + json.dumps({"customer_number": "C1", "po_number": "PO-A",
                      "lines": [{"sku": "SKU-1", "quantity": "1"}]})
        + '\n--XX\nContent-Type: application/json; name="b.json"\n'
        'Content-Disposition: attachment; filename="b.json"\n\n'
        + json.dumps({"customer_number": "C1", "po_number": "PO-B",
                      "lines": [{"sku": "SKU-1", "quantity": "2"}]}) + "\n--XX--\n")
    call_command("intake", str(path), "--sync", stdout=StringIO())
    sources = sorted(Order.objects.values_list("source", "po_number"))
    assert sources == [(f"{path}#a.json", "PO-A"), (f"{path}#b.json", "PO-B")], sources
    case("reject", f"{path}#b.json", "--po", "PO-B", "--user", "cs", "--reason", "dup")
    assert Order.objects.get(po_number="PO-B").status == Order.State.REJECTED
    assert Order.objects.get(po_number="PO-A").status == Order.State.EXCEPTION


def test_the_case_page_shows_who_did_what_when_and_why(tmp_path, masterdata, people, client):
    order = send(tmp_path)
    case("correct", order.source, "--json", correction(tmp_path, {"shipto_code": "S2"}),
         "--user", "cs", "--reason", "customer phoned")
    client.force_login(people["cs"])
    page = client.get(reverse("case", args=[order.case.pk])).content.decode()
    assert "Case events" in page and "customer phoned" in page
    assert "shipto_code: “S1” → “S2”" in page


def test_a_release_after_a_correction_settled_every_cause_still_exports_why_it_was_routed(
        tmp_path, masterdata, people):
    call_command("set_autonomy", "autonomous", stdout=StringIO())
    order = send(tmp_path, lines=[{"sku": "SKU-1", "quantity": "5", "unit_price": "9"}])
    assert [c["code"] for c in order.causes] == ["PRICE_MISMATCH"]
    out = case("correct", order.source, "--json",
               correction(tmp_path, {"lines": [{"sku": "SKU-1", "quantity": "5"}]}),
               "--user", "cs", "--reason", "the price was a typo")
    assert "every check passes" in out
    case("release", order.source, "--user", "cs", "--reason", "checked")
    record = outcome_record(Order.objects.get(pk=order.pk))
    assert (record["status"], record["causes"]) == ("exception", ["PRICE_MISMATCH"])
    assert record["lines"][0]["unit_price"] == "1.0000"  # executed at the agreed price
