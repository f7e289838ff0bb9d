"""demo_inbox: what `make run` shows first — a processed inbox, some of it worked by
demo colleagues, so the dashboard and the autonomy suggestions have real figures."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from orders.metrics import Period, dashboard
from orders.models import InboundDocument, Order
from rules.models import AutonomySuggestion, Decision

pytestmark = pytest.mark.django_db


def test_the_demo_inbox_is_processed_once_and_fills_the_dashboard(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command("demo_data", directory=tmp_path / "master", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_inbox", "--count", "100", stdout=out)
    assert "Demo inbox: 100 documents processed" in out.getvalue()
    assert InboundDocument.objects.count() == 100
    executed = Order.objects.filter(status=Order.State.EXECUTED)
    # Touchless orders, orders a demo colleague released, and cases left for the visitor.
    assert executed.filter(case__isnull=True).exists()
    assert Decision.objects.filter(outcome=Decision.Outcome.RELEASED,
                                   decided_by__username="demo-cs").exists()
    assert Order.objects.filter(case__is_open=True).exists()

    summary = {row[0]: row for row in dashboard(Period.recent())["summary"].rows}
    assert summary["Orders"][1] > 80 and summary["Completed with no human touch"][1] > 0
    assert summary["Orders per person"][1] is not None

    again = io.StringIO()
    call_command("demo_inbox", "--count", "100", stdout=again)
    assert "processed before; nothing to do" in again.getvalue()
    assert InboundDocument.objects.count() == 100
    # Suggestions were measured; whatever they propose waits for a person.
    assert not AutonomySuggestion.objects.exclude(state="pending").exists()


def test_a_count_below_one_is_refused(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    with pytest.raises(CommandError, match="--count"):
        call_command("demo_inbox", "--count", "0")
