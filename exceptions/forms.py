"""Forms of the case page: validate what a person typed before a service runs."""

from __future__ import annotations

from django import forms

from exceptions.fixes import FIXES, fix_facts, price_lines
from orders.models import Order, OrderLine

REASON = {"max_length": 300, "widget": forms.TextInput(attrs={"placeholder": "Why (kept in the history)"})}


class DeskForm(forms.Form):
    def errors_text(self) -> str:
        parts = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            parts.append(f"{label or name}: {' '.join(errors)}" if name != "__all__"
                         else " ".join(errors))
        return "; ".join(parts)


class RejectForm(DeskForm):
    reason = forms.CharField(label="Reason", **REASON)
    send_reply = forms.BooleanField(required=False, initial=True, label="Reply to the customer")
    reply_subject = forms.CharField(required=False, max_length=200, label="Subject")
    reply_body = forms.CharField(required=False, max_length=5000, label="Reply",
                                 widget=forms.Textarea(attrs={"rows": 9}))

    def clean(self):
        data = super().clean()
        if data.get("send_reply") and not (data.get("reply_body") or "").strip():
            raise forms.ValidationError("write the reply, or untick 'Reply to the customer'")
        return data


class CorrectionForm(DeskForm):
    """The order's header and each line's product, quantity and unit, as a
    person corrects them. Only fields that differ from the order change."""

    HEADER = ("po_number", "requested_date", "customer_number", "shipto_code")

    po_number = forms.CharField(required=False, max_length=100, label="PO number")
    requested_date = forms.DateField(required=False, label="Requested date",
                                     widget=forms.DateInput(attrs={"type": "date"}))
    customer_number = forms.CharField(required=False, max_length=32, label="Customer number")
    shipto_code = forms.CharField(required=False, max_length=32, label="Ship-to code")
    reason = forms.CharField(label="Reason", **REASON)

    @classmethod
    def for_order(cls, order: Order, lines: list[OrderLine], data=None) -> CorrectionForm:
        initial = {"po_number": order.po_number, "requested_date": order.requested_date,
                   "customer_number": order.customer.customer_number if order.customer else "",
                   "shipto_code": order.shipto.shipto_code if order.shipto else ""}
        form = cls(data=data, initial=initial)
        form.order_lines = lines
        for line in lines:
            n = line.position + 1  # as a person counts lines
            form.fields[f"line{n}_sku"] = forms.CharField(required=False, max_length=64,
                                                          label=f"Line {n} SKU")
            form.fields[f"line{n}_quantity"] = forms.DecimalField(
                required=False, min_value=0, max_digits=18, decimal_places=3,
                label=f"Line {n} quantity")
            form.fields[f"line{n}_uom"] = forms.CharField(required=False, max_length=16,
                                                          label=f"Line {n} unit")
            form.initial.update({f"line{n}_sku": line.product.sku if line.product else line.sku,
                                 f"line{n}_quantity": line.quantity,
                                 f"line{n}_uom": line.resolved_uom or line.uom})
        return form

    def line_fields(self) -> list[tuple]:
        return [(line.position + 1, self[f"line{line.position + 1}_sku"],
                 self[f"line{line.position + 1}_quantity"], self[f"line{line.position + 1}_uom"])
                for line in self.order_lines]

    def header_changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.HEADER
                if _differs(self.cleaned_data[name], self.initial.get(name))}

    def line_changes(self) -> dict[int, dict]:
        changes: dict[int, dict] = {}
        for line in self.order_lines:
            for name in ("sku", "quantity", "uom"):
                key = f"line{line.position + 1}_{name}"
                if _differs(self.cleaned_data.get(key), self.initial.get(key)):
                    changes.setdefault(line.position, {})[name] = self.cleaned_data[key]
        return changes


def _differs(new, old) -> bool:
    if new in (None, "") and old in (None, ""):
        return False
    if isinstance(new, str) and isinstance(old, str):
        return new.strip() != old.strip()
    return new != old


class FixForm(DeskForm):
    reason = forms.CharField(label="Reason", **REASON)
    #: What the person should know before saving (current agreement, last price paid).
    facts: list[str] | tuple[str, ...] = ()


def _text(label: str, *, required: bool = True, max_length: int = 200, **attrs) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.TextInput(attrs=attrs) if attrs else None)


def fix_form(kind: str, order: Order, case, data=None) -> FixForm:
    """The form of fix ``kind``, filled from the order."""
    form = FixForm(data=data, prefix=kind)
    customer = order.customer.customer_number if order.customer else ""
    sender = (order.sender or "").lower()
    fields, initial = _FIX_FIELDS[kind](order, case)
    reason = form.fields.pop("reason")
    form.fields.update(fields)
    form.fields["reason"] = reason
    form.initial = {"customer_number": customer, **initial}
    form.fix = FIXES[kind]
    form.sender = sender
    form.facts = fix_facts(form.fix, case)
    return form


def _customer_field() -> dict:
    return {"customer_number": _text("Customer number", max_length=32)}


def _line_product(order: Order, attribute: str) -> str:
    for line in order.lines.all():
        if not line.product_id and getattr(line, attribute):
            return getattr(line, attribute)
    return ""


def _contact_fields(order: Order, case):
    return ({"email": forms.EmailField(label="E-mail"), "name": _text("Name", required=False),
             **_customer_field()}, {"email": (order.sender or "").lower()})


def _domain_fields(order: Order, case):
    return ({"domain": _text("Domain", max_length=253), **_customer_field()},
            {"domain": (order.sender or "").lower().rpartition("@")[2]})


def _part_fields(order: Order, case):
    part = _line_product(order, "customer_part_number") or _line_product(order, "sku")
    return ({"customer_part_number": _text("Their part number", max_length=64),
             "sku": _text("Our SKU", max_length=64), **_customer_field()},
            {"customer_part_number": part})


def _shipto_fields(order: Order, case):
    return ({"shipto_code": _text("New ship-to code", max_length=32),
             "name": _text("Name"), "street": _text("Street"), "city": _text("City", max_length=100),
             "postal_code": _text("Postal code", max_length=20),
             "country": _text("Country (ISO)", max_length=2), **_customer_field()},
            {"name": order.ship_to_name, "street": order.ship_to_street,
             "city": order.ship_to_city, "postal_code": order.ship_to_postal_code,
             "country": order.ship_to_country})


def _unit_fields(order: Order, case):
    written = next((line.uom for line in order.lines.all() if line.uom and not line.resolved_uom),
                   "")
    return ({"alias": _text("Written as", max_length=32), "uom": _text("Means unit", max_length=16),
             "scope": forms.ChoiceField(label="For", choices=[("customer", "this customer"),
                                                              ("everyone", "every customer")]),
             "customer_number": _text("Customer number (this customer)", max_length=32,
                                      required=False)}, {"alias": written, "scope": "customer"})


def _failing_line(case, kind: str) -> OrderLine | None:
    """The first line the case holds a price cause for: the fix is about its
    product, never that of another line (which may have an agreement)."""
    lines = price_lines(case, FIXES[kind])
    return lines[0] if lines else None


def _far_price_field() -> forms.BooleanField:
    return forms.BooleanField(required=False,
                              label="Confirm a price far from the last price paid")


def _price_fields(order: Order, case):
    line = _failing_line(case, "price")
    return ({"sku": _text("SKU", max_length=64),
             "unit_price": forms.DecimalField(label="Price per base unit", min_value=0,
                                              max_digits=18, decimal_places=4),
             "currency": _text("Currency", max_length=3, required=False),
             "valid_from": forms.DateField(label="Valid from", required=False,
                                           widget=forms.DateInput(attrs={"type": "date"})),
             "valid_to": forms.DateField(label="Valid to", required=False,
                                         widget=forms.DateInput(attrs={"type": "date"})),
             **_customer_field(),
             "replace_agreement": forms.BooleanField(
                 required=False, label="Replace the current agreement"),
             "confirm_far_price": _far_price_field()},
            {"sku": line.product.sku if line else "",
             # The document's price is per its own unit: a suggestion only when that is the base unit.
             "unit_price": line.unit_price if line and line.resolved_uom == line.product.base_uom
             and line.price_per in (None, 1) else None,
             "currency": order.currency})


def _extend_fields(order: Order, case):
    line = _failing_line(case, "price_extend")
    return ({"sku": _text("SKU", max_length=64),
             "valid_to": forms.DateField(label="Valid to (empty: open end)", required=False,
                                         widget=forms.DateInput(attrs={"type": "date"})),
             **_customer_field(), "confirm_far_price": _far_price_field()},
            {"sku": line.product.sku if line else ""})


_FIX_FIELDS = {"contact": _contact_fields, "email_domain": _domain_fields,
               "customer_part": _part_fields, "shipto": _shipto_fields,
               "unit_alias": _unit_fields, "price": _price_fields, "price_extend": _extend_fields}
