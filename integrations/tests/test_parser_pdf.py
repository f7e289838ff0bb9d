"""PDF purchase orders: the Contoso corpus, negative samples, and synthetic layouts.

The synthetic documents are drawn with fpdf2 at absolute positions so each test
controls the layout it exercises: label/value headers in rows and boxes, item
tables with their columns in any order, wrapped headers and descriptions,
repeated headers on later pages, totals blocks, ship-to blocks and free text,
in English, German, French, Danish and Dutch.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfplumber.utils import extract_words

from integrations.parsers import pdf as pdf_parser
from integrations.parsers import sandbox
from integrations.parsers.draft import CONFIDENT, LineDraft, OrderDraft, ParseError, ParseResult
from integrations.parsers.pdf import parse

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
PDF_DIR = CORPUS / "pdf"
needs_corpus = pytest.mark.skipif(not PDF_DIR.is_dir(), reason=f"../shared/corpus not present: {PDF_DIR}")


def _corpus(name: str) -> ParseResult:
    return parse((PDF_DIR / name).read_bytes(), name=name)


def _only(result: ParseResult) -> OrderDraft:
    assert not result.not_an_order, result.not_an_order
    assert len(result.orders) == 1, result
    return result.orders[0]


def _value(read: object) -> object:
    return None if read is None else read.value  # type: ignore[attr-defined]


def _line(line: LineDraft) -> tuple[object, ...]:
    """(sku, quantity, uom, unit price) of one line."""
    return _value(line.sku), _value(line.quantity), _value(line.uom), _value(line.unit_price)


def _address(order: OrderDraft) -> tuple[object, ...]:
    """(name, street, postal code, city, country) of the ship-to."""
    ship_to = order.ship_to
    return tuple(_value(r) for r in (ship_to.name, ship_to.street, ship_to.postal_code, ship_to.city,
                                     ship_to.country))


def _all_confident(line: LineDraft) -> bool:
    reads = (line.quantity, line.uom, line.sku, line.customer_part_number, line.gtin, line.unit_price)
    return all(read.confident for read in reads if read is not None)


# --- the Contoso corpus ------------------------------------------------------------------

CONTOSO = "contoso-po/"


@needs_corpus
def test_contoso_adatum_po_with_two_lines_and_comments() -> None:
    order = _only(_corpus(CONTOSO + "Contoso-PO-Adatum-Adel.pdf"))
    assert order.format == "pdf" and order.locator == ""
    assert order.po_number.value == "190122" and order.po_number.confident
    assert order.po_number.evidence.page == 1
    assert order.po_number.evidence.text == "Redmond, WA 98052 PO # 190122"
    assert order.order_date.value == date(2019, 7, 27)
    assert [_line(line) for line in order.lines] == [
        ("MM4-4010", Decimal("89"), None, Decimal("62.00")),
        ("SH-L2216", Decimal("11"), None, Decimal("22.00")),
    ]
    # The vendor's name printed in the row under the items is no wrapped description.
    assert order.lines[1].description.value == "Standard Housing, Large"
    assert all(_all_confident(line) for line in order.lines)
    assert order.uncertain == []
    assert [note.value for note in order.notes] == ["Electromagnetic Sensitive\nFragile"]


@needs_corpus
def test_contoso_header_fields_ship_to_and_buyer() -> None:
    order = _only(_corpus(CONTOSO + "Contoso-PO-Adatum-Adel.pdf"))
    # The company under the contact's name is part of the ship-to name (address.parse_address_block).
    assert _address(order) == ("Adel Vance Contoso Electronics", "21930 SE 51st St", "98029", "Issaquah",
                               "US")
    assert not order.ship_to.country.confident  # implied by the state, not written
    assert order.sender_email.value == "AdelV@Contoso.com" and order.sender_email.confidence == 0.8
    assert order.customer_name.value == "Contoso Electronics" and order.customer_name.confidence == 0.6
    assert order.currency.value == "USD" and not order.currency.confident  # "$" only
    bbox = order.lines[0].sku.evidence.bbox
    assert bbox is not None and bbox[0] < bbox[2] and bbox[1] < bbox[3]


@needs_corpus
def test_contoso_fabrikam_price_without_decimals_and_stray_space_in_email() -> None:
    order = _only(_corpus(CONTOSO + "Contoso-PO-Fabrikam-Christie.pdf"))
    assert order.po_number.value == "190555"
    assert order.order_date.value == date(2019, 10, 4)  # M/D/YYYY: a US document
    assert [_line(line) for line in order.lines] == [
        ("GB3-1022", Decimal("24"), None, Decimal("123.00")),
        ("CBG-BS306", Decimal("8"), None, Decimal("65.00")),
        ("CP-00111", Decimal("25"), None, Decimal("17")),
    ]
    assert order.lines[2].description.value == "Cable Pack – for GB3-1022"
    assert order.sender_email.value == "ChristieC@Contoso.com"
    assert "P lease ship ASAP" in order.notes[0].value
    assert order.uncertain == []


@needs_corpus
def test_contoso_relecloud_three_lines() -> None:
    order = _only(_corpus(CONTOSO + "Contoso-PO-Relecloud-Miriam.pdf"))
    assert order.po_number.value == "190311"
    assert order.order_date.value == date(2019, 8, 25)
    assert [_line(line) for line in order.lines] == [
        ("LA-90002", Decimal("28"), None, Decimal("22.00")),
        ("LAR-9007", Decimal("28"), None, Decimal("27.00")),
        ("SS2-9005", Decimal("28"), None, Decimal("5.00")),
    ]
    assert order.uncertain == []
    assert order.notes[0].value == "Please double wrap\nFragile"


@needs_corpus
def test_contoso_vanarsdel_same_item_on_three_lines() -> None:
    order = _only(_corpus(CONTOSO + "Contoso-PO-VanArsdel-Irvin.pdf"))
    assert order.po_number.value == "190403"
    assert [_line(line) for line in order.lines] == [
        ("APA-M011", Decimal("12"), None, Decimal("215.00")),
        ("APA-S118", Decimal("12"), None, Decimal("388.00")),
        ("APA-S118", Decimal("15"), None, Decimal("164.00")),
        ("APA-S118", Decimal("12"), None, Decimal("11.00")),
    ]
    assert [line.description.value for line in order.lines[1:]] == [
        "APA Assembly, Sub1", "APA Assembly, Sub2", "APA Assembly, Sub3"]
    assert order.uncertain == []


@needs_corpus
def test_contoso_wwi_three_lines() -> None:
    order = _only(_corpus(CONTOSO + "Contoso-PO-WWI-Lidia.pdf"))
    assert order.po_number.value == "190435"
    assert order.order_date.value == date(2019, 9, 26)
    assert [_line(line) for line in order.lines] == [
        ("CHAS-305", Decimal("15"), None, Decimal("32.00")),
        ("BC-P323", Decimal("15"), None, Decimal("11.00")),
        ("BCF6-304", Decimal("15"), None, Decimal("18.00")),
    ]
    assert order.lines[2].description.value == "Blades (Carbon-Fiber) 6 pack, Type III"


@needs_corpus
def test_trade_confirmation_is_no_order() -> None:
    result = _corpus(CONTOSO + "TradeConfirmation125865.pdf")
    assert result.orders == [] and "confirmation" in result.not_an_order


@needs_corpus
@pytest.mark.parametrize("name", ["invoice2data/AzureInterior.pdf",
                                  "invoice2data/SammyMaystoneLinesTest.pdf"])
def test_invoices_are_no_orders(name: str) -> None:
    result = _corpus(name)
    assert result.orders == [] and "invoice" in result.not_an_order


@needs_corpus
def test_a_pdf_with_one_word_is_no_order() -> None:
    result = _corpus("oca-edi_sale_order_import_test.pdf")
    assert result.orders == [] and "no order content" in result.not_an_order


# --- building synthetic PDFs -------------------------------------------------------------


@dataclass
class Col:
    """One table column: left edge, width, header (may hold a newline), alignment."""

    x: float
    width: float
    header: str
    align: str = "L"


@dataclass
class Sheet:
    """A PDF drawn at absolute positions (points from the top-left corner)."""

    pdf: FPDF = field(default_factory=lambda: FPDF(unit="pt", format="A4"))

    def __post_init__(self) -> None:
        self.pdf.core_fonts_encoding = "cp1252"  # "€" and "–" in the core fonts
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)

    def page(self) -> Sheet:
        self.pdf.add_page()
        return self

    def text(self, x: float, y: float, text: str, size: float = 10, bold: bool = False,
             align: str = "L", width: float = 0) -> Sheet:
        """Text whose top sits near ``y``; with a width, aligned inside [x, x + width]."""
        self.pdf.set_font("Helvetica", "B" if bold else "", size)
        if align == "R":
            x += width - self.pdf.get_string_width(text)
        self.pdf.text(x, y + size * 0.8, text)
        return self

    def lines(self, x: float, y: float, texts: list[str], size: float = 10, pitch: float = 14) -> float:
        for index, text in enumerate(texts):
            self.text(x, y + index * pitch, text, size)
        return y + len(texts) * pitch

    def rule(self, y: float, x0: float = 40, x1: float = 555) -> Sheet:
        self.pdf.line(x0, y, x1, y)
        return self

    def table(self, y: float, columns: list[Col], rows: list[list[str]], pitch: float = 16,
              rules: bool = False, size: float = 9) -> float:
        """A header (a newline in a header wraps it) and rows; the y below the table."""
        for column in columns:
            for index, part in enumerate(column.header.split("\n")):
                self.text(column.x, y + index * (size + 2), part, size, bold=True, align=column.align,
                          width=column.width)
        y += (size + 2) * max(len(c.header.split("\n")) for c in columns) + 6
        for row in rows:
            if rules:
                self.rule(y - 3)
            for column, cell in zip(columns, row, strict=True):
                for index, part in enumerate(cell.split("\n")):
                    self.text(column.x, y + index * (size + 2), part, size, align=column.align,
                              width=column.width)
            y += pitch + (size + 2) * (max(cell.count("\n") for cell in row))
        return y

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


def _parsed(sheet: Sheet) -> OrderDraft:
    return _only(parse(sheet.bytes()))


# --- German: boxed header fields, decimal commas, totals --------------------------------

GERMAN_COLUMNS = [
    Col(40, 30, "Pos."), Col(75, 60, "Art.-Nr."), Col(140, 170, "Bezeichnung"),
    Col(315, 50, "Menge", "R"), Col(372, 45, "Einheit"), Col(420, 60, "Einzelpreis", "R"),
    Col(490, 60, "Gesamt", "R"),
]


def _german_order(rows: list[list[str]] | None = None) -> Sheet:
    sheet = Sheet().page()
    sheet.text(40, 40, "Musterkunde GmbH", 16, bold=True).text(400, 40, "BESTELLUNG", 22, bold=True)
    sheet.lines(40, 70, ["Industriestraße 7", "50667 Köln"])
    sheet.pdf.rect(330, 95, 225, 62)
    sheet.text(340, 100, "Bestellnummer:").text(450, 100, "4500012345")
    sheet.text(340, 114, "Bestelldatum:").text(450, 114, "03.02.2025")
    sheet.text(340, 128, "Kundennummer:").text(450, 128, "K-10077")
    sheet.text(340, 142, "Liefertermin:").text(450, 142, "14.02.2025")
    sheet.text(40, 120, "Lieferadresse:", bold=True)
    sheet.lines(40, 134, ["Musterkunde GmbH Lager Süd", "Hafenweg 12", "40213 Düsseldorf", "Deutschland"])
    sheet.text(40, 200, "Ansprechpartner: Max Muster, max.muster@musterkunde.de")
    rows = rows or [
        ["1", "100-200", "Schraube M8 x 40 verzinkt", "1.000", "Stk", "0,12", "120,00"],
        ["2", "100-310", "Mutter M8", "500", "Stk", "0,05", "25,00"],
        ["3", "200-010", "Unterlegscheibe 8,4 mm", "12", "Karton", "14,50", "174,00"],
    ]
    y = sheet.table(240, GERMAN_COLUMNS, rows, rules=True)
    sheet.text(380, y + 20, "Summe netto").text(490, y + 20, "319,00 €", align="R", width=60)
    sheet.text(380, y + 34, "MwSt 19 %").text(490, y + 34, "60,61 €", align="R", width=60)
    sheet.text(380, y + 48, "Gesamtbetrag", bold=True)
    sheet.text(490, y + 48, "379,61 €", bold=True, align="R", width=60)
    sheet.text(40, y + 90, "Bemerkungen: Anlieferung nur werktags von 7 bis 15 Uhr")
    sheet.text(40, 790, "Musterkunde GmbH · Amtsgericht Köln HRB 12345 · USt-IdNr. DE123456789", 7)
    sheet.text(500, 790, "Seite 1 von 1", 7)
    return sheet


def test_german_order_with_decimal_commas() -> None:
    order = _parsed(_german_order())
    assert order.po_number.value == "4500012345" and order.po_number.confident
    assert order.order_date.value == date(2025, 2, 3) and order.order_date.confident
    assert order.requested_date.value == date(2025, 2, 14)
    assert order.customer_number.value == "K-10077"
    assert [_line(line) for line in order.lines] == [
        ("100-200", Decimal("1000"), "Stk", Decimal("0.12")),
        ("100-310", Decimal("500"), "Stk", Decimal("25") / 500),
        ("200-010", Decimal("12"), "Karton", Decimal("14.50")),
    ]
    assert [line.line_number.value for line in order.lines] == ["1", "2", "3"]
    assert order.lines[2].description.value == "Unterlegscheibe 8,4 mm"
    assert all(_all_confident(line) for line in order.lines)
    assert order.currency.value == "EUR"
    assert order.uncertain == []


def test_german_ship_to_contact_and_notes() -> None:
    order = _parsed(_german_order())
    ship_to = order.ship_to
    assert _value(ship_to.name) == "Musterkunde GmbH Lager Süd"
    assert _value(ship_to.street) == "Hafenweg 12"
    assert (_value(ship_to.postal_code), _value(ship_to.city)) == ("40213", "Düsseldorf")
    assert ship_to.country.value == "DE" and ship_to.country.confident
    assert order.sender_email.value == "max.muster@musterkunde.de"
    assert order.customer_name.value == "Musterkunde GmbH"
    assert [note.value for note in order.notes] == ["Anlieferung nur werktags von 7 bis 15 Uhr"]
    assert order.unexplained == []  # register court, VAT id and page numbers are boilerplate


def test_totals_block_does_not_become_items() -> None:
    order = _parsed(_german_order())
    assert len(order.lines) == 3
    assert not any("Summe" in str(_value(line.description)) for line in order.lines)


def test_line_total_that_does_not_match_lowers_confidence() -> None:
    rows = [["1", "100-200", "Schraube M8", "10", "Stk", "1,50", "150,00"]]
    order = _parsed(_german_order(rows))
    assert "differs from the line total" in " ".join(order.uncertain)
    assert not order.lines[0].quantity.confident and not order.lines[0].unit_price.confident


# --- French: label row with values below, horizontal rules -------------------------------


def _french_order() -> Sheet:
    sheet = Sheet().page()
    sheet.text(40, 40, "Société Dupont SARL", 16, bold=True).text(360, 40, "BON DE COMMANDE", 20, bold=True)
    sheet.lines(40, 64, ["12 rue de la Paix", "75002 Paris"])
    sheet.text(40, 110, "N° de commande", bold=True).text(200, 110, "Date", bold=True)
    sheet.text(320, 110, "Code client", bold=True)
    sheet.text(40, 126, "BC-2025-0042").text(200, 126, "05/03/2025").text(320, 126, "C-4410")
    sheet.text(40, 160, "Adresse de livraison", bold=True)
    sheet.lines(40, 176, ["Dupont Logistique", "45 avenue des Champs-Élysées", "75008 Paris", "France"])
    columns = [Col(40, 60, "Réf."), Col(105, 210, "Désignation"), Col(320, 40, "Qté", "R"),
               Col(370, 90, "Prix unitaire HT", "R"), Col(470, 80, "Montant HT", "R")]
    rows = [["A-100", "Cartouche d'encre noire", "10", "24,90", "249,00"],
            ["A-101", "Cartouche d'encre couleur", "5", "31,50", "157,50"],
            ["P-500", "Ramette papier A4 80 g", "20", "4,75", "95,00"]]
    y = sheet.table(260, columns, rows, rules=True)
    sheet.rule(y - 3)
    sheet.text(370, y + 10, "Total HT").text(470, y + 10, "501,50 €", align="R", width=80)
    sheet.text(370, y + 24, "TVA 20 %").text(470, y + 24, "100,30 €", align="R", width=80)
    sheet.text(370, y + 38, "Total TTC").text(470, y + 38, "601,80 €", align="R", width=80)
    sheet.text(40, y + 80, "Remarques : Merci de livrer avant 10h.")
    return sheet


def test_french_order_with_labels_above_values() -> None:
    order = _parsed(_french_order())
    assert order.po_number.value == "BC-2025-0042" and order.po_number.confident
    assert order.po_number.evidence.text == "BC-2025-0042 05/03/2025 C-4410"
    assert order.order_date.value == date(2025, 3, 5)  # day first: a French document
    assert order.customer_number.value == "C-4410"
    assert [_line(line) for line in order.lines] == [
        ("A-100", Decimal("10"), None, Decimal("24.90")),
        ("A-101", Decimal("5"), None, Decimal("31.50")),
        ("P-500", Decimal("20"), None, Decimal("4.75")),
    ]
    assert order.lines[0].description.value == "Cartouche d'encre noire"
    assert order.currency.value == "EUR"
    assert _address(order) == ("Dupont Logistique", "45 avenue des Champs-Élysées", "75008", "Paris", "FR")
    assert [note.value for note in order.notes] == ["Merci de livrer avant 10h."]
    assert order.uncertain == []


# --- Danish: columns in an unusual order, ship-to to the right of its label --------------


def _danish_order() -> Sheet:
    sheet = Sheet().page()
    sheet.text(40, 40, "Nordisk Handel ApS", 16, bold=True).text(380, 40, "INDKØBSORDRE", 20, bold=True)
    sheet.text(40, 90, "Ordrenummer: 77812").text(40, 104, "Dato: 12.03.2025")
    sheet.text(40, 118, "Ønsket leveringsdato: 20.03.2025")
    sheet.text(300, 90, "Leveringsadresse:", bold=True)
    sheet.lines(400, 90, ["Nordisk Handel ApS", "Lagervej 4", "2100 København Ø", "Danmark"])
    columns = [Col(40, 40, "Antal", "R"), Col(90, 50, "Enhed"), Col(145, 70, "Varenr."),
               Col(220, 180, "Beskrivelse"), Col(405, 60, "Stykpris", "R"), Col(480, 70, "Beløb", "R")]
    rows = [["24", "stk", "DK-4410", "Kaffekrus hvid", "18,50", "444,00"],
            ["6", "kasse", "DK-5120", "Servietter 3-lags", "42,00", "252,00"]]
    y = sheet.table(180, columns, rows)
    sheet.text(405, y + 10, "I alt").text(480, y + 10, "696,00 kr.", align="R", width=70)
    sheet.text(405, y + 24, "Moms 25 %").text(480, y + 24, "174,00 kr.", align="R", width=70)
    sheet.text(40, y + 70, "Bemærkninger:", bold=True).text(40, y + 84, "Venligst ring før levering.")
    return sheet


def test_danish_order_with_quantity_first() -> None:
    order = _parsed(_danish_order())
    assert order.po_number.value == "77812"
    assert order.order_date.value == date(2025, 3, 12)
    assert order.requested_date.value == date(2025, 3, 20)
    assert [_line(line) for line in order.lines] == [
        ("DK-4410", Decimal("24"), "stk", Decimal("18.50")),
        ("DK-5120", Decimal("6"), "kasse", Decimal("42.00")),
    ]
    assert order.lines[1].description.value == "Servietter 3-lags"
    ship_to = order.ship_to
    assert (_value(ship_to.street), _value(ship_to.postal_code), _value(ship_to.city)) == (
        "Lagervej 4", "2100", "København Ø")
    assert ship_to.country.value == "DK"
    assert order.currency.value == "DKK" and order.currency.confidence == 0.5  # "kr." may be SEK or NOK
    assert [note.value for note in order.notes] == ["Venligst ring før levering."]
    assert order.uncertain == []


# --- Dutch: a header wrapped over two lines, a wrapped description -----------------------


def _dutch_order() -> Sheet:
    sheet = Sheet().page()
    sheet.text(40, 40, "Bakkerij Jansen B.V.", 16, bold=True).text(400, 40, "INKOOPORDER", 20, bold=True)
    sheet.text(40, 90, "Ordernummer: IO-3391").text(40, 104, "Besteldatum: 07-04-2025")
    sheet.text(300, 90, "Afleveradres", bold=True)
    sheet.lines(300, 104, ["Bakkerij Jansen B.V.", "Molenstraat 8", "1012 AB Amsterdam", "Nederland"])
    columns = [Col(40, 70, "Artikel-\nnummer"), Col(115, 190, "Omschrijving"), Col(310, 45, "Aantal", "R"),
               Col(365, 50, "Eenheid"), Col(420, 55, "Stuk-\nprijs", "R"), Col(485, 65, "Bedrag", "R")]
    rows = [["BR-001", "Tarwebloem type 550,\nzak 25 kg", "40", "zak", "18,95", "758,00"],
            ["BR-014", "Roomboter", "12", "doos", "42,10", "505,20"]]
    y = sheet.table(200, columns, rows)
    sheet.text(420, y + 10, "Subtotaal").text(485, y + 10, "1.263,20", align="R", width=65)
    sheet.text(420, y + 24, "BTW 9 %").text(485, y + 24, "113,69", align="R", width=65)
    sheet.text(420, y + 38, "Totaal").text(485, y + 38, "1.376,89", align="R", width=65)
    sheet.text(40, y + 80, "Opmerkingen: Graag leveren via de achteringang.")
    return sheet


def test_dutch_order_with_wrapped_header_and_description() -> None:
    order = _parsed(_dutch_order())
    assert order.po_number.value == "IO-3391"
    assert order.order_date.value == date(2025, 4, 7)
    assert [_line(line) for line in order.lines] == [
        ("BR-001", Decimal("40"), "zak", Decimal("18.95")),
        ("BR-014", Decimal("12"), "doos", Decimal("42.10")),
    ]
    assert order.lines[0].description.value == "Tarwebloem type 550, zak 25 kg"
    ship_to = order.ship_to
    assert (_value(ship_to.postal_code), _value(ship_to.city), _value(ship_to.country)) == (
        "1012 AB", "Amsterdam", "NL")
    assert [note.value for note in order.notes] == ["Graag leveren via de achteringang."]
    assert order.uncertain == []


# --- English: many pages, free text --------------------------------------------------------

ENGLISH_COLUMNS = [Col(40, 30, "Line"), Col(75, 70, "Item No"), Col(150, 190, "Description"),
                   Col(345, 40, "Qty", "R"), Col(395, 40, "UOM"), Col(440, 50, "Unit Price", "R"),
                   Col(495, 60, "Amount", "R")]


def _english_rows(start: int, count: int) -> list[list[str]]:
    return [[str(n), f"EN-{n:04d}", f"Widget model {n}", str(n % 7 + 1), "EA", f"{n}.25",
             f"{(n % 7 + 1) * (n + Decimal('0.25')):,.2f}"] for n in range(start, start + count)]


def _english_header(sheet: Sheet) -> None:
    sheet.text(40, 40, "Acme Industries Ltd", 16, bold=True).text(380, 40, "PURCHASE ORDER", 20, bold=True)
    sheet.text(380, 70, "PO Number: 88-1200").text(380, 84, "Order Date: 2025-05-02")
    sheet.text(380, 98, "Currency: EUR")


def _multi_page_order(repeat_header: bool = True) -> Sheet:
    sheet = Sheet().page()
    _english_header(sheet)
    sheet.table(140, ENGLISH_COLUMNS, _english_rows(1, 35))
    sheet.text(500, 800, "Page 1 of 2", 8)
    sheet.page()
    sheet.text(40, 40, "Acme Industries Ltd - PO 88-1200 (continued)")
    rows = _english_rows(36, 10)
    if repeat_header:
        y = sheet.table(80, ENGLISH_COLUMNS, rows)
    else:
        y = 80.0
        for row in rows:
            for column, cell in zip(ENGLISH_COLUMNS, row, strict=True):
                sheet.text(column.x, y, cell, 9, align=column.align, width=column.width)
            y += 16
    sheet.text(440, y + 10, "Subtotal").text(440, y + 24, "Tax").text(440, y + 38, "Total")
    sheet.text(500, 800, "Page 2 of 2", 8)
    return sheet


def test_multi_page_table_with_repeated_header() -> None:
    order = _parsed(_multi_page_order())
    assert order.po_number.value == "88-1200"
    assert order.order_date.value == date(2025, 5, 2)
    assert order.currency.value == "EUR" and order.currency.confident
    assert len(order.lines) == 45
    assert [line.sku.value for line in order.lines] == [f"EN-{n:04d}" for n in range(1, 46)]
    assert order.lines[44].quantity.value == Decimal(45 % 7 + 1)
    assert order.lines[44].unit_price.value == Decimal("45.25")
    assert order.lines[44].sku.evidence.page == 2
    assert all(_all_confident(line) for line in order.lines)
    assert order.uncertain == []


def test_a_page_without_the_header_continues_the_table_with_lower_confidence() -> None:
    order = _parsed(_multi_page_order(repeat_header=False))
    assert len(order.lines) == 45
    assert all(_all_confident(line) for line in order.lines[:35])
    assert not order.lines[40].quantity.confident  # read by position only


def _us_order(comment_label: str = "") -> Sheet:
    sheet = Sheet().page()
    sheet.text(40, 40, "Globex Corporation", 16, bold=True).text(380, 40, "PURCHASE ORDER", 20, bold=True)
    sheet.lines(40, 64, ["500 Main Street", "Springfield, IL 62701"])
    sheet.text(380, 70, "PO #: 190122-A").text(380, 84, "Date: 3/4/2025")
    sheet.text(40, 110, "Ship To:", bold=True)
    sheet.lines(40, 124, ["Globex Warehouse 2", "77 Harbor Road", "Portland, OR 97201"])
    columns = [Col(40, 70, "Item #"), Col(115, 220, "Description"), Col(340, 40, "Qty", "R"),
               Col(390, 70, "Unit Price", "R"), Col(470, 80, "Total", "R")]
    rows = [["GX-100", "Steel bracket", "12 pcs", "$4.50", "$54.00"],
            ["GX-220", "Hinge, heavy duty", "6 pcs", "$11.00", "$66.00"]]
    y = sheet.table(200, columns, rows)
    sheet.text(390, y + 10, "Subtotal").text(470, y + 10, "$120.00", align="R", width=80)
    if comment_label:
        sheet.text(40, y + 60, comment_label, bold=True)
    sheet.text(40, y + 74, "Please deliver to our new warehouse instead.")
    sheet.text(40, y + 120, "If you have any questions about this purchase order, please contact us.")
    return sheet


def test_free_text_instruction_is_unexplained() -> None:
    order = _parsed(_us_order())
    assert [e.text for e in order.unexplained] == ["Please deliver to our new warehouse instead."]
    evidence = order.unexplained[0]
    assert evidence.page == 1 and evidence.bbox is not None
    assert order.notes == []


def test_instruction_under_a_comments_label_is_a_note() -> None:
    order = _parsed(_us_order("Special Instructions"))
    assert [note.value for note in order.notes] == ["Please deliver to our new warehouse instead."]
    assert order.unexplained == []


def test_us_order_units_beside_quantities_and_month_first_date() -> None:
    order = _parsed(_us_order())
    assert order.po_number.value == "190122-A"
    assert order.order_date.value == date(2025, 3, 4) and order.order_date.confidence == 0.9
    assert [_line(line) for line in order.lines] == [
        ("GX-100", Decimal("12"), "pcs", Decimal("4.50")),
        ("GX-220", Decimal("6"), "pcs", Decimal("11.00")),
    ]
    assert _address(order) == ("Globex Warehouse 2", "77 Harbor Road", "97201", "Portland", "US")


def test_ambiguous_date_without_any_hint_gets_low_confidence() -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, "ORDER", 20, bold=True)
    sheet.text(40, 80, "Order No: 5511").text(40, 94, "Date: 03/04/2025")
    columns = [Col(40, 80, "Code"), Col(130, 200, "Product"), Col(340, 50, "Quantity", "R")]
    sheet.table(140, columns, [["X-1", "Thing", "3"]])
    order = _parsed(sheet)
    assert order.order_date.confidence == 0.6
    assert order.lines[0].quantity.value == 3


# --- more layouts: SAP-style rows, a ruled grid, identifiers in their own columns --------


def _sap_style_order() -> Sheet:
    sheet = Sheet().page()
    sheet.text(40, 40, "Musterkunde AG", 14, bold=True).text(380, 40, "Purchase Order", 18, bold=True)
    fields = [("PO Number/Date", "4500012345 / 05.03.2025"), ("Vendor number", "100200"),
              ("Contact person", "Mr. Smith"), ("E-mail", "smith@musterkunde.de")]
    for offset, (label, value) in enumerate(fields):
        sheet.text(330, 80 + offset * 14, label).text(440, 80 + offset * 14, value)
    sheet.text(40, 160, "Please deliver to:")
    sheet.lines(40, 174, ["Musterkunde AG, Werk 2", "Industriestr. 5", "D-70565 Stuttgart"])
    columns = [Col(40, 35, "Item"), Col(80, 70, "Material"), Col(155, 150, "Description"),
               Col(310, 50, "Order qty.", "R"), Col(365, 30, "Unit"), Col(400, 80, "Price per unit", "R"),
               Col(490, 60, "Net value", "R")]
    rows = [["00010", "4711-100", "Schraube M8", "1.000", "PC", "12,50 / 100 PC", "125,00"],
            ["", "", "Delivery date: Day 15.03.2025", "", "", "", ""],
            ["00020", "4711-200", "Mutter M8", "500", "PC", "5,00 / 100 PC", "25,00"],
            ["", "", "Delivery date: Day 17.03.2025", "", "", "", ""]]
    y = sheet.table(240, columns, rows)
    sheet.text(400, y + 10, "Total net value excl. tax EUR").text(490, y + 10, "150,00", align="R", width=60)
    return sheet


def test_sap_style_rows_with_positions_price_units_and_delivery_dates() -> None:
    order = _parsed(_sap_style_order())
    assert order.po_number.value == "4500012345"
    assert [_line(line) for line in order.lines] == [
        ("4711-100", Decimal("1000"), "PC", Decimal("12.50")),
        ("4711-200", Decimal("500"), "PC", Decimal("5.00")),
    ]
    assert [line.line_number.value for line in order.lines] == ["00010", "00020"]
    assert [line.price_per.value for line in order.lines] == [Decimal("100"), Decimal("100")]
    assert [line.requested_date.value for line in order.lines] == [date(2025, 3, 15), date(2025, 3, 17)]
    assert [line.description.value for line in order.lines] == ["Schraube M8", "Mutter M8"]
    assert all(_all_confident(line) for line in order.lines)
    assert order.sender_email.value == "smith@musterkunde.de"
    assert (_value(order.ship_to.street), _value(order.ship_to.city), _value(order.ship_to.country)) == (
        "Industriestr. 5", "Stuttgart", "DE")
    assert order.uncertain == [] and order.unexplained == []


CABLE_TIE = "Cable tie 200 mm black, UV resistant, pack of one hundred pieces"


def _grid_order() -> bytes:
    """fpdf cells with borders; the other cells are centred beside a wrapped description."""
    doc = FPDF(unit="pt", format="A4")
    doc.core_fonts_encoding = "cp1252"
    doc.add_page()
    doc.set_auto_page_break(False)
    doc.set_font("Helvetica", "B", 18)
    doc.set_xy(40, 40)
    doc.cell(0, 20, "PURCHASE ORDER")
    doc.set_font("Helvetica", "", 10)
    for offset, text in enumerate(["Purchase Order No.: PO-77-2025", "Requested delivery date: 12 June 2025",
                                   "Deliver to: Unit 4, Riverside Park, Leeds LS1 4AB, United Kingdom"]):
        doc.set_xy(40, 80 + offset * 14)
        doc.cell(0, 14, text)
    widths = [30, 80, 200, 50, 40, 60, 60]
    doc.set_xy(40, 150)
    doc.set_font("Helvetica", "B", 9)
    for width, header in zip(widths, ["#", "Part No.", "Description", "Qty", "Unit", "Price", "Total"],
                             strict=True):
        doc.cell(width, 18, header, border=1, align="C")
    doc.set_font("Helvetica", "", 9)
    y = 168.0
    for row in [["1", "PN-100", CABLE_TIE, "10", "PK", "£3.20", "£32.00"],
                ["2", "PN-200", "Clip", "4", "BX", "£12.00", "£48.00"]]:
        doc.set_xy(150, y)
        doc.multi_cell(200, 12, row[2], border=1)
        height = doc.get_y() - y
        x = 40.0
        for index, (width, cell) in enumerate(zip(widths, row, strict=True)):
            if index != 2:
                doc.set_xy(x, y)
                doc.cell(width, height, cell, border=1, align="R" if index in (3, 5, 6) else "L")
            x += width
        y += height
    doc.set_xy(350, y + 10)
    doc.cell(100, 14, "Subtotal")
    doc.cell(60, 14, "£80.00", align="R")
    return bytes(doc.output())


def test_ruled_grid_with_vertically_centred_cells() -> None:
    order = _only(parse(_grid_order()))
    assert order.po_number.value == "PO-77-2025"
    assert order.requested_date.value == date(2025, 6, 12)
    assert [_line(line) for line in order.lines] == [
        ("PN-100", Decimal("10"), "PK", Decimal("3.20")),
        ("PN-200", Decimal("4"), "BX", Decimal("12.00")),
    ]
    assert order.lines[0].description.value == CABLE_TIE
    assert order.lines[1].description.value == "Clip"
    assert order.currency.value == "GBP"
    # "Unit 4" is the street address, no name; "Riverside Park" is a line no part takes.
    assert _address(order) == (None, "Unit 4", "LS1 4AB", "Leeds", "GB")


def test_ean_customer_part_and_per_line_delivery_date_columns() -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, "Bestellung", 20, bold=True).text(40, 80, "Bestellnummer: 88001")
    columns = [Col(40, 30, "Pos"), Col(75, 70, "Ihre Art.-Nr."), Col(150, 70, "Unsere Art.-Nr."),
               Col(225, 80, "EAN"), Col(310, 100, "Bezeichnung"), Col(415, 40, "Menge", "R"),
               Col(460, 90, "Liefertermin")]
    rows = [["1", "A-1", "K-77", "4006381333931", "Stift blau", "100", "20.03.2025"],
            ["2", "A-2", "K-78", "4006381333941", "Stift rot", "50", "27.03.2025"]]
    sheet.table(140, columns, rows)
    order = _parsed(sheet)
    first = order.lines[0]
    identifiers = (first.sku.value, first.customer_part_number.value, first.gtin.value)
    assert identifiers == ("A-1", "K-77", "4006381333931")
    assert first.gtin.confident  # valid check digit
    assert not order.lines[1].gtin.confident  # 4006381333941 has a wrong check digit
    assert [line.requested_date.value for line in order.lines] == [date(2025, 3, 20), date(2025, 3, 27)]
    assert [line.quantity.value for line in order.lines] == [100, 50]
    assert [line.unit_price for line in order.lines] == [None, None]


def test_item_column_counting_lines_is_no_article_number() -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, "PURCHASE ORDER", 20, bold=True).text(40, 80, "PO Number: 66-120")
    columns = [Col(40, 40, "Item"), Col(90, 250, "Description"), Col(350, 50, "Qty", "R"),
               Col(410, 60, "Price", "R")]
    sheet.table(140, columns, [["1", "Blue pen", "10", "1.10"], ["2", "Red pen", "5", "1.20"]])
    order = _parsed(sheet)
    assert [(line.line_number.value, line.sku, line.description.value) for line in order.lines] == [
        ("1", None, "Blue pen"), ("2", None, "Red pen")]


def test_bill_to_and_ship_to_side_by_side() -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, "PURCHASE ORDER", 20, bold=True).text(40, 80, "PO Number: 55-300")
    sheet.text(40, 110, "Bill To:", bold=True).text(300, 110, "Ship To:", bold=True)
    sheet.lines(40, 124, ["Initech GmbH", "Buchhaltung", "Postfach 100", "10115 Berlin"])
    sheet.lines(300, 124, ["Initech GmbH Werk Nord", "Nordring 3", "20095 Hamburg", "Germany"])
    sheet.table(220, ENGLISH_COLUMNS, _english_rows(1, 2))
    order = _parsed(sheet)
    assert _address(order) == ("Initech GmbH Werk Nord", "Nordring 3", "20095", "Hamburg", "DE")
    assert order.customer_name.value == "Initech GmbH" and order.customer_name.confidence == 0.6


@pytest.mark.parametrize(("title", "kind"), [
    ("Purchase Order Change", "change"), ("Bestelländerung", "change"),
    ("Order Cancellation", "cancel"), ("Annulation de commande", "cancel"),
])
def test_change_and_cancellation_titles(title: str, kind: str) -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, title, 20, bold=True).text(40, 80, "PO Number: 44-001")
    sheet.table(140, ENGLISH_COLUMNS, _english_rows(1, 1))
    order = _parsed(sheet)
    assert order.kind == kind
    assert order.references_po.value == "44-001"


def test_a_large_company_name_with_order_in_it_does_not_hide_the_invoice_title() -> None:
    sheet = Sheet().page()
    sheet.text(40, 30, "Mail Order Supplies Ltd", 24, bold=True).text(400, 70, "INVOICE", 18, bold=True)
    sheet.table(140, ENGLISH_COLUMNS, _english_rows(1, 2))
    result = parse(sheet.bytes())
    assert result.orders == [] and "invoice" in result.not_an_order


def test_quantity_with_unclear_decimal_mark_is_not_confident() -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, "Purchase Order", 20, bold=True).text(40, 80, "PO Number: 77-100")
    columns = [Col(40, 80, "Item No"), Col(130, 200, "Description"), Col(340, 50, "Qty", "R")]
    sheet.table(140, columns, [["X-1", "Bolt", "1.000"], ["X-2", "Nut", "2.500"]])
    order = _parsed(sheet)
    assert [line.quantity.value for line in order.lines] == [Decimal("1.000"), Decimal("2.500")]
    assert not any(line.quantity.confident for line in order.lines)


def test_instruction_inside_the_item_table_is_not_folded_into_a_description() -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, "PURCHASE ORDER", 20, bold=True).text(40, 80, "PO Number: 66-121")
    rows = _english_rows(1, 2) + [["", "", "Please ship both lines together", "", "", "", ""]]
    sheet.table(140, ENGLISH_COLUMNS, rows)
    order = _parsed(sheet)
    assert [line.description.value for line in order.lines] == ["Widget model 1", "Widget model 2"]
    assert [e.text for e in order.unexplained] == ["Please ship both lines together"]


def test_bracketed_code_in_the_description_is_the_article_number() -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, "Purchase Order #P00012", 20, bold=True)
    columns = [Col(40, 250, "Description"), Col(300, 60, "Qty", "R"), Col(370, 80, "Unit Price", "R"),
               Col(460, 90, "Amount", "R")]
    sheet.table(120, columns, [["[FURN_7777] Office Chair", "2.00 Units", "70.00", "140.00"]])
    order = _parsed(sheet)
    assert order.po_number.value == "P00012"
    line = order.lines[0]
    assert (line.sku.value, line.sku.confidence, line.quantity.value, line.uom.value) == (
        "FURN_7777", 0.9, Decimal("2.00"), "Units")


def test_items_on_a_page_after_a_subtotal_are_not_dropped() -> None:
    sheet = Sheet().page()
    _english_header(sheet)
    y = sheet.table(140, ENGLISH_COLUMNS, _english_rows(1, 30))
    sheet.text(440, y + 6, "Subtotal").text(495, y + 6, "1,234.00", align="R", width=60)
    sheet.page()
    y = 60.0
    for row in _english_rows(31, 3):
        for column, cell in zip(ENGLISH_COLUMNS, row, strict=True):
            sheet.text(column.x, y, cell, 9, align=column.align, width=column.width)
        y += 16
    sheet.text(440, y + 10, "Total")
    order = _parsed(sheet)
    assert len(order.lines) == 33
    assert not order.lines[32].quantity.confident


def test_values_printed_without_a_gap_are_not_trusted() -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, "PURCHASE ORDER", 20, bold=True).text(40, 80, "PO Number: 66-122")
    for x, header in ((40, "Item No"), (130, "Description"), (310, "Qty"), (350, "Price")):
        sheet.text(x, 140, header, 9, bold=True)
    columns = [Col(40, 80, ""), Col(130, 150, ""), Col(290, 50, "", "R"), Col(341, 60, "")]
    sheet.table(140, columns, [["X-1", "Bolt", "12", "535.34"], ["X-2", "Nut", "3", "1.50"]])
    order = _parsed(sheet)
    first = order.lines[0]  # pdfplumber reads one word "12535.34" across Qty and Price
    assert first.quantity is None or not first.quantity.confident
    assert order.uncertain


# --- generated layouts: whatever is read confidently must be right -----------------------

_HEADERS = {
    "en": {"sku": ["Item No", "Part Number", "SKU"], "description": ["Description", "Product"],
           "quantity": ["Qty", "Quantity"], "uom": ["Unit", "UOM"], "unit_price": ["Unit Price", "Net Price"],
           "line_total": ["Amount", "Line Total"]},
    "de": {"sku": ["Art.-Nr.", "Artikelnummer"], "description": ["Bezeichnung", "Beschreibung"],
           "quantity": ["Menge", "Anzahl"], "uom": ["Einheit", "ME"],
           "unit_price": ["Einzelpreis", "E-Preis"], "line_total": ["Gesamt", "Gesamtpreis"]},
    "fr": {"sku": ["Réf.", "Code article"], "description": ["Désignation", "Libellé"],
           "quantity": ["Qté", "Quantité"], "uom": ["Unité"], "unit_price": ["Prix unitaire HT", "P.U."],
           "line_total": ["Montant HT", "Total HT"]},
    "da": {"sku": ["Varenr.", "Varenummer"], "description": ["Beskrivelse", "Betegnelse"],
           "quantity": ["Antal", "Mængde"], "uom": ["Enhed"], "unit_price": ["Stykpris", "Enhedspris"],
           "line_total": ["Beløb", "I alt"]},
    "nl": {"sku": ["Artikelnummer", "Productcode"], "description": ["Omschrijving"],
           "quantity": ["Aantal", "Hoeveelheid"], "uom": ["Eenheid"], "unit_price": ["Prijs", "Stukprijs"],
           "line_total": ["Bedrag", "Totaal"]},
}
_TITLES = {"en": ("PURCHASE ORDER", "PO Number:"), "de": ("BESTELLUNG", "Bestellnummer:"),
           "fr": ("BON DE COMMANDE", "N° de commande :"), "da": ("INDKØBSORDRE", "Ordrenummer:"),
           "nl": ("INKOOPORDER", "Ordernummer:")}
_WIDTHS = {"sku": 70, "description": 170, "quantity": 62, "uom": 45, "unit_price": 85, "line_total": 85}


def _amount(value: Decimal, comma: bool) -> str:
    text = f"{value:,.2f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".") if comma else text


def _generated(seed: int) -> tuple[bytes, str, list[tuple[str, Decimal, Decimal]]]:
    """A random order: language, column order, alignment, centred headers, rules, wrapping."""
    rnd = random.Random(seed)
    language = rnd.choice(sorted(_HEADERS))
    comma = language != "en"
    roles = ["sku", "description", "quantity", "unit_price", "line_total"]
    if rnd.random() < 0.5:
        roles.insert(3, "uom")
    if rnd.random() < 0.3:
        rnd.shuffle(roles)
    columns, x = [], 40.0
    for role in roles:
        numeric = role in ("quantity", "unit_price", "line_total")
        columns.append(Col(x, _WIDTHS[role], rnd.choice(_HEADERS[language][role]),
                           "R" if numeric and rnd.random() < 0.8 else "L"))
        x += _WIDTHS[role] + rnd.choice([4, 8, 14])
    truth, rows = [], []
    for n in range(rnd.randint(1, 10)):
        quantity = rnd.choice([1, 2, 5, 12, 24, 100, 250, 1000, 1500])
        price = Decimal(rnd.randint(5, 99999)) / 100
        sku = f"{rnd.choice('ABCDEFGH')}{rnd.randint(10, 999)}-{rnd.randint(1, 99)}"
        written = f"{quantity:,}".replace(",", "." if comma else ",")
        description = f"Article {n + 1}" + ("\nsecond line" if rnd.random() < 0.2 else "")
        cells = {"sku": sku, "description": description, "quantity": written, "uom": "pcs",
                 "unit_price": _amount(price, comma), "line_total": _amount(price * quantity, comma)}
        rows.append([cells[role] for role in roles])
        truth.append((sku, Decimal(quantity), price))
    sheet = Sheet().page()
    title, label = _TITLES[language]
    po = f"{rnd.randint(1000, 99999)}-{rnd.randint(1, 9)}"
    sheet.text(40, 40, "Buyer Company", 15, bold=True).text(360, 40, title, 18, bold=True)
    sheet.text(360, 75, label).text(470, 75, po)
    if rnd.random() < 0.4:  # headers centred over their columns
        for column in columns:
            sheet.pdf.set_font("Helvetica", "B", 9)
            sheet.text(column.x + (column.width - sheet.pdf.get_string_width(column.header)) / 2, 170,
                       column.header, 9, bold=True)
        columns = [Col(c.x, c.width, "", c.align) for c in columns]
    y = sheet.table(170, columns, rows, rules=rnd.random() < 0.4, pitch=rnd.choice([13, 15, 18]))
    sheet.text(360, y + 12, "Total").text(470, y + 12, _amount(Decimal(10), comma), align="R", width=80)
    return sheet.bytes(), po, truth


@pytest.mark.parametrize("seed", range(40))
def test_generated_layouts_are_never_read_wrongly_with_confidence(seed: int,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "LIMITED", False)
    data, po, truth = _generated(seed)
    order = _only(parse(data))
    assert order.po_number.value == po
    if not order.uncertain:
        assert len(order.lines) == len(truth)
    for line, (sku, quantity, price) in zip(order.lines, truth, strict=False):
        for read, expected in ((line.sku, sku), (line.quantity, quantity), (line.unit_price, price)):
            assert read is None or not read.confident or read.value == expected


# --- documents that are no orders, and unreadable ones -----------------------------------


@pytest.mark.parametrize(("title", "kind"), [
    ("RECHNUNG", "invoice"), ("Facture N° 2025-118", "invoice"), ("Angebot", "quotation"),
    ("Lieferschein 4711", "delivery note"), ("Credit Note", "credit note"),
    ("Auftragsbestätigung", "order confirmation"), ("Statement of Account", "statement"),
    ("Preisliste 2025", "price list"), ("Request for Quotation", "quotation"),
])
def test_documents_that_call_themselves_something_else_are_no_orders(title: str, kind: str) -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, "Musterfirma GmbH", 12).text(350, 40, title, 22, bold=True)
    sheet.text(40, 90, "Bestellnummer: 4500012345")
    sheet.table(140, GERMAN_COLUMNS, [["1", "100-200", "Schraube", "10", "Stk", "1,00", "10,00"]])
    result = parse(sheet.bytes())
    assert result.orders == [] and kind in result.not_an_order


def test_a_page_with_no_order_content_is_no_order() -> None:
    sheet = Sheet().page()
    sheet.lines(40, 40, ["Dear customer,", "our new catalogue is out.", "Best regards, the team"])
    result = parse(sheet.bytes())
    assert result.orders == [] and "no order content" in result.not_an_order


def test_image_only_pdf_has_no_text_layer() -> None:
    sheet = Sheet().page()
    for n in range(12):
        sheet.pdf.rect(40, 40 + n * 30, 500, 20, style="F")
    order = _only(parse(sheet.bytes()))
    assert order.lines == [] and order.po_number is None
    assert order.uncertain == ["the PDF has no text layer (scanned?): a person must key it"]


def test_a_po_without_a_table_is_uncertain_not_rejected() -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, "PURCHASE ORDER", 20, bold=True).text(40, 80, "PO Number: 7781")
    sheet.text(40, 100, "Please send us the usual quantities as last month.")
    order = _only(parse(sheet.bytes()))
    assert order.po_number.value == "7781"
    assert "no item table could be read" in order.uncertain
    assert order.unexplained[0].text == "Please send us the usual quantities as last month."


def test_too_many_pages_is_refused() -> None:
    sheet = Sheet()
    for _ in range(60):
        sheet.page().text(40, 40, "PURCHASE ORDER")
    with pytest.raises(ParseError, match="too many pages"):
        parse(sheet.bytes())


def test_truncated_pdf_is_refused() -> None:
    data = _german_order().bytes()
    with pytest.raises(ParseError, match="truncated"):
        parse(data[: len(data) // 2])


@pytest.mark.parametrize("data", [b"", b"hello", b"PK\x03\x04", b"%PDF-1.7\n%%EOF", b"%PDF" + b"\x00" * 100])
def test_bytes_that_are_no_pdf_are_refused(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse(data)


def test_oversized_pdf_is_refused_before_reading() -> None:
    with pytest.raises(ParseError, match="20 MB"):
        parse(b"%PDF-1.7\n" + b"0" * (21 * 1024 * 1024))


def _word_pages(data: bytes) -> list[tuple[list[dict], list[dict], dict[str, list[dict]]]]:
    """Per page: pdfplumber's own words and shapes, and the words of our lean characters."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as document:
        for page in document.pages:
            options = {"keep_blank_chars": False, "use_text_flow": False, "extra_attrs": ["size"]}
            theirs = page.extract_words(**options)
            shapes = {kind: page.objects.get(kind, []) for kind in ("rect", "line", "curve", "image")}
            page.close()
            chars, ours = pdf_parser._page_objects(page)
            pages.append((theirs, extract_words(chars, **options), shapes,
                          {kind: ours[kind] for kind in shapes}))
    return pages


def _word_samples() -> list[bytes]:
    samples = [_dutch_order().bytes(), _grid_order(), _multi_page_order().bytes(),
               *(_generated(seed)[0] for seed in range(8))]
    if PDF_DIR.is_dir():
        samples += [path.read_bytes() for path in sorted(PDF_DIR.rglob("*.pdf"))]
    return samples


def test_lean_characters_give_pdfplumbers_own_words_and_shapes() -> None:
    # _page_objects skips pdfplumber's twenty-attribute character dicts; the words
    # it leads to, and the rules and images, must be exactly pdfplumber's.
    for data in _word_samples():
        for theirs, ours, their_shapes, our_shapes in _word_pages(data):
            assert ours == theirs
            assert our_shapes == their_shapes


def test_reading_runs_in_a_limited_child(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []
    original = sandbox.run_limited

    def spy(func, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        return original(func, *args, **kwargs)

    monkeypatch.setattr(pdf_parser.sandbox, "run_limited", spy)
    assert _parsed(_dutch_order()).po_number.value == "IO-3391"
    assert calls == [{"timeout_s": 30, "memory_mb": 1024, "warm": True}]


def test_in_process_reading_gives_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _french_order().bytes()
    forked = parse(data)
    monkeypatch.setattr(sandbox, "LIMITED", False)
    assert parse(data) == forked


# --- hostile input -------------------------------------------------------------------------

_VALID = _dutch_order().bytes()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=400).map(lambda tail: b"%PDF-1.4\n" + tail + b"\n%%EOF"),
        st.binary(max_size=400),
        st.tuples(st.integers(0, len(_VALID) - 1), st.binary(min_size=1, max_size=40)).map(
            lambda cut: _VALID[: cut[0]] + cut[1] + _VALID[cut[0] + len(cut[1]):]),
    )
)
def test_random_and_mutated_bytes_never_raise_anything_but_parse_error(data: bytes) -> None:
    try:
        result = parse(data)
    except ParseError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert isinstance(result, ParseResult)


def test_mutated_pdf_still_parses_with_the_reader_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "LIMITED", False)
    broken = _VALID.replace(b"/Type /Page", b"/Type /Pgae", 1)
    try:
        result = parse(broken)
    except ParseError:
        return
    assert isinstance(result, ParseResult)


def test_parse_accepts_leading_whitespace() -> None:
    assert _only(parse(b"\n  " + _dutch_order().bytes())).po_number.value == "IO-3391"


def test_sheet_helper_writes_a_pdf() -> None:
    assert io.BytesIO(Sheet().page().text(40, 40, "x").bytes()).read(4) == b"%PDF"
    assert CONFIDENT == 0.9


# --- labels, addresses and numbers seen in customers' layouts ------------------------------


def test_a_value_beginning_with_po_beside_its_label_is_read_once() -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, "Société Dupont SARL", 16, bold=True).text(360, 40, "BON DE COMMANDE", 20, bold=True)
    sheet.text(340, 80, "N° de commande:").text(450, 80, "PO-28686")
    sheet.text(340, 94, "Date:").text(450, 94, "20/11/2026")
    sheet.table(140, ENGLISH_COLUMNS, _english_rows(1, 2))
    order = _parsed(sheet)
    assert order.po_number.value == "PO-28686" and order.po_number.confident
    assert not any("PO number" in entry for entry in order.uncertain)


def _british_ship_to(lines: list[str]) -> OrderDraft:
    sheet = Sheet().page()
    _english_header(sheet)
    sheet.text(40, 110, "Buyer", bold=True).text(300, 110, "Ship to", bold=True)
    sheet.lines(40, 124, ["Acme Industries Ltd", "18 Trafford Park Road", "Bristol", "BS11 2DJ"])
    sheet.lines(300, 124, lines)
    sheet.table(220, ENGLISH_COLUMNS, _english_rows(1, 2))
    return _parsed(sheet)


def test_british_postcode_on_its_own_line_below_the_town() -> None:
    order = _british_ship_to(["Acme Industries Ltd Plant Leeds", "59 Station Road", "Leeds", "LS10 4JA",
                              "United Kingdom"])
    assert _address(order) == ("Acme Industries Ltd Plant Leeds", "59 Station Road", "LS10 4JA", "Leeds",
                               "GB")
    assert not any("ship-to" in entry for entry in order.uncertain)


def test_a_lone_postcode_below_a_street_with_a_number_is_no_town() -> None:
    order = _british_ship_to(["Acme Industries Ltd Plant Leeds", "59 Station Road", "LS10 4JA"])
    assert order.ship_to.city is None
    assert any("ship-to address could not be read" in entry for entry in order.uncertain)


def test_swedish_postal_code_with_a_space() -> None:
    sheet = Sheet().page()
    _english_header(sheet)
    sheet.text(300, 110, "Deliver to:", bold=True)
    sheet.lines(300, 124, ["Norrbro Elteknik AB", "Företagsvägen 141", "726 28 Västerås", "Sverige"])
    sheet.table(220, ENGLISH_COLUMNS, _english_rows(1, 2))
    order = _parsed(sheet)
    assert _address(order) == ("Norrbro Elteknik AB", "Företagsvägen 141", "726 28", "Västerås", "SE")


def test_point_decimals_in_descriptions_do_not_unsettle_the_decimal_comma() -> None:
    rows = [["1", "FAS-264", "Scheibe 13 mm A2, Festigkeit 10.9", "1.000", "Stk", "0,0542", "54,20"],
            ["2", "HYD-076", "Hydrauliköl 2.5 l", "2", "Stk", "4,50", "9,00"]]
    order = _parsed(_german_order(rows))
    assert [line.quantity.value for line in order.lines] == [Decimal("1000"), Decimal("2")]
    assert all(_all_confident(line) for line in order.lines)


def _dutch_quantities(quantity: str, unit: str) -> OrderDraft:
    sheet = Sheet().page()
    sheet.text(40, 40, "Bakkerij Jansen B.V.", 16, bold=True).text(400, 40, "INKOOPORDER", 20, bold=True)
    sheet.text(40, 90, "Ordernummer: IO-3392").text(40, 104, "Datum: 07-04-2025")
    columns = [Col(40, 70, "Artikel"), Col(115, 190, "Omschrijving"), Col(310, 50, "Eenheid"),
               Col(365, 45, "Aantal", "R")]
    sheet.table(160, columns, [["BR-001", "Tarwebloem", "EA", "5"], ["BR-014", "Roomboter", unit, quantity]])
    return _parsed(sheet)


def test_a_counted_unit_settles_a_quantity_the_language_reads_as_whole() -> None:
    order = _dutch_quantities("1.500", "EA")
    assert order.lines[1].quantity.value == Decimal("1500") and order.lines[1].quantity.confident


@pytest.mark.parametrize(("quantity", "unit"), [("1.000", "EA"), ("1.500", "m"), ("1,500", "EA")])
def test_a_quantity_that_reads_two_plausible_ways_stays_unconfident(quantity: str, unit: str) -> None:
    order = _dutch_quantities(quantity, unit)
    assert not order.lines[1].quantity.confident


def test_a_house_number_is_no_postal_code() -> None:
    sheet = Sheet().page()
    _english_header(sheet)
    sheet.text(300, 110, "Ship to", bold=True)
    sheet.lines(300, 124, ["Redwood Ridge Manufacturing LLC", "9288 W Fulton St", "Houston, 77072"])
    sheet.table(220, ENGLISH_COLUMNS, _english_rows(1, 2))
    order = _parsed(sheet)
    assert _address(order) == ("Redwood Ridge Manufacturing LLC", "9288 W Fulton St", "77072", "Houston",
                               None)


def test_a_street_alone_gives_no_postal_code() -> None:
    sheet = Sheet().page()
    _english_header(sheet)
    sheet.text(300, 110, "Ship to", bold=True)
    sheet.lines(300, 124, ["Redwood Ridge Manufacturing LLC", "9288 W Fulton St"])
    sheet.table(220, ENGLISH_COLUMNS, _english_rows(1, 2))
    order = _parsed(sheet)
    assert order.ship_to.postal_code is None
    assert any("ship-to address could not be read" in entry for entry in order.uncertain)


def test_a_currency_named_outside_the_table_is_read_and_two_are_a_doubt():
    def document(*extra: str) -> bytes:
        doc = FPDF()
        doc.add_page()
        doc.set_font("Helvetica", size=10)
        for text in ("PURCHASE ORDER", "PO number: 4500025854", *extra, "Item  Description  Qty",
                     "A-1  Widget  3", "B-2  Gadget  5"):
            doc.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        return bytes(doc.output())

    [order] = parse(document("Currency Contact", "EUR Oliver Walker")).orders
    assert (order.currency.value, order.currency.confidence) == ("EUR", 0.9)
    [order] = parse(document("Prices in EUR, freight in GBP")).orders
    assert order.currency is None
    assert "the document names several currencies: EUR, GBP" in order.uncertain


# --- layout classes of issue 14 ----------------------------------------------------------------


def _overprinted(sheet: Sheet, x: float, y: float, text: str, size: float = 10, copies: int = 3) -> None:
    """Bold the way line printers draw it: the same glyphs again, a fraction of a point along."""
    for copy in range(copies):
        sheet.text(x + 0.3 * copy, y + 0.1 * copy, text, size)


def _overprinted_order(copies: int) -> Sheet:
    sheet = Sheet().page()
    _overprinted(sheet, 380, 40, "PURCHASE ORDER", 18, copies)
    _overprinted(sheet, 380, 70, "PO Number:", copies=copies)
    sheet.text(460, 70, "77-4410")
    _overprinted(sheet, 380, 84, "Order Date:", copies=copies)
    sheet.text(460, 84, "2025-06-12")
    for column in ENGLISH_COLUMNS:
        _overprinted(sheet, column.x, 140, column.header, 9, copies)
    y = 160.0
    for row in _english_rows(1, 3):
        for column, cell in zip(ENGLISH_COLUMNS, row, strict=True):
            sheet.text(column.x, y, cell, 9, align=column.align, width=column.width)
        y += 16
    return sheet


@pytest.mark.parametrize("copies", [2, 3, 4])
def test_overprinted_bold_labels_and_headers_are_read_once(copies: int) -> None:
    order = _parsed(_overprinted_order(copies))
    assert order.po_number.value == "77-4410" and order.po_number.confident
    assert order.order_date.value == date(2025, 6, 12)
    assert [_line(line) for line in order.lines] == [
        (f"EN-{n:04d}", Decimal(n % 7 + 1), "EA", Decimal(f"{n}.25")) for n in range(1, 4)]
    assert all(_all_confident(line) for line in order.lines)


def test_real_double_letters_in_a_small_font_are_no_overprint() -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, "Pallet roller skill illi", 4)
    sheet.text(40, 60, "Pallet roller skill illi", 14)
    words = [w.text for line in pdf_parser._read_pages(sheet.bytes())[0].lines for w in line.words]
    assert words == ["Pallet", "roller", "skill", "illi"] * 2


def test_a_price_written_with_its_unit_is_read_per_that_unit() -> None:
    sheet = Sheet().page()
    _english_header(sheet)
    columns = [Col(40, 30, "Line"), Col(75, 70, "Item No"), Col(150, 190, "Description"),
               Col(345, 50, "Qty", "R"), Col(420, 60, "Unit Price", "R")]
    sheet.table(140, columns, [["1", "EN-0001", "Widget", "540", "4.61/Ea"],
                               ["2", "EN-0002", "Gadget", "510/EA", "5.05 EA"]])
    order = _parsed(sheet)
    assert [(line.quantity.value, line.uom.value, line.unit_price.value) for line in order.lines] == [
        (540, "EA", Decimal("4.61")), (510, "EA", Decimal("5.05"))]
    assert not any("could not be read" in doubt for doubt in order.uncertain)


def test_a_price_per_another_unit_than_the_quantity_is_uncertain() -> None:
    sheet = Sheet().page()
    _english_header(sheet)
    sheet.table(140, ENGLISH_COLUMNS, [["1", "EN-0001", "Widget", "12", "CS", "4.61/Ea", "55.32"]])
    order = _parsed(sheet)
    assert any("the price is per EA, the quantity in CS" in doubt for doubt in order.uncertain)


def test_terms_running_across_the_table_columns_are_no_items() -> None:
    # Printed terms below the items: their words fall into the quantity and price columns.
    terms = ["", "Seller", "shall deliver as stated on the face", "on the face of", "this order and",
             "the other for any", "delay or failure"]
    sheet = Sheet().page()
    _english_header(sheet)
    sheet.table(140, ENGLISH_COLUMNS, [*_english_rows(1, 2), terms])
    order = _parsed(sheet)
    assert len(order.lines) == 2
    assert not any("could not be read" in doubt for doubt in order.uncertain)


def _label_grid_order(fob: str = "F.O.B.") -> Sheet:
    """Header fields as a grid of small label cells over their values, blocks side by side."""
    sheet = Sheet().page()
    sheet.text(380, 30, "PURCHASE ORDER", 18, bold=True)
    sheet.text(40, 60, "Vendor:", bold=True).text(220, 60, "Bill To:", bold=True)
    sheet.text(400, 60, "Ship To:", bold=True).text(460, 60, "WH-7")
    sheet.lines(40, 74, ["Northwind Supply Co", "88 Commerce Way", "Dayton OH 45402"])
    sheet.lines(220, 74, ["Tailspin Foods Inc", "PO Box 4410", "Reno NV 89501"])
    sheet.lines(400, 74, ["Tailspin Plant 3", "12 Mill Road"])
    sheet.text(400, 102, "Fresno CA").text(460, 102, "93706")
    labels = ["P.O. NUMBER", "DATE", fob, "DEPARTMENT", "TERMS"]
    values = ["TS90417", "3/22/25", "DESTINATION", "", "NET 30"]
    for x, label, value in zip((40, 130, 220, 320, 450), labels, values, strict=True):
        sheet.text(x, 150, label, 6)
        sheet.text(x - 4, 164, value, 10)
    sheet.table(200, ENGLISH_COLUMNS, _english_rows(1, 2))
    return sheet


def test_grid_labels_take_the_value_below_not_the_next_label() -> None:
    order = _parsed(_label_grid_order())
    assert order.po_number.value == "TS90417" and order.po_number.confident
    assert order.order_date.value == date(2025, 3, 22)
    assert len(order.lines) == 2


def test_side_by_side_blocks_read_the_ship_to_from_its_own_column() -> None:
    order = _parsed(_label_grid_order())
    # The code beside the label and the indented block under it are the ship-to's; the
    # vendor's and the bill-to's lines on the same rows are not.
    assert _address(order) == ("WH-7 Tailspin Plant 3", "12 Mill Road", "93706", "Fresno", "US")


def test_a_value_beside_its_label_still_wins_over_the_line_below() -> None:
    sheet = Sheet().page()
    sheet.text(40, 40, "PURCHASE ORDER", 18, bold=True)
    sheet.text(40, 80, "PO Number:").text(130, 80, "PX-5521")
    sheet.text(40, 94, "Reference 7781-22")
    sheet.text(40, 110, "Order Date:").text(130, 110, "2025-04-09")
    sheet.text(40, 124, "12.03.2025 price list")
    sheet.table(160, ENGLISH_COLUMNS, _english_rows(1, 1))
    order = _parsed(sheet)
    assert order.po_number.value == "PX-5521"
    assert order.order_date.value == date(2025, 4, 9)


def test_combined_number_and_date_label_over_a_page_of_small_print_terms() -> None:
    sheet = Sheet().page()
    sheet.text(300, 40, "Purchase order", 14)
    sheet.text(300, 70, "PO number/date", 8).text(300, 80, "7300112233 / 02/24/2025", 10)
    sheet.text(40, 70, "Company Address", 8)
    sheet.lines(40, 80, ["Fabrikam Works", "1 Foundry Lane", "Akron, OH 44308"])
    sheet.table(160, ENGLISH_COLUMNS, _english_rows(1, 2))
    sheet.page()
    terms = "The seller shall deliver the goods in accordance with these terms. " * 2
    for row in range(90):  # the terms outweigh the front page: the document's body is 5 pt
        sheet.text(30, 30 + row * 8, terms, 5)
    order = _parsed(sheet)
    assert order.po_number.value == "7300112233"
    assert order.order_date.value == date(2025, 2, 24)


def test_a_note_row_spilling_under_the_prices_is_no_item() -> None:
    columns = [Col(40, 50, "QUANTITY", "R"), Col(110, 80, "ITEM NO."), Col(200, 180, "DESCRIPTION"),
               Col(390, 30, "U/M"), Col(430, 60, "UNIT PRICE", "R"), Col(500, 60, "AMOUNT", "R")]
    sheet = Sheet().page()
    sheet.text(40, 40, "PURCHASE ORDER", 18, bold=True).text(40, 70, "PO Number: 61-2207")
    y = 120.0
    sheet.table(y, [Col(c.x, c.width, c.header, c.align) for c in columns], [])
    for n, row in enumerate((["540", "PLT-48", "Pallet 48x40 heat treated", "EA", "9.0000", "4,860.00"],
                             ["20", "STR-10", "Strap, 10 m", "EA", "1.5000", "30.00"])):
        top = y + 20 + n * 40
        for column, cell in zip(columns, row, strict=True):
            sheet.text(column.x, top, cell, 9, align=column.align, width=column.width)
        sheet.text(110, top + 12, "NOTE:", 9).text(430, top + 12, "Date Required", 9)
        sheet.text(500, top + 12, "03/14/2025", 9)
    order = _parsed(sheet)
    assert [_line(line) for line in order.lines] == [
        ("PLT-48", Decimal("540"), "EA", Decimal("9.0000")),
        ("STR-10", Decimal("20"), "EA", Decimal("1.5000")),
    ]


def _letter(rows: list[list[str]], *below: str, labels: tuple[str, ...] = ()) -> OrderDraft:
    sheet = Sheet().page()
    _english_header(sheet)
    for index, label in enumerate(labels):
        sheet.text(40, 100 + 14 * index, label)
    y = sheet.table(160, ENGLISH_COLUMNS, rows)
    for index, text in enumerate(below):
        sheet.text(40, y + 30 + 14 * index, text)
    return _parsed(sheet)


def test_a_remark_in_a_language_no_instruction_list_knows_is_unexplained() -> None:
    order = _letter(_english_rows(1, 2), "Anmärkning:",
                    "Ring Anders Eriksson en timme innan ni kommer, annars står grinden stängd.")
    assert any("Ring Anders" in evidence.text for evidence in order.unexplained)


def test_a_unit_no_vocabulary_knows_is_kept_not_dropped() -> None:
    # Dropped, "9 bossen" (bundles of ten) executed as 9 pieces.
    columns = [Col(40, 30, "Line"), Col(75, 70, "Item No"), Col(150, 190, "Description"),
               Col(345, 60, "Qty", "R")]
    sheet = Sheet().page()
    _english_header(sheet)
    sheet.table(140, columns, [["1", "EN-0001", "Threaded rod", "9 bossen"]])
    (line,) = _parsed(sheet).lines
    assert (line.quantity.value, line.uom.value) == (9, "bossen")


def test_a_delivery_date_label_whose_value_cannot_be_read_makes_the_order_uncertain() -> None:
    order = _letter(_english_rows(1, 1), labels=("Delivery date: week 8",))  # which year?
    assert order.requested_date is None
    assert any("week 8" in doubt for doubt in order.uncertain)
    dated = _letter(_english_rows(1, 1), labels=("Delivery date: week 8/2027",))
    assert dated.requested_date.value == date(2027, 2, 22)  # its Monday
    assert not any("date" in doubt for doubt in dated.uncertain)


def test_a_date_no_field_took_makes_the_order_uncertain() -> None:
    order = _letter(_english_rows(1, 1), "Bezorgdatum 24/11/2027")
    assert any("a date no field took" in doubt and "24/11/2027" in doubt for doubt in order.uncertain)
    same = _letter(_english_rows(1, 1), "Hamburg, 2025-05-02")  # the order date again
    assert not any("a date no field took" in doubt for doubt in same.uncertain)


def test_printed_terms_are_no_instruction_but_a_remark_among_them_still_is() -> None:
    clauses = ["1. Scope. These terms apply to every order we place unless agreed otherwise.",
               "2. Delivery. The supplier shall notify us at once of any foreseeable delay.",
               "3. Packaging. The goods shall be packed so that they are protected in transport."]
    order = _letter(_english_rows(1, 1), *clauses)
    assert order.unexplained == []
    alone = _letter(_english_rows(1, 1), clauses[1])
    assert [evidence.text for evidence in alone.unexplained] == [clauses[1]]


def test_the_letter_date_line_is_no_delivery_date() -> None:
    order = _letter(_english_rows(1, 1), labels=("Bristol, 07/12/2026",))
    assert not any("a date no field took" in doubt for doubt in order.uncertain)
