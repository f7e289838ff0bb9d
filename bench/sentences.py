"""Instruction detection on the labelled sentence set (tests/data/sentences.jsonl).

    .venv/bin/python bench/sentences.py [--show 30] [--lang de]

Each sentence goes through the free-text accounting as a one-line note
(``freetext.unexplained_in``): unexplained is "instruction". Prints recall on
instructions (must be 100 %) and precision, overall and per language and kind,
and lists the misses: instructions taken as benign first, then benign
sentences routed.
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = ROOT / "tests" / "data" / "sentences.jsonl"


def load(path: Path = SENTENCES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def judge(sentences: list[dict]) -> list[tuple[dict, bool]]:
    """(sentence, routed) for every sentence."""
    sys.path.insert(0, str(ROOT))
    from integrations.parsers.freetext import unexplained_in

    return [(item, bool(unexplained_in(item["text"]))) for item in sentences]


def scores(judged: list[tuple[dict, bool]]) -> dict[str, float]:
    true_pos = sum(1 for item, routed in judged if routed and item["label"] == "instruction")
    instructions = sum(1 for item, _ in judged if item["label"] == "instruction")
    routed = sum(1 for _, was in judged if was)
    return {"recall": true_pos / instructions if instructions else 1.0,
            "precision": true_pos / routed if routed else 1.0,
            "instructions": instructions, "routed": routed, "sentences": len(judged)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=30, help="misses listed per kind of miss")
    parser.add_argument("--lang", default="", help="only this language")
    args = parser.parse_args()
    sentences = [s for s in load() if not args.lang or s["lang"] == args.lang]
    judged = judge(sentences)
    overall = scores(judged)
    print(f"{overall['sentences']} sentences, {overall['instructions']} instructions: "
          f"recall {overall['recall']:.1%}, precision {overall['precision']:.1%}")
    for lang in sorted({item["lang"] for item, _ in judged}):
        part = scores([(item, routed) for item, routed in judged if item["lang"] == lang])
        print(f"  {lang}: recall {part['recall']:.1%}  precision {part['precision']:.1%}  "
              f"({part['sentences']} sentences)")
    missed = [item for item, routed in judged if item["label"] == "instruction" and not routed]
    false = [item for item, routed in judged if item["label"] == "benign" and routed]
    print(f"instructions taken as benign: {len(missed)}")
    for item in missed[: args.show]:
        print(f"  [{item['lang']} {item['kind']}] {item['text']}")
    print(f"benign sentences routed: {len(false)} by kind {dict(Counter(i['kind'] for i in false))}")
    for item in false[: args.show]:
        print(f"  [{item['lang']} {item['kind']}] {item['text']}")


if __name__ == "__main__":
    main()
