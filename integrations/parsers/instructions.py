"""Does a sentence say anything about what is executed or promised?

The free-text accounting (``freetext``) explains the sentences it knows:
greetings, framing, sign-offs, signatures, boilerplate. Any other wording used
to route, so an order desk that had not seen a customer's phrasing ("PO
attached, please confirm.") routed every order of that customer. This module
turns the question round for the rest: a sentence is an instruction when it
names something that changes the execution or the promise — when, where, how
it travels, how much, at what price, which product, packed, labelled or
documented how, on what condition, or a change or cancellation — in any of the
lexicon's languages (``lexicon/instruction_cues.json``), or carries a date, a
time, a week, an amount of money or a question. A sentence that names none of
these frames, thanks or greets, whatever its words.

When unsure it routes: a cue is enough, whatever the sentence's wording around
it. Short cue words that are other words in other languages ("for" is Danish
for "before", "do" Czech for "until") count only in a sentence written in their
language.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from integrations.parsers.vocabulary import fold

_LEXICON = Path(__file__).with_name("lexicon") / "instruction_cues.json"
#: Cue words this short count only in their own language.
_WEAK_LENGTH = 4

# Dates, times and weeks in any language's numeric notation.
_NUMERIC_DATE = r"\b\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?\b|\b\d{4}-\d{1,2}-\d{1,2}\b"
_TIME_OF_DAY = (r"\b\d{1,2}(?::\d{2}|[.:h]\d{2}\b|\s?(?:am|pm|h|uhr|hrs|hr|klo|kl|godz|hod)\b)"
                r"|\b(?:klo|kl|kello|godz|hod|uhr|ore|h)\.?\s?\d{1,2}(?:[:.]\d{2})?\b")
_WEEK = (r"\b(?:kw|cw|wk|week|woche|semaine|sem|uge|vecka|v|uke|settimana|semana|tydzien|tydz|viikko|vko"
         r"|tyden|tyd|calendar week|kalenderwoche)\.?\s*\d{1,2}\b")
_MONEY = (r"(?:[€$£]\s?\d|\d[\d.,]*\s?(?:€|\$|£|eur|euro|euros|usd|gbp|chf|dkk|sek|nok|pln|zl|czk|kc)\b"
          r"|\b(?:eur|usd|gbp|chf|dkk|sek|nok|pln|czk)\s?\d)")
#: Measures in a sentence are limits or sizes the goods must meet ("max. 1,2 m", "120 cm").
_MEASURE = r"\d[\d.,]*\s?(?:mm|cm|m|km|kg|g|t|to|m2|m3|l|ltr|ft|in|lbs?)(?!\w)"
_REFERENCE = re.compile(r"(?<!\w)(?:no|nr|n°|nº|#|num|nummer|number)\.?\s*:?\s*[a-z]{0,4}[-/]?\d[\w/.-]*")
#: A quantity of something ("10 Stk. Toner", "5 x", "3 pallets"): order data nothing read.
_QUANTITY = (r"\b\d+(?:[.,]\d+)?\s?(?:x|×|stk|stck|st|pcs|pc|ea|pieces?|pz|szt|kpl|ks|kom|cs|ctn|cartons?"
             r"|boxes|box|kartons?|rolls?|sets?|pairs?|units?|stuck|stueck|colli|kolli|pallets?|paletten?)(?!\w)")
#: An article-code-like token (letters and digits: "FAS-10383", "A7B", "SKU-1") and a number
#: beside it: order data no reader placed ("9 bossen FAS-10383"), never harmless prose.
_CODE = re.compile(r"(?<![\w-])(?=[\w./-]*\d)(?=[\w./-]*[^\W\d_])[^\W_][\w./-]*[\w](?![\w-])")
_NUMBER = re.compile(r"(?<![\w.,/-])\d+(?:[.,]\d+)?(?![\w.,/-])")
# A percentage alone names a discount as often as a fabric ("100% polyester"): the
# discount and price words carry that cue.
_SIGNALS = re.compile("|".join((_NUMERIC_DATE, _TIME_OF_DAY, _WEEK, _MONEY, _MEASURE, _QUANTITY)))



def instruction_cues(sentence: str, *, language: str | None = None) -> list[str]:
    """What in ``sentence`` may change the execution or the promise: the cue words
    (with their kind, "time: deliver* by"), dates, times, weeks, money; [] when nothing."""
    # "order no. 4711", "PO #4711": a reference, not the word "no".
    folded = _REFERENCE.sub(" ", fold(sentence))
    words = _WORDS.findall(folded)
    found = _strong().find(folded, words)
    # A sentence whose language cannot be told ("Pallhöjd max 1,2 m.") meets every
    # language's short cues: when unsure, route.
    languages = ({language} | _languages_of(folded)) - {None}
    for cues in [_weak(lang) for lang in languages] or [_weak_everywhere()]:
        found += cues.find(folded, words)
    found += [f"value: {match.group().strip()}" for match in _SIGNALS.finditer(folded)]
    if _CODE.search(folded) and _NUMBER.search(_CODE.sub(" ", folded)):
        found.append("value: a number beside an article code")
    if found and any(pattern.search(folded) for pattern in _acknowledgement()):
        # "Please send the acknowledgement within 48 hours": when the confirmation
        # comes is no instruction about the goods; anything else still is.
        found = [cue for cue in found if cue.split(":", 1)[0] not in _ABOUT_THE_ACKNOWLEDGEMENT]
    return list(dict.fromkeys(found))


#: Cue kinds that name the goods, their delivery or a change to the order: enough to
#: route even a sentence that otherwise reads as a disclaimer ("… commandée par erreur").
SUBSTANTIVE = frozenset({"place", "transport", "split", "quantity", "price", "product", "cancel",
                         "packaging", "agreement"})


def date_mentions(text: str) -> list[str]:
    """Dates and calendar weeks written in ``text`` ("24/11/2022", "KW 52", "uge 01/2027")."""
    folded = _REFERENCE.sub(" ", fold(text))
    return [found.group().strip() for found in _DATE_MENTIONS.finditer(folded)]


#: Stricter than a cue: "0.00" or "12.7" are amounts, "1/9", "24.11.", "24/11/2022" dates.
_DATE_MENTIONS = re.compile(r"(?<![\d.,/-])(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}"
                            r"|\d{1,2}/\d{1,2}|\d{1,2}\.\d{1,2}\.)(?![\d,/-]|\.\d)|" + _WEEK)


def substantive_cues(sentence: str, *, language: str | None = None) -> list[str]:
    return [cue for cue in instruction_cues(sentence, language=language)
            if cue.split(":", 1)[0] in SUBSTANTIVE]


#: Cue kinds that, in a sentence about the order confirmation, speak of the confirmation.
_ABOUT_THE_ACKNOWLEDGEMENT = frozenset({"time", "value", "question", "contact", "condition"})


@cache
def _acknowledgement() -> tuple[re.Pattern[str], ...]:
    data = json.loads(_LEXICON.read_text(encoding="utf-8"))
    return tuple(_compile(word) for word in data["_acknowledgement"]["words"])


def _languages_of(folded: str) -> set[str]:
    words = set(re.findall(r"[^\W\d_]+", folded))
    scores = {lang: len(words & stop) for lang, stop in _stopwords().items()}
    best = max(scores.values(), default=0)
    # One common word ("to", "a") tells no language apart.
    return {lang for lang, score in scores.items() if best >= 2 and score == best}


@cache
def _stopwords() -> dict[str, frozenset[str]]:
    data = json.loads(_LEXICON.read_text(encoding="utf-8"))["_stopwords"]
    return {lang: frozenset(words) for lang, words in data.items() if not lang.startswith("_")}


@cache
def _lexicon() -> dict[str, dict[str, list[str]]]:
    data = json.loads(_LEXICON.read_text(encoding="utf-8"))
    return {lang: families for lang, families in data.items() if not lang.startswith("_")}


def _compile(cue: str) -> re.Pattern[str]:
    return re.compile(_pattern(cue))


def _pattern(cue: str) -> str:
    words = fold(cue).split()
    parts = [re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word) for word in words]
    return r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"


_WORDS = re.compile(r"\w+")
_ONE_WORD = re.compile(r"\w+\*?")


class _Cues:
    """Cue words found the cheap way: each word of the sentence is looked up, as a
    whole and by its prefixes (stems), and only the cues of several words that start
    with a word of the sentence are tried as patterns (a pattern per cue cost 5 ms a
    sentence)."""

    def __init__(self, cues: list[tuple[str, str]]):
        self.words: dict[str, str] = {}
        self.stems: dict[str, str] = {}
        self.phrases: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        for kind, cue in cues:
            folded = fold(cue)
            if _ONE_WORD.fullmatch(folded):
                target = self.stems if folded.endswith("*") else self.words
                target.setdefault(folded.rstrip("*"), kind)
            else:  # indexed by its first word, or the stem of it
                head = _WORDS.match(folded)
                key = head.group() if head else ""
                self.phrases.setdefault(key, []).append((kind, re.compile(_pattern(cue))))
        self.lengths = sorted({len(stem) for stem in self.stems})
        self.phrase_lengths = sorted({len(key) for key in self.phrases})

    def find(self, folded: str, words: list[str]) -> list[str]:
        found = []
        for word in words:
            kind = self.words.get(word) or self.stem_kind(word)
            if kind:
                found.append(f"{kind}: {word}")
            for key in {word[:n] for n in self.phrase_lengths if n <= len(word)} & self.phrases.keys():
                found += [f"{kind}: {hit.group()}" for kind, pattern in self.phrases[key]
                          if (hit := pattern.search(folded))]
        return found

    def stem_kind(self, word: str) -> str:
        return next((self.stems[word[:n]] for n in self.lengths
                     if n <= len(word) and word[:n] in self.stems), "")


def _is_weak(cue: str) -> bool:
    """Short words, and short stems ("porta*" is a Portuguese gate and an English portal),
    are other words in other languages."""
    folded = fold(cue)
    bare = folded.rstrip("*")
    return " " not in bare.strip() and len(bare) <= _WEAK_LENGTH + folded.endswith("*")


@cache
def _strong() -> _Cues:
    return _Cues([(kind, cue) for families in _lexicon().values() for kind, cues in families.items()
                  for cue in cues if not _is_weak(cue)])


@cache
def _weak_everywhere() -> _Cues:
    return _Cues([(kind, cue) for families in _lexicon().values() for kind, cues in families.items()
                  for cue in cues if _is_weak(cue)])


@cache
def _weak(language: str) -> _Cues:
    families = _lexicon().get(language, {})
    return _Cues([(kind, cue) for kind, cues in families.items() for cue in cues if _is_weak(cue)])
