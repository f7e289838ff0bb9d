"""Coherent, deterministic demo master data as CONTRACT §1 CSV files.

Pure Python (no Django, no database): ``manage.py demo_data`` writes these
files and loads them through the same import path as ``import_masterdata``.
The same seed and anchor date give byte-identical files, so re-loading them
is a no-op. Every name, domain and address is made up; domains use the
reserved ``.example`` TLD.
"""

from __future__ import annotations

import csv
import itertools
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from random import Random

COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": (
        "customer_number", "name", "email_domains", "aliases", "customer_group", "country",
        "currency", "status",
    ),
    "contacts": ("email", "customer_number", "name"),
    "sales_reps": ("email", "name"),
    "shiptos": (
        "customer_number", "shipto_code", "name", "street", "city", "postal_code", "country",
        "is_default",
    ),
    "products": (
        "sku", "description", "product_family", "base_uom", "uoms", "status", "configurable",
        "restricted_countries", "min_order_qty", "lead_time_days", "gtin",
    ),
    "customer_parts": ("customer_number", "customer_part_number", "sku"),
    "prices": ("customer_number", "sku", "unit_price", "currency", "valid_from", "valid_to"),
    "inventory": ("sku", "warehouse", "on_hand", "next_receipt_date", "next_receipt_qty"),
    "credit": ("customer_number", "credit_limit", "open_exposure", "on_hold"),
    "order_history": (
        "customer_number", "po_number", "order_date", "sku", "quantity", "shipto_code",
        "unit_price",
    ),
    "denied_parties": ("name", "street", "city", "country"),
}  # fmt: skip

Row = dict[str, object]

PRODUCTS_PER_FAMILY = 25
WAREHOUSES = ("WH-NORTH", "WH-SOUTH")
OUR_DOMAIN = "orderdesk-demo.example"
# Units a customer does not order in day to day: the pack is the smallest other unit.
BULK_UNITS = frozenset({"PAL", "DR"})
# Rough rates against EUR; only the order of magnitude of demo prices matters.
FX = {"EUR": "1", "DKK": "7.46", "GBP": "0.86", "USD": "1.09", "CHF": "0.94", "SEK": "11.4"}
GROUP_DISCOUNT = {"key_account": (18, 28), "distributor": (25, 35), "smb": (4, 12)}
GROUP_PACKS = {"key_account": (2, 12), "distributor": (4, 20), "smb": (1, 6)}
# Letters used in UK and Dutch postal codes (never ambiguous ones like I or O).
POSTAL_LETTERS = "ABDEFGHJLNPRSTUWXZ"


# --- Reference data -------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    currency: str
    cities: tuple[tuple[str, str], ...]  # (city, postal patterns "|"-separated; # digit, @ letter)
    streets: tuple[str, ...]
    sites: tuple[str, ...]  # how a second site is called locally
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    number_first: bool = False  # "12 Mill Lane" rather than "Hafenstraße 12"


@dataclass(frozen=True)
class CustomerSeed:
    name: str
    country: str
    group: str
    slug: str
    families: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    extra_domain: str = ""
    status: str = "active"
    on_hold: bool = False
    near_limit: bool = False


@dataclass(frozen=True)
class Template:
    text: str
    options: dict[str, tuple[str, ...]]
    base_uom: str
    uoms: str = ""
    price: tuple[float, float] = (1.0, 10.0)  # list price range per base unit, EUR
    restricted: str = ""
    configurable: bool = False


@dataclass(frozen=True)
class DeniedSeed:
    name: str
    country: str
    city: str = ""
    street: str = ""


_GERMAN_FIRST = ("Anna", "Jonas", "Katrin", "Lukas", "Miriam", "Stefan", "Tobias", "Sabine")
_GERMAN_LAST = ("Becker", "Hoffmann", "Krüger", "Schäfer", "Neumann", "Brandt", "Lorenz", "Vogel")

REGIONS: dict[str, Region] = {
    "DE": Region(
        "EUR",
        (("Hamburg", "21###"), ("München", "80###|81###"), ("Stuttgart", "70###"),
         ("Köln", "50###|51###"), ("Bielefeld", "33###"), ("Dortmund", "44###")),
        ("Industriestraße", "Hafenstraße", "Gewerbering", "Am Güterbahnhof", "Carl-Benz-Straße",
         "Robert-Bosch-Straße"),
        ("Werk", "Lager", "Niederlassung"),
        _GERMAN_FIRST,
        _GERMAN_LAST,
    ),
    "FR": Region(
        "EUR",
        (("Lyon", "69###"), ("Lille", "59###"), ("Toulouse", "31###"), ("Nantes", "44###"),
         ("Strasbourg", "67###")),
        ("rue de l'Industrie", "avenue Jean Jaurès", "rue des Artisans", "boulevard de l'Europe",
         "chemin du Moulin", "allée des Forges"),
        ("Usine", "Entrepôt", "Agence"),
        ("Camille", "Julien", "Élodie", "Thomas", "Margaux", "Nicolas", "Sophie", "Antoine"),
        ("Martin", "Lefèvre", "Moreau", "Girard", "Fontaine", "Chevalier", "Roussel", "Garnier"),
        number_first=True,
    ),
    "NL": Region(
        "EUR",
        (("Rotterdam", "30## @@"), ("Eindhoven", "56## @@"), ("Utrecht", "35## @@"),
         ("Venlo", "59## @@"), ("Zwolle", "80## @@")),
        ("Havenweg", "Industrieweg", "Marconistraat", "Edisonstraat", "Nijverheidsweg",
         "Spoorlaan"),
        ("Magazijn", "Vestiging", "Fabriek"),
        ("Daan", "Sanne", "Jeroen", "Femke", "Bram", "Lotte", "Ruben", "Eva"),
        ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"),
    ),
    "DK": Region(
        "DKK",
        (("Aarhus", "8200|8210|8260"), ("Odense", "5220|5260"), ("Kolding", "6000"),
         ("Esbjerg", "6700|6705"), ("Glostrup", "2600")),
        ("Industrivej", "Fabriksvej", "Erhvervsvej", "Smedevej", "Havnegade"),
        ("Lager", "Afdeling", "Fabrik"),
        ("Mette", "Søren", "Line", "Rasmus", "Camilla", "Mikkel"),
        ("Nielsen", "Jensen", "Pedersen", "Andersen", "Christensen", "Madsen"),
    ),
    "GB": Region(
        "GBP",
        (("Manchester", "M17 #@@"), ("Birmingham", "B6 #@@|B7 #@@"), ("Leeds", "LS10 #@@|LS11 #@@"),
         ("Sheffield", "S9 #@@"), ("Bristol", "BS11 #@@")),
        ("Trafford Park Road", "Station Road", "Mill Lane", "Canal Street", "Riverside Way",
         "Enterprise Way"),
        ("Plant", "Warehouse", "Depot"),
        ("Oliver", "Charlotte", "James", "Amelia", "Harry", "Sophie", "George", "Emily"),
        ("Walker", "Hughes", "Turner", "Clarke", "Bennett", "Wright", "Cooper", "Ward"),
        number_first=True,
    ),
    "US": Region(
        "USD",
        (("Chicago", "606##"), ("Columbus", "432##"), ("Atlanta", "303##"), ("Houston", "770##"),
         ("Milwaukee", "532##")),
        ("W Fulton St", "Industrial Pkwy", "Commerce Dr", "N Main St", "Lakeview Ave",
         "Enterprise Blvd"),
        ("Plant", "Warehouse", "Distribution Center"),
        ("Michael", "Jennifer", "David", "Ashley", "Chris", "Megan", "Brian", "Laura"),
        ("Johnson", "Miller", "Davis", "Anderson", "Thompson", "Garcia", "Robinson", "Carter"),
        number_first=True,
    ),
    "CH": Region(
        "CHF",
        (("Zürich", "8005|8048|8052"), ("Basel", "4053|4057"), ("Winterthur", "8404|8406"),
         ("Luzern", "6005|6014"), ("Bern", "3014|3018")),
        ("Industriestrasse", "Hardstrasse", "Gewerbestrasse", "Bahnhofstrasse", "Seestrasse"),
        ("Werk", "Lager", "Filiale"),
        ("Lara", "Reto", "Nadine", "Urs", "Corinne", "Beat", "Simone", "Marco"),
        ("Meier", "Keller", "Baumann", "Frei", "Huber", "Gerber", "Brunner", "Zbinden"),
    ),
    "SE": Region(
        "SEK",
        (("Göteborg", "41# ##|42# ##"), ("Malmö", "21# ##"), ("Stockholm", "12# ##"),
         ("Jönköping", "55# ##"), ("Västerås", "72# ##")),
        ("Industrigatan", "Verkstadsgatan", "Hamngatan", "Företagsvägen", "Storgatan"),
        ("Lager", "Fabrik", "Filial"),
        ("Erik", "Sara", "Johan", "Elin", "Anders", "Maja"),
        ("Lindqvist", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Bergström"),
    ),
    "AT": Region(
        "EUR",
        (("Wien", "1110|1210|1230"), ("Linz", "4020|4030"), ("Graz", "8020|8054"),
         ("Salzburg", "5020"), ("Wels", "4600")),
        ("Industriestraße", "Gewerbepark", "Hauptstraße", "Bahnhofstraße", "Linzer Straße"),
        ("Werk", "Lager", "Niederlassung"),
        ("Lisa", "Florian", "Verena", "Matthias", "Theresa", "Bernhard"),
        ("Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner"),
    ),
    "BE": Region(
        "EUR",
        (("Antwerpen", "2030|2040"), ("Gent", "9000|9042"), ("Mechelen", "2800"),
         ("Kortrijk", "8500"), ("Hasselt", "3500|3510")),
        ("Industrieweg", "Havenlaan", "Nijverheidsstraat", "Kanaalweg", "Schaliënhoevedreef"),
        ("Magazijn", "Vestiging", "Werkplaats"),
        ("Wout", "Lien", "Pieter", "Nathalie", "Koen", "Julie"),
        ("Peeters", "Janssens", "Maes", "Claes", "Wouters", "Goossens"),
    ),
}  # fmt: skip

CUSTOMERS: tuple[CustomerSeed, ...] = (
    CustomerSeed("Nordhafen Maschinenbau GmbH", "DE", "key_account", "nordhafen-maschinenbau",
                 ("fasteners", "hydraulics"), ("Nordhafen", "NHM Maschinenbau"),
                 "nordhafen-group.example"),
    CustomerSeed("Brenntal Industrietechnik GmbH", "DE", "distributor", "brenntal",
                 ("fasteners", "hand_tools", "safety_gear"), ("Brenntal Industrie",)),
    CustomerSeed("Weserland Anlagenbau GmbH & Co. KG", "DE", "smb", "weserland-anlagenbau",
                 ("fasteners", "electrical")),
    CustomerSeed("Kessler & Vogt Fördertechnik GmbH", "DE", "smb", "kessler-vogt",
                 ("fasteners", "hydraulics"), ("K&V Fördertechnik",)),
    CustomerSeed("Ateliers Mécaniques du Rhône SAS", "FR", "key_account", "ateliers-rhone",
                 ("fasteners", "adhesives"), ("AMR", "Ateliers du Rhône"), "amr-groupe.example"),
    CustomerSeed("Solvéo Maintenance Industrielle SARL", "FR", "smb", "solveo-maintenance",
                 ("cleaning", "safety_gear"), near_limit=True),
    CustomerSeed("Van Steenwijk Installatietechniek B.V.", "NL", "distributor", "vansteenwijk",
                 ("electrical", "fasteners"), ("VSI", "Van Steenwijk")),
    CustomerSeed("Polderbouw Techniek B.V.", "NL", "smb", "polderbouw",
                 ("hand_tools", "safety_gear"), status="blocked"),
    CustomerSeed("Kattegat Hydraulik A/S", "DK", "key_account", "kattegat-hydraulik",
                 ("hydraulics",), extra_domain="kattegat.example"),
    CustomerSeed("Pennine Fabrications Ltd", "GB", "smb", "pennine-fabrications",
                 ("fasteners", "adhesives")),
    CustomerSeed("Severn Valley Engineering Supplies Ltd", "GB", "distributor",
                 "severnvalley-supplies", ("hand_tools", "safety_gear", "fasteners"),
                 ("SVES", "Severn Valley Supplies")),
    CustomerSeed("Great Lakes Assembly Supply Inc.", "US", "distributor", "greatlakes-assembly",
                 ("fasteners", "adhesives", "packaging"), ("GLAS",), "glas-purchasing.example"),
    CustomerSeed("Redwood Ridge Manufacturing LLC", "US", "key_account", "redwoodridge-mfg",
                 ("packaging", "adhesives"), ("Redwood Ridge",), on_hold=True),
    CustomerSeed("Limmattal Präzisionstechnik AG", "CH", "key_account", "limmattal-praezision",
                 ("fasteners", "hand_tools"), ("LPT",)),
    CustomerSeed("Juraplast Verpackungen AG", "CH", "smb", "juraplast", ("packaging",)),
    CustomerSeed("Vänerns Verkstadsprodukter AB", "SE", "smb", "vanerns-verkstad",
                 ("hydraulics", "fasteners")),
    CustomerSeed("Norrbro Elteknik AB", "SE", "distributor", "norrbro-elteknik", ("electrical",),
                 extra_domain="norrbro.example"),
    CustomerSeed("Alpenblick Haustechnik GmbH", "AT", "smb", "alpenblick-haustechnik",
                 ("electrical", "hand_tools")),
    CustomerSeed("Donauwerk Metallbau GmbH", "AT", "key_account", "donauwerk",
                 ("fasteners", "safety_gear"), ("Donauwerk",), "donauwerk-metall.example"),
    CustomerSeed("Scheldepoort Onderhoud NV", "BE", "distributor", "scheldepoort",
                 ("cleaning", "safety_gear", "hydraulics")),
)  # fmt: skip

SALES_REPS = (
    ("jana.reuter", "Jana Reuter"),
    ("marc.delorme", "Marc Delorme"),
    ("emma.whitfield", "Emma Whitfield"),
)

_EMBARGO = "RU;BY;IR;KP"
_FINISH = ("zinc plated", "hot-dip galvanised", "A2 stainless")

# family name -> (SKU prefix, templates)
FAMILIES: dict[str, tuple[str, tuple[Template, ...]]] = {
    "fasteners": ("FAS", (
        Template("Hex bolt M{d}x{l} DIN 933 8.8 {f}",
                 {"d": ("6", "8", "10", "12", "16"), "l": ("20", "30", "40", "50", "80"), "f": _FINISH},
                 "EA", "BX=100;CS=1000", (0.04, 0.9)),
        Template("Hex nut M{d} DIN 934 {f}", {"d": ("6", "8", "10", "12", "16", "20"), "f": _FINISH},
                 "EA", "BX=200;CS=2000", (0.01, 0.25)),
        Template("Socket head cap screw M{d}x{l} ISO 4762 12.9 black",
                 {"d": ("4", "5", "6", "8", "10"), "l": ("12", "16", "20", "25", "30")},
                 "EA", "BX=100;CS=1000", (0.05, 0.6)),
        Template("Flat washer {d} mm DIN 125-A {f}", {"d": ("6.4", "8.4", "10.5", "13", "17"), "f": _FINISH},
                 "EA", "BX=500;CS=5000", (0.005, 0.08)),
        Template("Chipboard screw {d}x{l} mm Torx countersunk yellow zinc",
                 {"d": ("3.5", "4.0", "5.0", "6.0"), "l": ("30", "40", "60", "80")},
                 "EA", "BX=200;CS=2400", (0.01, 0.09)),
        Template("Blind rivet {d}x{l} mm aluminium/steel dome head",
                 {"d": ("3.2", "4.0", "4.8"), "l": ("8", "10", "12", "16")},
                 "EA", "BX=500;CS=5000", (0.01, 0.05)),
        Template("Threaded rod M{d}x1000 DIN 976 {f}",
                 {"d": ("6", "8", "10", "12", "16"), "f": ("zinc plated", "A2 stainless")},
                 "EA", "BDL=10", (0.8, 9.0)),
    )),
    "adhesives": ("ADH", (
        Template("Threadlocker {s} strength {v} ml bottle",
                 {"s": ("low", "medium", "high"), "v": ("10", "50", "250")}, "EA", "CS=10", (4.0, 60.0)),
        Template("Cyanoacrylate instant adhesive {k} {v} g",
                 {"k": ("low viscosity", "gel", "rubber-toughened"), "v": ("20", "50", "500")},
                 "EA", "CS=10", (3.0, 80.0)),
        Template("Polyurethane construction adhesive {c} 310 ml cartridge",
                 {"c": ("white", "grey", "black", "beige")}, "EA", "CS=12;PAL=1200", (3.0, 9.0)),
        Template("Silicone sealant {k} {c} 310 ml",
                 {"k": ("neutral-cure", "acetoxy", "sanitary"), "c": ("transparent", "white", "grey")},
                 "EA", "CS=12;PAL=1200", (2.5, 8.0)),
        Template("Two-component epoxy {k} {v} ml double cartridge",
                 {"k": ("5-minute", "30-minute", "structural"), "v": ("25", "50", "400")},
                 "EA", "CS=12", (6.0, 45.0)),
        Template("Hot melt glue sticks {d} mm {k}",
                 {"d": ("7", "11", "12"), "k": ("EVA general purpose", "polyolefin low-temperature")},
                 "KG", "CS=5", (8.0, 22.0)),
        Template("Contact adhesive solvent-based {k}", {"k": ("standard", "heat-resistant", "spray grade")},
                 "L", "CAN=5;DR=200", (9.0, 25.0)),
        Template("Double-sided acrylic foam tape {w} mm {c}",
                 {"w": ("6", "9", "12", "19", "25"), "c": ("transparent", "grey", "black")},
                 "M", "RL=33;CS=330", (0.2, 1.5)),
    )),
    "hand_tools": ("HTL", (
        Template("Combination spanner {s} mm chrome vanadium",
                 {"s": ("8", "10", "13", "17", "19", "22", "24")}, "EA", "PK=5", (4.0, 18.0)),
        Template("Screwdriver slotted {s} mm VDE 1000 V", {"s": ("3.0x100", "4.0x100", "5.5x125", "6.5x150")},
                 "EA", "PK=6", (4.0, 11.0)),
        Template("Screwdriver Pozidriv PZ{n} VDE 1000 V", {"n": ("0", "1", "2", "3")},
                 "EA", "PK=6", (4.0, 11.0)),
        Template("Side cutting pliers {l} mm {g}",
                 {"l": ("140", "160", "180"), "g": ("two-component grip", "VDE insulated")},
                 "EA", "PK=6", (12.0, 38.0)),
        Template("Torque wrench {r}",
                 {"r": ('1/4" 5-25 Nm', '3/8" 20-100 Nm', '1/2" 40-200 Nm', '1/2" 60-340 Nm')},
                 "EA", "", (60.0, 220.0)),
        Template("Claw hammer {w} g {h} handle",
                 {"w": ("300", "500", "700"), "h": ("fibreglass", "hickory", "steel")},
                 "EA", "PK=6", (9.0, 32.0)),
        Template("Tape measure {l} m x {w} mm", {"l": ("3", "5", "8", "10"), "w": ("16", "19", "25")},
                 "EA", "PK=12", (4.0, 19.0)),
        Template("Spirit level {l} mm aluminium, 2 vials", {"l": ("400", "600", "800", "1000", "1200")},
                 "EA", "", (14.0, 48.0)),
        Template("Tool trolley with {n} drawers, configurable insert layout", {"n": ("5", "6", "7")},
                 "EA", "", (420.0, 1150.0), configurable=True),
    )),
    "safety_gear": ("SAF", (
        Template("Nitrile disposable gloves powder-free {c} size {s}",
                 {"c": ("blue", "black"), "s": ("S", "M", "L", "XL")}, "EA", "BX=100;CS=1000", (0.04, 0.12)),
        Template("Cut-resistant work gloves level {v} PU-coated size {s}",
                 {"v": ("B", "C", "D"), "s": ("7", "8", "9", "10", "11")}, "PR", "PK=12;CS=144", (2.5, 9.0)),
        Template("Safety glasses {c} lens EN 166 {k}",
                 {"c": ("clear", "smoke", "amber"), "k": ("anti-fog", "anti-scratch")},
                 "EA", "BX=10;CS=200", (2.5, 12.0)),
        Template("FFP{n} respirator mask {k}", {"n": ("2", "3"), "k": ("with valve", "without valve")},
                 "EA", "BX=10;CS=240", (0.6, 3.0)),
        Template("Foam ear plugs SNR {n} dB {k}", {"n": ("33", "37"), "k": ("in pairs", "dispenser refill")},
                 "PR", "BX=200;CS=2000", (0.08, 0.3)),
        Template("Safety helmet EN 397 {c} with {k}",
                 {"c": ("white", "yellow", "blue", "red"), "k": ("ratchet harness", "chin strap")},
                 "EA", "CS=20", (8.0, 25.0)),
        Template("Hi-vis vest EN ISO 20471 class 2 {c} size {s}",
                 {"c": ("yellow", "orange"), "s": ("M", "L", "XL", "XXL")}, "EA", "PK=10;CS=100", (2.0, 6.0)),
        Template("Full-body fall arrest harness {n}-point, made to measure", {"n": ("2", "3", "5")},
                 "EA", "", (180.0, 420.0), configurable=True),
    )),
    "packaging": ("PKG", (
        Template("Stretch film {w} mm x {l} m {t} µm hand roll",
                 {"w": ("450", "500"), "l": ("270", "300"), "t": ("17", "20", "23")},
                 "RL", "CS=6;PAL=240", (6.0, 14.0)),
        Template("Corrugated box {k} {d} mm",
                 {"k": ("single wall", "double wall"), "d": ("300x200x150", "400x300x200", "600x400x400")},
                 "EA", "BDL=25;PAL=500", (0.4, 3.5)),
        Template("Packing tape {m} {w} mm x 66 m {c}",
                 {"m": ("PP", "PVC", "paper"), "w": ("48", "50"), "c": ("brown", "transparent")},
                 "RL", "CS=36", (1.0, 4.0)),
        Template("Bubble wrap {w} mm x {l} m", {"w": ("500", "1000", "1500"), "l": ("50", "100")},
                 "RL", "PAL=30", (15.0, 60.0)),
        Template("PP strapping band {w} mm x {l} m {c}",
                 {"w": ("12", "16"), "l": ("2000", "3000"), "c": ("black", "white")},
                 "RL", "PAL=36", (14.0, 40.0)),
        Template("Kraft paper roll {w} mm {g} g/m²", {"w": ("500", "750", "1000"), "g": ("70", "90")},
                 "M", "RL=250", (0.05, 0.3)),
        Template("Printed shipping carton {d} mm, customer artwork", {"d": ("400x300x200", "600x400x400")},
                 "EA", "", (1.2, 4.5), configurable=True),
    )),
    "electrical": ("ELE", (
        Template("Rubber cable H07RN-F {c} mm²", {"c": ("3G1.5", "3G2.5", "5G1.5", "5G2.5", "5G4")},
                 "M", "RL=50;DR=500", (0.9, 6.0)),
        Template("Cable tie {d}x{l} mm black UV-resistant",
                 {"d": ("2.5", "3.6", "4.8", "7.6"), "l": ("100", "200", "300", "450")},
                 "EA", "BG=100;CS=2000", (0.01, 0.3)),
        Template("Miniature circuit breaker {c}{a} {p} 6 kA",
                 {"c": ("B", "C"), "a": ("10", "16", "20", "32"), "p": ("1-pole", "3-pole")},
                 "EA", "BX=12", (4.0, 28.0)),
        Template("LED panel 600x600 mm {w} W {k} K", {"w": ("30", "36", "40"), "k": ("3000", "4000", "6500")},
                 "EA", "CS=4", (18.0, 45.0)),
        Template("Contactor 3-pole {a} A {c} coil",
                 {"a": ("9", "12", "18", "25"), "c": ("24 V DC", "230 V AC")},
                 "EA", "BX=10", (15.0, 60.0)),
        Template("Frequency inverter {p} kW 3x400 V IP20", {"p": ("0.75", "1.5", "2.2", "4.0", "7.5")},
                 "EA", "", (180.0, 900.0), restricted=_EMBARGO),
        Template("PLC CPU module {n} digital I/O, Ethernet", {"n": ("14/10", "24/16")},
                 "EA", "", (240.0, 620.0), restricted=_EMBARGO + ";SY"),
        Template("Terminal block {s} mm² push-in {c}",
                 {"s": ("2.5", "4", "6"), "c": ("grey", "blue", "green-yellow")}, "EA", "BX=50", (0.4, 1.8)),
        Template("Control cabinet {d} mm, wired to customer diagram", {"d": ("600x600x250", "800x1000x300")},
                 "EA", "", (650.0, 2400.0), configurable=True),
    )),
    "hydraulics": ("HYD", (
        Template("Hydraulic hose {k} DN{d}", {"k": ("1SN", "2SN"), "d": ("6", "8", "10", "12", "16", "20")},
                 "M", "RL=50", (3.0, 18.0)),
        Template("Hydraulic oil HLP {v} mineral", {"v": ("32", "46", "68")},
                 "L", "CAN=20;DR=208", (2.2, 4.5)),
        Template("Male stud coupling {s} DIN 2353 {f}",
                 {"s": ("06L M12x1.5", "08L M14x1.5", "10L M16x1.5", "12L M18x1.5", "15L M22x1.5"),
                  "f": ("zinc-nickel", "stainless 1.4571")}, "EA", "BX=10", (2.0, 25.0)),
        Template("High-pressure ball valve 2-way G{t} 500 bar", {"t": ("1/4", "3/8", "1/2", "3/4", "1")},
                 "EA", "", (35.0, 140.0), restricted=_EMBARGO),
        Template("Gear pump {v} cm³/rev group 2", {"v": ("4", "6", "8", "11", "14")},
                 "EA", "", (140.0, 420.0), restricted=_EMBARGO),
        Template("Pressure gauge {r} bar 63 mm glycerine-filled", {"r": ("0-100", "0-250", "0-400")},
                 "EA", "BX=10", (9.0, 24.0)),
        Template("O-ring kit NBR 70 Shore {n} pcs", {"n": ("225", "382", "419")}, "EA", "", (25.0, 70.0)),
        Template("Return filter element {m} µm {q} l/min", {"m": ("10", "25"), "q": ("160", "250")},
                 "EA", "CS=6", (18.0, 55.0)),
        Template("Hydraulic cylinder double-acting {b} mm bore, stroke to specification",
                 {"b": ("40", "50", "63", "80")}, "EA", "", (260.0, 900.0), configurable=True),
    )),
    "cleaning": ("CLN", (
        Template("Industrial degreaser {k} concentrate", {"k": ("alkaline", "solvent-free", "citrus")},
                 "L", "CAN=10;PAL=600", (3.0, 9.0)),
        Template("Brake cleaner spray {v} ml {k}",
                 {"v": ("500", "600"), "k": ("acetone-free", "fast-evaporating")},
                 "EA", "CS=12", (2.5, 6.0)),
        Template("Paper wiping roll {p}-ply {w} cm x {l} m {c}",
                 {"p": ("2", "3"), "w": ("26", "38"), "l": ("190", "360"), "c": ("white", "blue")},
                 "RL", "PAL=40", (12.0, 45.0)),
        Template("Hand cleaner paste {k} {v} L tub",
                 {"k": ("with scrub particles", "solvent-free"), "v": ("4.5", "10")},
                 "EA", "CS=4", (11.0, 34.0)),
        Template("Oil absorbent granules {k}", {"k": ("mineral", "diatomite", "organic")},
                 "KG", "BG=20;PAL=800", (0.6, 2.0)),
        Template("Microfibre cloth {d} cm {c}",
                 {"d": ("40x40", "50x50"), "c": ("blue", "red", "green", "yellow")},
                 "EA", "PK=10;CS=200", (0.4, 2.0)),
        Template("Floor cleaner {k}", {"k": ("alkaline", "neutral", "with polymer")},
                 "L", "CAN=10", (2.0, 6.0)),
        Template("Universal absorbent pad {d} cm", {"d": ("40x50", "50x50")}, "EA", "BG=100", (0.25, 0.8)),
    )),
}  # fmt: skip

DENIED_PARTIES: tuple[DeniedSeed, ...] = (
    DeniedSeed("Volgaline Dual Trade LLC", "RU", "Moscow", "Ul. Promyshlennaya 14"),
    DeniedSeed("Severoprom Machinery Export OOO", "RU", "Saint Petersburg"),
    DeniedSeed("Krasnozavod Tooling Holding", "RU", "Yekaterinburg"),
    DeniedSeed("Minskavto Precision Components JSC", "BY", "Minsk", "Partizanskiy pr. 90"),
    DeniedSeed("Parsan Fluid Engineering Co.", "IR", "Tehran"),
    DeniedSeed("Caspian Gulf Industrial Supply Co.", "IR", "Bandar Abbas", "Port Road 3"),
    DeniedSeed("Chongsan Precision Trading Corp.", "KP", "Pyongyang"),
    DeniedSeed("Barada Fluid Power Est.", "SY", "Damascus"),
    DeniedSeed("Eastern Horizon Re-Export FZE", "AE", "Dubai", "Jebel Ali Free Zone, Warehouse 7"),
    DeniedSeed("Bosfor Transit Ticaret Ltd. Şti.", "TR", "Istanbul"),
    DeniedSeed("Pearl Delta Component Brokers Ltd", "HK", "Hong Kong", "88 Kwai Fung Crescent"),
    DeniedSeed("Irrawaddy Metal Works Co., Ltd.", "MM", "Yangon"),
    DeniedSeed("Transcaucasia Freight Forwarding LLC", "AM", "Yerevan"),
    DeniedSeed("Daugava Gateway Forwarding SIA", "LV", "Riga", "Krasta iela 52"),
    DeniedSeed("Andes Petroservicios Globales C.A.", "VE", "Caracas"),
)


# --- Generated records -------------------------------------------------------------------


@dataclass
class Product:
    sku: str
    description: str
    family: str
    base_uom: str
    units: dict[str, int]
    list_price: Decimal
    gtin: str = ""
    status: str = "active"
    configurable: bool = False
    restricted: str = ""
    min_order_qty: int | None = None
    lead_time_days: int = 0

    @property
    def pack(self) -> int:
        """Base units in the unit this product is usually ordered in."""
        return min((f for u, f in self.units.items() if u not in BULK_UNITS), default=1)


@dataclass
class Customer:
    number: str
    seed: CustomerSeed
    region: Region
    shiptos: list[Row]
    assortment: list[Product]  # most frequently ordered first
    prices: dict[str, Decimal]
    valid_from: date
    valid_to: date | None
    history: list[Row] = field(default_factory=list)

    @property
    def domains(self) -> tuple[str, ...]:
        extra = (self.seed.extra_domain,) if self.seed.extra_domain else ()
        return (f"{self.seed.slug}.example", *extra)

    @property
    def currency(self) -> str:
        return self.region.currency


# --- Entry points ------------------------------------------------------------------------


def write_demo_csvs(directory: Path, *, seed: int = 7, today: date | None = None) -> dict[str, Path]:
    """Write one CSV per master-data kind into ``directory``; return {kind: path}."""
    directory.mkdir(parents=True, exist_ok=True)
    rows = build_demo_rows(seed=seed, today=today)
    return {kind: _write_csv(directory / f"{kind}.csv", kind, rows[kind]) for kind in COLUMNS}


def build_demo_rows(*, seed: int = 7, today: date | None = None) -> dict[str, list[Row]]:
    """All demo rows by kind; ``today`` anchors dates that must stay current."""
    builder = _Builder(Random(seed), today or datetime.now(UTC).date())
    return builder.rows()


def gtin13(first12: str) -> str:
    """Complete 12 digits with the GS1 check digit (weights 1, 3, 1, 3, ... from the left)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


# --- CSV ---------------------------------------------------------------------------------


def _write_csv(path: Path, kind: str, rows: Iterable[Row]) -> Path:
    columns = COLUMNS[kind]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(row.get(column)) for column in columns] for row in rows)
    return path


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ";".join(str(item) for item in value)
    return str(value)


# --- Small helpers ------------------------------------------------------------------------


def _ascii(text: str) -> str:
    """E-mail-safe form of a name: 'Søren Krüger' -> 'soren kruger'."""
    text = text.translate(str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae"}))
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii()).lower()


def _money(amount: Decimal) -> Decimal:
    """Cent prices under 1 keep 4 decimals, like real price lists of small parts."""
    places = Decimal("0.0001") if amount < 1 else Decimal("0.01")
    return amount.quantize(places)


def _round_up(amount: Decimal, step: int) -> Decimal:
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step


def _fill(rng: Random, pattern: str) -> str:
    choice = rng.choice(pattern.split("|"))
    return "".join(
        str(rng.randint(0, 9)) if c == "#" else rng.choice(POSTAL_LETTERS) if c == "@" else c for c in choice
    )


def _units(spec: str) -> dict[str, int]:
    return {u: int(f) for u, _, f in (item.partition("=") for item in spec.split(";") if item)}


def _expand(template: Template) -> list[str]:
    keys = list(template.options)
    combos = itertools.product(*(template.options[k] for k in keys))
    return [template.text.format(**dict(zip(keys, combo, strict=True))) for combo in combos]


def _initials(name: str) -> str:
    words = [w for w in _ascii(name).replace("&", " ").split() if w[0].isalpha()]
    return "".join(w[0] for w in words[:3]).upper()


def _weighted_order(rng: Random, items: list, weight) -> list:
    """Items in random order, heavier ones earlier (Efraimidis-Spirakis keys)."""
    return sorted(items, key=lambda item: rng.random() ** (1 / weight(item)), reverse=True)


# --- The builder -------------------------------------------------------------------------


class _Builder:
    """Draws every random choice in one fixed order, so a seed fixes the output."""

    def __init__(self, rng: Random, today: date):
        self.rng, self.today = rng, today
        self.products = self._catalogue()
        self.by_sku = {p.sku: p for p in self.products}
        self.customers = [self._customer(i, seed) for i, seed in enumerate(CUSTOMERS)]
        for customer in self.customers:
            customer.history = self._history(customer)

    def rows(self) -> dict[str, list[Row]]:
        return {
            "customers": [self._customer_row(c) for c in self.customers],
            "contacts": [row for c in self.customers for row in self._contacts(c)],
            "sales_reps": [{"email": f"{user}@{OUR_DOMAIN}", "name": name} for user, name in SALES_REPS],
            "shiptos": [row for c in self.customers for row in c.shiptos],
            "products": [self._product_row(p) for p in self.products],
            "customer_parts": [row for c in self.customers for row in self._parts(c)],
            "prices": [row for c in self.customers for row in self._price_rows(c)],
            "inventory": [row for p in self.products for row in self._inventory(p)],
            "credit": [self._credit(c) for c in self.customers],
            "order_history": [row for c in self.customers for row in c.history],
            "denied_parties": [vars(seed) for seed in DENIED_PARTIES],
        }

    # -- products --

    def _catalogue(self) -> list[Product]:
        products = []
        for index, (family, (prefix, templates)) in enumerate(FAMILIES.items()):
            number = 10000 + self.rng.randint(1, 30)
            for template, description in self._pick(templates):
                sku = f"{prefix}-{number}"
                products.append(self._product(sku, template, description, family, index))
                number += self.rng.randint(1, 37)
        for product in self._discontinued(products):
            product.status = "discontinued"
        return products

    def _pick(self, templates: tuple[Template, ...]) -> list[tuple[Template, str]]:
        """A family's items spread over all its templates, grouped by template."""
        pools = []
        for template in templates:
            pool = [(template, text) for text in _expand(template)]
            self.rng.shuffle(pool)
            pools.append(pool[:1] if template.configurable else pool)
        spread = [item for batch in itertools.zip_longest(*pools) for item in batch if item]
        chosen = spread[:PRODUCTS_PER_FAMILY]
        if len(chosen) < PRODUCTS_PER_FAMILY:
            raise ValueError(f"templates give only {len(chosen)} products")
        return sorted(chosen, key=lambda item: templates.index(item[0]))

    def _product(self, sku: str, template: Template, text: str, family: str, index: int) -> Product:
        low, high = template.price
        product = Product(
            sku=sku,
            description=text,
            family=family,
            base_uom=template.base_uom,
            units=_units(template.uoms),
            list_price=_money(Decimal(str(self.rng.uniform(low, high)))),
            configurable=template.configurable,
            restricted=template.restricted,
            lead_time_days=self._lead_time(template),
        )
        if self.rng.random() < 0.8:
            # GS1 prefix 20-29 is for restricted circulation: never a real trade item.
            product.gtin = gtin13(f"2{index}{sku[-5:]}{self.rng.randint(0, 99999):05d}")
        product.min_order_qty = self._min_order_qty(product)
        return product

    def _lead_time(self, template: Template) -> int:
        if template.configurable:
            return self.rng.randint(14, 21)
        if template.restricted:
            return self.rng.randint(5, 10)
        return self.rng.choice((0, 0, 1, 1, 2, 3, 5, 7))

    def _min_order_qty(self, product: Product) -> int | None:
        if product.configurable or product.pack == 1 or self.rng.random() > 0.2:
            return None
        return product.pack * self.rng.choice((1, 1, 2))

    def _product_row(self, product: Product) -> Row:
        return {
            "sku": product.sku,
            "description": product.description,
            "product_family": product.family,
            "base_uom": product.base_uom,
            "uoms": [f"{unit}={factor}" for unit, factor in product.units.items()],
            "status": product.status,
            "configurable": product.configurable,
            "restricted_countries": product.restricted,
            "min_order_qty": product.min_order_qty,
            "lead_time_days": product.lead_time_days,
            "gtin": product.gtin,
        }

    def _discontinued(self, products: list[Product]) -> list[Product]:
        candidates = [p for p in products if not p.configurable and not p.restricted]
        return self.rng.sample(candidates, 6)

    # -- customers --

    def _customer(self, index: int, seed: CustomerSeed) -> Customer:
        region = REGIONS[seed.country]
        number = f"C{1001 + index}"
        assortment = self._assortment(seed)
        return Customer(
            number=number,
            seed=seed,
            region=region,
            shiptos=self._shiptos(number, seed, region),
            assortment=assortment,
            prices={p.sku: self._price(p, seed, region) for p in assortment},
            valid_from=self._valid_from(),
            valid_to=self._valid_to(),
        )

    def _shiptos(self, number: str, seed: CustomerSeed, region: Region) -> list[Row]:
        cities = self.rng.sample(region.cities, self.rng.randint(1, 3))
        return [
            {
                "customer_number": number,
                "shipto_code": f"S{position}",
                "name": seed.name if position == 1 else f"{seed.name} {self.rng.choice(region.sites)} {city}",
                "street": self._street(region),
                "city": city,
                "postal_code": _fill(self.rng, pattern),
                "country": seed.country,
                "is_default": position == 1,
            }
            for position, (city, pattern) in enumerate(cities, start=1)
        ]

    def _street(self, region: Region) -> str:
        street = self.rng.choice(region.streets)
        if region is REGIONS["US"]:
            return f"{self.rng.randint(100, 9800)} {street}"
        number = self.rng.randint(1, 180)
        return f"{number} {street}" if region.number_first else f"{street} {number}"

    def _assortment(self, seed: CustomerSeed) -> list[Product]:
        others = [f for f in FAMILIES if f not in seed.families]
        preferred = {*seed.families, self.rng.choice(others)}
        candidates = [p for p in self.products if not p.configurable]
        ranked = _weighted_order(self.rng, candidates, lambda p: 6 if p.family in preferred else 1)
        return ranked[: self.rng.randint(20, 60)]

    def _price(self, product: Product, seed: CustomerSeed, region: Region) -> Decimal:
        low, high = GROUP_DISCOUNT[seed.group]
        discount = Decimal(self.rng.randint(low, high)) / 100
        noise = Decimal(self.rng.randint(-30, 30)) / 1000
        return _money(product.list_price * Decimal(FX[region.currency]) * (1 - discount + noise))

    def _valid_from(self) -> date:
        # Whole-year anchors: re-running later the same year finds the same keys.
        year = self.today.year
        return self.rng.choice((date(year - 1, 1, 1), date(year - 2, 1, 1), date(year - 2, 7, 1)))

    def _valid_to(self) -> date | None:
        # A customer's agreements all end together: ending this year they would
        # leave it nothing to order in December for delivery in January.
        year = self.today.year
        return self.rng.choice((None, None, date(year + 1, 12, 31), date(year + 1, 6, 30)))

    def _customer_row(self, customer: Customer) -> Row:
        seed = customer.seed
        return {
            "customer_number": customer.number,
            "name": seed.name,
            "email_domains": customer.domains,
            "aliases": seed.aliases,
            "customer_group": seed.group,
            "country": seed.country,
            "currency": customer.currency,
            "status": seed.status,
        }

    def _contacts(self, customer: Customer) -> Iterator[Row]:
        region, count = customer.region, self.rng.randint(1, 3)
        firsts = self.rng.sample(region.first_names, count)
        lasts = self.rng.sample(region.last_names, count)
        style = self.rng.choice(("{f}.{l}", "{i}.{l}", "{f}{l}"))
        for position, (first, last) in enumerate(zip(firsts, lasts, strict=True)):
            domain = customer.domains[position % len(customer.domains)]
            local = style.format(f=_ascii(first), l=_ascii(last).replace(" ", ""), i=_ascii(first)[0])
            yield {
                "email": f"{local}@{domain}",
                "customer_number": customer.number,
                "name": f"{first} {last}",
            }

    def _parts(self, customer: Customer) -> Iterator[Row]:
        products = self.rng.sample(customer.assortment[:12], self.rng.randint(2, 6))
        style = self.rng.choice(("{i}-{n:05d}", "MAT{n:07d}", "{n:03d}-{m:04d}"))
        serial = self.rng.randint(100, 900)
        for product in sorted(products, key=lambda p: p.sku):
            serial += self.rng.randint(1, 60)
            number = style.format(i=_initials(customer.seed.name), n=serial, m=self.rng.randint(1, 9999))
            yield {"customer_number": customer.number, "customer_part_number": number, "sku": product.sku}

    def _price_rows(self, customer: Customer) -> Iterator[Row]:
        for sku, price in sorted(customer.prices.items()):
            yield {
                "customer_number": customer.number,
                "sku": sku,
                "unit_price": price,
                "currency": customer.currency,
                "valid_from": customer.valid_from,
                "valid_to": customer.valid_to,
            }

    # -- order history --

    def _history(self, customer: Customer) -> list[Row]:
        count = self.rng.randint(5, 15)
        ages = sorted(self.rng.sample(range(3, 361), count), reverse=True)
        po_numbers = self._po_numbers(customer, count)
        habits: dict[str, int] = {}
        rows = []
        for age, po_number in zip(ages, po_numbers, strict=True):
            order_date = self.today - timedelta(days=age)
            shipto = self._history_shipto(customer)
            for product in self._order_lines(customer):
                packs = habits.setdefault(product.sku, self._typical_packs(customer, product))
                rows.append({
                    "customer_number": customer.number,
                    "po_number": po_number,
                    "order_date": order_date,
                    "sku": product.sku,
                    "quantity": self._quantity(product, packs),
                    "shipto_code": shipto,
                    "unit_price": customer.prices[product.sku],
                })  # fmt: skip
        return rows

    def _po_numbers(self, customer: Customer, count: int) -> list[str]:
        # Not derived from the date: the order date moves with `today`, the key must not.
        style = self.rng.choice(("45{n:08d}", "PO-{n}", "{i}-{n:06d}"))
        serial = self.rng.randint(10000, 60000)
        numbers = []
        for _ in range(count):
            serial += self.rng.randint(1, 40)
            numbers.append(style.format(n=serial, i=_initials(customer.seed.name)))
        return numbers

    def _history_shipto(self, customer: Customer) -> str:
        codes = [s["shipto_code"] for s in customer.shiptos]
        return self.rng.choice([codes[0], *codes])  # the default gets most deliveries

    def _order_lines(self, customer: Customer) -> list[Product]:
        """1-6 distinct products, mostly from the customer's regular items."""
        core = {p.sku for p in customer.assortment[:8]}
        ranked = _weighted_order(self.rng, customer.assortment, lambda p: 5 if p.sku in core else 1)
        return ranked[: self.rng.randint(1, 6)]

    def _typical_packs(self, customer: Customer, product: Product) -> int:
        if product.pack == 1 and product.list_price > 50:
            return self.rng.randint(1, 3)
        low, high = GROUP_PACKS[customer.seed.group]
        return self.rng.randint(low, high)

    def _quantity(self, product: Product, typical: int) -> int:
        packs = max(1, round(typical * self.rng.uniform(0.5, 1.5)))
        quantity = product.pack * packs
        if product.min_order_qty and quantity < product.min_order_qty:
            return product.min_order_qty
        return quantity

    # -- stock and credit --

    def _inventory(self, product: Product) -> Iterator[Row]:
        if product.status != "active" or product.configurable:
            return
        count = self.rng.choice((1, 2, 2))
        for warehouse in sorted(self.rng.sample(WAREHOUSES, count)):
            on_hand = 0 if self.rng.random() < 0.05 else product.pack * self.rng.randint(8, 300)
            row: Row = {"sku": product.sku, "warehouse": warehouse, "on_hand": on_hand}
            if on_hand == 0 or self.rng.random() < 0.25:
                row["next_receipt_date"] = self.today + timedelta(days=self.rng.randint(2, 28))
                row["next_receipt_qty"] = product.pack * self.rng.randint(20, 200)
            yield row

    def _credit(self, customer: Customer) -> Row:
        rate = Decimal(FX[customer.currency])
        step = 10000 if rate > 5 else 1000
        orders: dict[str, Decimal] = {}
        for line in customer.history:
            value = line["quantity"] * line["unit_price"]
            orders[line["po_number"]] = orders.get(line["po_number"], Decimal(0)) + value
        share = Decimal(self.rng.randint(40, 60)) / 100
        # Room for a few of the largest orders, so ordinary orders pass the credit check.
        limit = _round_up(max(sum(orders.values()) * share, max(orders.values()) * 3, 5000 * rate), step)
        return {
            "customer_number": customer.number,
            "credit_limit": limit,
            "open_exposure": (limit * self._exposure_share(customer.seed)).quantize(Decimal("0.01")),
            "on_hold": customer.seed.on_hold,
        }

    def _exposure_share(self, seed: CustomerSeed) -> Decimal:
        if seed.on_hold:
            return Decimal("1.04")  # over the limit: why the account is on hold
        if seed.near_limit:
            return Decimal("0.93")  # the next ordinary order exceeds the limit
        return Decimal(self.rng.randint(5, 55)) / 100
