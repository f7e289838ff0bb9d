"""A scanned order: the page is one grey image, the PDF has no text layer (EXTRACTION_UNCERTAIN)."""

from __future__ import annotations

import io
from random import Random

from PIL import Image, ImageDraw, ImageFont

from orders.corpus.model import OrderSpec
from orders.corpus.pdfs import make_sheet, new_pdf
from orders.corpus.textfmt import address_lines

DPI = 100
PAGE = (round(210 / 25.4 * DPI), round(297 / 25.4 * DPI))


def page_text(spec: OrderSpec, rng: Random) -> tuple[list[str], list[str]]:
    """(text lines of the page, units as written)."""
    sheet = make_sheet(spec, rng)
    labels = sheet.labels
    lines = [
        *address_lines(spec.buyer),
        "",
        labels["title"],
        "",
        f"{labels['po']}: {spec.po_number}",
        f"{labels['date']}: {sheet.order_date}",
        f"{labels['requested']}: {sheet.requested}",
        "",
    ]
    if spec.ship_to:
        lines += [f"{labels['ship_to']}:", *address_lines(spec.ship_to), ""]
    lines += [f"{r[0]:>3}  {r[1]:<14} {r[3]:>7} {r[4]:<10} {r[2][:38]}  {r[5]}" for r in sheet.rows]
    lines += ["", *spec.notes, "", spec.sender.name, spec.phone]
    return lines, sheet.units


def scanned_image(lines: list[str], rng: Random) -> bytes:
    """The page as a slightly skewed, speckled greyscale PNG."""
    image = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=15)
    y = 70
    for line in lines:
        draw.text((70, y), line, fill=rng.randint(20, 60), font=font)
        y += 21
    for _ in range(900):
        draw.point((rng.randrange(PAGE[0]), rng.randrange(PAGE[1])), fill=rng.randint(90, 200))
    image = image.rotate(rng.uniform(-1.2, 1.2), fillcolor=255, resample=Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def render_scan(spec: OrderSpec, rng: Random) -> tuple[bytes, list[str]]:
    """(PDF bytes, units as written): a full-page image and nothing else."""
    lines, units = page_text(spec, rng)
    pdf = new_pdf(spec, metadata=False)
    pdf.image(io.BytesIO(scanned_image(lines, rng)), x=0, y=0, w=210, h=297)
    return bytes(pdf.output()), units
