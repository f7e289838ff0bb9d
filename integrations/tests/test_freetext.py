"""Sentence accounting (integrations.parsers.freetext): what is harmless, what may be an instruction."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.parsers.freetext import (
    account,
    asks_something,
    is_harmless,
    is_signoff_line,
    split_sentences,
    unexplained_in,
)

HARMLESS = [
    # greetings and sign-offs
    "Dear Mr. Smith,",
    "Hi Tom,",
    "Sehr geehrte Damen und Herren,",
    "Hallo Frau Meier,",
    "Bonjour Madame Dupont,",
    "Kære Lars,",
    "Hej,",
    "Beste Piet,",
    "Geachte heer Jansen,",
    "Best regards,",
    "Kind regards, John",
    "Mit freundlichen Grüßen",
    "Viele Grüße",
    "Cordialement,",
    "Bien à vous",
    "Med venlig hilsen",
    "Mvh",
    "Met vriendelijke groet,",
    "Groeten",
    "Thanks in advance",
    "Vielen Dank!",
    "Merci d'avance",
    "På forhånd tak",
    "Alvast bedankt",
    # order framing
    "Please find our order below.",
    "Please find attached our order 4711.",
    "Hereby we order:",
    "We would like to order the following:",
    "Wir bestellen hiermit:",
    "Anbei unsere Bestellung.",
    "Bitte liefern Sie folgende Artikel:",
    "Veuillez trouver ci-joint notre commande.",
    "Nous vous prions de bien vouloir nous livrer :",
    "Hermed bestiller vi:",
    "Vedhæftet ordre.",
    "Hierbij bestellen wij:",
    "In de bijlage vindt u onze bestelling.",
    "Please confirm the order.",
    "Please confirm receipt.",
    "Bitte bestätigen Sie den Auftrag.",
    "Merci de confirmer la réception de la commande.",
    "FYI",
    "See below",
    "Please process",
    "Our order 4711 dated 20.11.2026 is attached.",
    "Hi John, please find attached our order.",
    # signatures and boilerplate
    "Tel. +49 40 1234-567",
    "Fax: +45 70 20 30 40",
    "www.acme.example",
    "jane@customer.fr",
    "Hafenstr. 12",
    "20457 Hamburg",
    "ACME Industrial Supplies GmbH",
    "Amtsgericht Hamburg HRB 12345",
    "Geschäftsführer: Max Muster",
    "USt-IdNr. DE123456789",
    "Sent from my iPhone",
    "Von meinem iPhone gesendet",
    "Please consider the environment before printing this e-mail.",
]
INSTRUCTIONS = [
    "Please deliver to our new warehouse instead.",
    "Können Sie die Lieferung aufteilen?",
    "Partial deliveries are not accepted.",
    "Bitte rufen Sie mich vor der Lieferung an.",
    "Merci de livrer au lieu de notre entrepôt habituel à Lyon.",
    "Lever venligst i stedet til vores lager i Vejle.",
    "Graag leveren in plaats van naar ons hoofdkantoor.",
    "URGENT: we need this tomorrow",
    "Dringend benötigt!",
    "ASAP please",
    "Please deliver by Friday.",
    "Please send the same as last time.",
    "Same as last time.",
    "Is the price still valid?",
    "We changed our address.",
    "Please cancel order 4711.",
    "Liefertermin KW 49",
    "Please call me before delivery.",
    "Dear Mr. Smith, can you ship tomorrow",
    "Thanks, and please use the back entrance.",
    "Kind regards and please invoice to our Paris office",
]


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_explained(text):
    assert account([text], used=set()) == []


@pytest.mark.parametrize("text", INSTRUCTIONS)
def test_instructions_are_unexplained(text):
    found = account([text], used=set(), first_line=7, part="body")
    assert [(evidence.line, evidence.part) for evidence in found] == [(7, "body")]
    assert found[0].text == text.strip()


def test_used_lines_and_blank_lines_are_skipped():
    lines = ["Hello,", "", "10 x SKU-1", "Please deliver to our new warehouse instead.", "", "Regards"]
    found = account(lines, used={2}, first_line=1)
    assert [(evidence.text, evidence.line) for evidence in found] == [
        ("Please deliver to our new warehouse instead.", 4)
    ]


def test_sentences_spread_over_lines_point_at_their_first_line():
    lines = [
        "Please find attached our order. Please make sure that the goods arrive",
        "before noon, because our dock closes early on Fridays.",
    ]
    found = account(lines, used=set())
    assert [(evidence.line, evidence.text[:18]) for evidence in found] == [(1, "Please make sure t")]


def test_short_lines_are_sentences_of_their_own():
    found = account(["PO: 4711", "Liefertermin: KW 50", "Danke"], used={0})
    assert [(evidence.line, evidence.text) for evidence in found] == [(2, "Liefertermin: KW 50")]


def test_disclaimer_paragraph_is_boilerplate_unless_it_asks():
    disclaimer = [
        "This e-mail may contain confidential information. If you are not the intended",
        "recipient, please notify the sender and delete it. E-mail transmission cannot be",
        "guaranteed to be secure or error-free.",
    ]
    assert account(disclaimer, used=set()) == []
    assert account(disclaimer + ["Please deliver urgently instead to Hall 3."], used=set()) != []


def test_signature_mode_lets_names_and_titles_pass_but_not_a_postscript():
    signature = ["Jane Doe", "Head of Purchasing", "ACME Ltd", "", "P.S. Please use gate 4 this time."]
    found = account(signature, used=set(), signature=True)
    assert [evidence.line for evidence in found] == [5]
    assert account(["Jane Doe", "Head of Purchasing"], used=set()) != []  # outside a signature: unexplained


def test_quoted_history_is_not_accounted():
    assert account(["> Please deliver to Lyon instead.", ">> older text"], used=set()) == []


def test_split_sentences_keeps_abbreviations_and_numbers_together():
    text = "Bitte liefern Sie Art.-Nr. 4711 bzw. Nr. 12 am 3. Dezember. Danke! Geht das?"
    assert [sentence for _, sentence in split_sentences(text)] == [
        "Bitte liefern Sie Art.-Nr. 4711 bzw. Nr. 12 am 3. Dezember.",
        "Danke!",
        "Geht das?",
    ]


def test_asks_something():
    assert asks_something("Lieferung bitte am 12.12.2026")
    assert asks_something("Can we get it earlier")
    assert not asks_something("ACME GmbH")


def test_unexplained_in_structured_notes():
    note = "Please confirm the order. Deliver to gate 4 only! Thank you."
    assert unexplained_in(note) == ["Deliver to gate 4 only!"]
    assert unexplained_in("") == []
    assert unexplained_in("Thanks in advance") == []


def test_is_harmless_refuses_questions_and_dates():
    assert not is_harmless("Please confirm the order?")
    assert not is_harmless("Please find attached our order for 12/03/2026.")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(max_size=120), max_size=10),
    st.sets(st.integers(min_value=0, max_value=12)),
    st.booleans(),
)
def test_fuzz_account_never_raises(lines, used, signature):
    found = account(lines, used=used, signature=signature)
    assert all(evidence.line is not None and 1 <= evidence.line <= len(lines) for evidence in found)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_fuzz_unexplained_in_never_raises(text):
    assert all(isinstance(sentence, str) and sentence for sentence in unexplained_in(text))


# --- framing, reply headers, sign-offs and address lines ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Danke für die schnelle Bearbeitung.",
        "Thanks for the quick processing.",
        "Vielen Dank und freundliche Grüße",
        "Pour traitement svp.",
        "Hierbij onze bestelling:",
        "Bijgaand ontvangt u inkooporder.",
        "In de bijlage onze bestelling.",
        "Hermed indkøbsordre som PDF.",
    ],
)
def test_more_polite_framing_is_harmless(text):
    assert is_harmless(text)


@pytest.mark.parametrize(
    "text",
    [
        "Danke für die schnelle Bearbeitung, bitte an Lager 2.",
        "Pour traitement svp, livrer à Lyon.",
        "Thanks for processing, deliver to gate 3",
        "Hierbij onze bestelling, graag in twee delen.",
    ],
)
def test_framing_with_a_request_stays_unexplained(text):
    assert not is_harmless(text)


@pytest.mark.parametrize(
    "line",
    [
        "Den 04.10.2026 skrev Marc Delorme <marc@example.com>:",
        "Am 12. November 2026 schrieb Jana Reuter <jana@example.com>:",
        "On Mon, 3 Nov 2026 at 10:00, Bob wrote:",
        "Op 13-10-2026 schreef Marc Delorme <marc@example.com>:",
        "Le 3 nov. 2026 à 10:00, Paul <p@example.fr> a écrit :",
    ],
)
def test_reply_headers_are_harmless(line):
    assert account([line], used=set()) == []


def test_a_reply_header_that_asks_is_not():
    assert account(["On Monday please deliver to Hamburg, Bob wrote:"], used=set())


@pytest.mark.parametrize("line", ["Thanks, Emma", "Danke, Jana", "Merci d'avance et bonne journée,",
                                  "Bonjour à tous,"])
def test_short_thanks_with_a_name_and_greetings(line):
    assert account([line], used=set()) == []
    assert account(["Thanks, call me"], used=set())


@pytest.mark.parametrize(
    "line",
    [
        "17 Harbour Road · Manchester · M17 0LF",
        "Storgatan 141 · 726 28 Västerås",
        "8992 Commerce Dr · Columbus, 43219",
        "Industriestraße 160 · 70902 Stuttgart",
    ],
)
def test_address_written_on_one_line_is_a_signature_line(line):
    assert account([line], used=set()) == []


@pytest.mark.parametrize("line", ["Hafenstr. 1 · Please call · Bob", "Hafenstr. 1 · Lager Nord · Tor 5"])
def test_address_line_with_other_words_is_not(line):
    assert account([line], used=set())


def test_descriptions_read_short_numbers_as_grades_not_dates():
    assert asks_something("Hex bolt M12x20 DIN 933 8.8 zinc plated")
    assert not asks_something("Hex bolt M12x20 DIN 933 8.8 zinc plated", description=True)
    assert asks_something("Widget am 3.12.", description=True)
    assert asks_something("Widget 12.12.2026", description=True)


# --- notes of sales reps, closings, descriptions (issue 4 point 8) -------------------------------


@pytest.mark.parametrize(
    "note",
    [
        "FYI - order from Norrbro Elteknik AB, please process.\n\nEmma",
        "Hi team, please enter the order below for Van Steenwijk Installatietechniek B.V.. Thanks, Emma",
        "Hi team, please enter the order below for Pennine Fabrications Ltd. Thanks, Emma",
        "Hallo zusammen, bitte die Bestellung von Weserland Anlagenbau GmbH & Co. KG erfassen. Danke, Jana",
        "Zur Bearbeitung, kam bei mir direkt an.\n\nGruß Jana",
        "Bonjour, merci de saisir la commande ci-dessous de Ateliers Mécaniques du Rhône SAS. Marc",
        # The abbreviation's dot ends the sentence too: the name after it signs the note.
        "Bonjour, merci de saisir la commande ci-dessous de Pennine Fabrications Ltd. Marc",
        "Pour traitement svp.\n\nMarc",
        "Graag ontvangen wij een orderbevestiging.",
        "Wij bestellen hierbij:",
        "Hej med jer,",
    ],
)
def test_forwarding_notes_and_polite_framing_are_explained(note):
    assert unexplained_in(note) == []


@pytest.mark.parametrize(
    "note",
    [
        "FYI - order from Norrbro Elteknik AB, please deliver to Hamburg instead.",
        "Hi team, please enter the order below for Norrbro AB but split it. Thanks, Emma",
        "Please Deliver To Acme GmbH",
        "Wij bestellen hierbij 20 stuks extra.",
        "Thanks, Emma. Hamburg warehouse please.",
    ],
)
def test_a_company_name_or_a_signature_does_not_hide_an_instruction(note):
    assert unexplained_in(note) != []


def test_a_lone_two_word_line_may_name_a_site_and_stays_unexplained():
    assert unexplained_in("Please process.\n\nLager Nord") == ["Lager Nord"]


def test_thanks_and_greetings_in_one_formula_close_a_mail():
    assert is_signoff_line("Vielen Dank und freundliche Grüße")
    assert not is_signoff_line("Vielen Dank und freundliche Grüße, bitte morgen liefern")


def test_a_variant_word_in_a_product_description_asks_nothing():
    assert not asks_something("FFP2 respirator mask without valve", description=True)
    assert asks_something("FFP2 respirator mask without valve")
    assert asks_something("mask, please deliver without box", description=True)
