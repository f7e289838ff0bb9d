"""Order data written as free text (integrations.parsers.text): line styles, tables, fields."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.parsers.text import read_order_text


def read(text: str, *, day_first: bool | None = True, subject: str = "", decimal_comma: bool | None = None):
    lines = text.strip("\n").split("\n")
    return read_order_text(lines, day_first=day_first, subject=subject, decimal_comma=decimal_comma)


def one_line(text: str, **kwargs):
    draft, used = read(text, **kwargs)
    assert draft is not None and len(draft.lines) == 1, text
    return draft.lines[0], used


def values(line) -> tuple:
    def value(found):
        return None if found is None else found.value

    return (value(line.sku), value(line.quantity), value(line.uom), value(line.unit_price))


# --- line styles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "confidence"),
    [
        ("10 x SKU-123", ("SKU-123", Decimal(10), None, None), 1.0),
        ("10x SKU-123", ("SKU-123", Decimal(10), None, None), 1.0),
        ("SKU-123 x 10", ("SKU-123", Decimal(10), None, None), 1.0),
        ("SKU-123 qty 10 CS", ("SKU-123", Decimal(10), "CS", None), 1.0),
        ("FAS-10023 Menge: 4 Stk", ("FAS-10023", Decimal(4), "Stk", None), 1.0),
        ("SKU-123 – 10 cases", ("SKU-123", Decimal(10), "cases", None), 0.8),
        ("Artikel 4711 – 5 Karton", ("4711", Decimal(5), "Karton", None), 1.0),
        ("5 Karton Art.-Nr. 4711", ("4711", Decimal(5), "Karton", None), 1.0),
        ("Art. 4711: 5 Stück à 12,50 €", ("4711", Decimal(5), "Stück", Decimal("12.50")), 1.0),
        ("3 colis de réf. 55-A", ("55-A", Decimal(3), "colis", None), 1.0),
        ("12 stk varenr. 8812", ("8812", Decimal(12), "stk", None), 1.0),
        ("4 dozen A-77", ("A-77", Decimal(4), "dozen", None), 1.0),
        ("- 20 pcs SKU-1 (Hex bolt M8)", ("SKU-1", Decimal(20), "pcs", None), 1.0),
        ("* 7 x A-77 @ 12.50", ("A-77", Decimal(7), None, Decimal("12.50")), 1.0),
        ("SKU-9 – 2,5 kg", ("SKU-9", Decimal("2.5"), "kg", None), 0.8),
        ("25 stuks artikel NL-55", ("NL-55", Decimal(25), "stuks", None), 1.0),
        ("SKU-77 – 6", ("SKU-77", Decimal(6), None, None), 0.8),
        ("- 10 BX-2001 @ 199,00", ("BX-2001", Decimal(10), None, Decimal("199.00")), 0.8),  # BX: no unit
        ("6 x 4711 zu 3,10 EUR", ("4711", Decimal(6), None, Decimal("3.10")), 0.8),  # bare numbers
        ("2 Paletten FAS-10023 per piece 1.04", ("FAS-10023", Decimal(2), "Paletten", Decimal("1.04")), 1.0),
    ],
)
def test_order_line_styles(text, expected, confidence):
    line, used = one_line(text)
    assert values(line) == expected
    assert line.quantity.confidence == confidence
    assert line.sku.evidence.line == 1 and line.sku.evidence.text == text
    assert used == [0]


def test_list_item_description_is_kept():
    line, _ = one_line("- 20 pcs SKU-1 (Hex bolt M8)")
    assert line.description.value == "Hex bolt M8"


def test_numbered_item_keeps_its_position():
    line, _ = one_line("3. 10 x SKU-5")
    assert line.line_number.value == "3"
    assert values(line)[:2] == ("SKU-5", Decimal(10))


def test_several_explicit_lines_on_one_text_line():
    draft, used = read("10 x SKU-1, 5 x SKU-2 and 2 x SKU-3")
    assert [values(line)[:2] for line in draft.lines] == [
        ("SKU-1", Decimal(10)),
        ("SKU-2", Decimal(5)),
        ("SKU-3", Decimal(2)),
    ]
    assert used == [0]


@pytest.mark.parametrize(
    "text",
    [
        "We need 20 more boxes next week",  # no identifier
        "100 x 200 mm",  # a dimension
        "Tel. +49 89 1234-567",
        "20457 Hamburg",
        "Hafenstr. 12",
        "47 5",  # two short bare numbers: which is the article?
        "1000 x 4711",  # both could be either
        "Lieferung am 03.12.2026",
        "Mit freundlichen Grüßen",
    ],
)
def test_no_line_is_guessed_from_text_without_an_identifier(text):
    draft, _ = read(text)
    assert draft is None or draft.lines == []


def test_bare_numbers_are_told_apart_only_by_length_and_with_low_confidence():
    line, _ = one_line("4711 – 5")
    assert values(line)[:2] == ("4711", Decimal(5)) and line.quantity.confidence == 0.6
    line, _ = one_line("12 x 100234")
    assert values(line)[:2] == ("100234", Decimal(12)) and line.quantity.confidence == 0.8


def test_a_line_that_also_asks_something_is_read_but_left_for_accounting():
    draft, used = read("Please deliver 20 boxes of item 4711 by Friday")
    assert values(draft.lines[0])[:3] == ("4711", Decimal(20), "boxes")
    assert draft.lines[0].quantity.confidence < 0.9
    assert used == []


def test_ambiguous_thousands_quantity_is_uncertain():
    draft, used = read("SKU-1 – 1.000 Stück", decimal_comma=None)
    assert draft.lines[0].quantity.confidence == 0.5
    assert any("ambiguous" in entry for entry in draft.uncertain)
    assert used == []


def test_thousands_quantity_with_known_decimal_comma():
    line, _ = one_line("SKU-1 – 1.000 Stück", decimal_comma=True)
    assert line.quantity.value == Decimal(1000)


# --- tables ----------------------------------------------------------------------------------------------


def test_tab_separated_table_with_header():
    draft, used = read(
        "Artikelnummer\tBezeichnung\tMenge\tEinheit\tPreis\n"
        "FAS-10023\tSchraube M8\t100\tStk\t0,12\n"
        "98891 75\tMutter M8\t50\tStk\t0,05\n"
        "Summe\t\t\t\t14,50\n",
    )
    assert [values(line) for line in draft.lines] == [
        ("FAS-10023", Decimal(100), "Stk", Decimal("0.12")),
        ("98891 75", Decimal(50), "Stk", Decimal("0.05")),
    ]
    assert draft.lines[1].description.value == "Mutter M8"
    assert all(line.quantity.confidence == 1.0 for line in draft.lines)
    assert used == [0, 1, 2, 3]


def test_space_aligned_table_with_header_positions():
    draft, used = read(
        "Item #      Description             Qty   Unit   Unit Price\n"
        "----------  ----------------------  ----  -----  ----------\n"
        "A-100       Hex bolt M8 x 40         120  EA          0.14\n"
        "B-220       Washer 8 mm               40  BX          3.50\n"
    )
    assert [values(line) for line in draft.lines] == [
        ("A-100", Decimal(120), "EA", Decimal("0.14")),
        ("B-220", Decimal(40), "BX", Decimal("3.50")),
    ]
    assert draft.lines[0].description.value == "Hex bolt M8 x 40"
    assert used == [0, 1, 2, 3]


def test_single_space_header_and_pipe_table():
    draft, _ = read("| Qty | SKU | Description |\n|---|---|---|\n| 5 | K-1 | Kabel |\n| 7 | K-2 | Stecker |")
    assert [values(line)[:2] for line in draft.lines] == [("K-1", Decimal(5)), ("K-2", Decimal(7))]


def test_table_row_without_quantity_is_uncertain():
    draft, _ = read("SKU\tQty\nA-1\t\nA-2\t3")
    assert len(draft.lines) == 2
    assert "line 1: quantity missing" in draft.uncertain


def test_unknown_table_column_is_unexplained():
    draft, _ = read("SKU\tQty\tRabatt\nA-1\t10\t5 %")
    assert [evidence.text for evidence in draft.unexplained] == ["column 'Rabatt': 5 %"]


def test_line_total_that_does_not_match_lowers_price_confidence():
    draft, _ = read("SKU\tQty\tUnit price\tTotal\nA-1\t10\t2.00\t25.00")
    assert draft.lines[0].unit_price.confidence < 0.9
    assert any("differs from the line total" in entry for entry in draft.uncertain)


# --- header fields ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "po", "confidence"),
    [
        ("PO 4711-22", "4711-22", 1.0),
        ("PO#: 4711", "4711", 1.0),
        ("Bestellnummer: B-2026-118", "B-2026-118", 1.0),
        ("Bestell-Nr. 4711", "4711", 1.0),
        ("Commande n° 55201", "55201", 1.0),
        ("Ordrenummer 8812", "8812", 1.0),
        ("Bestelnummer: 77-1", "77-1", 1.0),
        ("Order No. 4711", "4711", 1.0),
        ("Please find attached our order 4711.", "4711", 0.9),
        ("Hiermit bestellen wir gemäß Bestellung Nr. 9001:", "9001", 1.0),
        # Letters after the prefix: the whole token is the PO number.
        ("PO number: PO-MAIL-7", "PO-MAIL-7", 1.0),
        ("Purchase order: 2026/ACME/0042", "2026/ACME/0042", 1.0),
    ],
)
def test_po_number_forms(text, po, confidence):
    draft, _ = read(text)
    assert draft.po_number.value == po
    assert draft.po_number.confidence == confidence


def test_po_from_subject_and_conflict_with_text():
    draft, _ = read("10 x SKU-1", subject="RE: PO 4711")
    assert draft.po_number.value == "4711" and draft.po_number.evidence.part == "subject"
    draft, _ = read("PO 4712\n10 x SKU-1", subject="PO 4711")
    assert draft.po_number.confidence == 0.5
    assert any("subject names PO" in entry for entry in draft.uncertain)


def test_a_word_after_the_po_label_is_no_po_number():
    draft, _ = read("Order: see attached\n10 x SKU-1")
    assert draft.po_number is None


def test_order_line_is_not_mistaken_for_a_po():
    draft, _ = read("Order: 10 x SKU-1")
    assert draft.po_number is None
    assert values(draft.lines[0])[:2] == ("SKU-1", Decimal(10))


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("Liefertermin: 03.12.2026", None, date(2026, 12, 3)),
        ("Delivery date: 3 December 2026", None, date(2026, 12, 3)),
        ("please deliver by 12/03/2026", True, date(2026, 3, 12)),
        ("please deliver by 12/03/2026", False, date(2026, 12, 3)),
        ("livraison souhaitée le 3 décembre 2026", None, date(2026, 12, 3)),
        ("leveringsdato 3. december 2026", None, date(2026, 12, 3)),
        ("gewenste leverdatum 3 december 2026", None, date(2026, 12, 3)),
    ],
)
def test_requested_date_forms(text, day_first, expected):
    draft, used = read(text, day_first=day_first)
    assert draft.requested_date.value == expected
    assert draft.requested_date.confidence >= 0.9
    assert used == [0]


def test_ambiguous_requested_date_has_low_confidence():
    draft, _ = read("please deliver by 03/04/2026", day_first=None)
    assert draft.requested_date.confidence == 0.5
    assert any("day-first or month-first" in entry for entry in draft.uncertain)


def test_customer_number_currency_and_order_date():
    draft, _ = read("Kundennummer: 10023\nWährung: EUR\nBestelldatum: 20.11.2026\n10 x A-1")
    assert draft.customer_number.value == "10023"
    assert draft.currency.value == "EUR"
    assert draft.order_date.value == date(2026, 11, 20)


def test_currency_from_line_prices():
    draft, _ = read("5 x A-1 à 2,50 €\n3 x A-2 à 1,10 €")
    assert draft.currency.value == "EUR" and draft.currency.confidence == 0.9


@pytest.mark.parametrize(
    ("text", "name", "street", "postal", "city", "country"),
    [
        (
            "Ship to:\nACME Ltd Warehouse 2\n12 Harbour Road\nLondon SW1A 1AA\nUnited Kingdom",
            "ACME Ltd Warehouse 2",
            "12 Harbour Road",
            "SW1A 1AA",
            "London",
            "GB",
        ),
        (
            "Lieferadresse:\nACME GmbH\nHafenstr. 12\nD-20457 Hamburg",
            "ACME GmbH",
            "Hafenstr. 12",
            "20457",
            "Hamburg",
            "DE",
        ),
        (
            "Adresse de livraison : Dupont SA, 5 rue de la Paix, 75002 Paris",
            "Dupont SA",
            "5 rue de la Paix",
            "75002",
            "Paris",
            None,
        ),
        (
            "Leveringsadresse:\nJensen A/S\nVestergade 3\n8000 Aarhus C\nDanmark",
            "Jensen A/S",
            "Vestergade 3",
            "8000",
            "Aarhus C",
            "DK",
        ),
        (
            "Afleveradres:\nDe Vries BV\nKeizersgracht 100\n1015 AA Amsterdam",
            "De Vries BV",
            "Keizersgracht 100",
            "1015 AA",
            "Amsterdam",
            "NL",  # implied by the Dutch postal code format, below CONFIDENT
        ),
    ],
)
def test_ship_to_block(text, name, street, postal, city, country):
    draft, used = read(text)
    ship_to = draft.ship_to
    assert ship_to.name.value == name
    assert ship_to.street.value == street
    assert (ship_to.postal_code.value, ship_to.city.value) == (postal, city)
    assert (ship_to.country.value if ship_to.country else None) == country
    if country == "NL":
        assert not ship_to.country.confident
    assert used == list(range(len(text.split("\n"))))
    assert draft.uncertain == []


def test_ship_to_without_postal_code_is_uncertain():
    draft, _ = read("Deliver to:\nour new warehouse")
    assert any("postal code" in entry for entry in draft.uncertain)


def test_instruction_after_a_label_is_not_read_as_an_address():
    draft, used = read("Please deliver to our new warehouse instead")
    assert draft is None and used == []


def test_text_without_any_order_data():
    assert read("Hello,\nhow are you?") == (None, [])


# --- robustness ----------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=12), st.sampled_from([True, False, None]))
def test_fuzz_random_lines_never_raise(lines, day_first):
    draft, used = read_order_text(lines, day_first=day_first)
    assert all(0 <= index < len(lines) for index in used)
    if draft is not None:
        assert all(line.quantity is None or line.quantity.value > 0 for line in draft.lines)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "10 x SKU-1",
                "Art. 4711: 5 Stück à 12,50 €",
                "SKU\tQty\tPrice",
                "A-1\t3\t1,50",
                "PO 4711",
                "Liefertermin: 03.12.2026",
                "Ship to:",
                "ACME GmbH",
                "20457 Hamburg",
                "",
                "Total 12.00",
                "| a | b |",
                "Qty SKU Description",
                "  5  K-1  Kabel",
                "x x x",
                "1.000,5 kg A-1",
                "@ € 12",
                "(((",
                "—",
            ]
        ),
        max_size=15,
    )
)
def test_fuzz_shuffled_order_fragments_never_raise(lines):
    read_order_text(lines, day_first=None)


@pytest.mark.parametrize("text", ["-5 x SKU-1", "0 x SKU-1", "SKU-1 – 0 Stück"])
def test_zero_or_negative_quantities_are_not_read(text):
    draft, used = read(text)
    assert (draft is None or draft.lines == []) and used == []


# --- explicit forms, descriptions and decimal conventions ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "sku", "quantity", "unit"),
    [
        ("Item AB-12 – 7 PK (Claw hammer 700 g) @ 38.70 GBP", "AB-12", Decimal(7), "PK"),
        ("9 bx item no. CD-34, Safety glasses amber lens @ 65.30 USD/bx", "CD-34", Decimal(9), "bx"),
        ("4 BX varenr. EF-56", "EF-56", Decimal(4), "BX"),
        ("- 8 boîtes Male stud coupling 15L M22x1.5 DIN 2353 (GH-78)", "GH-78", Decimal(8), "boîtes"),
        ("- 700 EA IJ-90 @ 0.3063 GBP/EA", "IJ-90", Decimal(700), "EA"),
    ],
)
def test_explicit_forms_are_confident(text, sku, quantity, unit):
    line, used = one_line(text)
    assert (line.sku.value, line.quantity.value, line.uom.value) == (sku, quantity, unit)
    assert min(line.sku.confidence, line.quantity.confidence, line.uom.confidence) >= 0.9
    assert used == [0]


def test_a_bare_number_and_identifier_stays_loose():
    line, _ = one_line("5 boxes 4711")
    assert line.quantity.confidence < 0.9


def test_price_with_four_decimals_is_read_whole():
    line, _ = one_line("297 x AB-1 Foam tape 19 mm @ 0.1579 EUR")
    assert line.unit_price.value == Decimal("0.1579") and line.unit_price.confidence == 1.0


@pytest.mark.parametrize("price", ["@ 12.50 EUR per 100", "@ 12.50 EUR/100", "@ 12.50 EUR/boxes", "@ 12.50"])
def test_price_for_another_basis_or_without_currency_stays_loose(price):
    line, _ = one_line(f"5 EA item no. AB-1 {price}")
    assert line.unit_price.confidence < 0.9


def test_sizes_and_weights_in_a_description_are_no_second_line():
    line, used = one_line("1 CS item no. AB-1, Stretch film 500 mm x 270 m 20 µm hand roll @ 55.80 CHF/CS")
    assert line.sku.value == "AB-1" and "270 m" in line.description.value
    assert used == [0]
    _, used = read("6 x AB-2  Corrugated box 300x200x150 mm, grade 8.8")
    assert used == [0]


@pytest.mark.parametrize(
    "text", ["10 x AB-1 plus 3 kg CD-2", "10 x AB-1 widget 3 boxes", "10 x AB-1 plus 2 x 5 EA"],
)
def test_a_second_quantity_in_a_description_is_left_for_accounting(text):
    draft, used = read(text)
    assert used == [] and draft.lines[0].quantity.confidence < 0.9


def test_language_alone_does_not_settle_an_ambiguous_quantity():
    line, _ = one_line("Artikel AB-1 – 1.700 EA", decimal_comma=True)
    assert line.quantity.value == Decimal(1700) and line.quantity.confidence < 0.9
    draft, _ = read("Artikel AB-1 – 1.700 EA\nArtikel CD-2 – 2 EA à 4,63 €", decimal_comma=True)
    assert draft.lines[0].quantity.value == Decimal(1700) and draft.lines[0].quantity.confidence == 1.0
    line, _ = one_line("Artikel AB-1 – 1.700 EA")
    assert line.quantity.confidence <= 0.5


def test_reply_subject_names_an_earlier_thread():
    draft, _ = read("PO: 4711\n10 x A-1", subject="Re: PO 4500")
    assert draft.po_number.value == "4711" and draft.po_number.confidence == 1.0 and draft.uncertain == []
    draft, _ = read("PO: 4711\n10 x A-1", subject="PO 4500")
    assert draft.po_number.confidence < 0.9 and draft.uncertain
    draft, _ = read("10 x A-1", subject="AW: Bestellung 4500")
    assert draft.po_number.value == "4500"


def test_customer_number_and_currency_statements_are_fields():
    draft, used = read("Our customer number with you: C1016\nAll prices in USD.\n10 x A-1 @ 2.00 USD\nPO 7")
    assert draft.customer_number.value == "C1016" and draft.currency.value == "USD"
    assert used == [0, 1, 2, 3]
    draft, _ = read("Prix en EUR.\n10 x A-1 @ 2.00 USD\nPO 7")
    assert any("USD" in problem for problem in draft.uncertain)


def test_po_and_date_on_one_line():
    draft, used = read("Bestellung EK-7 / Liefertermin 14.12.2026\n2 x A-1")
    assert draft.po_number.value == "EK-7" and draft.requested_date.value == date(2026, 12, 14)
    assert used == [0, 1]


def test_delivery_request_with_address_block():
    draft, used = read("2 x A-1\nPO 5\nBitte liefern an:\nNord GmbH Werk 2\nStorgatan 101\n724 61 Västerås\n")
    assert (draft.ship_to.postal_code.value, draft.ship_to.city.value) == ("724 61", "Västerås")
    assert used == [0, 1, 2, 3, 4, 5]
    draft, _ = read("2 x A-1\nPO 5\nDeliver to:\nAcme Ltd Plant Leeds\n59 Station Road\nLeeds\nLS10 4JA\n")
    assert (draft.ship_to.postal_code.value, draft.ship_to.city.value) == ("LS10 4JA", "Leeds")
    assert draft.uncertain == []


def test_table_description_with_grades_is_no_instruction():
    table = (
        "Item\tDescription\tQty\nA-1\tHex bolt M12x20 DIN 933 8.8 zinc\t5\n"
        "B-2\tWidget, am 3.12. liefern\t1\nPO 9"
    )
    draft, _ = read(table)
    assert [e.text for e in draft.unexplained] == ["column 'Description': Widget, am 3.12. liefern"]


def test_own_reference_is_the_po_and_a_reply_subject_alone_is_not_sure():
    draft, used = read("Our ref.: GLA-2\n4 boxes item no. AB-1", subject="Re: Purchase order GLA-1")
    assert draft.po_number.value == "GLA-2" and draft.po_number.confidence == 0.9
    assert draft.uncertain == [] and used == [0, 1]
    draft, _ = read("4 boxes item no. AB-1", subject="Re: Purchase order GLA-1")
    assert draft.po_number.value == "GLA-1" and draft.po_number.confidence < 0.9
    draft, _ = read("4 boxes item no. AB-1", subject="Fwd: Purchase order GLA-1")
    assert draft.po_number.confidence >= 0.9


def test_sizes_in_descriptions_do_not_set_the_decimal_mark():
    draft, _ = read("PO 1\nArtikel AB-1 – 3.500 Stück (Blind rivet 4.8x10 mm, 2.5 mm²)")
    assert draft.lines[0].quantity.confidence < 0.9


# --- regressions from the generated corpus (issue 4 point 8) ----------------------------------


def test_a_space_grouped_quantity_is_never_read_as_its_last_group():
    line, _ = one_line("1 500 pcs réf. SAF-10058 à 0,0614 EUR", decimal_comma=True)
    assert values(line)[:3] == ("SAF-10058", Decimal(1500), "pcs") and line.quantity.confidence == 1.0
    elsewhere, _ = one_line("2 500 pcs SAF-10058", decimal_comma=False)
    assert elsewhere.quantity.value == 2500 and elsewhere.quantity.confidence < 0.9


def test_a_structured_part_number_after_a_unit_word_is_the_article():
    line, _ = one_line("- 7 bags 230-6105", decimal_comma=False)
    assert values(line)[:3] == ("230-6105", Decimal(7), "bags") and line.quantity.confidence == 1.0
    year_month, _ = one_line("7 boxes 2026-11", decimal_comma=False)
    assert year_month.quantity.confidence < 0.9


def test_a_piece_count_closing_a_product_name_is_part_of_the_description():
    line, _ = one_line("3 x HYD-10330  O-ring kit NBR 70 Shore 382 pcs @ 28.82 GBP", decimal_comma=False)
    assert line.description.value == "O-ring kit NBR 70 Shore 382 pcs" and line.quantity.confidence == 1.0
    draft, _ = read("3 x HYD-10330 O-ring kit and 5 pcs gloves", decimal_comma=False)
    assert draft.lines[0].quantity.confidence < 0.9


def test_the_sending_day_settles_a_date_that_reads_both_ways():
    lines = ["PO 4711", "10 x SKU-1", "Please deliver by 12/07/2026."]
    draft, _ = read_order_text(lines, day_first=None, written_on=date(2026, 11, 20))
    assert draft.requested_date.value == date(2026, 12, 7) and not draft.uncertain
    draft, _ = read_order_text(lines, day_first=None)
    assert draft.uncertain  # without the day, a person decides


def test_a_confirmed_convention_reads_grouped_thousands_surely():
    lines = ["PO 4711", "FAS-1 qty 3,000 pcs"]
    sure, _ = read_order_text(lines, day_first=True, decimal_comma=False, convention_confirmed=True)
    loose, _ = read_order_text(lines, day_first=True, decimal_comma=False)
    assert sure.lines[0].quantity.value == loose.lines[0].quantity.value == 3000
    assert sure.lines[0].quantity.confidence == 1.0 > loose.lines[0].quantity.confidence


def test_an_empty_cell_in_a_space_aligned_table_keeps_the_columns():
    text = """
PO 4711
Pos  Item       Description                                 Qty  Unit    Price SEK
  1  ELE-10441  Terminal block 2.5 mm2 push-in grey           9  boxes      238.50
  2  FAS-10037  Hex bolt M12x20 DIN 933 8.8 zinc plated       3  bx
"""
    draft, _ = read(text, decimal_comma=False)
    assert [values(line) for line in draft.lines] == [
        ("ELE-10441", Decimal(9), "boxes", Decimal("238.50")), ("FAS-10037", Decimal(3), "bx", None)]
    assert not draft.uncertain


def test_a_size_row_is_no_order_line():
    body = ["please deliver PO 4711:", "", "10 x SKU-1", "Dimensions: 221.1x42.8x63 mm",
            "Size 221.1 x 42.8 mm", "5 x SKU-2"]
    draft, _ = read_order_text(body, day_first=True)
    assert [(line.quantity.value, line.sku.value if line.sku else None) for line in draft.lines] == [
        (10, "SKU-1"), (5, "SKU-2")]
