"""Wording of the generated documents in English, German, French, Danish and Dutch.

Everything a person writes into an order (greetings, order lines, dates, units,
sign-offs, disclaimers, reply and forward headers) comes from here, so the
renderers only decide *which* phrase and never spell one themselves.
"""

from __future__ import annotations

LANGUAGES = ("en", "de", "fr", "da", "nl")

#: The language customers of a country usually write in.
COUNTRY_LANGUAGE = {
    "DE": "de", "AT": "de", "FR": "fr", "BE": "fr", "DK": "da", "NL": "nl",
    "GB": "en", "US": "en", "SE": "en", "CH": "en",
}  # fmt: skip

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
           "oktober", "november", "december"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"),
}  # fmt: skip

#: Date spellings per language: strftime-like keys filled by textfmt.format_date.
#: {d} day, {dd} zero-padded day, {m}/{mm} month, {month} name, {yyyy} year.
DATE_STYLES = {
    "en": ("{d} {month} {yyyy}", "{yyyy}-{mm}-{dd}", "{dd}/{mm}/{yyyy}"),
    "en-US": ("{month} {d}, {yyyy}", "{mm}/{dd}/{yyyy}"),
    "de": ("{dd}.{mm}.{yyyy}", "{d}. {month} {yyyy}", "{d}.{m}.{yyyy}"),
    "fr": ("{dd}/{mm}/{yyyy}", "{d} {month} {yyyy}"),
    "da": ("{dd}.{mm}.{yyyy}", "{d}. {month} {yyyy}", "{dd}-{mm}-{yyyy}"),
    "nl": ("{dd}-{mm}-{yyyy}", "{d} {month} {yyyy}"),
}

#: How people write our unit codes, first spelling most common.
UNIT_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"EA": ("pcs", "pieces", "EA"), "CS": ("cases", "cs", "cartons"), "BX": ("boxes", "bx"),
           "PK": ("packs", "pk"), "PAL": ("pallets", "PAL"), "RL": ("rolls", "RL"),
           "M": ("m", "metres"), "L": ("l", "litres"), "KG": ("kg",), "PR": ("pairs", "pr"),
           "BDL": ("bundles",), "CAN": ("cans",), "DR": ("drums",), "BG": ("bags",)},
    "de": {"EA": ("Stück", "Stk.", "St."), "CS": ("Karton", "Kartons", "Kt."), "BX": ("Schachtel", "Box"),
           "PK": ("Pack", "Paket"), "PAL": ("Palette", "PAL"), "RL": ("Rolle", "Rollen"),
           "M": ("m", "Meter"), "L": ("l", "Liter"), "KG": ("kg",), "PR": ("Paar",), "BDL": ("Bund",),
           "CAN": ("Kanister",), "DR": ("Fass",), "BG": ("Beutel", "Sack")},
    "fr": {"EA": ("pièces", "pcs", "unités"), "CS": ("colis", "cartons"), "BX": ("boîtes",),
           "PK": ("paquets",), "PAL": ("palettes",), "RL": ("rouleaux",), "M": ("m", "mètres"),
           "L": ("l", "litres"), "KG": ("kg",), "PR": ("paires",), "BDL": ("bottes",),
           "CAN": ("bidons",), "DR": ("fûts",), "BG": ("sacs",)},
    "da": {"EA": ("stk", "stk."), "CS": ("kasser", "kartoner"), "BX": ("æsker",), "PK": ("pakker",),
           "PAL": ("paller",), "RL": ("ruller",), "M": ("m", "meter"), "L": ("l", "liter"),
           "KG": ("kg",), "PR": ("par",), "BDL": ("bundter",), "CAN": ("dunke",), "DR": ("tønder",),
           "BG": ("poser", "sække")},
    "nl": {"EA": ("stuks", "st."), "CS": ("omdozen", "cartons"), "BX": ("dozen", "doosjes"),
           "PK": ("pakken",), "PAL": ("pallets",), "RL": ("rollen",), "M": ("m", "meter"),
           "L": ("l", "liter"), "KG": ("kg",), "PR": ("paar",), "BDL": ("bundels",),
           "CAN": ("jerrycans",), "DR": ("vaten",), "BG": ("zakken",)},
}  # fmt: skip

#: Unit codes of the EDI standards where they differ from ours (X12 355, UN/ECE Rec 20).
X12_UNITS = {
    "EA": "EA",
    "CS": "CA",
    "BX": "BX",
    "PK": "PK",
    "RL": "RL",
    "PR": "PR",
    "KG": "KG",
    "L": "LT",
    "M": "MR",
    "BG": "BG",
    "DR": "DR",
    "PAL": "PL",
}
REC20_UNITS = {
    "EA": ("C62", "PCE", "H87", "EA"),
    "M": ("MTR",),
    "L": ("LTR",),
    "KG": ("KGM",),
    "PR": ("PR",),
    "CS": ("CS",),
    "BX": ("BX",),
    "PK": ("PK",),
    "BG": ("BG",),
    "DR": ("DR",),
}

GREETINGS = {
    "en": ("Hello,", "Hi team,", "Dear Sir or Madam,", "Good morning,", "Hi {rep},", "Dear {rep},"),
    "de": ("Guten Tag,", "Hallo zusammen,", "Sehr geehrte Damen und Herren,", "Hallo {rep},",
           "Guten Morgen,", "Liebe Kolleginnen und Kollegen,"),
    "fr": ("Bonjour,", "Madame, Monsieur,", "Bonjour à tous,", "Bonjour {rep},"),
    "da": ("Hej,", "Goddag,", "Hej med jer,", "Hej {rep},"),
    "nl": ("Goedemorgen,", "Beste,", "Hallo,", "Geachte heer/mevrouw,", "Beste {rep},"),
}  # fmt: skip

INTROS = {
    "en": ("Please find our order {po} below.", "please find our purchase order below:",
           "We would like to order the following:", "Please supply the following items:"),
    "de": ("anbei unsere Bestellung {po}.", "bitte liefern Sie uns folgende Artikel:",
           "hiermit bestellen wir:", "wir bestellen wie folgt:"),
    "fr": ("Veuillez trouver ci-dessous notre commande {po}.", "Merci de nous livrer les articles suivants :",
           "Nous souhaitons commander :"),
    "da": ("Hermed vores ordre {po}:", "Vi vil gerne bestille følgende:", "Vi bestiller hermed:"),
    "nl": ("Hierbij onze bestelling {po}:", "Graag bestellen wij het volgende:", "Wij bestellen hierbij:"),
}  # fmt: skip

ATTACHED = {
    "en": ("Please find attached our purchase order {po}.", "Attached is our order {po}.",
           "please see the attached PO {po}."),
    "de": ("anbei erhalten Sie unsere Bestellung {po}.", "im Anhang unsere Bestellung {po}.",
           "anbei die Bestellung {po} als PDF."),
    "fr": ("Veuillez trouver ci-joint notre commande {po}.", "Ci-joint notre bon de commande {po}."),
    "da": ("Vedhæftet vores ordre {po}.", "Hermed indkøbsordre {po} som PDF."),
    "nl": ("In de bijlage onze bestelling {po}.", "Bijgaand ontvangt u inkooporder {po}."),
}  # fmt: skip

PO_LABELS = {
    "en": ("PO {po}", "PO number: {po}", "Purchase order no. {po}", "Our ref.: {po}"),
    "de": ("Bestellnummer: {po}", "Bestell-Nr. {po}", "Unsere Bestellung {po}"),
    "fr": ("Commande n° {po}", "Bon de commande : {po}", "N° de commande : {po}"),
    "da": ("Ordrenr.: {po}", "Indkøbsordre {po}", "Vores ref.: {po}"),
    "nl": ("Bestelnummer: {po}", "Ordernummer {po}", "Inkooporder {po}"),
}  # fmt: skip

CUSTOMER_NUMBER = {
    "en": ("Customer no.: {number}", "Account number {number}", "Our customer number with you: {number}"),
    "de": ("Kundennummer: {number}", "Kd.-Nr. {number}", "Unsere Kundennummer bei Ihnen: {number}"),
    "fr": ("N° client : {number}", "Code client {number}"),
    "da": ("Kundenr.: {number}", "Vores kundenummer: {number}"),
    "nl": ("Klantnummer: {number}", "Debiteurnummer {number}"),
}  # fmt: skip

SUBJECTS = {
    "en": ("Purchase order {po}", "New order {po}", "PO {po}", "Order {po} - delivery {date}"),
    "de": ("Bestellung {po}", "Neue Bestellung - {po}", "Bestellung {po} / Liefertermin {date}"),
    "fr": ("Commande {po}", "Nouvelle commande n° {po}", "Bon de commande {po}"),
    "da": ("Ordre {po}", "Bestilling {po}", "Indkøbsordre {po}"),
    "nl": ("Bestelling {po}", "Order {po}", "Inkooporder {po}"),
}  # fmt: skip

CHANGE_SUBJECTS = {
    "en": ("Revised PO {po}", "Change to order {po}", "UPDATED: purchase order {po}"),
    "de": ("Änderung Bestellung {po}", "Korrektur: Bestellung {po}"),
    "fr": ("Modification commande {po}", "Commande {po} - rectificatif"),
    "da": ("Ændring til ordre {po}", "Rettet ordre {po}"),
    "nl": ("Wijziging bestelling {po}", "Aangepaste order {po}"),
}  # fmt: skip

CHANGE_INTROS = {
    "en": ("please note the corrected quantities for our order {po} below; "
           "this replaces the earlier version.",),
    "de": ("bitte beachten Sie die geänderte Menge in unserer Bestellung {po}; "
           "die Bestellung lautet jetzt:",),
    "fr": ("merci de prendre en compte la quantité modifiée de notre commande {po} ; la commande devient :",),
    "da": ("vi har ændret antallet i vores ordre {po}; ordren lyder nu:",),
    "nl": ("graag de gewijzigde aantallen in onze bestelling {po} verwerken; de bestelling wordt nu:",),
}  # fmt: skip

REQUESTED = {
    "en": ("Requested delivery date: {date}", "Please deliver by {date}.", "Delivery required on {date}."),
    "de": ("Liefertermin: {date}", "Bitte liefern bis {date}.", "Gewünschter Liefertermin: {date}",
           "Anlieferung bitte am {date}."),
    "fr": ("Date de livraison souhaitée : {date}", "Livraison souhaitée le {date}."),
    "da": ("Ønsket leveringsdato: {date}", "Levering senest {date}."),
    "nl": ("Gewenste leverdatum: {date}", "Graag leveren op {date}."),
}  # fmt: skip

SHIP_TO = {
    "en": ("Ship to:", "Delivery address:", "Deliver to:"),
    "de": ("Lieferadresse:", "Bitte liefern an:", "Lieferanschrift:"),
    "fr": ("Adresse de livraison :", "Livrer à :"),
    "da": ("Leveringsadresse:", "Levering til:"),
    "nl": ("Afleveradres:", "Leveradres:"),
}

CURRENCY_LINE = {
    "en": ("All prices in {currency}.", "Currency: {currency}"),
    "de": ("Alle Preise in {currency}.", "Währung: {currency}"),
    "fr": ("Prix en {currency}.", "Devise : {currency}"),
    "da": ("Alle priser i {currency}.", "Valuta: {currency}"),
    "nl": ("Alle prijzen in {currency}.", "Valuta: {currency}"),
}

#: Harmless sentences: the order confirmation is sent anyway.
POLITE = {
    "en": ("Please send us an order confirmation.", "Thanks in advance.", "Many thanks for your help."),
    "de": ("Bitte senden Sie uns eine Auftragsbestätigung.", "Vielen Dank im Voraus.",
           "Danke für die schnelle Bearbeitung."),
    "fr": ("Merci de nous envoyer un accusé de réception de commande.", "Merci d'avance."),
    "da": ("Send venligst en ordrebekræftelse.", "På forhånd tak."),
    "nl": ("Graag ontvangen wij een orderbevestiging.", "Alvast bedankt."),
}  # fmt: skip

CLOSINGS = {
    "en": ("Kind regards", "Best regards", "Many thanks,\nRegards", "Thanks"),
    "de": ("Mit freundlichen Grüßen", "Vielen Dank und freundliche Grüße", "Beste Grüße", "Viele Grüße"),
    "fr": ("Cordialement,", "Bien cordialement,", "Merci d'avance et bonne journée,"),
    "da": ("Med venlig hilsen", "Venlig hilsen", "Mvh."),
    "nl": ("Met vriendelijke groet,", "Groeten,", "Met vriendelijke groeten,"),
}  # fmt: skip

TITLES = {
    "en": ("Purchasing Manager", "Buyer", "Procurement Specialist", "Purchasing"),
    "de": ("Einkauf", "Leitung Einkauf", "Disposition", "Strategischer Einkauf"),
    "fr": ("Service Achats", "Responsable achats", "Acheteuse", "Approvisionnement"),
    "da": ("Indkøber", "Indkøbsansvarlig", "Indkøb"),
    "nl": ("Inkoper", "Medewerker inkoop", "Afdeling inkoop"),
}  # fmt: skip

PHONE_PREFIX = {
    "DE": "+49",
    "AT": "+43",
    "FR": "+33",
    "BE": "+32",
    "NL": "+31",
    "DK": "+45",
    "GB": "+44",
    "US": "+1",
    "CH": "+41",
    "SE": "+46",
}

DISCLAIMERS = {
    "en": ("This e-mail and any attachments are confidential and intended solely for the addressee. "
           "If you have received it in error, please notify the sender and delete it. "
           "Registered in England and Wales.",
           "CONFIDENTIALITY NOTICE: This message may contain privileged information. Any unauthorized "
           "review, use or distribution is prohibited."),
    "de": ("Diese E-Mail enthält vertrauliche und/oder rechtlich geschützte Informationen. Wenn Sie "
           "nicht der richtige Adressat sind, informieren Sie bitte sofort den Absender und löschen "
           "Sie diese E-Mail. Sitz der Gesellschaft: {city}, Registergericht: Amtsgericht {city}.",),
    "fr": ("Ce message et toutes les pièces jointes sont confidentiels et établis à l'intention "
           "exclusive de ses destinataires. Toute utilisation non conforme est interdite.",),
    "da": ("Denne e-mail kan indeholde fortrolige oplysninger. Hvis du ikke er den rette modtager, "
           "bedes du slette den og give afsenderen besked.",),
    "nl": ("Dit bericht kan vertrouwelijke informatie bevatten. Bent u niet de geadresseerde, "
           "verwijder het dan en informeer de afzender.",),
}  # fmt: skip

QUOTE_HEADERS = {
    "en": "On {date}, {name} <{email}> wrote:",
    "de": "Am {date} schrieb {name} <{email}>:",
    "fr": "Le {date}, {name} <{email}> a écrit :",
    "da": "Den {date} skrev {name} <{email}>:",
    "nl": "Op {date} schreef {name} <{email}>:",
}

#: Our earlier confirmation that a customer's reply quotes.
QUOTED_CONFIRMATIONS = {
    "en": ("Thank you for your order {po}. It has been confirmed for delivery on {date}.",
           "Best regards", "Customer Service"),
    "de": ("vielen Dank für Ihre Bestellung {po}. Wir bestätigen die Lieferung zum {date}.",
           "Freundliche Grüße", "Innendienst"),
    "fr": ("Merci pour votre commande {po}. Nous confirmons la livraison pour le {date}.",
           "Cordialement", "Service clients"),
    "da": ("Tak for jeres ordre {po}. Vi bekræfter levering den {date}.", "Venlig hilsen", "Kundeservice"),
    "nl": ("Dank voor uw bestelling {po}. Wij bevestigen levering op {date}.", "Met vriendelijke groet",
           "Binnendienst"),
}  # fmt: skip

REPLY_PREFIX = {"en": "Re: ", "de": "AW: ", "fr": "RE : ", "da": "SV: ", "nl": "Antw: "}

#: Forward header of a sales rep's mail client: (title line, From, Date, Subject, To), prefix.
FORWARD_HEADERS = {
    "en": (("---------- Forwarded message ---------", "From", "Date", "Subject", "To"), "Fwd: "),
    "de": (("---------- Weitergeleitete Nachricht ---------", "Von", "Datum", "Betreff", "An"), "WG: "),
    "fr": (("---------- Message transféré ---------", "De", "Date", "Objet", "À"), "TR: "),
    "en-outlook": (("-----Original Message-----", "From", "Sent", "Subject", "To"), "FW: "),
    "de-outlook": (("-----Ursprüngliche Nachricht-----", "Von", "Gesendet", "Betreff", "An"), "WG: "),
}  # fmt: skip

#: The sales rep's note on top of a forwarded order.
FORWARD_NOTES = {
    "en": ("Hi team, please enter the order below for {customer}. Thanks, {rep}",
           "FYI - order from {customer}, please process.\n\n{rep}"),
    "de": ("Hallo zusammen, bitte die Bestellung von {customer} erfassen. Danke, {rep}",
           "Zur Bearbeitung, kam bei mir direkt an.\n\nGruß {rep}"),
    "fr": ("Bonjour, merci de saisir la commande ci-dessous de {customer}. {rep}",
           "Pour traitement svp.\n\n{rep}"),
}  # fmt: skip

#: The language each sales rep's mail client speaks (by first name).
REP_CLIENTS = {"Jana": ("de", "de-outlook"), "Marc": ("fr",), "Emma": ("en", "en-outlook")}

#: Free text the system cannot act on (FREE_TEXT_INSTRUCTION): {city} a city, {name} a person.
INSTRUCTIONS = {
    "en": ("Please deliver to our new warehouse in {city} instead.",
           "Could you split the delivery into two shipments, half now and half in four weeks?",
           "Please hold the goods until we call them off - our site is closed for inventory."),
    "de": ("Bitte liefern Sie diesmal an unser neues Lager in {city}.",
           "Können Sie die Lieferung auf zwei Termine aufteilen?",
           "Bitte die Ware nur nach telefonischer Avisierung bei {name} anliefern, "
           "Rampe ist nachmittags zu."),
    "fr": ("Merci de livrer exceptionnellement à notre nouvel entrepôt de {city}.",
           "Pouvez-vous scinder la livraison en deux envois ?",
           "Merci de prévenir {name} par téléphone avant la livraison, le quai est fermé l'après-midi."),
    "da": ("Lever venligst til vores nye lager i {city} i stedet.",
           "Kan I dele leveringen op i to forsendelser?"),
    "nl": ("Graag deze keer leveren op ons nieuwe magazijn in {city}.",
           "Kunnen jullie de levering in twee delen splitsen?"),
}  # fmt: skip

#: Cities for "our new warehouse in …" by country.
NEW_SITES = {
    "DE": ("Hamburg", "Bremen", "Leipzig"), "AT": ("Graz", "Innsbruck"), "FR": ("Reims", "Rouen"),
    "BE": ("Namur", "Liège"), "NL": ("Tilburg", "Breda"), "DK": ("Vejle", "Aalborg"),
    "GB": ("Derby", "Leicester"), "US": ("Dayton", "Toledo"), "CH": ("Aarau", "St. Gallen"),
    "SE": ("Borås", "Örebro"),
}  # fmt: skip

#: Table header words: position, item, description, quantity, unit, price, amount.
TABLE_HEADERS = {
    "en": ("Pos", "Item", "Description", "Qty", "Unit", "Price", "Amount"),
    "de": ("Pos", "Artikel", "Bezeichnung", "Menge", "Einheit", "Preis", "Betrag"),
    "fr": ("Pos", "Référence", "Désignation", "Qté", "Unité", "Prix", "Montant"),
    "da": ("Pos", "Varenr.", "Beskrivelse", "Antal", "Enhed", "Pris", "Beløb"),
    "nl": ("Pos", "Artikel", "Omschrijving", "Aantal", "Eenheid", "Prijs", "Bedrag"),
}

#: Words used by single-line order styles: item, item number, quantity, "each".
LINE_WORDS = {
    "en": {"item": "Item", "item_no": "item no.", "qty": "qty", "each": "@"},
    "de": {"item": "Artikel", "item_no": "Art.-Nr.", "qty": "Menge", "each": "à"},
    "fr": {"item": "Article", "item_no": "réf.", "qty": "qté", "each": "à"},
    "da": {"item": "Vare", "item_no": "varenr.", "qty": "antal", "each": "à"},
    "nl": {"item": "Artikel", "item_no": "art.nr.", "qty": "aantal", "each": "à"},
}

#: Labels of PDF order forms.
PDF_LABELS = {
    "en": {"title": "PURCHASE ORDER", "po": "PO number", "date": "Order date", "requested": "Delivery date",
           "customer": "Customer no.", "supplier": "Supplier", "ship_to": "Ship to", "buyer": "Buyer",
           "contact": "Contact", "currency": "Currency", "total": "Total", "page": "Page {n} of {m}",
           "deliver_to": "Deliver to:", "remarks": "Remarks", "change": "REVISED PURCHASE ORDER",
           "terms": "Please quote our PO number on all delivery notes and invoices."},
    "de": {"title": "BESTELLUNG", "po": "Bestellnummer", "date": "Bestelldatum", "requested": "Liefertermin",
           "customer": "Kundennummer", "supplier": "Lieferant", "ship_to": "Lieferanschrift",
           "buyer": "Besteller", "contact": "Ansprechpartner", "currency": "Währung", "total": "Summe",
           "page": "Seite {n} von {m}", "deliver_to": "Lieferung an:", "remarks": "Bemerkungen",
           "change": "ÄNDERUNG ZUR BESTELLUNG",
           "terms": "Bitte geben Sie unsere Bestellnummer auf Lieferschein und Rechnung an."},
    "fr": {"title": "BON DE COMMANDE", "po": "N° de commande", "date": "Date",
           "requested": "Livraison souhaitée",
           "customer": "N° client", "supplier": "Fournisseur", "ship_to": "Adresse de livraison",
           "buyer": "Acheteur", "contact": "Contact", "currency": "Devise", "total": "Total",
           "page": "Page {n}/{m}", "deliver_to": "Livrer à :", "remarks": "Remarques",
           "change": "MODIFICATION DE COMMANDE",
           "terms": "Merci de rappeler notre numéro de commande sur le bon de livraison et la facture."},
    "da": {"title": "INDKØBSORDRE", "po": "Ordrenr.", "date": "Dato", "requested": "Leveringsdato",
           "customer": "Kundenr.", "supplier": "Leverandør", "ship_to": "Leveringsadresse",
           "buyer": "Køber", "contact": "Kontakt", "currency": "Valuta", "total": "I alt",
           "page": "Side {n} af {m}", "deliver_to": "Lever til:", "remarks": "Bemærkninger",
           "change": "ÆNDRET INDKØBSORDRE",
           "terms": "Angiv venligst vores ordrenummer på følgeseddel og faktura."},
    "nl": {"title": "INKOOPORDER", "po": "Ordernummer", "date": "Datum", "requested": "Leverdatum",
           "customer": "Klantnummer", "supplier": "Leverancier", "ship_to": "Afleveradres",
           "buyer": "Koper", "contact": "Contactpersoon", "currency": "Valuta", "total": "Totaal",
           "page": "Pagina {n} van {m}", "deliver_to": "Leveren aan:", "remarks": "Opmerkingen",
           "change": "GEWIJZIGDE INKOOPORDER",
           "terms": "Vermeld a.u.b. ons ordernummer op pakbon en factuur."},
}  # fmt: skip

COUNTRY_NAMES = {
    "DE": "Deutschland", "AT": "Österreich", "FR": "France", "BE": "Belgique", "NL": "Nederland",
    "DK": "Danmark", "GB": "United Kingdom", "US": "USA", "CH": "Schweiz", "SE": "Sverige",
}  # fmt: skip

#: Letterhead of the supplier (us) on the customers' order forms.
SUPPLIER = ("OrderDesk Demo Supply GmbH", "Lagerstraße 4", "22113 Hamburg", "orders@orderdesk-demo.example")
ORDER_INBOX = "orders@orderdesk-demo.example"

#: Country names written under foreign delivery addresses.
FOREIGN_COUNTRIES = {
    "RU": "Russia", "BY": "Belarus", "IR": "Iran", "KP": "North Korea", "SY": "Syria",
    "AE": "United Arab Emirates", "TR": "Turkey", "HK": "Hong Kong", "MM": "Myanmar",
    "AM": "Armenia", "LV": "Latvia", "VE": "Venezuela",
}  # fmt: skip
