"""Words of the unseen corpus (issue 14): labels, headers, units, framing and instructions.

Written for ``orders.corpus.unseen`` without looking at the reader, in thirteen
languages: the five of the main corpus and Swedish, Norwegian, Finnish, Italian,
Spanish, Portuguese, Polish and Czech. Nothing here is shared with
``orders.corpus.phrases``: the point of this corpus is wording the reader was not
built on.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

LANGS = ("en", "de", "fr", "da", "nl", "sv", "no", "fi", "it", "es", "pt", "pl", "cs")
#: New languages of issue 14, point 11.
NEW_LANGS = ("sv", "no", "it", "es", "pl", "pt", "fi", "cs")
#: Languages whose letters fpdf2's core fonts (latin-1) can print.
PDF_LANGS = ("en", "de", "fr", "da", "nl", "sv", "no", "fi", "it", "es", "pt")
#: The language a customer in each country writes natively.
COUNTRY_LANG = {
    "DE": "de",
    "AT": "de",
    "CH": "de",
    "FR": "fr",
    "BE": "nl",
    "NL": "nl",
    "DK": "da",
    "GB": "en",
    "US": "en",
    "SE": "sv",
}
#: Where a writer of each new language plausibly sits among the demo customers (a subsidiary,
#: a plant, a bilingual region); None: any customer.
LANG_COUNTRIES = {
    "sv": ("SE",),
    "fi": ("SE",),
    "no": ("DK", "SE"),
    "it": ("CH",),
    "es": None,
    "pt": None,
    "pl": ("DE", "AT"),
    "cs": ("DE", "AT"),
}

#: (thousands separator, decimal mark) per language.
SEPARATORS = {
    "en": (",", "."),
    "de": (".", ","),
    "fr": (" ", ","),
    "da": (".", ","),
    "nl": (".", ","),
    "sv": (" ", ","),
    "no": (" ", ","),
    "fi": (" ", ","),
    "it": (".", ","),
    "es": (".", ","),
    "pt": (".", ","),
    "pl": (" ", ","),
    "cs": (" ", ","),
}

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "no": "januar februar mars april mai juni juli august september oktober november desember",
    "fi": (
        "tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta "
        "syyskuuta lokakuuta marraskuuta joulukuuta"
    ),
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "pl": (
        "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia"
    ),
    "cs": "ledna února března dubna května června července srpna září října listopadu prosince",
}
#: Date spellings: numeric first, then with the month's name. {d} {dd} {m} {mm} {yyyy} {month}.
DATES = {
    "en": ("{yyyy}-{mm}-{dd}", "{d} {month} {yyyy}"),
    "en-GB": ("{dd}/{mm}/{yyyy}", "{d} {month} {yyyy}"),
    "en-US": ("{mm}/{dd}/{yyyy}", "{month} {d}, {yyyy}"),
    "de": ("{dd}.{mm}.{yyyy}", "{d}. {month} {yyyy}"),
    "fr": ("{dd}/{mm}/{yyyy}", "{d} {month} {yyyy}"),
    "da": ("{dd}-{mm}-{yyyy}", "{d}. {month} {yyyy}"),
    "nl": ("{dd}-{mm}-{yyyy}", "{d} {month} {yyyy}"),
    "sv": ("{yyyy}-{mm}-{dd}", "{d} {month} {yyyy}"),
    "no": ("{dd}.{mm}.{yyyy}", "{d}. {month} {yyyy}"),
    "fi": ("{d}.{m}.{yyyy}", "{d}. {month} {yyyy}"),
    "it": ("{dd}/{mm}/{yyyy}", "{d} {month} {yyyy}"),
    "es": ("{dd}/{mm}/{yyyy}", "{d} de {month} de {yyyy}"),
    "pt": ("{dd}/{mm}/{yyyy}", "{d} de {month} de {yyyy}"),
    "pl": ("{dd}.{mm}.{yyyy}", "{d} {month} {yyyy}"),
    "cs": ("{d}. {m}. {yyyy}", "{d}. {month} {yyyy}"),
}
#: A delivery week ({w} the ISO week, {ww} two digits, {yyyy} its year). Issue 14, point 10.
WEEKS = {
    "en": ("week {w}", "wk {ww}/{yyyy}", "CW {ww}-{yyyy}", "week {w} of {yyyy}"),
    "de": ("KW {ww}/{yyyy}", "KW {w}", "Kalenderwoche {w}/{yyyy}", "in der {w}. KW"),
    "fr": ("semaine {w}", "S{ww}/{yyyy}", "semaine {ww} de {yyyy}"),
    "da": ("uge {w}", "uge {ww}/{yyyy}"),
    "nl": ("week {w}", "wk {ww}-{yyyy}"),
    "sv": ("vecka {w}", "v. {w} {yyyy}", "v{ww}"),
    "no": ("uke {w}", "uke {ww}/{yyyy}"),
    "fi": ("viikko {w}", "vko {ww}/{yyyy}"),
    "it": ("settimana {w}", "sett. {ww}/{yyyy}"),
    "es": ("semana {w}", "semana {ww}/{yyyy}"),
    "pt": ("semana {w}", "semana {ww} de {yyyy}"),
    "pl": ("tydzień {w}", "tydz. {ww}/{yyyy}"),
    "cs": ("týden {w}", "{w}. týden {yyyy}"),
}


def number(value: Decimal | int, lang: str, *, grouping: bool = False) -> str:
    thousands, mark = SEPARATORS[lang]
    if isinstance(value, int):
        text = f"{value:,}" if grouping else str(value)
    else:
        places = max(2, -value.normalize().as_tuple().exponent)
        text = f"{value:,.{places}f}" if grouping else f"{value:.{places}f}"
    return text.translate(str.maketrans({",": thousands, ".": mark}))


def spell_date(day: date, lang: str, style: int, country: str = "") -> str:
    key = f"en-{country}" if lang == "en" and country in ("GB", "US") else lang
    pattern = DATES[key][style % 2]
    month = MONTHS[lang].split()[day.month - 1]
    if lang == "en" and country == "US" and style % 2:
        month = MONTHS["en"].split()[day.month - 1]
    return pattern.format(
        d=day.day, dd=f"{day.day:02d}", m=day.month, mm=f"{day.month:02d}", yyyy=day.year, month=month
    )


def spell_week(day: date, lang: str, variant: int) -> str:
    year, week, _ = day.isocalendar()
    pattern = WEEKS[lang][variant % len(WEEKS[lang])]
    return pattern.format(w=week, ww=f"{week:02d}", yyyy=year)


#: Unit words: (after a quantity, after "per"). Our codes: EA CS BX PK PAL RL M L KG PR BDL CAN DR BG.
UNITS = {
    "en": {
        "EA": ("pcs", "ea"),
        "CS": ("cases", "case"),
        "BX": ("boxes", "box"),
        "PK": ("packs", "pack"),
        "PAL": ("pallets", "pallet"),
        "RL": ("rolls", "roll"),
        "PR": ("pairs", "pair"),
        "BDL": ("bundles", "bundle"),
        "CAN": ("cans", "can"),
        "DR": ("drums", "drum"),
        "BG": ("bags", "bag"),
    },
    "de": {
        "EA": ("Stk.", "Stk."),
        "CS": ("Kartons", "Karton"),
        "BX": ("Schachteln", "Schachtel"),
        "PK": ("Pakete", "Paket"),
        "PAL": ("Paletten", "Palette"),
        "RL": ("Rollen", "Rolle"),
        "PR": ("Paar", "Paar"),
        "BDL": ("Bund", "Bund"),
        "CAN": ("Kanister", "Kanister"),
        "DR": ("Fässer", "Fass"),
        "BG": ("Säcke", "Sack"),
    },
    "fr": {
        "EA": ("pcs", "pce"),
        "CS": ("cartons", "carton"),
        "BX": ("boîtes", "boîte"),
        "PK": ("paquets", "paquet"),
        "PAL": ("palettes", "palette"),
        "RL": ("rouleaux", "rouleau"),
        "PR": ("paires", "paire"),
        "BDL": ("bottes", "botte"),
        "CAN": ("bidons", "bidon"),
        "DR": ("fûts", "fût"),
        "BG": ("sacs", "sac"),
    },
    "da": {
        "EA": ("stk.", "stk."),
        "CS": ("kasser", "kasse"),
        "BX": ("æsker", "æske"),
        "PK": ("pakker", "pakke"),
        "PAL": ("paller", "palle"),
        "RL": ("ruller", "rulle"),
        "PR": ("par", "par"),
        "BDL": ("bundter", "bundt"),
        "CAN": ("dunke", "dunk"),
        "DR": ("tønder", "tønde"),
        "BG": ("sække", "sæk"),
    },
    "nl": {
        "EA": ("st.", "st."),
        "CS": ("omdozen", "omdoos"),
        "BX": ("doosjes", "doosje"),
        "PK": ("pakken", "pak"),
        "PAL": ("pallets", "pallet"),
        "RL": ("rollen", "rol"),
        "PR": ("paar", "paar"),
        "BDL": ("bossen", "bos"),
        "CAN": ("jerrycans", "jerrycan"),
        "DR": ("vaten", "vat"),
        "BG": ("zakken", "zak"),
    },
    "sv": {
        "EA": ("st", "st"),
        "CS": ("kartonger", "kartong"),
        "BX": ("askar", "ask"),
        "PK": ("förp.", "förp."),
        "PAL": ("pallar", "pall"),
        "RL": ("rullar", "rulle"),
        "PR": ("par", "par"),
        "BDL": ("buntar", "bunt"),
        "CAN": ("dunkar", "dunk"),
        "DR": ("fat", "fat"),
        "BG": ("säckar", "säck"),
    },
    "no": {
        "EA": ("stk", "stk"),
        "CS": ("kartonger", "kartong"),
        "BX": ("esker", "eske"),
        "PK": ("pakker", "pakke"),
        "PAL": ("paller", "pall"),
        "RL": ("ruller", "rull"),
        "PR": ("par", "par"),
        "BDL": ("bunter", "bunt"),
        "CAN": ("kanner", "kanne"),
        "DR": ("fat", "fat"),
        "BG": ("sekker", "sekk"),
    },
    "fi": {
        "EA": ("kpl", "kpl"),
        "CS": ("ltk", "ltk"),
        "BX": ("rasiaa", "rasia"),
        "PK": ("pkt", "pkt"),
        "PAL": ("lavaa", "lava"),
        "RL": ("rullaa", "rulla"),
        "PR": ("paria", "pari"),
        "BDL": ("nippua", "nippu"),
        "CAN": ("kanisteria", "kanisteri"),
        "DR": ("tynnyriä", "tynnyri"),
        "BG": ("säkkiä", "säkki"),
    },
    "it": {
        "EA": ("pz.", "pz."),
        "CS": ("cartoni", "cartone"),
        "BX": ("scatole", "scatola"),
        "PK": ("confezioni", "confezione"),
        "PAL": ("bancali", "bancale"),
        "RL": ("rotoli", "rotolo"),
        "PR": ("paia", "paio"),
        "BDL": ("fasci", "fascio"),
        "CAN": ("taniche", "tanica"),
        "DR": ("fusti", "fusto"),
        "BG": ("sacchi", "sacco"),
    },
    "es": {
        "EA": ("uds.", "ud."),
        "CS": ("cajas", "caja"),
        "BX": ("estuches", "estuche"),
        "PK": ("paquetes", "paquete"),
        "PAL": ("palés", "palé"),
        "RL": ("rollos", "rollo"),
        "PR": ("pares", "par"),
        "BDL": ("haces", "haz"),
        "CAN": ("garrafas", "garrafa"),
        "DR": ("barriles", "barril"),
        "BG": ("sacos", "saco"),
    },
    "pt": {
        "EA": ("un.", "un."),
        "CS": ("caixas", "caixa"),
        "BX": ("estojos", "estojo"),
        "PK": ("pacotes", "pacote"),
        "PAL": ("paletes", "palete"),
        "RL": ("rolos", "rolo"),
        "PR": ("pares", "par"),
        "BDL": ("feixes", "feixe"),
        "CAN": ("latas", "lata"),
        "DR": ("tambores", "tambor"),
        "BG": ("sacos", "saco"),
    },
    "pl": {
        "EA": ("szt.", "szt."),
        "CS": ("kart.", "kart."),
        "BX": ("pud.", "pud."),
        "PK": ("op.", "op."),
        "PAL": ("pal.", "pal."),
        "RL": ("rol.", "rol."),
        "PR": ("par", "parę"),
        "BDL": ("wiązki", "wiązkę"),
        "CAN": ("kanistry", "kanister"),
        "DR": ("beczki", "beczkę"),
        "BG": ("worki", "worek"),
    },
    "cs": {
        "EA": ("ks", "ks"),
        "CS": ("kart.", "kart."),
        "BX": ("krab.", "krab."),
        "PK": ("bal.", "bal."),
        "PAL": ("pal.", "pal."),
        "RL": ("rol.", "rol."),
        "PR": ("pár", "pár"),
        "BDL": ("svazky", "svazek"),
        "CAN": ("kanystry", "kanystr"),
        "DR": ("sudy", "sud"),
        "BG": ("pytle", "pytel"),
    },
}
#: Units that are spelled alike everywhere.
METRIC = {"M": "m", "L": "l", "KG": "kg"}


def unit_words(code: str, lang: str) -> tuple[str, str]:
    if code in METRIC:
        return METRIC[code], METRIC[code]
    return UNITS[lang].get(code, (code, code))


#: Languages whose word after "per" is also the word after "1" ("1 box", "1 Karton").
SINGULAR_PER = ("en", "de", "fr", "da", "nl", "sv", "no", "fi", "it", "es", "pt")


def unit_text(code: str, lang: str, quantity: int, *, codes: bool = False) -> str:
    """The unit as written after the quantity: our code, or the language's word (singular after 1)."""
    if codes:
        return code
    plural, single = unit_words(code, lang)
    return single if quantity == 1 and lang in SINGULAR_PER else plural


#: "@ 3.10 EUR/ea", "á 83,30 DKK pr. kasse": a price with its currency and unit (issue 14, point 6).
PRICE_WITH_UNIT = {
    "en": ("@ {p} {c}/{u}", "at {c} {p} per {u}", "@ {c} {p} each"),
    "de": ("à {p} {c}/{u}", "zu je {p} {c} pro {u}", "à {c} {p}/{u}"),
    "fr": ("à {p} {c} / {u}", "au prix de {p} {c} l'unité", "PU {p} {c}/{u}"),
    "da": ("á {p} {c} pr. {u}", "à {p} {c}/{u}", "a' {p} {c} pr. {u}"),
    "nl": ("à {c} {p} per {u}", "á {p} {c}/{u}", "tegen {p} {c} p/{u}"),
    "sv": ("à {p} {c}/{u}", "à-pris {p} {c} per {u}", "á {p} {c}/{u}"),
    "no": ("á {p} {c} pr. {u}", "à {p} {c}/{u}"),
    "fi": ("à {p} {c}/{u}", "á-hinta {p} {c}/{u}"),
    "it": ("a {p} {c}/{u}", "prezzo {p} {c} cad.", "a {c} {p} al {u}"),
    "es": ("a {p} {c}/{u}", "precio {p} {c} por {u}"),
    "pt": ("a {p} {c}/{u}", "preço {p} {c} por {u}"),
    "pl": ("po {p} {c}/{u}", "cena {p} {c} za {u}"),
    "cs": ("à {p} {c}/{u}", "za {p} {c}/{u}"),
}

# --- printed forms ---------------------------------------------------------------------------

#: Form labels: title, po, date, delivery, ship_to, bill_to, vendor, customer, buyer, terms, total,
#: notes, phone.
LABEL_KEYS = (
    "title",
    "po",
    "date",
    "delivery",
    "ship_to",
    "bill_to",
    "vendor",
    "customer",
    "buyer",
    "terms",
    "total",
    "notes",
    "phone",
)
_LABELS = {
    "en": (
        "PURCHASE ORDER",
        "PO no.",
        "Order date",
        "Delivery date",
        "Ship to",
        "Bill to",
        "Vendor",
        "Account no.",
        "Buyer",
        "Payment terms",
        "Order total",
        "Notes",
        "Phone",
    ),
    "de": (
        "BESTELLUNG",
        "Bestell-Nr.",
        "Bestelldatum",
        "Liefertermin",
        "Lieferanschrift",
        "Rechnungsanschrift",
        "Lieferant",
        "Kunden-Nr.",
        "Einkäufer",
        "Zahlungsbedingungen",
        "Gesamtwert",
        "Hinweise",
        "Telefon",
    ),
    "fr": (
        "BON DE COMMANDE",
        "N° de commande",
        "Date",
        "Date de livraison souhaitée",
        "Adresse de livraison",
        "Adresse de facturation",
        "Fournisseur",
        "Code client",
        "Acheteur",
        "Règlement",
        "Total HT",
        "Remarques",
        "Tél.",
    ),
    "da": (
        "INDKØBSORDRE",
        "Ordrenr.",
        "Ordredato",
        "Leveringsdato",
        "Leveringsadresse",
        "Fakturaadresse",
        "Leverandør",
        "Kundenr.",
        "Indkøber",
        "Betalingsbetingelser",
        "Total",
        "Bemærkninger",
        "Tlf.",
    ),
    "nl": (
        "INKOOPORDER",
        "Ordernr.",
        "Orderdatum",
        "Leverdatum",
        "Afleveradres",
        "Factuuradres",
        "Leverancier",
        "Debiteurnr.",
        "Inkoper",
        "Betalingsconditie",
        "Totaal",
        "Opmerkingen",
        "Tel.",
    ),
    "sv": (
        "INKÖPSORDER",
        "Ordernr",
        "Orderdatum",
        "Leveransdatum",
        "Leveransadress",
        "Fakturaadress",
        "Leverantör",
        "Kundnr",
        "Beställare",
        "Betalningsvillkor",
        "Summa",
        "Anmärkning",
        "Tel",
    ),
    "no": (
        "INNKJØPSORDRE",
        "Ordrenr.",
        "Ordredato",
        "Leveringsdato",
        "Leveringsadresse",
        "Fakturaadresse",
        "Leverandør",
        "Kundenr.",
        "Innkjøper",
        "Betalingsbetingelser",
        "Totalt",
        "Merknader",
        "Tlf.",
    ),
    "fi": (
        "OSTOTILAUS",
        "Tilausnro",
        "Tilauspäivä",
        "Toimituspäivä",
        "Toimitusosoite",
        "Laskutusosoite",
        "Toimittaja",
        "Asiakasnro",
        "Ostaja",
        "Maksuehdot",
        "Yhteensä",
        "Huomautukset",
        "Puh.",
    ),
    "it": (
        "ORDINE D'ACQUISTO",
        "N. ordine",
        "Data ordine",
        "Data consegna",
        "Destinazione merce",
        "Intestatario fattura",
        "Fornitore",
        "Cod. cliente",
        "Referente",
        "Pagamento",
        "Totale",
        "Note",
        "Tel.",
    ),
    "es": (
        "PEDIDO DE COMPRA",
        "N.º pedido",
        "Fecha pedido",
        "Fecha de entrega",
        "Dirección de entrega",
        "Facturar a",
        "Proveedor",
        "N.º cliente",
        "Comprador",
        "Forma de pago",
        "Total",
        "Observaciones",
        "Tel.",
    ),
    "pt": (
        "NOTA DE ENCOMENDA",
        "N.º encomenda",
        "Data",
        "Data de entrega",
        "Local de entrega",
        "Faturar a",
        "Fornecedor",
        "N.º cliente",
        "Comprador",
        "Condições de pagamento",
        "Total",
        "Observações",
        "Tel.",
    ),
}
LABELS = {lang: dict(zip(LABEL_KEYS, words, strict=True)) for lang, words in _LABELS.items()}

#: Table headers: line, item, description, quantity, unit, price, amount.
HEADS = {
    "en": ("Line", "Part no.", "Description", "Qty", "UoM", "Unit price", "Amount"),
    "de": ("Pos.", "Artikel-Nr.", "Bezeichnung", "Menge", "ME", "Preis", "Betrag"),
    "fr": ("Ligne", "Code article", "Libellé", "Quantité", "UV", "PU HT", "Total HT"),
    "da": ("Linje", "Varenr.", "Tekst", "Antal", "Enhed", "Enhedspris", "Beløb"),
    "nl": ("Regel", "Artikelcode", "Omschrijving", "Aantal", "Eenh.", "Eenheidsprijs", "Bedrag"),
    "sv": ("Rad", "Art.nr", "Benämning", "Antal", "Enh", "À-pris", "Belopp"),
    "no": ("Linje", "Varenr.", "Beskrivelse", "Antall", "Enh.", "Enhetspris", "Beløp"),
    "fi": ("Rivi", "Tuotenro", "Nimike", "Määrä", "Yks.", "Yks.hinta", "Summa"),
    "it": ("Riga", "Codice", "Descrizione", "Q.tà", "U.M.", "Prezzo unit.", "Importo"),
    "es": ("Lín.", "Referencia", "Descripción", "Cant.", "Ud.", "Precio", "Importe"),
    "pt": ("Linha", "Referência", "Descrição", "Qtd.", "Un.", "Preço unit.", "Valor"),
}
#: Header words outside any everyday vocabulary (issue 14, point 5): ERP prints and old forms.
ODD_HEADS = {
    "en": (
        ("No.", "Stock code", "Goods", "No. off", "Pack", "Cost each", "Ext. value"),
        ("Seq", "Cat. ref.", "Particulars", "Ordered", "Per", "Rate", "Net"),
        ("Itm", "Material", "Short text", "PO quantity", "OUn", "Net price", "Net value"),
    ),
    "de": (
        ("Lfd.", "Material", "Kurztext", "Bestellmenge", "BME", "Nettopreis", "Nettowert"),
        ("Zeile", "Teilenummer", "Text", "Anzahl", "Gebinde", "EP", "GP"),
    ),
    "fr": (("N°", "Réf. fourn.", "Article", "Qté cdée", "Cond.", "P.U.", "Montant"),),
    "da": (("Nr", "Vare", "Tekst", "Bestilt", "Enh", "á-pris", "I alt"),),
    "nl": (("Nr", "Bestelcode", "Artikel", "Besteld", "Verp.", "Prijs p/e", "Regeltotaal"),),
    "sv": (("Nr", "Artikel", "Text", "Best. antal", "Förp.", "Pris/enh", "Radsumma"),),
    "it": (("Pos", "Articolo", "Des. articolo", "Quant.", "Um", "Prezzo", "Valore"),),
}
#: Payment terms as printed in a header field (not an instruction).
PAYMENT_TERMS = {
    "en": ("Net 30", "30 days net", "2% 10, net 45"),
    "de": ("30 Tage netto", "14 Tage 2 % Skonto, 30 Tage netto"),
    "fr": ("30 jours fin de mois", "45 jours net"),
    "da": ("Netto 30 dage", "Løbende måned + 30 dage"),
    "nl": ("30 dagen netto",),
    "sv": ("30 dagar netto",),
    "no": ("30 dager netto",),
    "fi": ("14 pv -2 %, 30 pv netto",),
    "it": ("Bonifico 60 gg d.f.f.m.",),
    "es": ("Transferencia 60 días",),
    "pt": ("30 dias",),
}
#: Printed terms and conditions (a page of its own): title and clauses. Issue 14, point 1.
TERMS_PAGES = {
    "en": (
        "General Terms and Conditions of Purchase",
        (
            "Scope. These terms apply to every order we place. Deviating terms of the supplier do not apply "
            "even if we do not expressly object to them.",
            "Orders and acknowledgements. The supplier shall acknowledge each order in writing within three "
            "working days. Orders not acknowledged within that time may be cancelled by us.",
            "Delivery. Delivery dates stated in the order are binding. The supplier shall notify us "
            "at once of "
            "any foreseeable delay, stating the reasons and the expected duration.",
            "Partial deliveries are accepted only with our prior written consent.",
            "Every delivery must be accompanied by a delivery note stating our order number, the "
            "item numbers "
            "and the quantities delivered.",
            "Packaging. Goods shall be packed so as to avoid damage in transit. Packaging material "
            "is taken back "
            "by the supplier at his expense.",
            "Prices are fixed prices and include packaging and carriage to the delivery address, "
            "unless agreed "
            "otherwise.",
            "Invoices must show our order number and be sent to the invoice address. Payment is made "
            "within 30 "
            "days net or within 14 days less 2 % discount.",
            "Warranty. The statutory warranty rights apply in full. The warranty period is 24 months from "
            "delivery.",
            "Confidentiality. Drawings and specifications remain our property and may not be disclosed to "
            "third parties.",
            "Place of performance is the delivery address stated in the order. Place of jurisdiction is the "
            "seat of our company. The law of the country of our seat applies.",
        ),
    ),
    "de": (
        "Allgemeine Einkaufsbedingungen",
        (
            "Geltungsbereich. Für alle unsere Bestellungen gelten ausschließlich diese Einkaufsbedingungen; "
            "entgegenstehende Bedingungen des Lieferanten erkennen wir nicht an.",
            "Auftragsbestätigung. Der Lieferant hat jede Bestellung innerhalb von drei Werktagen "
            "schriftlich zu "
            "bestätigen.",
            "Liefertermine. Die in der Bestellung angegebenen Termine sind verbindlich. Erkennbare "
            "Verzögerungen "
            "sind uns unverzüglich unter Angabe der Gründe mitzuteilen.",
            "Teillieferungen sind nur nach vorheriger schriftlicher Zustimmung zulässig.",
            "Jeder Lieferung ist ein Lieferschein mit unserer Bestellnummer, den Artikelnummern und den "
            "gelieferten Mengen beizufügen.",
            "Verpackung. Die Ware ist transportsicher zu verpacken. Verpackungsmaterial nimmt der "
            "Lieferant auf "
            "seine Kosten zurück.",
            "Preise sind Festpreise frei Verwendungsstelle einschließlich Verpackung, sofern nichts anderes "
            "vereinbart ist.",
            "Rechnungen sind unter Angabe der Bestellnummer an die Rechnungsanschrift zu senden. Zahlung "
            "innerhalb von 14 Tagen mit 3 % Skonto oder 30 Tagen netto.",
            "Gewährleistung. Es gelten die gesetzlichen Bestimmungen; die Gewährleistungsfrist beträgt 24 "
            "Monate ab Lieferung.",
            "Erfüllungsort ist die in der Bestellung genannte Lieferanschrift, Gerichtsstand ist der Sitz "
            "unserer Gesellschaft. Es gilt deutsches Recht unter Ausschluss des UN-Kaufrechts.",
        ),
    ),
    "sv": (
        "Allmänna inköpsvillkor",
        (
            "Tillämpning. Dessa villkor gäller för samtliga våra beställningar. Leverantörens "
            "avvikande villkor "
            "gäller inte.",
            "Orderbekräftelse ska skickas inom tre arbetsdagar från orderdatum.",
            "Leveranstid. Angiven leveranstid är bindande. Förseningar ska meddelas oss omgående.",
            "Delleveranser accepteras endast efter skriftligt godkännande.",
            "Följesedel med vårt ordernummer ska medfölja varje leverans.",
            "Betalning sker 30 dagar netto efter godkänd faktura. Faktura ska märkas med vårt ordernummer.",
            "Garanti. Leverantören svarar för fel i varan under 24 månader från leverans.",
            "Tvist avgörs enligt svensk lag vid allmän domstol på vår hemort.",
        ),
    ),
    "fr": (
        "Conditions générales d'achat",
        (
            "Champ d'application. Les présentes conditions s'appliquent à toutes nos commandes, à "
            "l'exclusion "
            "des conditions générales de vente du fournisseur.",
            "Le fournisseur accuse réception de chaque commande par écrit sous trois jours ouvrés.",
            "Les délais de livraison indiqués sur la commande sont impératifs. Tout retard "
            "prévisible doit nous "
            "être signalé sans délai.",
            "Les livraisons partielles ne sont acceptées qu'avec notre accord écrit préalable.",
            "Chaque livraison est accompagnée d'un bon de livraison rappelant notre numéro de commande.",
            "Les prix s'entendent fermes, emballage et transport compris jusqu'au lieu de livraison.",
            "Paiement à 45 jours fin de mois par virement, sur facture mentionnant notre numéro de commande.",
            "Tout litige relève de la compétence exclusive du tribunal de commerce de notre siège social.",
        ),
    ),
}
#: Company register lines of letterheads and signatures, by country ({city} of the buyer).
REGISTER_LINES = {
    "DE": (
        "Sitz der Gesellschaft: {city} · Registergericht: Amtsgericht {city} HRB 72318 · "
        "Geschäftsführer: Dr. Karl Brandt, Ute Sommer · USt-IdNr.: DE281553907",
    ),
    "AT": ("Firmenbuch FN 224317k, Landesgericht {city} · UID ATU58122749 · DVR 0815273",),
    "CH": ("Handelsregister des Kantons: CHE-105.883.213 · MWST-Nr. CHE-105.883.213 MWST · Sitz: {city}",),
    "GB": (
        "Registered in England and Wales No. 04417263. Registered office as above. VAT reg. GB 318 4471 22",
    ),
    "US": ("An equal opportunity employer · Federal Tax ID 38-4417263",),
    "FR": (
        "SAS au capital de 250 000 EUR - RCS {city} B 412 887 560 - SIRET 412 887 560 00027 - "
        "TVA FR27412887560",
    ),
    "BE": ("BTW BE 0441.237.980 · RPR {city} · IBAN BE68 5390 0754 7034",),
    "NL": ("KvK 24457812 · BTW NL812345678B01 · IBAN NL91 ABNA 0417 1643 00",),
    "DK": ("CVR-nr. 28417763 · Bank: Danske Bank reg. 3001 konto 4417263",),
    "SE": ("Org.nr 556712-3390 · Styrelsens säte: {city} · Momsreg.nr SE556712339001",),
}

# --- e-mail ---------------------------------------------------------------------------------

#: Greetings; {rep}: first name of our sales rep.
GREETINGS = {
    "en": ("Hi {rep},", "Good morning,", "Hello team,", "Dear Sir or Madam,", "Hi all,"),
    "de": ("Hallo {rep},", "Guten Morgen,", "Sehr geehrtes Team,", "Moin zusammen,"),
    "fr": ("Bonjour {rep},", "Madame, Monsieur,", "Bonjour à tous,"),
    "da": ("Hej {rep}", "Goddag,", "Hej med jer,"),
    "nl": ("Hoi {rep},", "Goedemorgen,", "Beste collega's,"),
    "sv": ("Hej {rep}!", "Hej,", "God morgon,"),
    "no": ("Hei {rep},", "Hei,", "God morgen,"),
    "fi": ("Hei {rep},", "Hyvää päivää,", "Moi,"),
    "it": ("Buongiorno {rep},", "Gentili signori,", "Salve,"),
    "es": ("Hola {rep}:", "Buenos días:", "Estimados señores:"),
    "pt": ("Olá {rep},", "Bom dia,", "Caros senhores,"),
    "pl": ("Dzień dobry,", "Witam,", "Szanowni Państwo,"),
    "cs": ("Dobrý den,", "Dobrý den všem,", "Vážení,"),
}
#: The sentence that frames an order in the body ({po}: our order number). Not an instruction.
FRAMING = {
    "en": (
        "Please supply the following against our PO {po}:",
        "We hereby order the following (our order no. {po}):",
        "Please accept our order {po} for:",
        "Kindly process the order below - our reference is {po}.",
        "Could you book the items below under PO {po}, thank you:",
        "Order {po} as discussed on the phone earlier:",
    ),
    "de": (
        "hiermit bestellen wir zu unseren bekannten Konditionen (Bestell-Nr. {po}):",
        "wir bitten um Lieferung folgender Positionen unter unserer Bestellnummer {po}:",
        "anbei die Positionen zu unserer Bestellung {po}:",
        "bitte nehmen Sie folgenden Auftrag auf, unser Zeichen {po}:",
    ),
    "fr": (
        "merci de bien vouloir nous livrer les articles suivants (notre commande n° {po}) :",
        "nous vous passons commande de ce qui suit, référence {po} :",
        "voici notre commande {po} :",
    ),
    "da": (
        "hermed bestilles følgende på vores ordre {po}:",
        "vi vil gerne bestille nedenstående, vores ordrenr. {po}:",
    ),
    "nl": (
        "hierbij bestellen wij onderstaande artikelen onder ons ordernummer {po}:",
        "graag willen wij het volgende bestellen (onze referentie {po}):",
    ),
    "sv": (
        "vi beställer härmed enligt nedan, vårt ordernummer {po}:",
        "här kommer en ny beställning ({po}):",
        "vänligen leverera följande mot vår order {po}:",
    ),
    "no": ("vi ønsker å bestille følgende på ordre {po}:", "vennligst lever følgende (vår ordre {po}):"),
    "fi": ("tilaamme seuraavat tuotteet, tilausnumeromme {po}:", "ohessa tilauksemme {po}:"),
    "it": (
        "con la presente vi ordiniamo quanto segue (ns. ordine n. {po}):",
        "vi trasmettiamo il nostro ordine {po}:",
    ),
    "es": (
        "les rogamos nos suministren lo siguiente según nuestro pedido {po}:",
        "les enviamos a continuación nuestro pedido n.º {po}:",
    ),
    "pt": (
        "segue a nossa encomenda n.º {po}:",
        "solicitamos o fornecimento dos seguintes artigos (n/ encomenda {po}):",
    ),
    "pl": ("zamawiamy następujące pozycje, nasze zamówienie nr {po}:", "poniżej przesyłamy zamówienie {po}:"),
    "cs": ("objednáváme u Vás následující položky (naše objednávka č. {po}):", "zasíláme objednávku {po}:"),
}
#: The body of a mail whose order is the attached PDF. Not an instruction.
ATTACHED = {
    "en": (
        "PO attached, please confirm.",
        "Please find our purchase order {po} attached.",
        "Attached is PO {po}. Terms: Net 30. Please send acknowledgement within 48 hours.",
        "New order attached ({po}) - please acknowledge receipt.",
    ),
    "de": (
        "Anbei unsere Bestellung {po} mit der Bitte um kurze Auftragsbestätigung.",
        "im Anhang finden Sie die Bestellung {po}. Bitte bestätigen.",
    ),
    "fr": (
        "Veuillez trouver ci-joint notre bon de commande.",
        "ci-joint notre commande {po}, merci de nous envoyer l'accusé de réception.",
    ),
    "da": ("Vedhæftet vores indkøbsordre {po}. Send venligst ordrebekræftelse.",),
    "nl": ("In de bijlage onze inkooporder {po}. Graag een orderbevestiging retour.",),
    "sv": ("Bifogar vår order {po}, vänligen bekräfta.",),
    "no": ("Vedlagt følger vår bestilling {po}. Vennligst send ordrebekreftelse.",),
    "fi": ("Liitteenä tilauksemme {po}, pyydämme tilausvahvistusta.",),
    "it": ("In allegato il nostro ordine {po}, gradita conferma.",),
    "es": ("Adjuntamos nuestro pedido {po}. Rogamos confirmación.",),
    "pt": ("Em anexo enviamos a nossa encomenda {po}. Agradecemos confirmação.",),
}
#: Courtesy after the lines. Not an instruction.
COURTESY = {
    "en": (
        "Please acknowledge receipt of this order by return.",
        "Any questions, just give me a shout.",
        "Thanks as always for the quick turnaround!",
        "Please quote our PO number on all delivery notes and invoices.",
        "Let me know if anything is unclear.",
    ),
    "de": (
        "Bitte bestätigen Sie uns den Eingang dieser Bestellung.",
        "Bei Rückfragen stehe ich Ihnen gerne zur Verfügung.",
        "Vielen Dank vorab!",
    ),
    "fr": (
        "Merci de nous retourner l'accusé de réception de commande.",
        "Nous restons à votre disposition pour tout renseignement complémentaire.",
    ),
    "da": ("Send venligst en ordrebekræftelse.", "På forhånd tak!"),
    "nl": ("Graag een orderbevestiging retour.", "Alvast bedankt!"),
    "sv": ("Tack på förhand!", "Skicka gärna en orderbekräftelse."),
    "no": ("Takk for hjelpen!", "Vennligst bekreft mottak."),
    "fi": ("Kiitos jo etukäteen!", "Pyydämme tilausvahvistusta."),
    "it": ("Restiamo in attesa di vostra conferma d'ordine.", "Grazie e buon lavoro."),
    "es": ("Quedamos a la espera de su confirmación.", "Gracias de antemano."),
    "pt": ("Aguardamos a vossa confirmação.", "Obrigado desde já."),
    "pl": ("Prosimy o potwierdzenie przyjęcia zamówienia.", "Z góry dziękujemy."),
    "cs": ("Prosíme o potvrzení objednávky.", "Předem děkujeme."),
}
#: The requested delivery date or week ({when}).
DELIVERY = {
    "en": ("Delivery date: {when}", "Required by {when}.", "Please deliver on {when}."),
    "de": ("Liefertermin: {when}", "Wunschtermin: {when}", "Anlieferung bitte am {when}."),
    "fr": ("Date de livraison souhaitée : {when}", "Livraison le {when}."),
    "da": ("Leveringsdato: {when}", "Ønsket levering: {when}"),
    "nl": ("Gewenste leverdatum: {when}", "Levering op {when}."),
    "sv": ("Önskat leveransdatum: {when}", "Leverans: {when}"),
    "no": ("Ønsket levering: {when}", "Leveringsdato: {when}"),
    "fi": ("Toivottu toimituspäivä: {when}", "Toimitus: {when}"),
    "it": ("Data di consegna richiesta: {when}", "Consegna: {when}"),
    "es": ("Fecha de entrega: {when}", "Entrega: {when}"),
    "pt": ("Data de entrega pretendida: {when}", "Entrega: {when}"),
    "pl": ("Termin dostawy: {when}", "Dostawa: {when}"),
    "cs": ("Požadovaný termín dodání: {when}", "Dodání: {when}"),
}
#: The same for a week ({when} as WEEKS spells it).
DELIVERY_WEEK = {
    "en": ("Delivery in {when}, please.", "Delivery: {when}", "Required: {when}"),
    "de": ("Liefertermin: {when}", "Lieferung bitte in {when}.", "Wunschtermin {when}"),
    "fr": ("Livraison en {when}.", "Délai : {when}"),
    "da": ("Levering i {when}.", "Leveringstid: {when}"),
    "nl": ("Levering in {when}.", "Leverweek: {when}"),
    "sv": ("Leverans {when}.", "Önskad leveransvecka: {when}"),
    "no": ("Levering i {when}.", "Leveringsuke: {when}"),
    "fi": ("Toimitus {when}.", "Toimitusaika: {when}"),
    "it": ("Consegna nella {when}.", "Consegna: {when}"),
    "es": ("Entrega en la {when}.", "Plazo de entrega: {when}"),
    "pt": ("Entrega na {when}.", "Prazo de entrega: {when}"),
    "pl": ("Dostawa w {when}.", "Termin: {when}"),
    "cs": ("Dodání v {when}.", "Termín: {when}"),
}
#: The line before the delivery address.
SHIP_INTRO = {
    "en": ("Deliver to:", "Ship to:", "Delivery address:"),
    "de": ("Lieferadresse:", "Anlieferung an:"),
    "fr": ("Adresse de livraison :", "À livrer à :"),
    "da": ("Leveringsadresse:", "Leveres til:"),
    "nl": ("Afleveradres:", "Leveren op:"),
    "sv": ("Leveransadress:", "Godset levereras till:"),
    "no": ("Leveres til:", "Leveringsadresse:"),
    "fi": ("Toimitusosoite:",),
    "it": ("Luogo di consegna:", "Indirizzo di consegna:"),
    "es": ("Dirección de entrega:", "Lugar de entrega:"),
    "pt": ("Morada de entrega:", "Local de entrega:"),
    "pl": ("Adres dostawy:", "Miejsce dostawy:"),
    "cs": ("Místo dodání:", "Dodací adresa:"),
}
#: Reference lines: our order number, the customer number we gave them.
PO_LINE = {
    "en": ("Our PO: {po}", "PO# {po}", "Order ref: {po}"),
    "de": ("Bestellnummer: {po}", "Unser Zeichen: {po}"),
    "fr": ("Notre référence : {po}",),
    "da": ("Vores ordrenr.: {po}",),
    "nl": ("Onze referentie: {po}",),
    "sv": ("Ordernr: {po}", "Vår referens: {po}"),
    "no": ("Vår ordre: {po}",),
    "fi": ("Tilausnumero: {po}",),
    "it": ("Rif. ordine: {po}",),
    "es": ("Pedido n.º: {po}",),
    "pt": ("Encomenda n.º: {po}",),
    "pl": ("Nr zamówienia: {po}",),
    "cs": ("Číslo objednávky: {po}",),
}
CUSTOMER_LINE = {
    "en": ("Account no. {n}", "Cust. ID: {n}"),
    "de": ("Kd.-Nr. {n}", "Unsere Kundennummer bei Ihnen: {n}"),
    "fr": ("Code client : {n}",),
    "da": ("Kundenr. {n}",),
    "nl": ("Debiteurnummer: {n}",),
    "sv": ("Kundnr: {n}",),
    "no": ("Kundenr.: {n}",),
    "fi": ("Asiakasnumero: {n}",),
    "it": ("Codice cliente: {n}",),
    "es": ("N.º de cliente: {n}",),
    "pt": ("N.º de cliente: {n}",),
    "pl": ("Nr klienta: {n}",),
    "cs": ("Zákaznické číslo: {n}",),
}
#: "Item / quantity" words for body line styles: (item, quantity).
LINE_WORDS = {
    "en": ("Part", "qty"),
    "de": ("Art.-Nr.", "Menge"),
    "fr": ("Réf.", "qté"),
    "da": ("Varenr.", "antal"),
    "nl": ("Art.", "aantal"),
    "sv": ("Art.nr", "antal"),
    "no": ("Varenr.", "antall"),
    "fi": ("Tuote", "määrä"),
    "it": ("Cod.", "q.tà"),
    "es": ("Ref.", "cant."),
    "pt": ("Ref.", "qtd."),
    "pl": ("Indeks", "ilość"),
    "cs": ("Kód", "množství"),
}
CLOSINGS = {
    "en": ("Kind regards,", "Best,", "Thanks,", "Cheers,"),
    "de": ("Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße aus {city}"),
    "fr": ("Cordialement,", "Bien à vous,"),
    "da": ("Med venlig hilsen", "Venlig hilsen"),
    "nl": ("Met vriendelijke groet,", "Groet,"),
    "sv": ("Med vänliga hälsningar", "Mvh"),
    "no": ("Med vennlig hilsen", "Mvh"),
    "fi": ("Ystävällisin terveisin", "Terveisin"),
    "it": ("Cordiali saluti", "Distinti saluti"),
    "es": ("Saludos cordiales,", "Atentamente,"),
    "pt": ("Com os melhores cumprimentos,", "Atenciosamente,"),
    "pl": ("Pozdrawiam", "Z poważaniem"),
    "cs": ("S pozdravem", "Děkuji a zdravím"),
}
TITLES = {
    "en": ("Purchasing", "Procurement Specialist", "Buyer"),
    "de": ("Einkauf", "Disposition"),
    "fr": ("Service achats", "Approvisionneur"),
    "da": ("Indkøb", "Indkøber"),
    "nl": ("Inkoop", "Inkoper"),
    "sv": ("Inköp", "Inköpare"),
    "no": ("Innkjøp", "Innkjøper"),
    "fi": ("Hankinta", "Ostaja"),
    "it": ("Ufficio acquisti", "Buyer"),
    "es": ("Departamento de compras", "Compras"),
    "pt": ("Departamento de compras", "Compras"),
    "pl": ("Dział zakupów", "Specjalista ds. zakupów"),
    "cs": ("Oddělení nákupu", "Referent nákupu"),
}
SUBJECTS = {
    "en": ("PO {po}", "Purchase order {po}", "New order - {po}", "Order {po} / {company}"),
    "de": ("Bestellung {po}", "Neue Bestellung {po}", "Bestellung Nr. {po} - {company}"),
    "fr": ("Commande {po}", "Bon de commande n° {po}"),
    "da": ("Ordre {po}", "Indkøbsordre {po}"),
    "nl": ("Bestelling {po}", "Inkooporder {po}"),
    "sv": ("Beställning {po}", "Order {po}"),
    "no": ("Bestilling {po}", "Ordre {po}"),
    "fi": ("Tilaus {po}",),
    "it": ("Ordine {po}", "Ns. ordine n. {po}"),
    "es": ("Pedido {po}", "Pedido n.º {po}"),
    "pt": ("Encomenda {po}",),
    "pl": ("Zamówienie {po}",),
    "cs": ("Objednávka {po}",),
}
#: Banners a mail system puts into the body (issue 14, point 1): top or bottom. {email}: the sender.
BANNERS_TOP = {
    "en": (
        "CAUTION: This email originated from outside of the organization. Do not click links or open "
        "attachments unless you recognize the sender and know the content is safe.",
        "[EXTERNAL] This message comes from an external sender. Be careful with links and attachments.",
        "You don't often get email from {email}. Learn why this is important",
        "*** EXTERNAL SENDER *** Think before you click.",
    ),
    "de": (
        "ACHTUNG: Diese E-Mail stammt von einem externen Absender. Öffnen Sie Links und Anhänge nur, "
        "wenn Sie den Absender kennen.",
    ),
}
#: Footers the sender's own mail system adds, by language (English ones anywhere).
BANNERS_BOTTOM = {
    "en": (
        "This email has been scanned for spam and viruses by Proofpoint Essentials. Click here to "
        "report this email as spam.",
        "Sent from my iPhone",
        "This e-mail and any attachments are confidential and intended solely for the addressee. If you "
        "have received it in error, please notify the sender and delete it. Any views expressed are those "
        "of the author.",
        "Please consider the environment before printing this e-mail.",
    ),
    "de": (
        "Diese Nachricht wurde auf Viren und Spam geprüft.",
        "Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Adressat sind, "
        "informieren Sie bitte sofort den Absender und vernichten Sie diese E-Mail.",
    ),
    "sv": (
        "Denna e-post kan innehålla konfidentiell information. Om du inte är rätt mottagare, vänligen "
        "meddela avsändaren och radera meddelandet.",
    ),
    "fr": (
        "Ce message et ses pièces jointes sont confidentiels. Si vous l'avez reçu par erreur, merci "
        "d'en avertir l'expéditeur et de le détruire.",
    ),
    "it": (
        "Questo messaggio è destinato esclusivamente al destinatario indicato. Se lo avete ricevuto "
        "per errore, vi preghiamo di cancellarlo e di avvisare il mittente.",
    ),
    "nl": (
        "Dit bericht is uitsluitend bestemd voor de geadresseerde. Ontvangt u dit bericht ten "
        "onrechte, verwijder het dan en laat het de afzender weten.",
    ),
}


def banner_top(rng, email: str) -> str:
    return rng.choice(BANNERS_TOP["en"] + BANNERS_TOP["de"]).format(email=email)


def banner_bottom(rng, lang: str) -> str:
    return rng.choice(BANNERS_BOTTOM["en"] + BANNERS_BOTTOM.get(lang, ()))


#: Genuine instructions in wording of our own (issue 14, design point 1): each asks for something
#: that changes what is executed or promised. {name}: the sender, {city}: one of the buyer's cities.
INSTRUCTIONS = {
    "en": (
        "Our dock only takes trucks before 11 am on Tuesdays this month, so please plan the delivery "
        "for a Tuesday morning.",
        "If the cases are short, send loose pieces instead and we will repack them here.",
        "Each pallet needs our PO number and the line number on a label on two sides, otherwise "
        "goods-in will refuse it.",
        "Bill this one to our {city} office please, but the goods still come here.",
    ),
    "de": (
        "Die Rollen bitte auf Einwegpaletten, maximal 1,20 m hoch packen - unsere Regalfächer sind "
        "nicht höher.",
        "Falls nicht alles lieferbar ist, bitte nichts vorab schicken, sondern komplett in einer Sendung.",
    ),
    "fr": (
        "Le prix doit rester celui de votre offre du mois dernier, sinon ne livrez pas.",
        "Prévoir un camion avec hayon, nous n'avons pas de quai sur ce site.",
    ),
    "da": ("Varerne må først komme efter den 20., før har vi ikke plads på lageret.",),
    "nl": ("Graag per partij een 3.1-certificaat volgens EN 10204 meesturen.",),
    "sv": (
        "Ring {name} en timme innan ni kommer, annars står grinden stängd.",
        "Skicka bara det som finns i lager nu, resten stryker vi.",
    ),
    "no": (
        "Dersom dere ikke kan levere innen datoen, vil vi heller ha en tilsvarende vare fra en annen "
        "produsent.",
    ),
    "fi": ("Toimitus vain arkisin klo 7-14, portilla soitettava numeroon 040 123 4567.",),
    "it": ("Vi preghiamo di consegnare presso il nostro magazzino di {city} anziché in sede.",),
    "es": ("Enviad solo lo que tengáis en stock ahora; el resto lo anulamos.",),
    "pt": ("A mercadoria deve vir com o nosso código de artigo em cada caixa.",),
    "pl": ("Prosimy o dostawę dopiero po 15-tym, wcześniej nie mamy miejsca w magazynie.",),
    "cs": ("Pokud nemáte celé množství skladem, zavolejte mi prosím před odesláním.",),
}

#: Body-table headers of the two languages no PDF here prints (Polish, Czech).
HEADS_MAIL = {
    "pl": ("Lp.", "Indeks", "Nazwa", "Ilość", "J.m.", "Cena", "Wartość"),
    "cs": ("Poř.", "Kód", "Název", "Množství", "MJ", "Cena", "Celkem"),
}
