"""Autonomy levels per segment (CONTRACT §2): the most specific setting wins."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rules.models import AutonomySetting
from rules.selectors import autonomy_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def masterdata(load):
    load("customers", [
        {"customer_number": "C1", "name": "A", "customer_group": "key", "country": "DE",
         "currency": "EUR"},
        {"customer_number": "C2", "name": "B", "customer_group": "key", "country": "DE",
         "currency": "EUR"},
    ])
    load("products", [
        {"sku": "F1", "description": "d", "base_uom": "EA", "product_family": "fasteners"},
        {"sku": "H1", "description": "d", "base_uom": "EA", "product_family": "hydraulics"},
    ])


def level(customer="C1", group="key", families=("fasteners",), channels=("email",)) -> str:
    return autonomy_level(customer_number=customer, customer_group=group,
                          product_families=families, channels=channels)[0]


def run(*args) -> str:
    out = StringIO()
    call_command("set_autonomy", *args, stdout=out)
    return out.getvalue()


def test_a_fresh_installation_is_shadow_everywhere(masterdata):
    assert AutonomySetting.objects.get().level == "shadow"
    assert level() == "shadow"


def test_the_most_specific_segment_wins(masterdata):
    run("autonomous")
    run("off", "--customer-group", "key")
    run("autonomous", "--customer", "C1")
    assert level(customer="C1") == "autonomous"
    assert level(customer="C2") == "off"
    assert level(customer="C9", group="smb") == "autonomous"


def test_two_dimensions_beat_one(masterdata):
    run("autonomous", "--customer", "C1")
    run("shadow", "--customer", "C1", "--channel", "pdf")
    assert level(channels=("email", "pdf")) == "shadow"
    assert level(channels=("api", "json")) == "autonomous"


def test_one_family_that_is_off_keeps_the_order_with_a_person(masterdata):
    run("autonomous")
    run("off", "--product-family", "hydraulics")
    assert level(families=("fasteners",)) == "autonomous"
    assert level(families=("fasteners", "hydraulics")) == "off"


def test_changes_are_reported_and_kept_in_history(masterdata):
    assert run("autonomous", "--customer", "C1", "--reason", "pilot") == "customer C1: autonomous\n"
    assert run("off", "--customer", "C1") == "customer C1: off (was autonomous)\n"
    record = AutonomySetting.objects.get(customer_number="C1").history.first()
    assert (record.level, record.history_user.username) == ("off", "orderdesk-system")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["autonomous", "--customer", "C9"], "customer 'C9' does not exist"),
     (["autonomous", "--customer-group", "nope"], "no customer is in the group 'nope'"),
     (["autonomous", "--product-family", "nope"], "no product is in the family 'nope'"),
     (["autonomous", "--channel", "fax"], "channel 'fax' is not one of")],
)
def test_bad_segments_are_refused_and_change_nothing(masterdata, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert AutonomySetting.objects.count() == 1


def test_the_autonomy_page_says_in_plain_words_what_runs_alone(client, make_user, masterdata):
    run("autonomous", "--customer", "C1")
    run("off", "--product-family", "hydraulics")
    url = "/boundary/autonomy/"
    assert client.get(url).status_code == 302  # login first
    client.force_login(make_user("cs", "Customer service"))
    page = client.get(url).content.decode()
    assert "Orders of customer C1 (A)" in page
    assert "execute without a person when every check passes" in page
    assert "lines of the product family “hydraulics”" in page and "always go to a person" in page
    assert page.index("customer C1") < page.index("All other orders")
