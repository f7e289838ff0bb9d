"""Open-world instruction cues: what a sentence names, not whether its wording is known."""

import pytest

from integrations.parsers.freetext import is_harmless
from integrations.parsers.instructions import instruction_cues


@pytest.mark.parametrize("sentence", [
    "PO attached, please confirm.",
    "We hereby order the following (our order no. 4711):",
    "Please supply the following against our PO 4711:",
    "Please accept our order 4711 for:",
    "Veuillez trouver ci-joint notre bon de commande.",
    "Terms: Net 30. Please send acknowledgement within 48 hours.",
    "Created by procurement portal",
    "CAUTION: This email originated from outside the organization.",
    "Siamo lieti di inviarvi il nostro ordine.",
])
def test_framing_in_wording_no_rule_lists_is_harmless(sentence):
    assert is_harmless(sentence), instruction_cues(sentence)


@pytest.mark.parametrize("sentence, kind", [
    ("The goods have to reach our Bremen site by Thursday.", "place"),
    ("Kindly make sure the driver brings a pallet jack.", "transport"),
    ("Ship half now and the rest next week.", "split"),
    ("Consegnare presso il magazzino di Verona.", "place"),
    ("Proszę anulować pozycję 2.", "cancel"),
    ("Pallhöjd max 1,2 m.", "value"),
    ("Bitte wie besprochen liefern.", "agreement"),
    ("Toimitus viikolla 8.", "time"),
])
def test_a_sentence_naming_the_delivery_goods_or_a_change_routes(sentence, kind):
    cues = instruction_cues(sentence)
    assert any(cue.startswith(kind) for cue in cues), cues
    assert not is_harmless(sentence)


def test_short_words_of_another_language_do_not_route_a_sentence():
    # "for" is Danish for "before", "do" Czech for "until": not in an English sentence.
    assert instruction_cues("Thank you for your help with this order and we wish you a good day.") == []


def test_a_sentence_whose_language_cannot_be_told_meets_every_languages_short_cues():
    assert any("storn" in cue for cue in instruction_cues("Položku 2 stornujte."))


def test_a_fragment_of_two_words_may_name_a_site_and_stays_unexplained():
    assert not is_harmless("Lager Nord")


@pytest.mark.parametrize("text", ["9 bossen FAS-10383", "3 Kisten A7-220 noch dazu"])
def test_order_data_no_reader_placed_is_never_harmless(text):
    # An order line in a form the reader does not know: dropping it as prose would
    # execute the order short of it.
    assert not is_harmless(text)
