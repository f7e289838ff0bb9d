"""The labelled sentence set (tests/data/sentences.jsonl): every instruction routes.

Written without looking at the reader, in 13 languages; bench/sentences.py prints
the figures per language and lists the misses."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from sentences import judge, load, scores  # noqa: E402

#: Precision the set showed when the open-world reading landed (73.5 %); a change
#: that routes many more benign sentences again is a regression.
PRECISION_FLOOR = 0.70


@pytest.fixture(scope="module")
def judged():
    return judge(load())


def test_every_instruction_of_the_set_routes(judged):
    missed = [item["text"] for item, routed in judged if item["label"] == "instruction" and not routed]
    assert missed == []


def test_the_set_covers_thirteen_languages_and_both_labels(judged):
    languages = {item["lang"] for item, _ in judged}
    assert len(languages) >= 13 and len(judged) >= 400
    assert {item["label"] for item, _ in judged} == {"instruction", "benign"}


def test_framing_courtesy_and_boilerplate_mostly_pass(judged):
    assert scores(judged)["precision"] >= PRECISION_FLOOR
