"""CSV and XLSX order sheets: the corpus files and synthetic sheets in five languages."""

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.parsers import sheet
from integrations.parsers.draft import CONFIDENT, ParseError, ParseResult

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"../shared/corpus not present: {CORPUS}")


def corpus(name: str) -> bytes:
    return (CORPUS / "csv" / name).read_bytes()


def only_order(result: ParseResult):
    assert not result.not_an_order
    assert len(result.orders) == 1
    return result.orders[0]


def parse_text(text: str, encoding: str = "utf-8"):
    return sheet.parse(text.encode(encoding), name="order.csv")


def values(reads):
    return [r.value if r is not None else None for r in reads]


# ----------------------------------------------------------------------------- corpus


@needs_corpus
def test_dilicom_file_reads_as_article_quantity_pairs():
    order = only_order(sheet.parse(corpus("oca-edi_order_file_test1.csv")))
    assert order.format == "csv"
    assert order.po_number is None
    assert order.uncertain == ["PO number missing"]
    assert values(line.sku for line in order.lines) == ["PROD_DEL", "PROD_DEL02", "E-COM11"]
    assert values(line.quantity for line in order.lines) == [Decimal(2), Decimal(1), Decimal(5)]
    first = order.lines[0]
    assert first.quantity.confidence == first.sku.confidence == 0.7
    assert first.uom is None and first.unit_price is None
    assert first.sku.evidence.line == 1
    assert first.sku.evidence.text.startswith("PROD_DEL;2")
    assert "no header row" in first.sku.evidence.text


@needs_corpus
def test_dilicom_update_file_is_just_another_order_to_the_parser():
    order = only_order(sheet.parse(corpus("oca-edi_order_file_test1_update.csv")))
    assert values(line.sku for line in order.lines) == ["PROD_DEL", "E-COM11", "M-Wir"]
    assert values(line.quantity for line in order.lines) == [Decimal(2), Decimal(7), Decimal(4)]
    assert order.lines[2].sku.evidence.line == 3


@needs_corpus
def test_flat_export_with_repeated_header_gives_one_order_per_document():
    result = sheet.parse(corpus("bots-plugins_orders_flat_test.csv"))
    assert values(order.po_number for order in result.orders) == [
        "BGMREF", "1-4500094289", "1-4500094290", "1-4500094291",
    ]
    assert [len(order.lines) for order in result.orders] == [4, 2, 1, 1]
    first = result.orders[0]
    assert values(line.gtin for line in first.lines) == [
        "8712345004002", "8712345005009", "8712345006006", "8712345002206",
    ]
    assert values(line.line_number for line in first.lines) == ["1", "2", "3", "4"]
    assert values(line.quantity for line in first.lines) == [Decimal(1)] * 4
    assert result.orders[3].lines[0].quantity.value == Decimal(9)
    assert result.orders[1].locator == "rows 5-6"


@needs_corpus
def test_flat_export_fields_are_inferred_so_never_confident():
    result = sheet.parse(corpus("bots-plugins_orders_flat_test.csv"))
    for order in result.orders:
        assert not order.po_number.confident
        assert all(not line.gtin.confident and not line.quantity.confident for line in order.lines)
        # "1.000" may be one or a thousand: every line says so.
        assert len([u for u in order.uncertain if "ambiguous" in u]) == len(order.lines)
    line = result.orders[0].lines[1]
    assert line.gtin.evidence.line == 2
    assert '"' not in line.gtin.evidence.text and "8712345005009" in line.gtin.evidence.text


# ------------------------------------------------------------------ synthetic sheets

GERMAN = """Bestellung
Bestellnummer;4711
Kundennummer;C1001
Liefertermin;01.12.2026
Pos;Artikelnummer;Bezeichnung;Menge;Einheit;Einzelpreis
1;A-100;Schraube M4;10;Stk;1.234,50
2;B-200;Mutter M4;5;Karton;12,50
;;Summe;;;12.407,50
"""


def test_german_sheet_with_label_rows_above_a_header_on_row_5():
    order = only_order(parse_text(GERMAN))
    assert order.po_number.value == "4711"
    assert order.po_number.confidence == 0.9
    assert order.po_number.evidence.line == 2
    assert order.customer_number.value == "C1001"
    assert order.requested_date.value == date(2026, 12, 1)
    assert order.uncertain == []
    assert values(order.notes) == ["Bestellung"]
    first, second = order.lines
    assert values([first.line_number, first.sku, first.description]) == ["1", "A-100", "Schraube M4"]
    assert values([first.quantity, first.uom, first.unit_price]) == [10, "Stk", Decimal("1234.50")]
    assert values([second.quantity, second.uom, second.unit_price]) == [5, "Karton", Decimal("12.50")]
    assert first.quantity.confidence == 1.0
    assert first.sku.evidence.line == 6
    assert first.sku.evidence.text == "1;A-100;Schraube M4;10;Stk;1.234,50"


def test_label_rows_give_header_fields():
    text = (
        "PO Number;4711\nCustomer no;C1001\nCurrency;EUR\nDelivery date;2026-12-01\n"
        "Ship to;Acme GmbH, Hauptstr. 5, Berlin\nSKU;Qty\nA;1\n"
    )
    order = only_order(parse_text(text))
    assert values([order.po_number, order.customer_number, order.currency, order.requested_date]) == [
        "4711", "C1001", "EUR", date(2026, 12, 1),
    ]
    assert order.currency.evidence.line == 3
    assert order.ship_to.name.value == "Acme GmbH, Hauptstr. 5, Berlin"
    assert not order.ship_to.name.confident  # an address in one cell is not split by guessing


def test_cp1252_sheet_is_decoded():
    text = "Artikel;Beschreibung;Stückzahl\r\n4711;Größe M;3\r\n"
    order = only_order(parse_text(text, "cp1252"))
    assert order.lines[0].description.value == "Größe M"
    assert order.lines[0].quantity.value == 3


FRENCH = """Commande n°: CMD-2026-001
Date de livraison: 15/12/2026
Réf.;Désignation;Qté;Unité;Prix unitaire;Montant HT
R-1;Vis à bois;10;pièce;12,50;125,00
R-2;Écrou;4;boîte;3,10;12,40
Total HT;;;;;137,40
TVA 20 %;;;;;27,48
"""


def test_french_sheet_with_labels_in_one_cell_and_tax_rows():
    order = only_order(parse_text(FRENCH))
    assert order.po_number.value == "CMD-2026-001"
    assert order.requested_date.value == date(2026, 12, 15)
    assert values(line.sku for line in order.lines) == ["R-1", "R-2"]
    assert values(line.uom for line in order.lines) == ["pièce", "boîte"]
    assert values(line.unit_price for line in order.lines) == [Decimal("12.50"), Decimal("3.10")]
    assert order.uncertain == [] and order.unexplained == []


DANISH = """Ordrenummer: 5001
Varenr.;Beskrivelse;Antal;Enhed;Stykpris;Beløb
V-10;Skruer;2;pakke;99,95;199,90
V-11;Møtrik;1.000;stk;0,10;100,00
I alt;;;;;299,90
Med venlig hilsen
"""


def test_danish_sheet_reads_thousands_from_the_sheets_decimal_comma():
    order = only_order(parse_text(DANISH))
    assert order.po_number.value == "5001"
    assert values(line.quantity for line in order.lines) == [Decimal(2), Decimal(1000)]
    assert order.lines[1].quantity.confidence == 1.0
    assert order.uncertain == []
    assert values(order.notes) == ["Med venlig hilsen"]


DUTCH = """Bestelnummer;NL-778
Leverdatum;3 december 2026
Artikelnummer;Omschrijving;Aantal;Eenheid;Prijs;Totaal
P-1;Bouten;6;doos;4,50;27,00
Totaal;;;;;27,00
"""


def test_dutch_sheet():
    order = only_order(parse_text(DUTCH))
    assert order.po_number.value == "NL-778"
    assert order.requested_date.value == date(2026, 12, 3)
    line = order.lines[0]
    assert (line.sku.value, line.quantity.value, line.uom.value, line.unit_price.value) == (
        "P-1", 6, "doos", Decimal("4.50"),
    )


ENGLISH = '''PO Number,PO-2026-17
Order Date,11/20/2026
Line,Item #,Description,Qty,UOM,Unit Price,Total Price
1,SKU-1,"Widget, large",10,CS,"1,250.00","12,500.00"
2,SKU-2,"Bolt, 5"" long",200,EA,0.25,50.00
,,Subtotal,,,,"12,550.00"
,,Tax,,,,0.00
'''


def test_english_sheet_with_quoted_commas_and_totals():
    order = only_order(parse_text(ENGLISH))
    assert order.po_number.value == "PO-2026-17"
    assert order.order_date.value == date(2026, 11, 20)
    assert values(line.description for line in order.lines) == ["Widget, large", 'Bolt, 5" long']
    assert values(line.unit_price for line in order.lines) == [Decimal("1250.00"), Decimal("0.25")]
    assert values(line.quantity for line in order.lines) == [10, 200]
    assert order.uncertain == []


def test_shuffled_columns_and_tab_delimiter():
    text = "Qty\tDescription\tPrice\tSKU\n3\tCable\t2.50\tC-1\n7\tPlug\t1.25\tP-9\n"
    order = only_order(parse_text(text))
    assert values(line.sku for line in order.lines) == ["C-1", "P-9"]
    assert values(line.quantity for line in order.lines) == [3, 7]
    assert values(line.unit_price for line in order.lines) == [Decimal("2.50"), Decimal("1.25")]
    assert order.uncertain == ["PO number missing"]


def test_row_with_values_is_no_header_row():
    order = only_order(parse_text("Artikel;Sammelbestellung;Menge;15\nArtikel;Menge\nA;5\nB;10\n"))
    assert values(line.sku for line in order.lines) == ["A", "B"]
    assert order.lines[0].sku.evidence.line == 3


def test_utf16_sheet_with_bom():
    text = "SKU\tQty\nA-1\t4\n"
    order = only_order(sheet.parse(text.encode("utf-16")))
    assert order.lines[0].sku.value == "A-1"


def test_po_column_splits_rows_into_orders():
    text = "PO;SKU;Qty\n100;A;1\n;B;2\n200;C;3\n"
    result = parse_text(text)
    assert values(order.po_number for order in result.orders) == ["100", "200"]
    assert [values(line.sku for line in order.lines) for order in result.orders] == [["A", "B"], ["C"]]
    assert result.orders[0].po_number.confidence == 1.0
    assert result.orders[1].locator == "row 4"


def test_currency_from_price_cells_and_price_headers():
    order = only_order(parse_text("SKU;Qty;Price\nA;1;€ 12,50\n"))
    assert (order.currency.value, order.lines[0].unit_price.value) == ("EUR", Decimal("12.50"))
    order = only_order(parse_text("SKU;Qty;Preis (DKK)\nA;1;12,50\n"))
    assert order.currency.value == "DKK"


def test_excel_text_formula_keeps_leading_zeros():
    order = only_order(parse_text('SKU;Qty\n="00123";4\n'))
    assert order.lines[0].sku.value == "00123"


# ---------------------------------------------------------------- what goes uncertain


def test_missing_and_unreadable_quantities_are_listed():
    text = "PO;4711\nSKU;Description;Qty\nA;Apple;\nB;Pear;lots\n;Cherry;3\n"
    order = only_order(parse_text(text))
    assert order.uncertain == [
        "line 1 (row 3): quantity missing",
        "line 2 (row 4): quantity is not a number: 'lots'",
    ]
    assert order.lines[2].description.value == "Cherry"


def test_line_without_product_is_listed():
    order = only_order(parse_text("PO;4711\nSKU;Qty;Unit\n;3;EA\n"))
    assert order.uncertain == ["line 1 (row 3): product identifier missing"]


def test_ambiguous_quantity_without_any_clue_is_doubtful():
    order = only_order(parse_text("PO;4711\nSKU;Qty\nA;1.000\n"))
    assert order.lines[0].quantity.value == Decimal(1)
    assert not order.lines[0].quantity.confident
    assert order.uncertain == [
        "line 1 (row 3): quantity '1.000' is ambiguous (decimal or thousands separator)"
    ]


def test_line_total_that_does_not_match_is_listed():
    order = only_order(parse_text("PO;4711\nSKU;Qty;Price;Total\nA;10;2.50;250.00\n"))
    assert order.uncertain == [
        "line 1 (row 3): quantity × unit price is 25.00 but the line total says 250.00"
    ]


def test_ambiguous_numeric_date_is_doubtful():
    order = only_order(parse_text("PO;4711\nDelivery date;03/04/2026\nSKU;Qty\nA;1\n"))
    assert order.requested_date.value == date(2026, 4, 3)
    assert not order.requested_date.confident


def test_text_after_the_table_is_unexplained_but_signoffs_are_notes():
    text = "PO;4711\nSKU;Qty\nA;1\n\nPlease deliver to gate 3 only\nKind regards\n"
    order = only_order(parse_text(text))
    assert [e.text for e in order.unexplained] == ["Please deliver to gate 3 only"]
    assert order.unexplained[0].line == 5
    assert values(order.notes) == ["Kind regards"]


def test_unreadable_labelled_date_is_unexplained():
    order = only_order(parse_text("PO;4711\nDelivery date;ASAP\nSKU;Qty\nA;1\n"))
    assert order.requested_date is None
    assert [e.text for e in order.unexplained] == ["Delivery date;ASAP"]


def test_order_line_after_the_table_end_is_listed():
    order = only_order(parse_text("PO;4711\nSKU;Qty\nA;1\n\nB;2\n"))
    assert len(order.lines) == 1
    assert order.uncertain == ["row 5: an order line after the end of the item table"]


def test_labels_without_item_table_give_an_order_for_a_person():
    order = only_order(parse_text("Purchase order;PO-99\nPlease send the usual\n"))
    assert order.po_number.value == "PO-99"
    assert order.lines == []
    assert order.uncertain == ["no order lines found"]


def test_newsletter_is_not_an_order():
    text = "Our November newsletter\nNew products, great prices\nUnsubscribe here\n"
    assert parse_text(text).not_an_order == "no order table found"


def test_po_box_is_no_po_number():
    assert parse_text("PO Box 12\nAcme Ltd\n").not_an_order


def test_header_without_lines_is_not_an_order():
    assert parse_text("SKU;Description;Qty\n\n").not_an_order


# ------------------------------------------------------------------------------ XLSX


def workbook_bytes(build) -> bytes:
    workbook = openpyxl.Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def german_workbook(workbook: openpyxl.Workbook) -> None:
    ws = workbook.active
    ws.title = "Bestellung"
    ws.append(["Bestellnummer", 4711])
    ws.append(["Liefertermin", date(2026, 12, 1)])
    ws.append([])
    ws.append(["Pos", "Artikelnummer", "Bezeichnung", "Menge", "ME", "Einzelpreis", "Gesamtpreis"])
    ws.append([1, "A-100", "Schraube", 10, "Stk", 1.5, 15])
    ws.append([2, 4006381333931, "Mutter", 2.5, "kg", 4, 10])
    ws.append([None, None, "Summe", None, None, None, 25])
    workbook.create_sheet("Leer")


def test_xlsx_with_numbers_dates_and_a_summe_row():
    order = only_order(sheet.parse(workbook_bytes(german_workbook), name="order.xlsx"))
    assert order.format == "xlsx"
    assert order.locator == "Bestellung"
    assert (order.po_number.value, order.po_number.confidence) == ("4711", 0.9)
    assert order.requested_date.value == date(2026, 12, 1)
    assert values(line.sku for line in order.lines) == ["A-100", "4006381333931"]
    assert values(line.quantity for line in order.lines) == [Decimal(10), Decimal("2.5")]
    assert values(line.unit_price for line in order.lines) == [Decimal("1.5"), Decimal(4)]
    assert values(line.line_number for line in order.lines) == ["1", "2"]
    assert order.uncertain == []
    evidence = order.lines[1].sku.evidence
    assert (evidence.line, evidence.part) == (6, "Bestellung")
    assert evidence.text == "2 | 4006381333931 | Mutter | 2.5 | kg | 4 | 10"


def test_xlsx_reads_every_sheet_with_an_item_table():
    def build(workbook):
        workbook.active.append(["SKU", "Qty"])
        workbook.active.append(["A", 1])
        second = workbook.create_sheet("Second")
        second.append(["SKU", "Qty"])
        second.append(["B", 2])

    result = sheet.parse(workbook_bytes(build))
    assert [order.locator for order in result.orders] == ["Sheet", "Second"]


def test_xlsx_without_table_is_not_an_order():
    data = workbook_bytes(lambda wb: wb.active.append(["Hello", "world"]))
    assert sheet.parse(data).not_an_order


def test_xlsx_row_limit(monkeypatch):
    monkeypatch.setattr(sheet, "MAX_ROWS", 3)
    data = workbook_bytes(lambda wb: [wb.active.append(["SKU", n]) for n in range(5)])
    with pytest.raises(ParseError, match="more than 3 rows"):
        sheet.parse(data)


# ------------------------------------------------------------------------- refusals


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03binary\x00junk",
        b"%PDF-1.7\n1 0 obj",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1legacy xls",
        b"PK\x03\x04 not really a zip",
        zip_bytes({"word/document.xml": b"<w/>"}),
        zip_bytes({"xl/workbook.xml": b"<not a workbook"}),
        b"ISA*00*          *00*",
    ],
)
def test_unreadable_bytes_raise_parse_error(data):
    with pytest.raises(ParseError):
        sheet.parse(data)


def test_oversized_sheet_is_refused(monkeypatch):
    monkeypatch.setattr(sheet, "MAX_BYTES", 10)
    with pytest.raises(ParseError, match="larger than"):
        sheet.parse(b"SKU;Qty\nA;1\n")


def test_csv_row_limit(monkeypatch):
    monkeypatch.setattr(sheet, "MAX_ROWS", 3)
    with pytest.raises(ParseError, match="more than 3 rows"):
        parse_text("SKU;Qty\n" + "A;1\n" * 5)


def test_every_field_read_from_a_header_table_is_confident():
    order = only_order(parse_text(GERMAN))
    for line in order.lines:
        for r in (line.sku, line.description, line.quantity, line.uom, line.unit_price, line.line_number):
            assert r.confidence >= CONFIDENT


# -------------------------------------------------------------------------- fuzzing

SEEDS = [GERMAN.encode(), FRENCH.encode(), ENGLISH.encode(), DANISH.encode("cp1252", "replace")]
XLSX_SEED = workbook_bytes(german_workbook)


def mutate(data: bytes, position: int, chunk: bytes, cut: int) -> bytes:
    position %= len(data) + 1
    return data[:position] + chunk + data[position + cut :]


@settings(max_examples=200, deadline=None)
@given(
    choice=st.integers(min_value=0, max_value=len(SEEDS)),
    position=st.integers(min_value=0, max_value=20_000),
    chunk=st.binary(max_size=40),
    cut=st.integers(min_value=0, max_value=60),
    noise=st.binary(max_size=300),
    use_noise=st.booleans(),
)
def test_random_and_mutated_sheets_never_crash(choice, position, chunk, cut, noise, use_noise):
    seed = (SEEDS + [XLSX_SEED])[choice]
    data = noise if use_noise else mutate(seed, position, chunk, cut)
    try:
        result = sheet.parse(data)
    except ParseError:
        return
    assert isinstance(result, ParseResult)
    assert result.orders or result.not_an_order
