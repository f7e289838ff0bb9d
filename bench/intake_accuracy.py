"""Field-level accuracy of intake on the generated corpus.

    .venv/bin/python bench/intake_accuracy.py [--count 240] [--seed 11] [--format pdf] [--show 20]

Builds a fresh SQLite database in a temporary directory, loads the demo
master data, generates the corpus with its ground truth, feeds every document
through intake (store, read, resolve) and prints field accuracy by format,
clean documents that intake routed (false exceptions), seeded intake defects
it missed, and documents with the wrong status.
"""

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=240)
    parser.add_argument("--seed", type=int, default=11)
    # The boundary judges lead times and agreements against the real date, so
    # the corpus is anchored there too (an older anchor makes its requested
    # dates infeasible).
    parser.add_argument("--today", default=date.today().isoformat(),  # noqa: DTZ011
                        help="the corpus's anchor date (default: today)")
    parser.add_argument("--format", default="", help="only list problems of this format")
    parser.add_argument("--show", type=int, default=20, help="problems listed per kind")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="od-accuracy-"))
    os.environ.update({"ORDERDESK_VAR_DIR": str(tmp), "DATABASE_URL": "", "LOG_LEVEL": "WARNING",
                       "DJANGO_SETTINGS_MODULE": "orderdesk.settings"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from orders.corpus.generate import read_manifest
    from orders.corpus.score import intake_corpus, outcomes, score
    from orders.models import Order
    from orders.resources import RESOURCES
    from orders.services.masterdata import masterdata_import

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("generate_corpus", str(tmp / "c"), "--today", args.today, "--seed",
                     str(args.seed), "--count", str(args.count), stdout=quiet)
    for kind in RESOURCES:
        data = (tmp / "c" / "masterdata" / f"{kind}.csv").read_bytes()
        masterdata_import(kind=kind, data=data, file_name=f"{kind}.csv")
    expected = read_manifest(tmp / "c" / "manifest.json")
    with open(os.devnull, "w") as quiet:
        call_command("set_autonomy", "autonomous", stdout=quiet)
    started = time.perf_counter()
    from orders.services.execution import INLINE

    INLINE.set(True)  # confirmations delivered here, as `intake --sync` does
    intake_corpus(tmp / "c" / "documents", expected)
    seconds = time.perf_counter() - started
    result = score(tmp / "c" / "documents", expected)
    print(f"{len(expected)} documents read in {seconds:.1f} s "
          f"({seconds / len(expected) * 1000:.0f} ms each)")
    print(result.table())
    clean = sum(1 for item in expected if item.defect is None)
    print(f"clean documents routed by intake: {len(result.false_exceptions)} of {clean}; "
          f"seeded intake defects missed: {len(result.missed_defects)}; "
          f"wrong status: {len(result.wrong_status)}")
    judged = outcomes(tmp / "c" / "documents", expected)
    print(f"outcomes with autonomy on: {judged.executed_clean} of {judged.clean} clean orders executed "
          f"without a person ({judged.touchless:.1%} touchless); wrong executions: "
          f"{len(judged.wrong_executions)}; defects routed for their cause: {judged.defect_caught}, "
          f"routed for another cause: {len(judged.defect_missed)}; wrong status: "
          f"{len(judged.wrong_status)}")
    for title, items in (("WRONG EXECUTIONS", judged.wrong_executions),
                         ("clean but routed", judged.routed_clean),
                         ("defect routed for another cause", judged.defect_missed)):
        if items:
            print(f"--- {title}: {len(items)}")
            for item in items[:args.show]:
                print("  ", item)
    causes = Counter(c["code"] for o in Order.objects.all() for c in o.causes)
    print("causes raised:", dict(causes.most_common()))
    for title, items in (("field misses", result.misses), ("false exceptions", result.false_exceptions),
                         ("missed defects", result.missed_defects), ("wrong status", result.wrong_status)):
        shown = [item for item in items if f"({args.format}/" in item or not args.format]
        print(f"--- {title}: {len(shown)}")
        for item in shown[:args.show]:
            print("  ", item)
    if args.format:
        _explain(Order, args.format, args.show)


def _explain(order_model, fmt: str, show: int) -> None:
    """The causes of the orders of one format, to see why clean ones were routed."""
    print(f"--- causes on {fmt} orders")
    shown = 0
    for order in order_model.objects.all():
        if order.format != fmt and not order.source.endswith(f".{fmt}"):
            continue
        for cause in order.causes:
            if shown < show:
                print(f"   {Path(order.source).name} {cause['code']}: {cause['message'][:140]}")
                shown += 1


if __name__ == "__main__":
    main()
