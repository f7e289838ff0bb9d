"""Is an e-mail order's sender who its From header says?

A From header is text anyone can type. What vouches for it is the receiving
mail host's verdict (RFC 8601 Authentication-Results: DMARC, SPF, DKIM),
believed only from the hosts the operator trusts (``TRUSTED_AUTHSERV_IDS``),
and, where the operator enables it, a DKIM verification of our own
(``DKIM_VERIFY``, dkimpy). A forward is vouched for by the sales rep who
forwarded it, one level deep, and only where the rep's own message passed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings

from integrations.parsers.draft import OrderDraft, SenderVerdict

logger = logging.getLogger(__name__)

#: The authserv-id of verdicts OrderDesk reached itself (DKIM_VERIFY).
LOCAL_AUTHSERV_ID = "orderdesk"
#: Methods whose failure means the From header may be forged (RFC 7489, 7208, 6376).
_METHODS = ("dmarc", "spf", "dkim")
#: Results that count as a failure. A trusted header that cannot be read is no
#: better than a failing one: the host said something we do not understand.
_FAILED = frozenset({"fail", "unreadable"})


@dataclass(frozen=True)
class SenderCheck:
    """What the verdicts say of one address: a failure, a pass, or nothing."""

    failed: SenderVerdict | None = None
    passed: bool = False


def sender_check(draft: OrderDraft, *, verified: tuple[SenderVerdict, ...] = ()) -> SenderCheck:
    """Judge the message's own sender (``draft.from_email``) by the trusted verdicts."""
    trusted = set(settings.TRUSTED_AUTHSERV_IDS)
    verdicts = [v for v in draft.authentication if v.authserv_id in trusted and v.method in (*_METHODS, "")]
    verdicts += verified
    domain = draft.from_email.rsplit("@", 1)[-1]
    passes = [v for v in verdicts if v.result == "pass" and _aligned(v.domain, domain)]
    failed = next((v for v in verdicts if v.result in _FAILED and not _outweighed(v, passes)), None)
    return SenderCheck(failed=failed, passed=bool(passes) and failed is None)


def authentication_configured() -> bool:
    return bool(settings.TRUSTED_AUTHSERV_IDS) or settings.DKIM_VERIFY


def sender_problem(draft: OrderDraft, *, rep_forward: bool,
                   verified: tuple[SenderVerdict, ...] = ()) -> tuple[str, str] | None:
    """Why the sender of an e-mail order is not to be believed, with the
    evidence; None when nothing speaks against it. ``rep_forward``: the message
    is a sales rep's forward, whose original sender is taken as the orderer."""
    if not draft.from_email:
        return None  # not an e-mail: other documents name their sender differently
    check = sender_check(draft, verified=verified)
    if check.failed is not None:
        verdict = check.failed
        judged = f" ({verdict.domain})" if verdict.domain else ""
        return (f"the receiving host {verdict.authserv_id} judged the sender {draft.from_email}: "
                f"{verdict.method or 'header'}={verdict.result}{judged}", verdict.text)
    if rep_forward and draft.forward_depth > 1:
        return (f"{draft.forwarded_from} is named inside a forward within a forward: only a sales rep's "
                "own forward (one level) can vouch for the original sender", draft.forwarded_from)
    required = settings.SENDER_AUTHENTICATION_REQUIRED or (rep_forward and authentication_configured())
    if required and not check.passed:
        who = f"the sales rep's message ({draft.from_email})" if rep_forward else draft.from_email
        return (f"no passing sender authentication from a trusted receiving host for {who}",
                "; ".join(sorted({v.text for v in draft.authentication}))[:500])
    return None


def _aligned(judged: str, sender_domain: str) -> bool:
    """Relaxed alignment (RFC 7489 §3.1): one domain is the other or under it.
    A verdict that names no domain is taken to be about the From domain (DMARC
    is always about it)."""
    if not judged:
        return True
    return judged == sender_domain or sender_domain.endswith(f".{judged}") or judged.endswith(
        f".{sender_domain}")


def _outweighed(failed: SenderVerdict, passes: list[SenderVerdict]) -> bool:
    """A message may carry several DKIM signatures (a mailing list adds one, a
    gateway breaks another): one aligned signature that passes is enough."""
    return failed.method == "dkim" and any(v.method == "dkim" for v in passes)


def dkim_verdicts(*, raw: bytes, sha256: str) -> tuple[SenderVerdict, ...]:
    """Our own DKIM verification of a message, where the operator enabled it."""
    if not settings.DKIM_VERIFY:
        return ()
    # Cached by content: the orders of one message (body and attachments) are
    # resolved one by one, and each must not cost a DNS lookup.
    if sha256 not in _DKIM_CACHE:
        if len(_DKIM_CACHE) >= _DKIM_CACHE_SIZE:
            _DKIM_CACHE.pop(next(iter(_DKIM_CACHE)))
        _DKIM_CACHE[sha256] = _dkim_verify(bytes(raw))
    return _DKIM_CACHE[sha256]


_DKIM_CACHE: dict[str, tuple[SenderVerdict, ...]] = {}
_DKIM_CACHE_SIZE = 64


def _dkim_verify(raw: bytes) -> tuple[SenderVerdict, ...]:
    import dkim

    signer = dkim.DKIM(raw, logger=logger)
    try:
        ok = signer.verify(dnsfunc=_dns_txt)
    except Exception as exc:  # noqa: BLE001 - dkimpy raises many kinds on hostile input
        return (SenderVerdict(LOCAL_AUTHSERV_ID, "dkim", "fail", text=f"dkim verification failed: {exc}"),)
    domain = (signer.domain or b"").decode("ascii", "replace").lower()
    if not signer.signature_fields:
        return (SenderVerdict(LOCAL_AUTHSERV_ID, "dkim", "none", text="no DKIM signature"),)
    return (SenderVerdict(LOCAL_AUTHSERV_ID, "dkim", "pass" if ok else "fail", domain,
                          text=f"dkim={'pass' if ok else 'fail'} header.d={domain} (verified by OrderDesk)"),)


def _dns_txt(name: bytes, timeout: int = 5) -> bytes | None:
    """The key record, by dkimpy's own DNS helper (a seam for tests)."""
    import dkim.dnsplug

    return dkim.dnsplug.get_txt(name, timeout=timeout)
