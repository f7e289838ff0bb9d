"""export_outcomes (CONTRACT §4): its CSV is safe to open in a spreadsheet."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_csv_export_neutralises_formula_cells(tmp_path):
    body = {"sender": "buyer@acme.example", "po_number": '=HYPERLINK("http://evil.example","x")',
            "lines": [{"sku": "+SUM(1+1)", "quantity": "10"}, {"sku": "@cmd", "quantity": "1"}]}
    path = tmp_path / "po.json"
    path.write_text(json.dumps(body))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    out = StringIO()
    call_command("export_outcomes", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(StringIO(out.getvalue())))
    assert [row["po_number"] for row in rows] == ["'" + body["po_number"]] * 2
    assert [row["sku"] for row in rows] == ["'+SUM(1+1)", "'@cmd"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
    jsonl = StringIO()
    call_command("export_outcomes", stdout=jsonl)
    assert json.loads(jsonl.getvalue())["po_number"] == body["po_number"]  # JSON is data, as read
