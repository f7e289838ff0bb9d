"""Address lines into name, street, postal code, city and country, in five languages."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.parsers import address
from integrations.parsers.address import parse_address_lines
from integrations.parsers.draft import CONFIDENT, AddressDraft, Evidence

PARTS = ("name", "street", "postal_code", "city", "country")


def parts(draft: AddressDraft) -> tuple:
    return tuple(getattr(draft, part).value if getattr(draft, part) else None for part in PARTS)


def confidences(draft: AddressDraft) -> dict[str, float]:
    return {part: getattr(draft, part).confidence for part in PARTS if getattr(draft, part)}


# ------------------------------------------------------------------------- one line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Acme Lager, Industriestr. 4, 80331 München, Germany",
            ("Acme Lager", "Industriestr. 4", "80331", "München", "DE"),
        ),
        (
            "Alpenblick Haustechnik GmbH, Gewerbepark 79, 1210 Wien, Österreich",
            ("Alpenblick Haustechnik GmbH", "Gewerbepark 79", "1210", "Wien", "AT"),
        ),
        (
            "Juraplast AG Werk Bern; Industriestrasse 67; CH-3018 Bern",
            ("Juraplast AG Werk Bern", "Industriestrasse 67", "3018", "Bern", "CH"),
        ),
        (
            "Atelier Sud SARL, 5 rue de la Paix, 75002 Paris Cedex 02, France",
            ("Atelier Sud SARL", "5 rue de la Paix", "75002", "Paris", "FR"),
        ),
        (
            "Scheldepoort NV, Industrieweg 51, 8500 Kortrijk, Belgique",
            ("Scheldepoort NV", "Industrieweg 51", "8500", "Kortrijk", "BE"),
        ),
        (
            "Kattegat Hydraulik A/S, Smedevej 35, DK-6700 Esbjerg",
            ("Kattegat Hydraulik A/S", "Smedevej 35", "6700", "Esbjerg", "DK"),
        ),
        (
            "Van Steenwijk B.V., Marconistraat 5, 3013 WL Rotterdam, Nederland",
            ("Van Steenwijk B.V.", "Marconistraat 5", "3013 WL", "Rotterdam", "NL"),
        ),
        (
            "Pennine Ltd Warehouse, 139 Mill Lane, B6 2RL Birmingham",
            ("Pennine Ltd Warehouse", "139 Mill Lane", "B6 2RL", "Birmingham", "GB"),
        ),
        (
            "Severn Valley Ltd, 59 Station Road, Leeds LS10 4JA, United Kingdom",
            ("Severn Valley Ltd", "59 Station Road", "LS10 4JA", "Leeds", "GB"),
        ),
        (
            "Contoso Inc., One Microsoft Way, Redmond, WA 98052, USA",
            ("Contoso Inc.", "One Microsoft Way", "98052", "Redmond", "US"),
        ),
        (
            "Norrbro Elteknik AB, Kungsgatan 1, 114 55 Stockholm, Sverige",
            ("Norrbro Elteknik AB", "Kungsgatan 1", "114 55", "Stockholm", "SE"),
        ),
    ],
)
def test_one_line_addresses(line, expected):
    draft = parse_address_lines([line])
    assert parts(draft) == expected
    read_there = confidences(draft)
    assert all(read_there[part] == 1.0 for part in ("name", "street", "postal_code", "city"))


def test_complete_address_is_confident_and_every_part_has_its_evidence():
    draft = parse_address_lines(["Acme Lager, Industriestr. 4, 80331 München"])
    assert confidences(draft) == {"name": 1.0, "street": 1.0, "postal_code": 1.0, "city": 1.0}
    assert draft.street.evidence == Evidence(text="Acme Lager, Industriestr. 4, 80331 München")
    assert draft.country is None  # five digits are German, French, American …: not guessed


# ----------------------------------------------------------------------- multi-line


def test_german_block_with_country_prefix_and_trailing_country():
    lines = ["Nordhafen Maschinenbau GmbH", "Lager Süd", "Am Güterbahnhof 3", "D-70480 Stuttgart"]
    assert parts(parse_address_lines(lines)) == (
        "Nordhafen Maschinenbau GmbH Lager Süd", "Am Güterbahnhof 3", "70480", "Stuttgart", "DE",
    )
    draft = parse_address_lines(["Firma X", "Hauptstr. 5", "80331 München Deutschland"])
    assert parts(draft)[2:] == ("80331", "München", "DE")


def test_french_block():
    lines = ["Solvéo Maintenance Industrielle SARL", "139 rue des Artisans", "31626 Toulouse", "France"]
    assert parts(parse_address_lines(lines)) == (
        "Solvéo Maintenance Industrielle SARL", "139 rue des Artisans", "31626", "Toulouse", "FR",
    )


def test_danish_block_from_sheet_cells_with_postal_code_and_city_apart():
    lines = ["Kattegat Hydraulik A/S", "Smedevej 35", "6700", "Esbjerg", "DK"]
    draft = parse_address_lines(lines, evidence=lambda index: Evidence(text=lines[index], line=index + 10))
    assert parts(draft) == ("Kattegat Hydraulik A/S", "Smedevej 35", "6700", "Esbjerg", "DK")
    assert draft.city.evidence.line == 13
    assert draft.country.confidence == 1.0


def test_dutch_block_with_postal_code_cell():
    lines = ["Van Steenwijk B.V.", "Nijverheidsweg 150", "3532 WL", "Utrecht", "Nederland"]
    assert parts(parse_address_lines(lines)) == (
        "Van Steenwijk B.V.", "Nijverheidsweg 150", "3532 WL", "Utrecht", "NL",
    )


def test_british_town_before_its_postcode_in_separate_lines():
    lines = ["Severn Valley Ltd", "59 Station Road", "Leeds", "LS10 4JA", "GB"]
    expected = ("Severn Valley Ltd", "59 Station Road", "LS10 4JA", "Leeds", "GB")
    assert parts(parse_address_lines(lines)) == expected


def test_us_block():
    lines = ["Great Lakes Assembly Supply Inc.", "8992 Commerce Dr", "Columbus, OH 43219"]
    draft = parse_address_lines(lines)
    assert parts(draft) == ("Great Lakes Assembly Supply Inc.", "8992 Commerce Dr", "43219", "Columbus", "US")
    assert not draft.country.confident  # implied by the state and ZIP format only


def test_swiss_and_austrian_blocks_name_no_country_unless_written():
    assert parts(parse_address_lines(["Limmattal AG", "Seestrasse 121", "4057 Basel"]))[4] is None
    austrian = ["Donauwerk GmbH", "Industriestraße 53", "4030 Linz", "Österreich"]
    assert parts(parse_address_lines(austrian))[4] == "AT"
    assert parts(parse_address_lines(["Limmattal AG", "Seestrasse 121", "4057 Basel", "Schweiz"]))[4] == "CH"


def test_swedish_postal_code_alone():
    lines = ["Vänerns Verkstadsprodukter AB", "Verkstadsgatan 54", "420 56", "Göteborg"]
    draft = parse_address_lines(lines)
    assert parts(draft) == ("Vänerns Verkstadsprodukter AB", "Verkstadsgatan 54", "420 56", "Göteborg", "SE")
    assert draft.country.confidence < CONFIDENT


def test_contact_and_attention_lines_are_skipped():
    lines = ["Acme GmbH", "Attn: Bob Miller", "Hauptstr. 5", "Tel. +49 89 1234567", "80331 München"]
    assert parts(parse_address_lines(lines)) == ("Acme GmbH", "Hauptstr. 5", "80331", "München", None)


def test_extra_line_between_street_and_postal_code_lowers_confidence():
    draft = parse_address_lines(["Acme GmbH", "Hauptstr. 5", "Hinterhaus", "80331 München"])
    assert draft.street.value == "Hauptstr. 5"
    assert not draft.street.confident


def test_block_names_the_lines_no_part_took():
    block = address.parse_address_block(["Acme GmbH", "Hauptstr. 5", "80331 München", "Hintereingang"])
    assert block.unplaced == (3,)
    assert parts(block.address) == ("Acme GmbH", "Hauptstr. 5", "80331", "München", None)
    assert address.parse_address_block(["Acme, Hauptstr. 5, 80331 München, Germany"]).unplaced == ()


# ---------------------------------------------------------------- half an address


def test_without_postal_code_nothing_is_confident():
    draft = parse_address_lines(["Acme GmbH, Hauptstr. 5, Berlin"])
    assert parts(draft) == ("Acme GmbH", "Hauptstr. 5", None, "Berlin", None)
    assert not any(value >= CONFIDENT for value in confidences(draft).values())


def test_name_only():
    draft = parse_address_lines(["Lager Nord"])
    assert parts(draft) == ("Lager Nord", None, None, None, None)
    assert not draft.name.confident


def test_country_without_postal_code_still_counts():
    draft = parse_address_lines(["Minsk Trading", "Partizanskiy pr. 90", "Minsk", "BY"])
    assert parts(draft) == ("Minsk Trading", "Partizanskiy pr. 90", None, "Minsk", "BY")
    assert draft.country.confident


def test_empty_block():
    assert parse_address_lines([]).is_empty()
    assert parse_address_lines(["", "  "]).is_empty()


# ------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Germany", "DE"), ("Deutschland", "DE"), ("Allemagne", "DE"), ("Tyskland", "DE"),
        ("Duitsland", "DE"),
        ("Österreich", "AT"), ("Autriche", "AT"), ("Østrig", "AT"), ("Suisse", "CH"), ("Zwitserland", "CH"),
        ("Belgique", "BE"), ("België", "BE"), ("Danemark", "DK"), ("Dänemark", "DK"), ("Danmark", "DK"),
        ("Pays-Bas", "NL"), ("Nederland", "NL"), ("Royaume-Uni", "GB"), ("Storbritannien", "GB"),
        ("Verenigd Koninkrijk", "GB"), ("Vereinigte Staaten", "US"), ("États-Unis", "US"),
        ("Sverige", "SE"), ("Suède", "SE"), ("France", "FR"), ("Frankrijk", "FR"),
        ("DE", "DE"), ("CH", "CH"), ("NL", "NL"), ("DEU", "DE"), ("GBR", "GB"),
    ],
)
def test_country_code(text, code):
    assert address.country_code(text) == code


def test_country_codes_only_in_capitals():
    assert address.country_code("de") is None
    assert address.country_code("Hauptstraße") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80331 München", ("80331", "München", "")),
        ("D-80331 München", ("80331", "München", "DE")),
        ("1012 AB Amsterdam", ("1012 AB", "Amsterdam", "NL")),
        ("SW1A 1AA London", ("SW1A 1AA", "London", "GB")),
        ("Leeds LS1 4AP", ("LS1 4AP", "Leeds", "GB")),
        ("Redmond, WA 98052", ("98052", "Redmond", "US")),
        ("114 55 Stockholm", ("114 55", "Stockholm", "SE")),
        ("4000 Liège", ("4000", "Liège", "")),
    ],
)
def test_postal_city(text, expected):
    found = address.postal_city(text)
    assert (found.postal_code, found.city, found.country) == expected


def test_no_postal_city():
    assert address.postal_city("Hauptstr. 5") is None
    assert address.postal_city("1012 AB") is None  # a Dutch postal code alone
    assert address.postal_city("Portland, XX 97201") is None  # no US state


@pytest.mark.parametrize(
    ("text", "street"),
    [
        ("Hauptstr. 5", True), ("Robert-Bosch-Straße 75", True), ("Am Markt", True), ("139 Mill Lane", True),
        ("25 chemin du Moulin", True), ("Smedevej 35", True), ("Nijverheidsweg 77", True),
        ("Företagsvägen 141", True), ("Postfach 12 34", True), ("München", False), ("80331 München", False),
        ("Lager Nord", False),
    ],
)
def test_is_street(text, street):
    assert address.is_street(text) is street


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=6))
def test_any_lines_give_a_draft(lines):
    draft = parse_address_lines(lines)
    assert isinstance(draft, AddressDraft)


# ---------------------------------------------- patterns and guards moved here from pdf.py and text.py


def test_a_house_number_and_street_is_no_postal_line():
    assert address.postal_city("9288 W Fulton St") is None
    draft = parse_address_lines(["Redwood Ridge Manufacturing LLC", "9288 W Fulton St"])
    assert (draft.street.value, draft.postal_code, draft.city) == ("9288 W Fulton St", None, None)


def test_us_city_and_zip_without_a_state():
    draft = parse_address_lines(["Redwood Ridge Manufacturing LLC", "9288 W Fulton St", "Houston, 77072"])
    assert parts(draft) == ("Redwood Ridge Manufacturing LLC", "9288 W Fulton St", "77072", "Houston", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("110 00 Praha 1", ("110 00", "Praha 1", "")),  # a district number: Czech, not Swedish
        ("CZ-110 00 Praha 1", ("110 00", "Praha 1", "CZ")),
        ("S-726 28 Västerås", ("726 28", "Västerås", "SE")),
        ("CH 8052 Zürich", ("8052", "Zürich", "CH")),
        ("D 20457 Hamburg", ("20457", "Hamburg", "DE")),
    ],
)
def test_postal_city_with_district_or_prefix(text, expected):
    found = address.postal_city(text)
    assert (found.postal_code, found.city, found.country) == expected


def test_a_spaced_prefix_counts_only_when_known_and_in_capitals():
    assert address.postal_city("Am 12345 Berlin") is None
    assert address.postal_city("XY 12345 Berlin") is None


def test_canadian_postcode_on_its_own_line_below_the_town():
    draft = parse_address_lines(["Maple Foods Inc", "120 King Street W", "Toronto", "M5H 1J9"])
    assert parts(draft) == ("Maple Foods Inc", "120 King Street W", "M5H 1J9", "Toronto", "CA")
    assert draft.country.confidence < CONFIDENT


def test_care_of_line_is_skipped():
    draft = parse_address_lines(["Acme GmbH", "c/o Spedition Müller", "Hafenweg 1", "20457 Hamburg"])
    assert parts(draft) == ("Acme GmbH", "Hafenweg 1", "20457", "Hamburg", None)


def test_block_says_whether_the_country_was_written():
    assert address.parse_address_block(["Acme", "Hafenweg 1", "20457 Hamburg", "Germany"]).country_written
    implied = address.parse_address_block(["Acme", "Hafenweg 1", "D-20457 Hamburg"])
    assert not implied.country_written and implied.address.country.value == "DE"


def test_us_states_are_public_for_document_level_checks():
    assert "WA" in address.US_STATES and "XX" not in address.US_STATES


# --- addresses without a postal code (issue 4 point 8) ----------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Eastern Horizon Re-Export FZE", "Jebel Ali Free Zone, Warehouse 7", "Dubai",
          "United Arab Emirates"],
         ("Eastern Horizon Re-Export FZE", "Jebel Ali Free Zone, Warehouse 7", None, "Dubai", "AE")),
        (["Pearl Delta Component Brokers Ltd", "88 Kwai Fung Crescent", "Hong Kong", "Hong Kong"],
         ("Pearl Delta Component Brokers Ltd", "88 Kwai Fung Crescent", None, "Hong Kong", "HK")),
        (["Eastern Horizon Re-Export FZE, Jebel Ali Free Zone, Warehouse 7, Dubai, United Arab Emirates"],
         ("Eastern Horizon Re-Export FZE", "Jebel Ali Free Zone, Warehouse 7", None, "Dubai", "AE")),
    ],
)
def test_an_address_without_postal_code_is_read_whole_but_never_sure(lines, expected):
    block = address.parse_address_block(lines)
    assert parts(block.address) == expected
    assert address.reads_without_postal_code(block)
    read_from_lines = {key: value for key, value in confidences(block.address).items() if key != "country"}
    assert all(value < CONFIDENT for value in read_from_lines.values())


def test_a_site_after_the_company_stays_in_the_name_when_a_postal_code_is_given():
    draft = parse_address_lines(["Acme GmbH, Lager Nord, Industriestr. 4, 80331 München"])
    assert parts(draft)[:2] == ("Acme GmbH, Lager Nord", "Industriestr. 4")


def test_a_postal_code_missing_from_a_known_country_is_not_a_whole_address():
    block = address.parse_address_block(["Acme GmbH", "Industriestr. 4", "München"])
    assert not address.reads_without_postal_code(block)  # no country written: half an address


# --- six-digit postal codes: a forwarder or consignee in RU, BY, KZ, RO … ---------------------


@pytest.mark.parametrize(
    "lines",
    [
        ["Ladoga Bridge Freight OOO", "Portovaya ul. 31", "198035 Saint Petersburg", "Russia"],
        ["Ladoga Bridge Freight OOO, Portovaya ul. 31, 198035 Saint Petersburg, Russia"],
        ["Ladoga Bridge Freight OOO", "Portovaya ul. 31", "198035", "Saint Petersburg", "RU"],  # sheet cells
    ],
)
def test_a_six_digit_postal_code_before_the_city_is_read_whole(lines):
    block = address.parse_address_block(lines)
    assert parts(block.address) == (
        "Ladoga Bridge Freight OOO", "Portovaya ul. 31", "198035", "Saint Petersburg", "RU")
    assert not block.unplaced and block.address.postal_code.confidence == 1.0


def test_six_digits_imply_no_country():
    found = address.postal_city("220004 Minsk")
    assert (found.postal_code, found.city, found.country) == ("220004", "Minsk", "")
    assert address.postal_city("1234567 Minsk") is None
    assert address.is_street("220004 Minsk") is False
