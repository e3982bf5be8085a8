"""Forms of the outlet pages: each parses and checks what is typed, naming the field; the outlet services decide.
Choices of records (communes, operators, products, packs, accounts) come from the outlets gateway."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from ocop.backoffice import fields
from ocop.backoffice.forms import CommuneChoiceField, PlainLabels
from ocop.outlets import access, sales
from ocop.outlets.enums import ItemKind
from ocop.outlets.models import Assessment, AssessmentLine, Operator, Outlet
from ocop.places.models import Commune
from ocop.registry.models import Product, ProductPack

OPERATOR_FIELDS = ("operator", "operator_name")


class CoordinateField(fields.FloatField):
    """A latitude or longitude, shown to 6 decimals (a tenth of a metre): 105.852, not the stored float's
    105.85199999999999. What is typed is kept as typed."""

    def prepare_value(self, value: Any) -> Any:
        return round(value, 6) if isinstance(value, float) else value


class OutletForm(PlainLabels, fields.NamedErrors, forms.ModelForm):  # type: ignore[type-arg]
    """The outlet's details. The commune is one of the province's; latitude, longitude and floor area are numbers
    written with a comma or a point."""

    commune = CommuneChoiceField(queryset=Commune.objects.none(), label=_("commune"))
    latitude = CoordinateField(
        label=_("latitude"), required=False, help_text=_("Leave empty to use the commune's centre.")
    )
    longitude = CoordinateField(label=_("longitude"), required=False)
    floor_area = fields.DecimalField(label=_("floor area (m²)"), required=False, max_digits=9, decimal_places=1)

    class Meta:
        model = Outlet
        fields = [
            "kind", "name", "location_type", "commune", "address", "latitude", "longitude", "floor_area",
            "opening_hours", "contact_name", "phone", "email", "website",
        ]  # fmt: skip
        help_texts = {
            "opening_hours": _("For example: T2-T6 07:30-17:30; T7, CN 08:00-12:00. Or: Hằng ngày 8:00-21:00.")
        }

    def __init__(self, *args: Any, communes: QuerySet[Commune], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        pass  # the service validates the outlet as a whole (outlets.services._check)

    def outlet_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def detail_fields(self) -> list[BoundField]:
        return [self[name] for name in self.fields if name not in OPERATOR_FIELDS]


class OutletCreateForm(OutletForm):
    """A new outlet and who runs it: an operator already running one in the province, or a new operator's name."""

    operator = forms.ModelChoiceField(
        queryset=Operator.objects.none(), required=False, label=_("An operator already known")
    )
    operator_name = forms.CharField(label=_("or a new operator's name"), max_length=255, required=False)

    def __init__(self, *args: Any, operators: QuerySet[Operator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if (
            not data.get("operator")
            and not (data.get("operator_name") or "").strip()
            and not self.has_error("operator")
        ):
            self.add_error("operator_name", _("Give the operator's name."))
        return data

    def chosen_operator(self) -> Operator | str:
        return self.cleaned_data.get("operator") or self.cleaned_data["operator_name"]


class RecogniseForm(PlainLabels, fields.NamedErrors, forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    signed_on = fields.DateField(label=_("Decision date"))
    body = forms.CharField(label=_("Issued by"), max_length=200, required=False)


class ReasonForm(PlainLabels, fields.NamedErrors, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class StockAddForm(PlainLabels, fields.NamedErrors, forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), required=False, label=_("product"))
    packs = forms.ModelMultipleChoiceField(queryset=ProductPack.objects.none(), required=False, label=_("packs"))
    label = forms.CharField(label=_("Another local product (not OCOP)"), max_length=255, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = access.products_for_shelf(user)  # type: ignore[attr-defined]
        self.fields["packs"].queryset = access.packs_for_shelf(user)  # type: ignore[attr-defined]


class StockRemoveForm(PlainLabels, fields.NamedErrors, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class MemberForm(PlainLabels, fields.NamedErrors, forms.Form):
    username = forms.CharField(label=_("Operator account (user name)"), max_length=150)

    def clean_username(self) -> Any:
        name = self.cleaned_data["username"].strip()
        user = access.operator_accounts().filter(username=name).first()
        if user is None:
            raise ValidationError(_("No outlet-operator account is called “%(name)s”.") % {"name": name[:60]})
        return user


class AssessmentForm(PlainLabels, fields.NamedErrors, forms.Form):
    """The answers of a draft assessment: a field per line of its checklist (met-<item>, points-<item>,
    note-<item>); only the lines posted are answers, the others keep theirs."""

    assessed_on = fields.DateField(label=_("Assessment date"), required=False)
    team = forms.CharField(label=_("Assessment team"), max_length=300, required=False)
    note = forms.CharField(label=_("Conclusion"), required=False, widget=forms.Textarea)
    evidence = forms.FileField(label=_("Evidence (PDF, JPEG or PNG)"), required=False)
    evidence_caption = forms.CharField(label=_("What the evidence shows"), max_length=200, required=False)
    finalise = forms.BooleanField(required=False)

    def __init__(self, *args: Any, lines: list[AssessmentLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            item, label = line.item, _("Item %(code)s") % {"code": line.item.code}
            if item.kind == ItemKind.SCORE:
                self.fields[f"points-{item.pk}"] = fields.DecimalField(
                    label=label, required=False, min_value=0, max_value=item.points, max_digits=5, decimal_places=1
                )
            else:
                self.fields[f"met-{item.pk}"] = forms.ChoiceField(
                    label=label, required=False, choices=[("", ""), ("yes", _("met")), ("no", _("not met"))]
                )
            self.fields[f"note-{item.pk}"] = forms.CharField(label=label, max_length=500, required=False)

    def answers(self) -> dict[int, dict[str, Any]]:
        """item id → met (True, False, None), points and note, for the lines whose fields were posted."""
        found: dict[int, dict[str, Any]] = {}
        for line in self.lines:
            keys = [f"{k}-{line.item_id}" for k in ("met", "points", "note")]
            if not any(key in self.data for key in keys):
                continue
            met = self.cleaned_data.get(keys[0], "")
            found[line.item_id] = {
                "met": None if not met else met == "yes",
                "points": self.cleaned_data.get(keys[1]),
                "note": self.cleaned_data.get(keys[2], ""),
            }
        return found


class SalesMonthForm(PlainLabels, fields.NamedErrors, forms.Form):
    """The month a sales page or sheet shows (?month=MM/YYYY; this month when absent)."""

    month = forms.CharField(label=_("Month (MM/YYYY)"), max_length=40, required=False)

    def clean_month(self) -> dt.date | None:
        value = self.cleaned_data["month"]
        return sales.parse_month(value) if value else None


class SalesForm(PlainLabels, fields.NamedErrors, forms.Form):
    """A month's sales of an outlet: quantity-<product> and revenue-<product> for the products ever on its shelf
    (the service then takes only those stocked that month). A row left empty is not recorded."""

    month = forms.CharField(label=_("Month (MM/YYYY)"), max_length=7)

    def __init__(self, *args: Any, product_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.product_ids = product_ids
        for pid in product_ids:
            self.fields[f"quantity-{pid}"] = forms.CharField(label=_("Quantity"), max_length=40, required=False)
            self.fields[f"revenue-{pid}"] = forms.CharField(label=_("Revenue"), max_length=40, required=False)

    def clean_month(self) -> dt.date:
        return sales.parse_month(self.cleaned_data["month"])

    def clean(self) -> dict[str, Any]:
        for pid in self.product_ids:  # each as the column stores it, refused with the sales rules' messages
            for name, parse in (("quantity", sales.quantity_of), ("revenue", sales.revenue_of)):
                key = f"{name}-{pid}"
                if self.cleaned_data.get(key):
                    try:
                        self.cleaned_data[key] = parse(self.cleaned_data[key])
                    except ValidationError as exc:
                        self.add_error(key, exc)
        return self.cleaned_data

    def entries(self) -> list[sales.Entry]:
        return [
            sales.Entry(product_id=pid, quantity=self.cleaned_data.get(f"quantity-{pid}"),
                        revenue=self.cleaned_data.get(f"revenue-{pid}"), row=pid)
            for pid in self.product_ids
            if self.cleaned_data.get(f"quantity-{pid}") not in (None, "")
            or self.cleaned_data.get(f"revenue-{pid}") not in (None, "")
        ]  # fmt: skip


def assessment_form(assessment: Assessment, data: Any = None, files: Any = None) -> AssessmentForm:
    lines = list(assessment.lines.select_related("item").order_by("item__position"))
    return AssessmentForm(data, files, lines=lines)
