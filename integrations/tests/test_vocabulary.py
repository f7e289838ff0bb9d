"""The shared multilingual vocabulary: numbers, dates, units, headers and labels."""

from datetime import date
from decimal import Decimal

import pytest

from integrations.parsers import vocabulary as vocab

# ---------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("1'234.56", "1234.56"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567", "1234567"),
        ("12", "12"),
        ("12,5", "12.5"),
        ("12.50", "12.50"),
        ("0,125", "0.125"),
        ("-3", "-3"),
        ("3-", "-3"),
        ("(3.00)", "-3.00"),
        ("€ 12,50", "12.50"),
        ("12,50 €", "12.50"),
        ("12.50 EUR", "12.50"),
        ("$1,200.00", "1200.00"),
        ("DKK 1.234,50", "1234.50"),
        ("-€12", "-12"),
        ("12,-", "12"),
    ],
)
def test_parse_decimal_reads_numbers_as_people_write_them(text, expected):
    assert vocab.parse_decimal_ex(text) == (Decimal(expected), False)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "19%", "12 34", "1,2.3", "12 pcs", "--3", "1..2"])
def test_parse_decimal_refuses_what_is_no_number(text):
    assert vocab.parse_decimal(text) is None


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("1,234", True, "1.234"),
        ("1,234", False, "1234"),
        ("1.234", True, "1234"),
        ("1.234", False, "1.234"),
    ],
)
def test_one_separator_before_three_digits_follows_the_hint(text, decimal_comma, expected):
    assert vocab.parse_decimal_ex(text, decimal_comma) == (Decimal(expected), False)


@pytest.mark.parametrize("text", ["1,234", "1.234", "1.000", "999,999"])
def test_one_separator_before_three_digits_is_ambiguous_without_hint(text):
    value, ambiguous = vocab.parse_decimal_ex(text)
    assert ambiguous
    assert value == Decimal(text.replace(",", "."))


def test_guess_decimal_comma_from_all_numbers_of_a_document():
    assert vocab.guess_decimal_comma(["10", "1.234,50", "12,5"]) is True
    assert vocab.guess_decimal_comma(["10", "1,234.50", "0.25"]) is False
    assert vocab.guess_decimal_comma(["1.000", "9.000", "PROD"]) is None
    assert vocab.guess_decimal_comma(["12,5", "12.5"]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10", (Decimal(10), "", False)),
        ("10 CS", (Decimal(10), "CS", False)),
        ("5 Karton", (Decimal(5), "Karton", False)),
        ("12,5kg", (Decimal("12.5"), "kg", False)),
        ("12 Stk.", (Decimal(12), "Stk.", False)),
        ("3 x", (Decimal(3), "", False)),
        ("ten", (None, "", False)),
    ],
)
def test_parse_quantity_splits_number_and_unit(text, expected):
    assert vocab.parse_quantity(text) == expected


def test_currency_helpers():
    assert vocab.split_currency("€ 12,50") == ("12,50", "€")
    assert vocab.normalise_currency("€") == "EUR"
    assert vocab.normalise_currency("dkk") == "DKK"
    assert vocab.normalise_currency("$") is None  # USD, CAD, AUD …
    assert vocab.find_currency("Preis (EUR)") == "EUR"
    assert vocab.find_currency("Price EUR / USD") is None


def test_gtin_check_digit():
    assert vocab.is_valid_gtin("8712345004002")
    assert vocab.is_valid_gtin("4006381333931")
    assert not vocab.is_valid_gtin("8712345678901")
    assert not vocab.is_valid_gtin("SKU-1")


# ------------------------------------------------------------------------------ dates

NOV_20 = date(2026, 11, 20)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-20",
        "20261120",
        "2026-11-20T10:30:00",
        "20.11.2026",
        "20/11/2026",
        "11/20/2026",
        "20-11-26",
        "20.11.26",
        "20 November 2026",
        "Nov 20, 2026",
        "November 20th, 2026",
        "20. November 2026",
        "20 novembre 2026",
        "20. november 2026",
        "20 november 2026",
        "20-Nov-2026",
        "Friday, 20 November 2026",
        "le 20 nov. 2026",
    ],
)
def test_parse_date_reads_unambiguous_dates(text):
    assert vocab.parse_date(text) == (NOV_20, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1er décembre 2026", date(2026, 12, 1)),
        ("3. Februar 2026", date(2026, 2, 3)),
        ("3 février 2026", date(2026, 2, 3)),
        ("3 fevrier 2026", date(2026, 2, 3)),
        ("15. März 2026", date(2026, 3, 15)),
        ("15 mars 2026", date(2026, 3, 15)),
        ("15 maart 2026", date(2026, 3, 15)),
        ("1 mei 2026", date(2026, 5, 1)),
        ("1. maj 2026", date(2026, 5, 1)),
        ("2 okt. 2026", date(2026, 10, 2)),
        ("24. Dez. 2026", date(2026, 12, 24)),
        ("24 déc. 2026", date(2026, 12, 24)),
        ("1 juni 2026", date(2026, 6, 1)),
        ("31 januar 2026", date(2026, 1, 31)),
    ],
)
def test_parse_date_knows_month_names_in_five_languages(text, expected):
    assert vocab.parse_date(text) == (expected, False)


def test_both_readings_valid_is_ambiguous_without_day_first():
    assert vocab.parse_date("03/04/2026") == (date(2026, 4, 3), True)
    assert vocab.parse_date("03/04/2026", day_first=True) == (date(2026, 4, 3), False)
    assert vocab.parse_date("03/04/2026", day_first=False) == (date(2026, 3, 4), False)


def test_one_valid_reading_wins_whatever_the_hint():
    assert vocab.parse_date("13/04/2026", day_first=False) == (date(2026, 4, 13), False)
    assert vocab.parse_date("04/13/2026", day_first=True) == (date(2026, 4, 13), False)


def test_dotted_dates_are_day_first():
    assert vocab.parse_date("03.04.2026") == (date(2026, 4, 3), False)


@pytest.mark.parametrize("text", ["", "KW 48", "4711", "32.01.2026", "ASAP", "20 Foo 2026", "2026"])
def test_parse_date_refuses_non_dates(text):
    assert vocab.parse_date(text) == (None, False)


def test_languages_limit_the_month_names():
    assert vocab.parse_date("1 mei 2026", languages=["nl"])[0] == date(2026, 5, 1)
    assert vocab.parse_date("1 mei 2026", languages=["de"])[0] is None


def test_guess_day_first():
    assert vocab.guess_day_first(["20/11/2026", "03/04/2026"]) is True
    assert vocab.guess_day_first(["11/20/2026"]) is False
    assert vocab.guess_day_first(["03/04/2026"]) is None


def test_month_names_agree_across_languages():
    seen: dict[str, int] = {}
    for months in vocab.MONTH_NAMES.values():
        for name, number in months.items():
            assert seen.setdefault(name, number) == number, name


# ------------------------------------------------------------------------------ units


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Stk.", "EA"), ("pcs", "EA"), ("Stück", "EA"), ("pièce", "EA"), ("stuks", "EA"), ("C62", "EA"),
        ("H87", "EA"), ("Karton", "CS"), ("ctn", "CS"), ("colis", "CS"), ("doos", "BX"), ("æske", "BX"),
        ("Palette", "PAL"), ("palle", "PAL"), ("pakke", "PK"), ("KGM", "KG"), ("ltr", "L"), ("mètre", "M"),
        ("Dutzend", "DZN"), ("Satz", "SET"), ("rulle", "ROL"),
    ],
)
def test_normalise_unit_maps_words_and_unece_codes(text, code):
    assert vocab.normalise_unit(text) == code


def test_unknown_short_codes_come_back_upper_cased_and_others_not_at_all():
    assert vocab.normalise_unit("xyq") == "XYQ"
    assert vocab.normalise_unit("drm") == "DR"  # a known alias of the drum
    assert vocab.normalise_unit("something long") is None


def test_dozen_needs_a_language():
    assert vocab.normalise_unit("dozen") is None
    assert vocab.normalise_unit("dozen", language="en") == "DZN"
    assert vocab.normalise_unit("dozen", language="nl") == "BX"


def test_no_unit_word_means_two_units():
    owner: dict[str, str] = {}
    for code, words in vocab.UNIT_WORDS.items():
        for word in words:
            assert owner.setdefault(vocab.fold(word), code) == code, word


# ---------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Total price", "line_total"),
        ("Unit price", "unit_price"),
        ("Unit Price (EUR)", "unit_price"),
        ("Unit price excl. VAT", "unit_price"),
        ("Price", "unit_price"),
        ("Art.-Nr.", "sku"),
        ("Artikel-Nr.", "sku"),
        ("Art. Nr.", "sku"),
        ("Item #", "sku"),
        ("Item Description", "description"),
        ("Bestellmenge", "quantity"),
        ("Quantite", "quantity"),
        ("Qté", "quantity"),
        ("Antal", "quantity"),
        ("Aantal", "quantity"),
        ("Pos.", "line_number"),
        ("#", "line_number"),
        ("Kundenartikelnummer", "customer_part_number"),
        ("Our part no.", "customer_part_number"),
        ("Your part no.", "sku"),
        ("EAN", "gtin"),
        ("Nettopreis", "unit_price"),
        ("Montant HT", "line_total"),
        ("Beløb i alt", "line_total"),
        ("Mengeneinheit", "uom"),
        ("ME", "uom"),
        ("Liefertermin", "requested_date"),
        ("PO Number", "po_number"),
    ],
)
def test_match_header(header, role):
    assert vocab.match_header(header) == role


@pytest.mark.parametrize(
    "header",
    [
        "Tax amount", "MwSt-Betrag", "Discount %", "Pack size", "Verpackungseinheit", "Customer",
        "Menge: 5", "Notes", "",
    ],
)
def test_match_header_refuses_other_columns(header):
    assert vocab.match_header(header) is None


def test_loose_header_matches_are_marked_as_such():
    assert vocab.match_header_ex("Qty") == ("quantity", True)
    assert vocab.match_header_ex("Qty ordered (pcs)") == ("quantity", True)
    assert vocab.match_header_ex("Gesamtmenge") == ("quantity", False)


def test_no_header_synonym_names_two_roles():
    owner: dict[str, str] = {}
    for role, synonyms in vocab.HEADER_SYNONYMS.items():
        for synonym in synonyms:
            assert vocab.match_header(synonym) == role, synonym
            assert owner.setdefault(vocab.normalise_header(synonym), role) == role, synonym


def test_normalise_header():
    assert vocab.normalise_header("  Unit   Price: ") == "unit price"
    assert vocab.normalise_header("Qté.") == "qté"
    assert vocab.normalise_header("#") == "#"


# ----------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("text", "role", "value"),
    [
        ("PO Number: 4711", "po_number", "4711"),
        ("Bestellnummer 4711", "po_number", "4711"),
        ("PO# 4711", "po_number", "4711"),
        ("Commande n° 12345", "po_number", "12345"),
        ("Ordrenummer: 998", "po_number", "998"),
        ("Date de livraison : 01/12/2026", "requested_date", "01/12/2026"),
        ("Order date: 2026-11-20", "order_date", "2026-11-20"),
        ("Kundennummer: C1001", "customer_number", "C1001"),
        ("Gewenste leverdatum: 3 december 2026", "requested_date", "3 december 2026"),
        ("Währung: EUR", "currency", "EUR"),
        ("Lieferadresse: Hauptstr. 5, Berlin", "ship_to", "Hauptstr. 5, Berlin"),
    ],
)
def test_split_label(text, role, value):
    split = vocab.split_label(text)
    assert (split.role, split.value) == (role, value)


def test_split_label_reports_whether_a_separator_stood_there():
    assert vocab.split_label("PO Number: 4711").separated
    assert not vocab.split_label("PO Box 123").separated
    assert vocab.split_label("Hello world") is None


def test_every_label_synonym_finds_its_own_role():
    for role, synonyms in vocab.LABEL_SYNONYMS.items():
        for synonym in synonyms:
            assert vocab.match_label(synonym) == role, synonym


def test_match_label_takes_the_whole_text():
    assert vocab.match_label("Bestell-Nr.:") == "po_number"
    assert vocab.match_label("Leveringsdato") == "requested_date"
    assert vocab.match_label("Delivery date and time window") is None


# ---------------------------------------------------------------------- e-mail words


@pytest.mark.parametrize(
    "line",
    ["Dear Mr Smith,", "Sehr geehrte Damen und Herren,", "Bonjour Madame,", "Kære Lars", "Geachte heer,"],
)
def test_greetings(line):
    assert vocab.is_greeting(line)


@pytest.mark.parametrize(
    "line",
    [
        "Best regards,", "Mit freundlichen Grüßen", "Viele Grüße", "MfG", "Cordialement",
        "Bien à vous", "Med venlig hilsen", "Mvh", "Met vriendelijke groet", "Groeten",
    ],
)
def test_signoffs(line):
    assert vocab.is_signoff(line)


def test_ordinary_lines_are_no_greeting_or_signoff():
    assert not vocab.is_greeting("Please deliver 10 x SKU-123")
    assert not vocab.is_signoff("Please deliver 10 x SKU-123")


def test_classification_words():
    assert vocab.find_words("Ihre Rechnung Nr. 4711", vocab.NON_ORDER_WORDS) == ["rechnung"]
    assert "newsletter" in vocab.find_words("Our November Newsletter", vocab.NON_ORDER_WORDS)
    assert vocab.find_words("Bestellung 4711", vocab.ORDER_CONTEXT_WORDS) == ["bestellung"]
    assert all(word == word.lower() for word in vocab.NON_ORDER_WORDS + vocab.ORDER_CONTEXT_WORDS)


@pytest.mark.parametrize(
    ("text", "is_total"),
    [
        ("Summe", True), ("Total HT", True), ("MwSt 19 %", True), ("I alt", True), ("Sous-total", True),
        ("Gesamt EUR:", True), ("Totaal", True), ("Shipping & handling", True),
        ("Total Care Shampoo", False), ("Shipping address", False), ("Widget", False),
    ],
)
def test_is_total_label(text, is_total):
    assert vocab.is_total_label(text) is is_total


@pytest.mark.parametrize(
    ("written", "code"),
    [("CA", "CS"), ("Kt.", "CS"), ("Rollen", "ROL"), ("RL", "ROL"), ("bundels", "BDL"),
     ("bidons", "CAN"), ("unités", "EA"), ("Schacht.", "BX"), ("MR", "M"), ("Fässer", "DR")],
)
def test_edi_codes_and_everyday_unit_words_share_one_code(written, code):
    assert vocab.normalise_unit(written) == code


# --- the language of a form, the country of a writer, more labels (issue 4 point 8) -------------


def test_form_language_from_column_headers():
    from integrations.parsers.vocabulary import form_language

    dutch = "Ordernummer;Orderdatum;Leverdatum;Artikelnummer;Omschrijving;Aantal;Eenheid;Prijs;Valuta"
    assert form_language(dutch.split(";")) == "nl"
    assert form_language(["PO Number", "Item No", "Description", "Quantity", "UoM", "Unit Price"]) == "en"
    assert form_language(["Ordrenr", "Varenr", "Beskrivelse", "Antal", "Enhed", "Pris"]) == "da"
    assert form_language(["SKU", "Qty"]) is None  # too little to tell


def test_dutch_dozen_are_boxes_only_when_the_language_is_known():
    from integrations.parsers.vocabulary import normalise_unit

    assert normalise_unit("dozen", language="nl") == "BX"
    assert normalise_unit("dozen", language="en") == "DZN"
    assert normalise_unit("dozen") is None


def test_phone_country_needs_numbers_that_agree():
    from integrations.parsers.vocabulary import phone_country

    assert phone_country(["Tel. +31 10 412 3456"]) == "NL"
    assert phone_country(["Ansprechpartner: M. Becker, Tel. +49 69 608 8981"]) == "DE"
    assert phone_country(["+353 1 234 5678"]) == "IE"
    assert phone_country(["Phone: +44 161 496 0000", "Fax: +49 40 123 4567"]) is None
    assert phone_country(["Order 4711 of 20.11.2026"]) is None


@pytest.mark.parametrize(
    ("text", "role", "value"),
    [
        ("Levering til:", "ship_to", ""),
        ("Lieferung an: Lager Nord", "ship_to", "Lager Nord"),
        ("Ihre Kd.-Nr. für uns: C1003", "customer_number", "C1003"),
        ("Unsere Kundennummer bei Ihnen: C1019", "customer_number", "C1019"),
    ],
)
def test_more_label_spellings(text, role, value):
    found = vocab.split_label(text)
    assert found is not None and (found.role, found.value) == (role, value)


@pytest.mark.parametrize("text, amount, unit", [
    ("4.61/Ea", "4.61", "EA"),
    ("10.15 EA", "10.15", "EA"),
    ("@ 3.10 SEK/ea", "3.10 SEK", "EA"),
    ("á 83,30 DKK pr. kasse", "83,30 DKK", "CS"),
    ("5.00 per case", "5.00", "CS"),
    ("12.50 EUR", "12.50 EUR", ""),  # a currency is no unit
    ("12.50", "12.50", ""),
    ("2.5000 09/02", "2.5000 09/02", ""),
])
def test_an_amount_written_with_the_unit_it_is_for(text, amount, unit):
    from integrations.parsers.vocabulary import split_amount_unit

    assert split_amount_unit(text) == (amount, unit)


# --- one lexicon per language, CLDR month names, bilingual labels (issue 14 point 4) ------------

#: Per new language: column headers -> role, a PO-number label line, a delivery-date label
#: line, unit words -> code, and a written date (12 March 2026) as people there write it.
NEW_LANGUAGES = {
    "sv": (
        {"Antal": "quantity", "Á-pris": "unit_price", "Benämning": "description", "Artikelnr": "sku",
         "Belopp": "line_total"},
        "Ordernummer: 4711", "Leveransdatum: 2026-03-12",
        {"st": "EA", "kartong": "CS", "pall": "PAL", "förp.": "PK", "påse": "BG"}, "12 mars 2026",
    ),
    "no": (
        {"Antall": "quantity", "Enhetspris": "unit_price", "Beskrivelse": "description",
         "Beløp": "line_total"},
        "Bestillingsnummer: 4711", "Ønsket leveringsdato: 12.03.2026",
        {"stk": "EA", "eske": "BX", "pall": "PAL", "sekk": "BG", "sett": "SET"}, "12. mars 2026",
    ),
    "it": (
        {"Quantità": "quantity", "Q.tà": "quantity", "Prezzo unitario": "unit_price",
         "Descrizione": "description", "Importo": "line_total", "Codice articolo": "sku", "U.M.": "uom"},
        "Ordine n. 4711", "Data consegna: 12/03/2026",
        {"pz": "EA", "cartone": "CS", "bancale": "PAL", "confezione": "PK", "rotolo": "ROL"}, "12 marzo 2026",
    ),
    "es": (
        {"Cantidad": "quantity", "Precio unitario": "unit_price", "Descripción": "description",
         "Importe": "line_total", "Código": "sku"},
        "Nº de pedido: 4711", "Fecha de entrega: 12/03/2026",
        {"uds": "EA", "caja": "BX", "palet": "PAL", "paquete": "PK", "botella": "BOT"}, "12 de marzo de 2026",
    ),
    "pl": (
        {"Ilość": "quantity", "Cena jednostkowa": "unit_price", "Nazwa towaru": "description", "J.m.": "uom",
         "Wartość netto": "line_total", "Lp.": "line_number"},
        "Nr zamówienia: 4711", "Termin dostawy: 12.03.2026",
        {"szt.": "EA", "karton": "CS", "paleta": "PAL", "opak.": "PK", "rolka": "ROL"}, "12 marca 2026",
    ),
    "pt": (
        {"Quantidade": "quantity", "Qtd.": "quantity", "Preço unitário": "unit_price",
         "Descrição": "description", "Valor": "line_total", "Artigo": "sku"},
        "Nº encomenda: 4711", "Data de entrega: 12-03-2026",
        {"unid.": "EA", "caixa": "BX", "palete": "PAL", "embalagem": "PK", "saco": "BG"},
        "12 de março de 2026",
    ),
    "fi": (
        {"Määrä": "quantity", "Yksikköhinta": "unit_price", "Kuvaus": "description", "Tuotenumero": "sku",
         "Yhteensä": "line_total"},
        "Tilausnumero: 4711", "Toimituspäivä: 12.3.2026",
        {"kappale": "EA", "laatikko": "BX", "lava": "PAL", "pakkaus": "PK", "pullo": "BOT"},
        "12. maaliskuuta 2026",
    ),
    "cs": (
        {"Množství": "quantity", "Jednotková cena": "unit_price", "Název": "description", "MJ": "uom",
         "Celkem": "line_total"},
        "Číslo objednávky: 4711", "Termín dodání: 12.03.2026",
        {"ks": "EA", "krabice": "BX", "paleta": "PAL", "balení": "PK", "sada": "SET"}, "12. března 2026",
    ),
}


def test_the_eight_new_languages_are_languages():
    assert set(NEW_LANGUAGES) <= set(vocab.LANGUAGES)
    assert len(vocab.LANGUAGES) == 13


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_new_language_item_table_headers(language):
    headers = NEW_LANGUAGES[language][0]
    assert {header: vocab.match_header(header) for header in headers} == headers


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_new_language_order_number_and_delivery_date_labels(language):
    _, po_line, date_line, _, _ = NEW_LANGUAGES[language]
    po, delivery = vocab.split_label(po_line), vocab.split_label(date_line)
    assert (po.role, po.value) == ("po_number", "4711")
    assert delivery.role == "requested_date"
    assert vocab.parse_date(delivery.value, day_first=True)[0] == date(2026, 3, 12)


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_new_language_unit_words(language):
    units = NEW_LANGUAGES[language][3]
    assert {word: vocab.normalise_unit(word) for word in units} == units


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_new_language_written_dates(language):
    written = NEW_LANGUAGES[language][4]
    assert vocab.parse_date(written) == (date(2026, 3, 12), False)
    assert vocab.parse_date(written, languages=[language]) == (date(2026, 3, 12), False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 febbraio 2026", date(2026, 2, 3)),
        ("12. März 2026", date(2026, 3, 12)),
        ("lunes, 3 de febrero de 2026", date(2026, 2, 3)),
        ("mar, 3 feb 2026", date(2026, 2, 3)),  # "mar" is martes here, not March
        ("1º de agosto de 2026", date(2026, 8, 1)),
        ("15 października 2026", date(2026, 10, 15)),
        ("15 października 2026 r.", date(2026, 10, 15)),
        ("3. prosince 2026", date(2026, 12, 3)),
        ("3 listopad 2026", date(2026, 11, 3)),
        ("24. joulukuuta 2026", date(2026, 12, 24)),
        ("24 dic. 2026", date(2026, 12, 24)),
        ("24 dez. 2026", date(2026, 12, 24)),
        ("1 okt. 2026", date(2026, 10, 1)),
        ("fredag 2 oktober 2026", date(2026, 10, 2)),
        ("2 ott 2026", date(2026, 10, 2)),
        ("5 out. 2026", date(2026, 10, 5)),
    ],
)
def test_written_dates_take_cldr_month_and_day_names(text, expected):
    assert vocab.parse_date(text) == (expected, False)


def test_every_language_names_all_twelve_months():
    for language, months in vocab.MONTH_NAMES.items():
        assert set(months.values()) == set(range(1, 13)), language


def test_unit_word_with_two_meanings_needs_the_language():
    assert vocab.normalise_unit("kpl") is None  # Finnish pieces, Polish sets
    assert vocab.normalise_unit("kpl", language="fi") == "EA"
    assert vocab.normalise_unit("kpl", language="pl") == "SET"


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Prezzo IVA esclusa", "unit_price"),
        ("Precio sin IVA", "unit_price"),
        ("Cena netto", "unit_price"),
        ("Pris exkl. moms", "unit_price"),
        ("Bestilt antall", "quantity"),
        ("Tilausmäärä", "quantity"),
        ("Orderkvantitet", "quantity"),
    ],
)
def test_new_language_price_qualifiers_and_compounds(header, role):
    assert vocab.match_header(header) == role


@pytest.mark.parametrize("header", ["IVA", "Sconto %", "Rabatt", "Alennus", "Sleva", "Peso"])
def test_new_language_tax_discount_and_weight_columns_are_no_item_columns(header):
    assert vocab.match_header(header) is None


@pytest.mark.parametrize(
    "text", ["Razem", "Totale", "Yhteensä", "Celkem", "Summa", "Subtotal", "IVA 21 %", "Totalt", "Do zapłaty"]
)
def test_new_language_total_labels(text):
    assert vocab.is_total_label(text)


@pytest.mark.parametrize(
    "line",
    [
        "Hej Anna,", "Hei Ola,", "Buongiorno,", "Estimados señores:", "Dzień dobry,", "Bom dia,",
        "Hyvä vastaanottaja,", "Dobrý den,",
    ],
)
def test_new_language_greetings(line):
    assert vocab.is_greeting(line)


@pytest.mark.parametrize(
    "line",
    ["Med vänliga hälsningar", "Med vennlig hilsen", "Cordiali saluti", "Saludos cordiales", "Z poważaniem",
     "Com os melhores cumprimentos", "Ystävällisin terveisin", "S pozdravem"],
)
def test_new_language_signoffs(line):
    assert vocab.is_signoff(line)


# bilingual labels and headers (issue 14 class 2)


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Menge / Qty", "quantity"),
        ("Antal / Qty", "quantity"),
        ("Antal | Quantity", "quantity"),
        ("Bestellmenge - Order qty", "quantity"),
        ("Menge\nQty", "quantity"),
        ("Qté / Quantity / Menge", "quantity"),
        ("Art.-Nr. / Item no.", "sku"),
        ("Einzelpreis / Unit price", "unit_price"),
        ("Bezeichnung / Description", "description"),
        ("Liefertermin / Delivery date", "requested_date"),
        ("Ordernr / Order no.", "po_number"),
    ],
)
def test_bilingual_headers(header, role):
    assert vocab.match_header(header) == role


def test_bilingual_header_is_exact_only_when_both_names_are():
    assert vocab.match_header_ex("Menge / Qty") == ("quantity", True)
    assert vocab.match_header_ex("Gesamtmenge / Qty") == ("quantity", False)


@pytest.mark.parametrize("header", ["Menge / Preis", "Pos / Qty"])
def test_two_roles_joined_are_no_bilingual_header(header):
    assert vocab.match_header(header) is None


@pytest.mark.parametrize(
    ("text", "role", "value"),
    [
        ("Bestell-Nr. / PO no.: 4711", "po_number", "4711"),
        ("Ordernr / Order no.: 4711", "po_number", "4711"),
        ("Lieferdatum / Delivery date: 12.03.2026", "requested_date", "12.03.2026"),
        ("Kundennr. | Customer no. C1001", "customer_number", "C1001"),
        ("Leveransadress / Delivery address: Lager 3", "ship_to", "Lager 3"),
    ],
)
def test_bilingual_labels(text, role, value):
    found = vocab.split_label(text)
    assert found is not None and (found.role, found.value) == (role, value)


def test_bilingual_label_matches_whole_text():
    assert vocab.match_label("Bestell-Nr. / PO no.") == "po_number"
    assert vocab.match_label("Ordernr - Order no.") == "po_number"
    assert vocab.match_label("PO No. / Date") is None  # two labels side by side, not one in two languages


def test_bilingual_info_labels():
    found = vocab.split_info_label("Tel. / Phone: +49 40 1234")
    assert found is not None and (found.role, found.value) == ("phone", "+49 40 1234")


# the lexicon files


def test_every_language_has_a_lexicon_file_and_nothing_else_claims_to_be_one():
    files = {path.stem for path in vocab.LEXICON_DIR.glob("*.json")} - {"instruction_cues"}
    assert files == {*vocab.LANGUAGES, vocab.INTERNATIONAL}


@pytest.mark.parametrize("language", [*vocab.LANGUAGES, "international"])
def test_lexicon_files_load_and_name_only_known_roles(language):
    data = vocab.read_lexicon(vocab.LEXICON_DIR / f"{language}.json")
    assert set(data.get("headers", {})) <= set(vocab.HEADER_ROLES)
    assert set(data.get("labels", {})) <= set(vocab.LABEL_ROLES)
    assert set(data.get("units", {})) <= set(vocab.UNIT_CODES)


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_every_language_names_the_core_roles(language):
    data = vocab.lexicon(language)
    assert {"quantity", "unit_price", "description", "sku", "po_number"} <= set(data["headers"]), language
    assert {"po_number", "order_date", "requested_date", "customer_number", "ship_to"} <= set(data["labels"])
    assert {"EA", "PAL", "PK"} <= set(data["units"]) | set(vocab.lexicon("international")["units"])
    assert data["greetings"] and data["signoffs"] and data["total_words"]


def test_a_lexicon_with_an_unknown_role_is_refused(tmp_path):
    path = tmp_path / "xx.json"
    path.write_text('{"locale": "en", "headers": {"quantty": ["qty"]}}', encoding="utf-8")
    with pytest.raises(vocab.LexiconError, match="quantty"):
        vocab.read_lexicon(path)
    path.write_text('{"locale": "en", "colours": ["red"]}', encoding="utf-8")
    with pytest.raises(vocab.LexiconError, match="colours"):
        vocab.read_lexicon(path)


def test_the_lexicon_is_read_once():
    assert vocab.lexicon("de") is vocab.lexicon("de")


def test_decimal_commas_by_country_come_from_cldr():
    assert vocab.COUNTRY_DECIMAL_COMMA["DE"] is True and vocab.COUNTRY_DECIMAL_COMMA["CZ"] is True
    assert vocab.COUNTRY_DECIMAL_COMMA["CH"] is False and vocab.COUNTRY_DECIMAL_COMMA["US"] is False
    assert vocab.COUNTRY_DECIMAL_COMMA["CA"] is None  # English points, Québec commas


@pytest.mark.parametrize("text, monday", [
    ("KW 08/2026", date(2026, 2, 16)), ("week 8, 2026", date(2026, 2, 16)), ("uge 01/2027", date(2027, 1, 4)),
    ("Vecka 3 2027", date(2027, 1, 18)), ("CW 53/2026", date(2026, 12, 28)),
])
def test_a_calendar_week_with_its_year_is_its_monday(text, monday):
    assert vocab.parse_date(text) == (monday, False)


@pytest.mark.parametrize("text", ["KW 52", "KW 54/2026", "week 0/2026"])
def test_a_week_without_a_year_or_past_the_calendar_is_not_read(text):
    assert vocab.parse_date(text)[0] is None


@pytest.mark.parametrize("text, role", [
    ("Purchase order num. NCA-008695", "po_number"), ("PO Issue Date: 01/27/2021", "order_date"),
    ("Document Date: 12/12/2020", "order_date"), ("Purchase order date 01/05/2021", "order_date"),
    ("Send Goods to:", "ship_to"),
])
def test_labels_erp_printouts_use(text, role):
    assert vocab.split_label(text).role == role
