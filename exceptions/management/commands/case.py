"""CONTRACT §6: what a person does in the inbox, from a script.

    case list [--status open|all] [--format jsonl|text]
    case correct SOURCE [--po PO] --json FILE --user USERNAME --reason TEXT
    case release SOURCE [--po PO] --user USERNAME --reason TEXT
    case reject  SOURCE [--po PO] --user USERNAME --reason TEXT [--reply TEXT]

Each action is the service the browser calls, with the same checks, recorded
under the named user with the reason. A refusal is one line on stderr and a
non-zero exit; the services are transactions, so nothing was changed.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from exceptions.corrections import correction_from_json
from exceptions.selectors import case_records
from exceptions.services import (
    case_correct,
    case_for_source,
    case_reject,
    case_release,
    case_reply_draft,
)
from orders.errors import CaseActionError


class Command(BaseCommand):
    help = "List, correct, release and reject cases from a script (CONTRACT §6)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser("list", help="one record per case")
        listing.add_argument("--status", choices=["open", "all"], default="open",
                             help="open: every case not yet resolved (default); all: every case")
        listing.add_argument("--format", choices=["jsonl", "text"], default="jsonl")
        for name, text in (("correct", "set fields of the order and check it again"),
                           ("release", "check again and execute, overriding what may be"),
                           ("reject", "refuse the order; nothing is executed")):
            action = actions.add_parser(name, help=text)
            action.add_argument("source", metavar="SOURCE",
                                help="the order as export_outcomes names it (path#attachment)")
            action.add_argument("--po", default="", help="the PO number, where SOURCE holds several")
            action.add_argument("--user", required=True, help="who acts (username)")
            action.add_argument("--reason", required=True, help="why (kept with the event)")
            if name == "correct":
                action.add_argument("--json", required=True, dest="json_file", metavar="FILE",
                                    help="order JSON holding only the fields to set")
            if name == "reject":
                action.add_argument("--reply", default="", help="a reply sent to the customer")

    def handle(self, *args, action: str, **options):
        if action == "list":
            return self._list(options["status"], options["format"])
        try:
            user = self._user(options["user"])
            case = case_for_source(source=options["source"], po_number=options["po"])
            message = getattr(self, f"_{action}")(case, user, options)
        except CaseActionError as exc:
            raise CommandError(_one_line(exc)) from None
        self.stdout.write(message)

    def _list(self, status: str, format: str) -> None:
        for record in case_records(open_only=status == "open"):
            if format == "text":
                causes = ", ".join(cause["code"] for cause in record["causes"]) or "-"
                self.stdout.write(f"{record['case']}\t{record['status']}\t{record['source']}\t"
                                  f"PO {record['po_number'] or '?'}\t"
                                  f"{record['customer_number'] or '?'}\t{causes}")
            else:
                self.stdout.write(json.dumps(record, ensure_ascii=False))

    def _user(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user.is_active:
            raise CommandError(f"there is no active user {username!r}")
        return user

    def _correct(self, case, user, options) -> str:
        correction = correction_from_json(_read_json(options["json_file"]))
        order = case_correct(case_id=case.pk, actor=user, reason=options["reason"],
                             correction=correction)
        remaining = ", ".join(dict.fromkeys(cause["code"] for cause in order.causes))
        return (f"case {case.pk}: PO {order.po_number} corrected and checked again; "
                + (f"remaining: {remaining}" if remaining
                   else "every check passes: release it to execute"))

    def _release(self, case, user, options) -> str:
        order = case_release(case_id=case.pk, actor=user, reason=options["reason"])
        return (f"case {case.pk}: PO {order.po_number} released and executed; promised "
                f"{order.promised_date:%Y-%m-%d}")

    def _reject(self, case, user, options) -> str:
        reply = options["reply"].strip()
        subject = case_reply_draft(order=case.order, reason=options["reason"])[0] if reply else ""
        order = case_reject(case_id=case.pk, actor=user, reason=options["reason"],
                            reply_subject=subject, reply_body=reply)
        return (f"case {case.pk}: PO {order.po_number} rejected"
                + (f"; the reply goes to {order.sender}" if reply else ""))


def _read_json(path: str) -> object:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{path}: not an order JSON file ({_one_line(exc)})") from None


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split()) or exc.__class__.__name__
