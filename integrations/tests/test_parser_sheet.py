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
    assert order.notes == [] and order.unexplained == []  # "Bestellung" is the title
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
    address = order.ship_to
    assert values([address.name, address.street, address.postal_code, address.city]) == [
        "Acme GmbH", "Hauptstr. 5", None, "Berlin",
    ]
    assert not address.name.confident and not address.street.confident  # no postal code: half an address
    assert address.street.evidence.line == 5


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
    assert order.notes == [] and order.unexplained == []  # a sign-off asks for nothing


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


def test_text_after_the_table_is_unexplained_but_signoffs_are_dropped():
    text = "PO;4711\nSKU;Qty\nA;1\n\nPlease deliver to gate 3 only\nKind regards\n"
    order = only_order(parse_text(text))
    assert [e.text for e in order.unexplained] == ["Please deliver to gate 3 only"]
    assert order.unexplained[0].line == 5
    assert order.notes == []


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


# ------------------------------------------------------- the header block of a form

FORM = """Nordhafen Maschinenbau GmbH
Hafenstraße 12
20457 Hamburg
Tel.: +49 40 1234567
BESTELLUNG
Seite;1 von 1
USt-IdNr.;DE123456789
Ansprechpartner;Anna Neumann
E-Mail;anna.neumann@nordhafen.example
Lieferant;OrderDesk Demo Supply GmbH
Bestellnummer;NMG-4711
Pos;Artikel;Menge;Einheit
1;A-1;5;Stk
"""


def test_form_header_block_gives_names_and_no_free_text():
    order = only_order(parse_text(FORM))
    assert order.po_number.value == "NMG-4711"
    assert (order.customer_name.value, order.customer_name.confidence) == ("Nordhafen Maschinenbau GmbH", 0.6)
    assert order.customer_name.evidence.line == 1
    assert order.sender_email.value == "anna.neumann@nordhafen.example"
    assert order.sender_email.confidence == 0.8
    assert order.notes == [] and order.unexplained == [] and order.uncertain == []


@pytest.mark.parametrize(
    "title", ["PURCHASE ORDER", "Bestellung", "BON DE COMMANDE", "BESTILLING", "BESTELLING", "INKOOPORDER"]
)
def test_document_titles_are_framing(title):
    order = only_order(parse_text(f"{title}\nPO;4711\nSKU;Qty\nA;1\n"))
    assert order.notes == [] and order.unexplained == []
    assert order.customer_name is None


@pytest.mark.parametrize(
    "row",
    [
        "Contact;Oliver Walker", "Contact Oliver Walker", "Kontakt: Mikkel Christensen",
        "Contactpersoon;Bram Mulder", "Tel;+44 113 496 0000", "Fax: 040 123456-99", "Page;1 of 2",
        "VAT No;GB 123 4567 89", "Vendor;Supply Co",
        "Fournisseur : OrderDesk Demo Supply GmbH", "Acheteur;Antoine Martin", "E-mail;buyer@acme.example",
        "Remarks;-", "Bemerkungen: keine",
    ],
)
def test_harmless_labels_are_no_instruction(row):
    order = only_order(parse_text(f"{row}\nPO;4711\nSKU;Qty\nA;1\n"))
    assert order.notes == [] and order.unexplained == []


@pytest.mark.parametrize(
    "line",
    [
        "Please deliver to our new warehouse",
        "Bitte stattdessen an Tor 3 liefern",
        "Merci de livrer avant 10h",
        "Venligst lever til lager 2",
        "Graag leveren in plaats van ophalen",
        "Can you split the delivery?",
        "Lager Nord",
        "REVISED PURCHASE ORDER",
        "Contact: please call before delivery",
        "Tel: call the gate on arrival",
    ],
)
def test_text_that_may_be_an_instruction_stays_unexplained(line):
    order = only_order(parse_text(f"Acme GmbH\n{line}\nPO;4711\nSKU;Qty\nA;1\n"))
    assert [e.text for e in order.unexplained] == [line]
    assert order.unexplained[0].line == 2
    assert order.customer_name.value == "Acme GmbH"


def test_remarks_are_the_documents_notes():
    order = only_order(parse_text("PO;4711\nRemarks;deliver after 10 am\nSKU;Qty\nA;1\n"))
    assert values(order.notes) == ["deliver after 10 am"]
    assert order.notes[0].evidence.line == 2


def test_title_next_to_the_company_name_is_no_po_number():
    order = only_order(parse_text("Pennine Fabrications Ltd;;PURCHASE ORDER\nPO Number;4711\nSKU;Qty\nA;1\n"))
    assert order.po_number.value == "4711"
    assert order.customer_name.value == "Pennine Fabrications Ltd"
    assert order.unexplained == [] and order.uncertain == []


def test_first_text_of_the_sheet_is_the_customer_name_when_it_reads_like_one():
    order = only_order(parse_text("Limmattal Praezision\nPO;4711\nSKU;Qty\nA;1\n"))
    assert order.customer_name.value == "Limmattal Praezision"
    order = only_order(parse_text("PO;4711\nLimmattal Praezision\nSKU;Qty\nA;1\n"))
    assert order.customer_name is None
    assert [e.text for e in order.unexplained] == ["Limmattal Praezision"]


def test_contact_email_is_not_taken_from_the_supplier():
    text = "Supplier;OrderDesk Demo Supply GmbH;orders@orderdesk.example\nPO;4711\nSKU;Qty\nA;1\n"
    order = only_order(parse_text(text))
    assert order.sender_email is None
    assert order.customer_name is None
    assert order.unexplained == []


def test_text_in_the_position_column_is_no_empty_template_row():
    order = only_order(parse_text("PO;4711\nPos;SKU;Qty\n1;A;1\nBitte stattdessen an Tor 3 liefern;;\n2;;\n"))
    assert [e.text for e in order.unexplained] == ["Bitte stattdessen an Tor 3 liefern;;"]
    assert len(order.lines) == 1


def test_pre_numbered_template_rows_are_still_filler():
    text = "PO;4711\nPos;SKU;Qty;Unit;Price\n1;A;1;Stk;2,50 €\n2;;;Stk;0,00 €\n3;;;;\n"
    order = only_order(parse_text(text))
    assert len(order.lines) == 1
    assert order.unexplained == [] and order.uncertain == []


# --------------------------------------------------------------- delivery address


def address_values(order):
    address = order.ship_to
    return values([address.name, address.street, address.postal_code, address.city, address.country])


def test_ship_to_in_one_cell_is_split_into_its_parts():
    text = "PO;4711\nShip to;Acme Ltd Warehouse, 59 Station Road, Leeds LS10 4JA\nSKU;Qty\nA;1\n"
    order = only_order(parse_text(text))
    assert address_values(order) == ["Acme Ltd Warehouse", "59 Station Road", "LS10 4JA", "Leeds", "GB"]
    assert order.ship_to.street.confidence == 1.0
    assert order.ship_to.street.evidence.line == 2
    assert order.unexplained == [] and order.uncertain == []


def test_ship_to_cells_right_of_the_label():
    text = "PO;4711\nLeveringsadresse;Kattegat Hydraulik A/S;Smedevej 35;6700;Esbjerg;DK\nVarenr.;Antal\nA;1"
    order = only_order(parse_text(text))
    assert address_values(order) == ["Kattegat Hydraulik A/S", "Smedevej 35", "6700", "Esbjerg", "DK"]
    assert order.ship_to.city.confident


def test_ship_to_block_below_its_label():
    text = (
        "Lieferadresse\nNordhafen Lager Süd\nIndustriestr. 4\n80331 München\nDeutschland\n\n"
        "Bestellnummer;4711\nArtikel;Menge\nA;1\n"
    )
    order = only_order(parse_text(text))
    assert address_values(order) == ["Nordhafen Lager Süd", "Industriestr. 4", "80331", "München", "DE"]
    assert order.ship_to.name.evidence.line == 2
    assert order.unexplained == []


def test_ship_to_lines_in_the_column_right_of_the_label():
    text = (
        "Adresse de livraison :;Atelier Sud SARL\n;5 rue de la Paix\n;75002 Paris\n;France\n"
        "N° de commande;CMD-1\nRéf.;Qté\nX;1\n"
    )
    order = only_order(parse_text(text))
    assert address_values(order) == ["Atelier Sud SARL", "5 rue de la Paix", "75002", "Paris", "FR"]
    assert order.po_number.value == "CMD-1"


def test_request_style_ship_to_label_and_dutch_address():
    text = (
        "Leveren aan: Van Steenwijk B.V., Nijverheidsweg 77, 5699 EA Eindhoven\n"
        "Ordernummer;NL-1\nArtikel;Aantal\nP;2\n"
    )
    order = only_order(parse_text(text))
    assert address_values(order) == ["Van Steenwijk B.V.", "Nijverheidsweg 77", "5699 EA", "Eindhoven", "NL"]
    assert order.unexplained == []


def test_ship_to_that_asks_for_something_is_also_unexplained():
    text = "PO;4711\nShip to;our new warehouse instead\nSKU;Qty\nA;1\n"
    order = only_order(parse_text(text))
    assert order.ship_to.name.value == "our new warehouse instead"
    assert not order.ship_to.name.confident
    assert [e.text for e in order.unexplained] == ["Ship to;our new warehouse instead"]


def test_address_line_that_is_no_address_part_is_unexplained():
    text = "Ship to;Acme GmbH;Hauptstr. 5;80331 München;Hintereingang\nPO;4711\nSKU;Qty\nA;1\n"
    order = only_order(parse_text(text))
    assert address_values(order) == ["Acme GmbH", "Hauptstr. 5", "80331", "München", None]
    assert [e.line for e in order.unexplained] == [1]


def test_two_different_ship_to_addresses_are_uncertain():
    text = (
        "Ship to;Acme, Hauptstr. 5, 80331 München\nDeliver to;Acme, Ring 1, 50667 Köln\n"
        "PO;4711\nSKU;Qty\nA;1\n"
    )
    order = only_order(parse_text(text))
    assert order.ship_to.city.value == "München"
    assert len(order.uncertain) == 1 and order.uncertain[0].startswith("delivery address given twice")


# -------------------------------------------------------------- labels and values


def test_values_in_the_row_below_their_labels():
    text = "PO Number;;Delivery date;Order date\n4711;;1 December 2026;20.11.2026\n\nSKU;Qty\nA;1\n"
    order = only_order(parse_text(text))
    assert values([order.po_number, order.requested_date, order.order_date]) == [
        "4711", date(2026, 12, 1), date(2026, 11, 20),
    ]
    assert order.po_number.evidence.line == 2
    assert order.unexplained == [] and order.uncertain == []


@pytest.mark.parametrize(
    ("rows", "po", "requested"),
    [
        ("N° de commande;CMD-77\nLivraison souhaitée;15 décembre 2026", "CMD-77", date(2026, 12, 15)),
        ("Commande n° : CMD-78\nDate de livraison : 16/12/2026", "CMD-78", date(2026, 12, 16)),
        ("N° commande\nCMD-79\nLivraison souhaitée\n17.12.2026", "CMD-79", date(2026, 12, 17)),
        ("Ordrenr.;PO-5\nLeveringsdato;18. december 2026", "PO-5", date(2026, 12, 18)),
        ("Bestellnummer;;;BST-1\nWunschliefertermin;;;19.12.2026", "BST-1", date(2026, 12, 19)),
        ("Ordernummer: NL-2\nGewenste leverdatum: 20 december 2026", "NL-2", date(2026, 12, 20)),
    ],
)
def test_po_number_and_delivery_date_labels_in_five_languages(rows, po, requested):
    order = only_order(parse_text(f"{rows}\n\nArtikel;Menge\nA;1\n"))
    assert (order.po_number.value, order.requested_date.value) == (po, requested)
    assert order.unexplained == [] and order.uncertain == []


def test_value_below_a_title_is_not_taken_for_a_po_number():
    order = only_order(parse_text("BESTELLUNG\nLager 3\nSKU;Qty\nA;1\n"))
    assert order.po_number is None
    assert [e.text for e in order.unexplained] == ["Lager 3"]


# ----------------------------------------------------------------- flat exports


FLAT = (
    "N° commande;Date commande;Date livraison;N° client;Référence;Désignation;Quantité;Unité;"
    "Prix unitaire;Devise\n"
    """4500050227;20/11/2026;28/12/2026;C1003;PKG-1;Ruban;3;CS;73,44;EUR
4500050227;20/11/2026;28/12/2026;C1003;MAT-2;Colle;7;PK;31,50;EUR
"""
)


def test_flat_export_reads_the_order_columns_of_every_row():
    order = only_order(parse_text(FLAT))
    assert values([order.po_number, order.order_date, order.requested_date, order.customer_number]) == [
        "4500050227", date(2026, 11, 20), date(2026, 12, 28), "C1003",
    ]
    assert order.currency.value == "EUR"
    assert order.requested_date.confidence == 1.0 and order.requested_date.evidence.line == 2
    assert values(line.requested_date for line in order.lines) == [date(2026, 12, 28)] * 2
    assert values(line.uom for line in order.lines) == ["CS", "PK"]
    assert order.uncertain == []


def test_different_line_dates_stay_on_their_lines():
    text = "PO;SKU;Qty;Delivery date\n1;A;1;2026-12-01\n1;B;2;2026-12-08\n"
    order = only_order(parse_text(text))
    assert order.requested_date is None
    assert values(line.requested_date for line in order.lines) == [date(2026, 12, 1), date(2026, 12, 8)]


def test_delivery_date_column_against_a_labelled_date_is_uncertain():
    text = "Delivery date;2026-12-24\nSKU;Qty;Delivery date\nA;1;2026-12-01\n"
    order = only_order(parse_text(text))
    assert order.requested_date.value == date(2026, 12, 1)
    assert "requested date: the table says 2026-12-01, a label says 2026-12-24" in order.uncertain


FLAT_ADDRESS = (
    "PO Number;Item No;Quantity;UoM;Ship-to Name;Ship-to Street;Ship-to Postal Code;Ship-to City;"
    "Ship-to Country\n"
    """EK-174;PKG-1;3;CS;Juraplast AG Werk Bern;Industriestrasse 67;3018;Bern;CH
EK-174;HTL-2;4;PK;Juraplast AG Werk Bern;Industriestrasse 67;3018;Bern;CH
"""
)


def test_flat_export_address_columns_give_the_delivery_address():
    order = only_order(parse_text(FLAT_ADDRESS))
    assert address_values(order) == ["Juraplast AG Werk Bern", "Industriestrasse 67", "3018", "Bern", "CH"]
    assert order.ship_to.street.confidence == 1.0
    # "Ship-to Postal Code" holds a "code", yet it is no article column
    assert values(line.sku for line in order.lines) == ["PKG-1", "HTL-2"]
    assert order.uncertain == []


@pytest.mark.parametrize(
    ("header", "row"),
    [
        ("Straße;PLZ;Ort;Land", "Hauptstr. 5;80331;München;Deutschland"),
        ("Rue;Code postal;Ville;Pays", "Hauptstr. 5;80331;München;DE"),
        ("Adresse;Postnr;By;Land", "Hauptstr. 5;80331;München;DE"),
        ("Straat;Postcode;Plaats;Land", "Hauptstr. 5;80331;München;Duitsland"),
    ],
)
def test_address_columns_in_other_languages(header, row):
    order = only_order(parse_text(f"PO;SKU;Qty;{header}\n1;A;2;{row}\n"))
    assert address_values(order)[1:] == ["Hauptstr. 5", "80331", "München", "DE"]


def test_a_lone_country_column_is_no_address():
    order = only_order(parse_text("PO;SKU;Qty;Land\n1;A;2;DE\n"))
    assert order.ship_to.is_empty()


def test_address_columns_that_differ_or_name_no_country_are_uncertain():
    text = (
        "PO;SKU;Qty;Street;City;Postal code;Country\n"
        "1;A;2;Ring 1;Köln;50667;Atlantis\n1;B;1;Ring 2;Köln;50667;Atlantis\n"
    )
    order = only_order(parse_text(text))
    assert order.ship_to.country is None
    assert order.uncertain == [
        "the rows give different delivery addresses: Ring 1, Ring 2",
        "delivery country not recognised: 'Atlantis'",
    ]


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


def form_workbook(workbook: openpyxl.Workbook) -> None:
    ws = workbook.active
    ws.title = "Indkøbsordre"
    ws["A1"] = "Fjordvang Maskinværksted ApS"
    ws["A2"] = "INDKØBSORDRE"
    rows = [
        ("Ordrenr.", "PO-5015"), ("Dato", date(2026, 11, 20)), ("Leveringsdato", date(2026, 12, 22)),
        ("Valuta", "DKK"), ("Kontakt", "Kasper Holm"), ("Tlf.", "+45 86 12 34 56"),
        ("Leveringsadresse", "Fjordvang Lager, Værkstedsvej 3, 8900 Randers, Danmark"),
    ]
    for number, (label, value) in enumerate(rows, start=4):
        ws.cell(number, 1, label)
        ws.cell(number, 2, value)
    ws.append([])
    ws.append(["Pos", "Varenr.", "Beskrivelse", "Antal", "Enhed", "Pris", "Beløb"])
    ws.append([1, "PKG-10317", "Tape", 4, "ruller", 12.5, "=D13*F13"])
    ws.append([2, "FAS-10109", "Møtrik", 5, "kartoner", 3, "=D14*F14"])


def test_xlsx_order_form_with_header_block_and_one_line_ship_to():
    order = only_order(sheet.parse(workbook_bytes(form_workbook), name="ordre.xlsx"))
    assert values([order.po_number, order.order_date, order.requested_date, order.currency]) == [
        "PO-5015", date(2026, 11, 20), date(2026, 12, 22), "DKK",
    ]
    assert order.customer_name.value == "Fjordvang Maskinværksted ApS"
    assert address_values(order) == ["Fjordvang Lager", "Værkstedsvej 3", "8900", "Randers", "DK"]
    assert order.ship_to.postal_code.evidence.part == "Indkøbsordre"
    assert values(line.uom for line in order.lines) == ["ruller", "kartoner"]
    assert order.notes == [] and order.unexplained == [] and order.uncertain == []


def flat_workbook(workbook: openpyxl.Workbook) -> None:
    ws = workbook.active
    ws.append(["PO Number", "Order Date", "Delivery Date", "Customer No", "Item No", "Quantity", "UoM"])
    for sku, quantity in (("SAF-1", 16), ("SAF-2", 60)):
        ws.append(["4500058816", date(2026, 11, 20), date(2026, 12, 24), "C1011", sku, quantity, "BX"])


def test_xlsx_flat_table_dates_the_order_from_its_delivery_date_column():
    order = only_order(sheet.parse(workbook_bytes(flat_workbook)))
    assert values([order.po_number, order.order_date, order.requested_date]) == [
        "4500058816", date(2026, 11, 20), date(2026, 12, 24),
    ]
    assert order.requested_date.confident
    assert order.uncertain == []


# ------------------------------------------------------------------------- refusals


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_of_unknown_version() -> bytes:
    """A zip whose central directory asks for a zip version Python cannot extract."""
    data = bytearray(zip_bytes({"xl/workbook.xml": b"<workbook/>"}))
    directory = data.index(b"PK\x01\x02")
    data[directory + 6 : directory + 8] = (182).to_bytes(2, "little")
    return bytes(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03binary\x00junk",
        b"%PDF-1.7\n1 0 obj",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1legacy xls",
        b"PK\x03\x04 not really a zip",
        zip_bytes({"word/document.xml": b"<w/>"}),
        zip_bytes({"xl/workbook.xml": b"<not a workbook"}),
        zip_of_unknown_version(),
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

SEEDS = [
    GERMAN.encode(), FRENCH.encode(), ENGLISH.encode(), DANISH.encode("cp1252", "replace"), FORM.encode(),
    FLAT_ADDRESS.encode(), workbook_bytes(form_workbook),
]
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


def test_a_sheet_says_its_language_from_its_headers():
    text = (
        "Ordernummer;Leverdatum;Artikelnummer;Omschrijving;Aantal;Eenheid\n"
        "4500059285;2026-12-28;SAF-10313;Foam ear plugs;1;dozen\n"
    )
    order = only_order(parse_text(text))
    assert order.language == "nl" and order.lines[0].uom.value == "dozen"


# --------------------------------------------------- input caps checked before decoding (issue 13)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _raw_xlsx(shared_strings: bytes, cell: bytes = b'<c r="A1" t="s"><v>0</v></c>') -> bytes:
    """A minimal workbook written part by part, as a hostile sender would: openpyxl itself
    would take minutes to write what these tests feed it."""
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.worksheet+xml"/>'
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
                        f'Type="{rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (f'<workbook xmlns="{_MAIN}" xmlns:r="{rels}"><sheets>'
                            '<sheet name="PO" sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rels}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rels}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>').encode(),
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}">'.encode() + shared_strings + b"</sst>",
        "xl/worksheets/sheet1.xml": (f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1">'.encode()
                                     + cell + b"</row></sheetData></worksheet>"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_millions_of_shared_strings_are_refused_before_openpyxl_loads_them():
    # The 459 KB workbook of 11 million strings took 79 s and 1.1 GB; this one holds a
    # million (17 MB unpacked, under the part's size limit) and is refused after counting them.
    data = _raw_xlsx(b"<si><t>x</t></si>" * 1_000_000)
    assert len(data) < 100_000
    with pytest.raises(ParseError, match=r"^the workbook has more than 200,000 shared strings$"):
        sheet.parse(data)


def test_shared_strings_with_a_namespace_prefix_are_counted(monkeypatch):
    monkeypatch.setattr(sheet, "MAX_SHARED_STRINGS", 3)
    with pytest.raises(ParseError, match="more than 3 shared strings"):
        sheet.parse(_raw_xlsx(b"<x:si><x:t>a</x:t></x:si><si/>" * 2))


def test_a_workbook_part_that_unpacks_too_large_is_refused_unread(monkeypatch):
    monkeypatch.setattr(sheet, "MAX_SHARED_STRINGS_BYTES", 1024 * 1024)
    with pytest.raises(ParseError, match=r"^the workbook part xl/sharedStrings.xml unpacks to more than 1 "):
        sheet.parse(_raw_xlsx(b"<si><t>" + b"x" * 2 * 1024 * 1024 + b"</t></si>"))


def test_one_huge_cell_is_refused_with_the_limit_named():
    # A 199 KB workbook with one 190 MB cell took 246 s (free-text analysis of the cell).
    data = _raw_xlsx(b"<si><t>" + b"x" * 5_000_000 + b"</t></si>")
    with pytest.raises(ParseError, match=r"^a cell holds 5,000,000 characters; at most 32,767 are read"):
        sheet.parse(data)


def test_a_huge_csv_cell_is_refused_too():
    with pytest.raises(ParseError, match="at most 32,767 are read in one field"):
        parse_text("SKU;Description;Qty\nA;" + "y" * 40_000 + ";1\n")


def test_cells_are_capped_as_well_as_rows(monkeypatch):
    monkeypatch.setattr(sheet, "MAX_CELLS", 10)
    with pytest.raises(ParseError, match="more than 10 cells"):
        parse_text("SKU;Qty;Price\n" + "A;1;2\n" * 5)


@pytest.mark.parametrize("total, agrees", [("176.80", True), ("187.00", False)])
def test_a_totals_row_is_a_stated_total(total, agrees):
    from integrations.parsers.totals import disagreement

    data = ("PO Number;SKU;Qty;Unit;Price;Amount\n"
            "4711;SKU-1;10;CS;12.48;124.80\n"
            "4711;SKU-2;50;EA;1.04;52.00\n"
            f"Total;;;;;{total}\n").encode()
    (order,) = sheet.parse(data, name="po.csv").orders
    assert [str(t.value) for t in order.stated_totals] == [total]
    assert (disagreement(order) is None) is agrees


def test_an_order_number_column_with_another_value_on_every_row_is_the_article_code():
    # "Bestellnummer" heads the supplier's part numbers here; read as PO numbers, each row
    # became an order of its own and executed with a part number as its PO number.
    text = "Bezeichnung;Bestellnummer;Anzahl\nGNSS Modul;377-NEO-M8P-2;3\nAntenne;377-ANN-MB1-00;3\n"
    (order,) = parse_text(text).orders
    assert [(line.sku.value, line.quantity.value) for line in order.lines] == [
        ("377-NEO-M8P-2", 3), ("377-ANN-MB1-00", 3)]
    assert order.po_number is None and "PO number missing" in order.uncertain


def test_an_ambiguous_order_number_column_beside_an_article_column_makes_the_orders_uncertain():
    text = "Artikel;Bestellnummer;Anzahl\nA-1;377-NEO-M8P-2;3\nA-2;377-ANN-MB1-00;3\n"
    (order,) = parse_text(text).orders
    assert any("an article code rather than the PO number" in doubt for doubt in order.uncertain)
    several = parse_text("Artikel;PO Number;Anzahl\nA-1;4711;3\nA-2;4712;3\n").orders
    assert [o.po_number.value for o in several] == ["4711", "4712"]  # a named PO column stands
