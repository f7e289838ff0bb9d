"""E-mail orders (integrations.parsers.email): bodies, attachments, forwards, replies, classification.

There are no e-mails in ../shared/corpus; the messages are built here with
``email.message.EmailMessage``, in all five languages. One UBL file from the
corpus is attached to a message when the corpus is present.
"""

import contextlib
import json
from datetime import date
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.parsers import email as email_parser
from integrations.parsers import parse_document
from integrations.parsers.draft import OrderDraft, ParseError, ParseResult

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def message(
    body: str,
    *,
    subject: str = "Order",
    sender: str = "Buyer <buyer@acme.de>",
    html: str | None = None,
    **headers: str,
) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "orders@seller.example"
    mail["Subject"] = subject
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    if body:
        mail.set_content(body)
    if html is not None:
        if body:
            mail.add_alternative(html, subtype="html")
        else:
            mail.set_content(html, subtype="html")
    return mail


def attach_json(mail: EmailMessage, document: dict, filename: str = "order.json") -> None:
    mail.add_attachment(
        json.dumps(document).encode(), maintype="application", subtype="json", filename=filename
    )


def parse(mail: EmailMessage | bytes) -> ParseResult:
    data = mail if isinstance(mail, bytes) else mail.as_bytes()
    return email_parser.parse(data, name="mail.eml")


def orders(mail: EmailMessage | bytes) -> list[OrderDraft]:
    result = parse(mail)
    assert not result.not_an_order, result.not_an_order
    return result.orders


def one(mail: EmailMessage | bytes) -> OrderDraft:
    found = orders(mail)
    assert len(found) == 1
    return found[0]


def lines_of(draft: OrderDraft) -> list[tuple]:
    def value(found):
        return None if found is None else found.value

    return [
        (value(line.sku), value(line.quantity), value(line.uom), value(line.unit_price))
        for line in draft.lines
    ]


def unexplained(draft: OrderDraft) -> list[str]:
    return [evidence.text for evidence in draft.unexplained]


JSON_ORDER = {"po_number": "4711", "lines": [{"sku": "SKU-1", "quantity": "10", "uom": "CS"}]}
SIGNATURE_DE = """
Mit freundlichen Grüßen
Hans Müller
Einkauf
ACME Industrie GmbH
Hafenstr. 12, 20457 Hamburg
Tel. +49 40 1234-567
Fax +49 40 1234-568
www.acme-industrie.de
Geschäftsführer: Max Muster | Amtsgericht Hamburg HRB 12345 | USt-IdNr. DE123456789
"""
DISCLAIMER = """
This e-mail and any attachments are confidential and may be privileged. If you are not the
intended recipient, please notify the sender immediately and delete this e-mail. Any
unauthorised copying or distribution is strictly prohibited.
"""


# --- body orders in five languages ----------------------------------------------------------------------


def test_german_body_order_with_signature_and_disclaimer():
    body = (
        "Sehr geehrte Damen und Herren,\n\nhiermit bestellen wir:\n\n"
        "Artikel 4711 – 5 Karton\n10 x FAS-10023\nArt. 4713: 5 Stück à 12,50 €\n\n"
        "Bestellnummer: B-2026-118\nLiefertermin: 03.12.2026\n" + SIGNATURE_DE + DISCLAIMER
    )
    draft = one(
        message(body, subject="Bestellung B-2026-118", sender="Hans Müller <H.Mueller@ACME-industrie.de>")
    )
    assert draft.format == "email" and draft.attachment == "" and draft.locator == "body"
    assert draft.from_email == "h.mueller@acme-industrie.de"
    assert draft.po_number.value == "B-2026-118"
    assert draft.requested_date.value == date(2026, 12, 3)
    assert lines_of(draft) == [
        ("4711", Decimal(5), "Karton", None),
        ("FAS-10023", Decimal(10), None, None),
        ("4713", Decimal(5), "Stück", Decimal("12.50")),
    ]
    assert draft.currency.value == "EUR"
    assert draft.unexplained == [] and draft.uncertain == []
    assert draft.lines[0].quantity.evidence.part == "body" and draft.lines[0].quantity.evidence.line == 5


def test_english_body_order_with_bullets_and_ship_to():
    body = (
        "Hi team,\n\nPlease find our order below.\n\nPO# 88123\n\n"
        "- 20 pcs SKU-1 (Hex bolt M8)\n- SKU-2 x 4\n- SKU-3 qty 2 CS @ 14.90\n\n"
        "Ship to:\nACME Ltd Warehouse 2\n12 Harbour Road\nLeeds LS1 4AB\n\nThanks in advance\nJane"
    )
    draft = one(message(body, subject="Purchase order 88123", sender="jane@acme.co.uk"))
    assert draft.po_number.value == "88123"
    assert lines_of(draft) == [
        ("SKU-1", Decimal(20), "pcs", None),
        ("SKU-2", Decimal(4), None, None),
        ("SKU-3", Decimal(2), "CS", Decimal("14.90")),
    ]
    assert draft.lines[0].description.value == "Hex bolt M8"
    assert (draft.ship_to.street.value, draft.ship_to.postal_code.value) == ("12 Harbour Road", "LS1 4AB")
    assert draft.unexplained == [] and draft.uncertain == []


def test_french_body_order():
    body = (
        "Bonjour,\n\nVeuillez trouver ci-dessous notre commande.\n\nCommande n° 55201\n\n"
        "3 colis de réf. 55-A\n12 x FR-778 à 4,20 €\n\nLivraison souhaitée le 3 décembre 2026.\n\n"
        "Merci de confirmer la réception de la commande.\n\nCordialement,\nMarie Dupont\nDupont SA"
    )
    draft = one(message(body, subject="Commande 55201", sender="marie@dupont.fr"))
    assert draft.po_number.value == "55201"
    assert draft.requested_date.value == date(2026, 12, 3)
    assert lines_of(draft) == [
        ("55-A", Decimal(3), "colis", None),
        ("FR-778", Decimal(12), None, Decimal("4.20")),
    ]
    assert draft.unexplained == []


def test_danish_body_order():
    body = (
        "Hej,\n\nHermed bestiller vi:\n\n12 stk varenr. 8812\n4 kasse varenr. 8813\n\n"
        "Ordrenummer 8812-B\nLeveringsdato: 3. december 2026\n\nPå forhånd tak\n\n"
        "Med venlig hilsen\nLars Jensen\n"
        "Jensen A/S\nTlf. +45 70 20 30 40"
    )
    draft = one(message(body, subject="Ordre 8812-B", sender="lars@jensen.dk"))
    assert draft.po_number.value == "8812-B"
    assert draft.requested_date.value == date(2026, 12, 3)
    assert lines_of(draft) == [("8812", Decimal(12), "stk", None), ("8813", Decimal(4), "kasse", None)]
    assert draft.unexplained == []


def test_dutch_body_order_with_tab_table():
    body = (
        "Beste,\n\nHierbij bestellen wij:\n\nArtikelnummer\tOmschrijving\tAantal\tPrijs\n"
        "NL-100\tBout M8\t20\t1,04\nNL-200\tMoer M8\t40\t0,50\n\nBestelnummer: 77-1\n"
        "Gewenste leverdatum: 3 december 2026\n\nAlvast bedankt.\n\nMet vriendelijke groet,\nPiet de Vries"
    )
    draft = one(message(body, subject="Bestelling 77-1", sender="piet@devries.nl"))
    assert draft.po_number.value == "77-1"
    assert lines_of(draft) == [
        ("NL-100", Decimal(20), None, Decimal("1.04")),
        ("NL-200", Decimal(40), None, Decimal("0.50")),
    ]
    assert [line.description.value for line in draft.lines] == ["Bout M8", "Moer M8"]
    assert all(line.quantity.confidence == 1.0 for line in draft.lines)
    assert draft.unexplained == []


def test_html_only_body_with_a_table():
    html = """<html><head><style>td {color: red}</style></head><body>
    <p>Dear Sir or Madam,</p><p>Please deliver the following items:</p>
    <table><tr><th>Item #</th><th>Description</th><th>Qty</th><th>Unit</th><th>Unit Price</th></tr>
    <tr><td>A-100</td><td>Hex bolt M8&nbsp;x 40</td><td>120</td><td>EA</td><td>0.14</td></tr>
    <tr><td>B-220</td><td>Washer</td><td>40</td><td>BX</td><td>3.50</td></tr></table>
    <p>PO number: 9001</p><p>Best regards,<br>Sam</p><script>alert(1)</script></body></html>"""
    draft = one(message("", html=html, subject="PO 9001", sender="sam@buyer.com"))
    assert lines_of(draft) == [
        ("A-100", Decimal(120), "EA", Decimal("0.14")),
        ("B-220", Decimal(40), "BX", Decimal("3.50")),
    ]
    assert draft.lines[0].description.value == "Hex bolt M8 x 40"
    assert draft.po_number.value == "9001"
    assert draft.unexplained == []


def test_html_alternative_is_used_when_the_text_part_lost_the_table():
    plain = "Please deliver:\n\nSKU\n\nQty\n\nK-1\n\n5\n\nK-2\n\n7\n\nRegards"
    html = (
        "<p>Please deliver:</p><table><tr><td>SKU</td><td>Qty</td></tr><tr><td>K-1</td><td>5</td></tr>"
        "<tr><td>K-2</td><td>7</td></tr></table><p>Regards</p>"
    )
    draft = one(message(plain, html=html, subject="PO 12"))
    assert lines_of(draft) == [("K-1", Decimal(5), None, None), ("K-2", Decimal(7), None, None)]


def test_plain_text_preferred_over_html_alternative():
    html = "<p>10 x WRONG-1</p>"
    draft = one(message("10 x RIGHT-1\n\nThanks", html=html, subject="PO 3"))
    assert lines_of(draft) == [("RIGHT-1", Decimal(10), None, None)]


# --- attachments ----------------------------------------------------------------------------------------


def test_json_attachment_order_with_body_instruction():
    mail = message(
        "Hi,\n\nplease find attached our order.\nPlease deliver to our new warehouse instead.\n\n"
        "Best regards\nJohn",
        subject="PO 4711",
        sender="john@acme.co.uk",
    )
    attach_json(mail, JSON_ORDER)
    draft = one(mail)
    assert (draft.format, draft.attachment, draft.from_email) == ("json", "order.json", "john@acme.co.uk")
    assert draft.po_number.value == "4711"
    assert lines_of(draft) == [("SKU-1", Decimal(10), "CS", None)]
    assert unexplained(draft) == ["Please deliver to our new warehouse instead."]
    assert draft.unexplained[0].part == "body" and draft.unexplained[0].line == 4


def test_csv_attachment_order():
    mail = message(
        "Anbei unsere Bestellung.\n\nViele Grüße\nEva", subject="Bestellung", sender="eva@kunde.de"
    )
    mail.add_attachment(
        b"sku;quantity;uom\nSKU-1;10;CS\nSKU-2;5;EA\n",
        maintype="text",
        subtype="csv",
        filename="bestellung.csv",
    )
    draft = one(mail)
    assert (draft.format, draft.attachment) == ("csv", "bestellung.csv")
    assert lines_of(draft) == [("SKU-1", Decimal(10), "CS", None), ("SKU-2", Decimal(5), "EA", None)]


def test_text_attachment_is_read_as_a_text_document():
    mail = message("See attached.\n\nThanks", subject="Order", sender="a@b.de")
    mail.add_attachment(
        b"PO 5511\n\n10 x A-1\n5 x A-2\n", maintype="text", subtype="plain", filename="order.txt"
    )
    draft = one(mail)
    assert (draft.format, draft.attachment, draft.po_number.value) == ("text", "order.txt", "5511")
    assert lines_of(draft) == [("A-1", Decimal(10), None, None), ("A-2", Decimal(5), None, None)]
    assert draft.lines[0].quantity.evidence.part == ""


@pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus not present: the corpus UBL order is needed"
)
def test_corpus_ubl_attachment_gets_the_german_question_and_winmail_and_images_are_ignored():
    mail = message(
        "Guten Tag,\n\nanbei unsere Bestellung.\nKönnen Sie die Lieferung aufteilen?\n\n"
        "Mit freundlichen Grüßen\nHans",
        subject="Bestellung 34",
        sender="hans@kunde.de",
    )
    mail.add_attachment(
        (CORPUS / "ubl/oasis/UBL-Order-2.1-Example.xml").read_bytes(),
        maintype="application",
        subtype="xml",
        filename="order.xml",
    )
    mail.add_attachment(
        b"\x78\x9f\x3e\x22\x01\x06\x90\x08", maintype="application", subtype="ms-tnef", filename="winmail.dat"
    )
    mail.add_attachment(
        b"\x89PNG\r\n\x1a\n....",
        maintype="image",
        subtype="png",
        filename="image001.png",
        disposition="inline",
        cid="<logo@acme>",
    )
    mail.add_attachment(b"BEGIN:VCARD\nEND:VCARD\n", maintype="text", subtype="vcard", filename="hans.vcf")
    draft = one(mail)
    assert (draft.format, draft.attachment, draft.po_number.value) == ("ubl", "order.xml", "34")
    assert [line.sku.value for line in draft.lines] == ["SItemNo001", "SItemNo011"]
    assert [line.quantity.value for line in draft.lines] == [Decimal(120), Decimal(15)]
    assert unexplained(draft) == ["Können Sie die Lieferung aufteilen?"]
    assert draft.uncertain == []


def test_body_and_attachment_orders_are_separate_drafts_with_shared_instructions():
    mail = message(
        "Hello,\n\n10 x EXTRA-1\n\nPlease deliver to our new warehouse instead.\n\nRegards\nAnn",
        subject="Order",
        sender="ann@buyer.com",
    )
    attach_json(mail, JSON_ORDER, "first.json")
    attach_json(mail, {**JSON_ORDER, "po_number": "4712"}, "second.json")
    found = orders(mail)
    assert [(draft.attachment, draft.format) for draft in found] == [
        ("", "email"),
        ("first.json", "json"),
        ("second.json", "json"),
    ]
    for draft in found:
        assert "Please deliver to our new warehouse instead." in unexplained(draft)
    assert any("both hold order lines" in entry for entry in found[0].uncertain)


def test_body_date_and_address_that_differ_from_the_attachment_are_unexplained():
    mail = message(
        "Anbei unsere Bestellung 4711.\nLiefertermin: 05.12.2026\n\nLieferadresse:\nACME GmbH Lager 2\n"
        "Werkstr. 5\n20457 Hamburg\n\nDanke",
        subject="Bestellung 4711",
        sender="a@acme.de",
    )
    attach_json(mail, {**JSON_ORDER, "requested_date": "2026-12-01"})
    draft = one(mail)
    texts = unexplained(draft)
    assert "the e-mail asks for delivery on 2026-12-05, the attachment says 2026-12-01" in texts
    assert any(
        text.startswith("the e-mail names the delivery address 'ACME GmbH Lager 2, Werkstr. 5")
        for text in texts
    )
    assert draft.requested_date.value == date(2026, 12, 1)  # the attachment's own value is kept


def test_body_po_that_differs_from_the_attachment_is_unexplained():
    mail = message("Please find attached our order 5000.\n\nThanks", subject="Order", sender="a@b.de")
    attach_json(mail, JSON_ORDER)
    assert "the e-mail names PO 5000, the attachment says 4711" in unexplained(one(mail))


def test_order_mail_with_unreadable_pdf_is_uncertain():
    mail = message(
        "Please find our order attached.\n\nRegards\nAnn", subject="Purchase order", sender="ann@x.com"
    )
    mail.add_attachment(
        b"%PDF-1.4 this is not really a pdf", maintype="application", subtype="pdf", filename="PO-1.pdf"
    )
    draft = one(mail)
    assert draft.format == "email" and draft.lines == []
    assert any(entry.startswith("attachment PO-1.pdf could not be read") for entry in draft.uncertain)
    assert "the order could not be read from the message" in draft.uncertain


def test_unreadable_attachment_without_order_words_is_no_order():
    mail = message(
        "Hi, here are the photos from the fair.\n\nCheers\nBob", subject="Fair", sender="bob@x.com"
    )
    mail.add_attachment(b"%PDF-1.4 broken", maintype="application", subtype="pdf", filename="photos.pdf")
    assert parse(mail).not_an_order


def test_unreadable_attachment_next_to_an_order_makes_the_order_uncertain():
    mail = message("Please find our orders attached.\n\nThanks", subject="Orders", sender="a@b.com")
    attach_json(mail, JSON_ORDER)
    mail.add_attachment(b"%PDF-1.4 broken", maintype="application", subtype="pdf", filename="second.pdf")
    assert any("second.pdf could not be read" in entry for entry in one(mail).uncertain)


def test_attached_image_of_an_order_is_uncertain():
    mail = message("Please see our order in the attached photo.\n\nThanks", subject="Order", sender="a@b.com")
    mail.add_attachment(b"\xff\xd8\xff\xe0 jpeg", maintype="image", subtype="jpeg", filename="order.jpg")
    draft = one(mail)
    assert "attachment order.jpg is an image; images are not read" in draft.uncertain


# --- forwards and replies -------------------------------------------------------------------------------


def test_gmail_forward_from_a_sales_rep():
    body = (
        "FYI, please process.\n\nTom\n\n---------- Forwarded message ---------\n"
        "From: Marie Dupont <Marie@Dupont.fr>\nDate: Mon, 2 Nov 2026 at 10:00\nSubject: Commande 55201\n"
        "To: Tom Rep <tom@seller.example>\n\nBonjour Tom,\n\nVoici notre commande :\n\n"
        "3 colis de réf. 55-A\n\nCordialement,\nMarie"
    )
    draft = one(message(body, subject="Fwd: Commande 55201", sender="Tom Rep <tom@seller.example>"))
    assert (draft.from_email, draft.forwarded_from) == ("tom@seller.example", "marie@dupont.fr")
    assert draft.po_number.value == "55201"
    assert lines_of(draft) == [("55-A", Decimal(3), "colis", None)]
    assert draft.unexplained == []


def test_outlook_forward_with_header_block_and_rep_comment():
    body = (
        "Bitte erfassen. Kunde möchte die Ware abholen.\n\n"
        "________________________________\nVon: Einkauf Kunde <einkauf@kunde.at>\n"
        "Gesendet: Montag, 2. November 2026 10:00\nAn: Vertrieb <vertrieb@seller.example>\n"
        "Betreff: Bestellung 4455\n\nGuten Tag,\n\n10 x AT-1\n\nMfG\nKarl"
    )
    draft = one(message(body, subject="WG: Bestellung 4455", sender="rep@seller.example"))
    assert draft.forwarded_from == "einkauf@kunde.at"
    assert draft.po_number.value == "4455"
    assert lines_of(draft) == [("AT-1", Decimal(10), None, None)]
    assert unexplained(draft) == ["Kunde möchte die Ware abholen."]


def test_apple_forward_quoted_with_angle_brackets():
    body = (
        "Begin forwarded message:\n\n> From: Lars <lars@jensen.dk>\n> Subject: Ordre 17\n"
        "> Date: 2 November 2026\n>\n> Hej,\n> 5 x DK-5\n> Mvh Lars\n"
    )
    draft = one(message(body, subject="Fwd: Ordre 17", sender="rep@seller.example"))
    assert draft.forwarded_from == "lars@jensen.dk"
    assert lines_of(draft) == [("DK-5", Decimal(5), None, None)]


def test_forward_as_attached_message():
    inner = message(
        "Hierbij bestellen wij:\n8 x NL-8\n\nMet vriendelijke groet,\nPiet",
        subject="Bestelling 99",
        sender="piet@klant.nl",
    )
    outer = message("FYI", subject="Fwd: Bestelling 99", sender="rep@seller.example")
    outer.add_attachment(inner)
    draft = one(outer)
    assert (draft.from_email, draft.forwarded_from) == ("rep@seller.example", "piet@klant.nl")
    assert draft.attachment and draft.po_number.value == "99"
    assert lines_of(draft) == [("NL-8", Decimal(8), None, None)]


def test_forward_without_the_original_address_is_uncertain():
    body = "-----Original Message-----\nFrom: Smith, John\nSent: Monday\nSubject: PO 1\n\n5 x A-5\n"
    draft = one(message(body, subject="FW: PO 1", sender="rep@seller.example"))
    assert draft.forwarded_from == ""
    assert any("without the original sender's address" in entry for entry in draft.uncertain)


def test_reply_with_quoted_history_does_not_read_old_lines():
    body = (
        "Please send the same again but 20 pcs instead of 10.\n\n"
        "On Mon, Nov 2, 2026 at 10:00 AM Jane <jane@customer.com> wrote:\n> 10 x SKU-5\n> 5 x SKU-6\n"
    )
    draft = one(message(body, subject="Re: Order 8812", sender="jane@customer.com"))
    assert draft.lines == []
    assert "the order could not be read from the message" in draft.uncertain
    assert unexplained(draft) == ["Please send the same again but 20 pcs instead of 10."]


@pytest.mark.parametrize(
    "header",
    [
        "Am 02.11.2026 um 10:00 schrieb Hans Müller <hans@kunde.de>:",
        "Le lun. 2 nov. 2026 à 10:00, Marie <marie@dupont.fr> a écrit :",
        "Den 2. nov. 2026 kl. 10.00 skrev Lars <lars@jensen.dk>:",
        "Op ma 2 nov. 2026 om 10:00 schreef Piet <piet@devries.nl>:",
        "-----Original Message-----",
        "-----Ursprüngliche Nachricht-----",
    ],
)
def test_reply_headers_cut_quoted_history(header):
    body = f"10 x NEW-1\n\nDanke\n\n{header}\nFrom: x@y.de\nSent: Monday\nSubject: Order\n\n10 x OLD-1\n"
    draft = one(message(body, subject="Re: Order 1", sender="a@kunde.de"))
    assert [line.sku.value for line in draft.lines] == ["NEW-1"]


def test_outlook_reply_header_block_cuts_history():
    body = (
        "5 x NEW-2\n\nThanks\n\nFrom: Seller <s@seller.example>\nSent: Monday, 2 November 2026\n"
        "To: Buyer\nSubject: RE: Quote\n\nWe can offer 100 x OLD-2\n"
    )
    assert [line.sku.value for line in one(message(body, subject="RE: Quote", sender="a@b.com")).lines] == [
        "NEW-2"
    ]


# --- signatures and instructions -------------------------------------------------------------------------


def test_signature_numbers_and_address_are_not_order_data():
    body = "Bitte liefern Sie:\n2 x S-1\n" + SIGNATURE_DE
    draft = one(message(body, subject="Bestellung 1", sender="a@acme.de"))
    assert lines_of(draft) == [("S-1", Decimal(2), None, None)]
    assert draft.unexplained == []


def test_postscript_after_the_signature_is_unexplained():
    body = "10 x S-1\n\nBest regards\nJane Doe\nPurchasing\n\nP.S. Please use gate 4 this time."
    draft = one(message(body, subject="PO 3", sender="jane@x.co.uk"))
    assert unexplained(draft) == ["Please use gate 4 this time."] or any(
        "gate 4" in t for t in unexplained(draft)
    )


def test_order_lines_after_the_signoff_are_flagged():
    body = "Hello,\n\n10 x A-1\n\nBest regards\nJane\n\nSKU LATE-1 – 5 cases\n"
    draft = one(message(body, subject="PO 3", sender="jane@x.co.uk"))
    assert [line.sku.value for line in draft.lines] == ["A-1"]
    assert any("LATE-1" in text for text in unexplained(draft))


def test_urgent_subject_is_unexplained():
    draft = one(message("10 x S-1", subject="URGENT order 77 – please ship today", sender="a@b.de"))
    assert [evidence.part for evidence in draft.unexplained] == ["subject"]


# --- not an order --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "headers"),
    [
        ("Automatic reply: Order 4711", {}),
        ("Abwesenheitsnotiz: Bestellung", {}),
        ("Réponse automatique : commande", {}),
        ("Autosvar: ordre", {}),
        ("Automatisch antwoord: bestelling", {}),
        ("Order 4711", {"Auto_Submitted": "auto-replied"}),
        ("Order 4711", {"X_Autoreply": "yes"}),
        ("Undelivered Mail Returned to Sender", {}),
    ],
)
def test_auto_replies_and_bounces_are_not_orders(subject, headers):
    result = parse(message("I am out of the office until Monday.\n10 x SKU-1", subject=subject, **headers))
    assert result.orders == [] and result.not_an_order


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("Our new catalogue is out! Order now.", {"List_Unsubscribe": "<mailto:off@shop.example>"}),
        ("Neue Produkte im Shop. Zum Abmelden klicken Sie hier.", {}),
        ("Nouveautés. Pour vous désabonner, cliquez ici.", {"Precedence": "bulk"}),
    ],
)
def test_newsletters_are_not_orders(body, headers):
    assert parse(message(body, subject="News", **headers)).not_an_order == "newsletter or bulk mail"


def test_newsletter_with_an_order_attachment_is_read():
    mail = message("Unsubscribe here", subject="Orders", List_Id="<orders.customer.example>")
    attach_json(mail, JSON_ORDER)
    assert one(mail).attachment == "order.json"


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Rechnung 2026-118", "Anbei die Rechnung zu Ihrer Bestellung 4711."),
        ("Invoice 55", "Please find attached invoice 55 for your order."),
        ("Facture 12", "Veuillez trouver ci-joint la facture."),
        ("Zahlungserinnerung", "Bitte begleichen Sie die offene Rechnung."),
        ("Lieferschein 77", "Anbei der Lieferschein."),
    ],
)
def test_invoices_and_delivery_notes_are_not_orders(subject, body):
    assert parse(message(body, subject=subject)).not_an_order


def test_message_without_order_is_not_an_order():
    result = parse(message("Hi Bob, see you at the fair.\n\nCheers\nAnn", subject="Fair", sender="a@b.com"))
    assert result.not_an_order == "no order found in the message"


def test_order_mail_whose_order_cannot_be_read_is_uncertain():
    draft = one(
        message(
            "Hallo,\n\nwir möchten gerne wieder bestellen, wie letztes Mal.\n\nGruß\nEva",
            subject="Bestellung",
            sender="eva@kunde.de",
        )
    )
    assert draft.lines == [] and "the order could not be read from the message" in draft.uncertain
    assert unexplained(draft)


# --- dates ------------------------------------------------------------------------------------------------


def test_day_first_from_a_german_domain():
    draft = one(message("10 x SKU-1\nLiefertermin: 03/04/2026", subject="PO 1", sender="a@kunde.de"))
    assert draft.requested_date.value == date(2026, 4, 3) and draft.requested_date.confidence == 1.0


def test_english_dot_com_sender_date_is_ambiguous():
    body = "Hello,\n\nplease deliver:\n10 x SKU-1\n\nDelivery date: 03/04/2026\n\nThanks"
    draft = one(message(body, subject="Order 5", sender="a@shop.com"))
    assert draft.requested_date.confidence < 0.9
    assert any("day-first or month-first" in entry for entry in draft.uncertain)


def test_dot_com_sender_writing_german_is_day_first():
    body = (
        "Hallo,\n\nbitte liefern Sie uns folgende Artikel:\n10 x SKU-1\n\nLiefertermin: 03/04/2026\n\nDanke"
    )
    draft = one(message(body, subject="Bestellung 5", sender="a@firma.com"))
    assert draft.requested_date.value == date(2026, 4, 3) and draft.requested_date.confidence == 1.0


def test_unambiguous_date_from_a_dot_com_sender():
    draft = one(message("10 x SKU-1\nDelivery date: 12/24/2026", subject="PO 1", sender="a@shop.com"))
    assert draft.requested_date.value == date(2026, 12, 24) and draft.requested_date.confidence == 1.0


@pytest.mark.parametrize(
    ("address", "language", "expected"),
    [
        ("a@b.de", None, True),
        ("a@b.co.uk", "en", True),
        ("a@b.us", None, False),
        ("a@b.com", "en", None),
        ("a@b.com", "fr", True),
        ("a@b.io", None, None),
        ("", "nl", True),
    ],
)
def test_day_first_for(address, language, expected):
    assert email_parser.day_first_for(address, language) is expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Please find attached our order, thanks and best regards", "en"),
        ("Bitte liefern Sie uns die folgende Bestellung, vielen Dank", "de"),
        ("Veuillez trouver notre commande, merci et cordialement", "fr"),
        ("Hermed bestiller vi følgende, på forhånd tak og venlig hilsen", "da"),
        ("Hierbij bestellen wij graag, alvast bedankt voor de moeite", "nl"),
        ("10 x A-1", None),
    ],
)
def test_detect_language(text, language):
    assert email_parser.detect_language(text) == language


# --- plain-text documents and robustness ----------------------------------------------------------------


def test_plain_text_document_through_the_dispatcher():
    fmt, result = parse_document(b"Bestellung Nr. 4711\n\n5 Karton Art.-Nr. 4711\n", name="order.txt")
    assert fmt == "text"
    draft = result.orders[0]
    assert (draft.format, draft.po_number.value) == ("text", "4711")
    assert lines_of(draft) == [("4711", Decimal(5), "Karton", None)]


def test_plain_text_without_order_and_binary_text():
    assert email_parser.parse(b"Just some notes about the weather.").not_an_order
    with pytest.raises(ParseError):
        email_parser.parse(b"\x00\x01\x02binary\x00\xff" * 20)
    with pytest.raises(ParseError):
        email_parser.parse(b"   ")


def test_html_to_text_rows_breaks_and_quotes():
    html = (
        "<div>a<br>b</div><table><tr><td>1</td><td>2</td></tr></table>"
        "<blockquote>old</blockquote><ul><li>x</li></ul>"
    )
    assert email_parser.html_to_text(html) == "a\nb\n1\t2\n\n> old\n- x"


def test_malformed_headers_and_charset_do_not_break_the_parser():
    data = (
        b"From: =?bogus?Q?x?= <<<@@>\nSubject: =?utf-8?B?!!!?=\nContent-Type: text/plain; charset=x-unknown\n"
        b"Content-Transfer-Encoding: base64\n\n%%%notbase64\n"
    )
    result = email_parser.parse(data)
    assert isinstance(result, ParseResult)


def _valid_messages() -> list[bytes]:
    mail = message(
        "Hi,\n10 x SKU-1\nPO 4711\n\nRegards\nJo",
        subject="PO 4711",
        sender="jo@x.de",
        html="<p>10 x SKU-1</p>",
    )
    attach_json(mail, JSON_ORDER)
    forward = message(
        "FYI\n\n---------- Forwarded message ---------\nFrom: a@b.fr\n\n3 x A-1", subject="Fwd: x"
    )
    return [mail.as_bytes(), forward.as_bytes()]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_fuzz_random_bytes(data):
    with contextlib.suppress(ParseError):
        assert isinstance(email_parser.parse(data), ParseResult)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(range(2)),
    st.lists(st.tuples(st.integers(min_value=0), st.binary(max_size=8)), min_size=1, max_size=6),
    st.randoms(use_true_random=False),
)
def test_fuzz_mutated_messages(which, edits, rng):
    data = bytearray(_valid_messages()[which])
    for position, chunk in edits:
        start = position % max(1, len(data))
        if rng.random() < 0.5:
            data[start : start + len(chunk)] = chunk
        else:
            del data[start : start + rng.randint(0, 40)]
    try:
        result = email_parser._parse(bytes(data), name="x.eml", depth=0)  # unguarded: bugs must surface here
    except ParseError:
        return
    assert isinstance(result, ParseResult)


def test_nesting_is_limited():
    mail = message("5 x N-1", subject="PO 1")
    for _ in range(6):
        outer = message("FYI", subject="Fwd: PO 1")
        outer.add_attachment(mail)
        mail = outer
    found = orders(mail)
    assert found and found[0].lines == []
    assert any("nested too deeply" in entry for entry in found[0].uncertain)


def test_message_with_unusual_first_header_is_still_a_message():
    mail = message("10 x DK-1\n\nMvh\nLars", subject="Ordre 5", sender="lars@jensen.dk")
    data = b"DKIM-Signature: v=1; a=rsa-sha256; d=jensen.dk;\n\tb=abc\n" + mail.as_bytes()
    draft = one(data)
    assert (draft.from_email, draft.po_number.value) == ("lars@jensen.dk", "5")


def test_thanks_above_the_order_lines_is_no_signature():
    draft = one(
        message(
            "Hi Tom,\n\nThanks a lot!\n\n10 x A-1\n5 x A-2\n\nBest regards\nJane",
            subject="PO 8",
            sender="jane@x.co.uk",
        )
    )
    assert [line.sku.value for line in draft.lines] == ["A-1", "A-2"]
    assert draft.unexplained == []


def test_newsletter_footer_after_the_signoff_counts():
    result = parse(
        message(
            "Great deals this week on bolts.\n\nBest regards\nThe Shop\n\nUnsubscribe: https://x",
            subject="Deals",
            sender="news@shop.com",
        )
    )
    assert result.not_an_order == "newsletter or bulk mail"


OUTLOOK_HTML = """<html><head><style><!-- p.MsoNormal {margin:0cm;} --></style></head><body>
<div class=WordSection1>
<p class=MsoNormal>Guten Morgen Frau Schneider,<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>bitte liefern Sie uns folgende Artikel:<o:p></o:p></p>
<table class=MsoTableGrid border=1>
<tr><td><p class=MsoNormal><b>Pos.</b></p></td><td><p class=MsoNormal><b>Artikel-Nr.</b></p></td>
<td><p class=MsoNormal><b>Bezeichnung</b></p></td><td><p class=MsoNormal><b>Menge</b></p></td>
<td><p class=MsoNormal><b>ME</b></p></td></tr>
<tr><td><p class=MsoNormal>1</p></td><td><p class=MsoNormal>FAS-10023</p></td>
<td><p class=MsoNormal>Sechskantschraube<br>M8x40</p></td><td><p class=MsoNormal>500</p></td>
<td><p>Stk</p></td></tr>
<tr><td><p class=MsoNormal>2</p></td><td><p class=MsoNormal>FAS-20011</p></td>
<td><p class=MsoNormal>Mutter M8</p></td>
<td><p class=MsoNormal>1.000</p></td><td><p class=MsoNormal>Stk</p></td></tr></table>
<p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>Unsere Bestellnummer: 4500012345<o:p></o:p></p>
<p class=MsoNormal>Liefertermin: KW 50<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>Mit freundlichen Grüßen<o:p></o:p></p><p class=MsoNormal>i.A. Thomas Weber<o:p></o:p></p>
<p class=MsoNormal><img width=100 src="cid:image001.png@01D"></p>
<p class=MsoNormal>Weber Maschinenbau GmbH | Industriestraße 7 | 33602 Bielefeld<o:p></o:p></p>
<div style='border:none;border-top:solid #E1E1E1 1.0pt'><p class=MsoNormal><b>Von:</b> Schneider, Anna
&lt;a.schneider@seller.example&gt;<br><b>Gesendet:</b> Montag, 2. November 2026 09:12<br><b>An:</b> Weber,
Thomas<br><b>Betreff:</b> Angebot 2026-77</p></div>
<p class=MsoNormal>anbei unser Angebot: 500 x FAS-10023 à 0,12 €</p></div></body></html>"""


def test_outlook_html_reply_with_cell_paragraphs_and_calendar_week():
    plain = "Guten Morgen Frau Schneider,\n\nbitte liefern Sie uns folgende Artikel:\n\nPos.\n\nArtikel-Nr.\n"
    mail = message(plain, html=OUTLOOK_HTML, subject="AW: Angebot 2026-77", sender="t.weber@weber-mb.de")
    mail.get_payload()[1].add_related(b"\x89PNG", maintype="image", subtype="png", cid="<image001.png@01D>")
    draft = one(mail)
    assert lines_of(draft) == [
        ("FAS-10023", Decimal(500), "Stk", None),
        ("FAS-20011", Decimal(1000), "Stk", None),
    ]
    assert [line.description.value for line in draft.lines] == ["Sechskantschraube M8x40", "Mutter M8"]
    assert [line.line_number.value for line in draft.lines] == ["1", "2"]
    assert draft.po_number.value == "4500012345"
    assert unexplained(draft) == ["Liefertermin: KW 50"]  # a calendar week is for a person to read
    assert draft.uncertain == []


def test_single_space_table_in_a_body():
    body = (
        "Hallo,\n\nPos Menge Einheit Artikel Bezeichnung\n1 10 Stk 4711 Schraube\n"
        "2 5 Karton 4712 Mutter M8\n\nGruß\nUlf"
    )
    draft = one(message(body, subject="Bestellung 88", sender="ulf@kunde.de"))
    assert lines_of(draft) == [("4711", Decimal(10), "Stk", None), ("4712", Decimal(5), "Karton", None)]
    assert draft.lines[1].description.value == "Mutter M8"


def test_request_for_quotation_with_lines_is_uncertain():
    draft = one(
        message("Please quote:\n10 x SKU-1\n\nThanks", subject="Request for quotation", sender="a@b.com")
    )
    assert any("may not be an order" in entry for entry in draft.uncertain)


def test_signature_block_without_a_signoff_is_recognised():
    body = (
        "Please deliver:\n10 x A-1\n\nJohn Smith\nHead of Purchasing\nACME Ltd\n+44 20 7946 0958\n"
        "www.acme.co.uk"
    )
    draft = one(message(body, subject="PO 5", sender="john@acme.co.uk"))
    assert draft.unexplained == []


def test_short_remark_at_the_end_is_not_taken_for_a_signature():
    draft = one(message("10 x A-1\n\nNo Substitutes", subject="PO 5", sender="john@acme.co.uk"))
    assert unexplained(draft) == ["No Substitutes"]


def test_bottom_posted_reply_text_below_the_quote_is_read():
    body = (
        "On Mon, 2 Nov 2026, Seller <s@seller.example> wrote:\n> Can you confirm the order?\n"
        "> ---------- Forwarded message ---------\n> 99 x OLD-1\n\n"
        "Yes, please deliver:\n10 x NEW-1\n\nThanks\nAnn"
    )
    draft = one(message(body, subject="Re: Order 12", sender="ann@x.co.uk"))
    assert lines_of(draft) == [("NEW-1", Decimal(10), None, None)]
    assert unexplained(draft) == ["Yes, please deliver:"]


def test_instruction_below_a_ship_to_block_is_not_swallowed():
    body = "10 x A-1\n\nShip to:\nACME Ltd\n12 Harbour Road\nLeeds LS1 4AB\nPlease call before delivery\n"
    draft = one(message(body, subject="PO 5", sender="a@acme.co.uk"))
    assert draft.ship_to.name.value == "ACME Ltd"
    assert unexplained(draft) == ["Please call before delivery"]


def test_erp_generated_order_with_auto_submitted_header_is_read():
    mail = message(
        "Purchase order attached.", subject="PO 4711", sender="erp@buyer.com", Auto_Submitted="auto-generated"
    )
    attach_json(mail, JSON_ORDER)
    assert one(mail).attachment == "order.json"
    assert parse(
        message("Your report is ready.", subject="Report", Auto_Submitted="auto-generated")
    ).not_an_order


def test_format_flowed_lines_are_joined():
    data = (
        b"From: a@b.de\nSubject: Bestellung 7\nContent-Type: text/plain; charset=utf-8; format=flowed\n\n"
        b"Bitte liefern Sie uns so schnell wie \nm\xc3\xb6glich die Ware.\n10 x A-1\n"
    )
    draft = one(data)
    assert unexplained(draft) == ["Bitte liefern Sie uns so schnell wie möglich die Ware."]


def test_large_messages_are_read_in_reasonable_time():
    import time

    body = ("Mit freundlichen Grüßen\nHans\nTom\n" * 800) + "10 x A-1\n" + ("Bitte liefern.\n" * 500)
    started = time.perf_counter()
    email_parser.parse(message(body, subject="Bestellung 1").as_bytes())
    assert time.perf_counter() - started < 30  # quadratic work would take minutes


@pytest.mark.parametrize(
    ("sender", "body", "expected", "instructions"),
    [
        (
            "mike@buyer.com",
            "Hi Sarah,\n\nHope you're well. Could we please order the following for delivery next week:\n\n"
            "SKU-4471 Blue widget x 20\nSKU-4472 Red widget x 15\n\nPO to follow.\n\nCheers,\nMike",
            [("SKU-4471", Decimal(20), None, None), ("SKU-4472", Decimal(15), None, None)],
            ["Could we please order the following for delivery next week:", "PO to follow."],
        ),
        (
            "sabine@kunde.de",
            "Hallo zusammen,\n\nbitte um Lieferung von:\n\n- 3x Palette Kopierpapier A4 (Art. 100234)\n"
            "- 10 Stk. Toner HP 305A\n\nDanke und Gruß\nSabine",
            [("100234", Decimal(3), "Palette", None)],
            ["- 10 Stk. Toner HP 305A"],  # no article number: for a person
        ),
        (
            "julie@client.fr",
            "Bonjour,\n\nPouvez-vous nous expédier :\n5 cartons réf. 55-A\n2 cartons réf. 55-B\n\n"
            "Merci,\nJulie",
            [("55-A", Decimal(5), "cartons", None), ("55-B", Decimal(2), "cartons", None)],
            [],
        ),
        (
            "jens@kunde.dk",
            "Hej Mette\n\nVi skal bruge:\n2 paller varenr. 77812\n\nLevering senest fredag.\n\nMvh\nJens",
            [("77812", Decimal(2), "paller", None)],
            ["Levering senest fredag."],
        ),
        (
            "kees@klant.nl",
            "Goedemiddag,\n\nGraag 12 dozen van artikel 4711 en 6 dozen van artikel 4712.\n\n"
            "Met vriendelijke groet,\nKees",
            [("4711", Decimal(12), "dozen", None), ("4712", Decimal(6), "dozen", None)],
            [],
        ),
    ],
)
def test_everyday_order_mails(sender, body, expected, instructions):
    draft = one(message(body, subject="Order", sender=sender))
    assert lines_of(draft) == expected
    assert unexplained(draft) == instructions
    assert "PO number missing" in draft.uncertain


# --- subjects and explicit lines -----------------------------------------------------------------------


def test_subject_that_repeats_the_po_and_date_is_explained():
    body = "Bestellnummer: EK-7\n\n2 x A-1\n\nLiefertermin: 14.12.2026\n"
    draft = one(message(body, subject="Bestellung EK-7 / Liefertermin 14.12.2026", sender="a@acme.de"))
    assert unexplained(draft) == []
    draft = one(message(body, subject="Bestellung EK-7 / Liefertermin 18.12.2026", sender="a@acme.de"))
    assert unexplained(draft) == ["Bestellung EK-7 / Liefertermin 18.12.2026"]


def test_reply_subject_with_another_po_is_no_conflict():
    body = "Hello,\n\nPO: 0007740\n\n2 x A-1\n\nBest regards\nJane\n"
    draft = one(message(body, subject="Re: PO 4500050955", sender="jane@x.co.uk"))
    assert draft.po_number.value == "0007740" and draft.po_number.confidence == 1.0
    assert draft.uncertain == []
    draft = one(message(body, subject="PO 4500050955", sender="jane@x.co.uk"))
    assert draft.po_number.confidence < 0.9 and draft.uncertain


def test_labelled_lines_with_units_need_no_person():
    body = (
        "Hallo,\n\nBestellnummer: DMG-1\n\nHiermit bestellen wir:\n\nArtikel AB-10 – 2 CS\n"
        "5 BX Art.-Nr. CD-20 à 22,44 €\n\nVielen Dank im Voraus.\n\nBeste Grüße\nLisa Wagner\n"
    )
    draft = one(message(body, subject="Bestellung DMG-1", sender="lisa@acme.de"))
    assert lines_of(draft) == [
        ("AB-10", Decimal(2), "CS", None), ("CD-20", Decimal(5), "BX", Decimal("22.44")),
    ]
    assert draft.uncertain == [] and unexplained(draft) == []
    assert all(line.quantity.confidence >= 0.9 and line.sku.confidence >= 0.9 for line in draft.lines)


def test_an_invoice_with_a_table_is_not_an_order():
    raw = (
        "From: Spedition <rechnung@spedition.example>\nTo: orders@us.example\n"
        "Subject: Rechnung RE-2026-1\nMessage-ID: <inv-1@spedition.example>\n\n"
        "Sehr geehrte Damen und Herren,\n\nanbei erhalten Sie unsere Rechnung Nr. RE-2026-1.\n\n"
        "Pos  Leistung                 Menge  Betrag EUR\n"
        "1    Sammelgut HH-M           3 Sdg  860,91\n2    Palettentausch           6 Stk  45,71\n\n"
        "Mit freundlichen Grüßen\nBuchhaltung\n"
    ).encode()
    result = parse(raw)
    assert result.orders == []
    assert "rechnung" in result.not_an_order


def test_an_order_under_an_invoice_subject_that_speaks_of_ordering_is_still_read():
    raw = (
        b"From: buyer@acme.example\nTo: orders@us.example\nSubject: Invoice address changed\n\n"
        b"Hello,\n\nplease find our order PO 4711 below:\n\n10 x SKU-1\n\nBest regards\nAnn\n"
    )
    assert len(parse(raw).orders) == 1


# --- regressions from the generated corpus (issue 4 point 8) ----------------------------------


def test_a_forward_is_read_in_the_language_of_the_forwarded_order():
    body = (
        "Hallo zusammen, bitte die Bestellung von Severn Valley Supplies Ltd erfassen. Danke, Jana\n\n"
        "---------- Weitergeleitete Nachricht ---------\n"
        "Von: Emily Cooper <emily.cooper@severnvalley.example>\n"
        "Datum: 19.11.2026 17:12\nBetreff: Purchase order BST003108\nAn: orders@seller.example\n\n"
        "Hello,\n\nPO BST003108\n\nPlease supply the following items:\n\n"
        "6 x HTL-10316\n1,250 x PKG-10407\n\nRequested delivery date: 8 December 2026\n\n"
        "Many thanks,\nRegards\n-- \nEmily Cooper\nPurchasing Manager\nPhone: +44 64 823 7330\n"
    )
    draft = one(message(body, subject="WG: Purchase order BST003108", sender="Jana <jana@seller.example>"))
    assert lines_of(draft)[1][:2] == ("PKG-10407", Decimal(1250))
    assert draft.lines[1].quantity.confidence == 1.0 and not draft.uncertain and not unexplained(draft)
    assert draft.language == "en"


def test_a_dutch_order_says_its_language_for_its_unit_words():
    body = ("Goedemorgen,\n\nBestelnummer: 4711\n\nGraag bestellen wij het volgende:\n\n2 dozen ELE-10279\n\n"
            "Met vriendelijke groet,\nEva de Vries\n")
    assert one(message(body, sender="Eva <eva@vansteenwijk.nl>")).language == "nl"


def test_a_currency_sentence_sets_the_currency():
    body = "PO 4711\n\n10 x SKU-1\n\nAlle Preise in EUR.\n\nMit freundlichen Grüßen\nA. Meier\n"
    draft = one(message(body))
    assert draft.currency.value == "EUR" and not unexplained(draft)


def test_writer_country_from_domain_or_telephone():
    assert email_parser.writer_country("a@acme.de", []) == "DE"
    assert email_parser.writer_country("a@acme.example", ["Phone: +44 161 496 0000"]) == "GB"
    assert email_parser.writer_country("a@acme.example", ["Regards"]) is None


def test_a_mail_laid_out_in_tables_keeps_its_paragraphs_as_lines():
    # Webshop and ERP notifications put the whole mail in the one cell of a table in a
    # table; read as a data cell, it became a single line in which no order was found.
    html = ("<table><tr><td><table><tr><td><p>Order 4711 was placed.</p><h3>Items</h3>"
            "<table><tr><th>Item</th><th>Qty</th></tr><tr><td><p>SKU-1</p></td><td><p>10</p></td></tr></table>"
            "<p>Delivery address<br>Hafenweg 12<br>40213 Düsseldorf</p></td></tr></table></td></tr></table>")
    assert email_parser.html_to_text(html) == (
        "Order 4711 was placed.\nItems\nItem\tQty\nSKU-1\t10\n\n"
        "Delivery address\nHafenweg 12\n40213 Düsseldorf")


def test_unclosed_cells_rows_and_items_are_closed_by_their_next_sibling():
    html = "<table><tr><td>1<td>2<tr><td>3<td>4</table><ul><li>a<li>b</ul>"
    assert email_parser.html_to_text(html) == "1\t2\n3\t4\n\n- a\n- b"
