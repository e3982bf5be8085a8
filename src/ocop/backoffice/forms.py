"""Forms of the back office. They only collect and shape input; the registry services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ocop.outlets.models import Outlet
from ocop.places.models import Commune
from ocop.registry.enums import DocumentKind, ProductStatus
from ocop.registry.models import Document, Producer, Product, ProductSet

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class PlainLabels:
    """Labels read "Tên", not "Tên:"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class CommuneChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.province.short_name})"


def apply_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the form when the field is not there)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ProducerForm(PlainLabels, forms.ModelForm):  # type: ignore[type-arg]
    commune = CommuneChoiceField(queryset=Commune.objects.none(), label=_("commune"))

    class Meta:
        model = Producer
        fields = [
            "kind",
            "name",
            "identifier",
            "legal_representative",
            "phone",
            "email",
            "address",
            "commune",
            "women_led",
            "ethnic_minority",
        ]
        help_texts = {
            "identifier": _(
                "Enterprise or cooperative: tax code (10 digits, or 10-3 for a branch). Household business: the "
                "owner's 12-digit personal identification number, or an older registration number."
            )
        }

    def __init__(self, *args: Any, communes: QuerySet[Commune], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes.select_related("province")  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        # Model validation happens once, in the service (prepare_producer).
        pass


class ProductForm(PlainLabels, forms.ModelForm):  # type: ignore[type-arg]
    commune = CommuneChoiceField(queryset=Commune.objects.none(), label=_("commune of production"))
    pack_name = forms.CharField(label=_("pack"), max_length=120, required=False)
    pack_size = forms.CharField(label=_("size"), max_length=60, required=False)
    pack_gtin = forms.CharField(label=_("barcode (GTIN)"), max_length=14, required=False)

    class Meta:
        model = Product
        fields = ["producer", "name", "product_set", "commune", "description", "story", "status"]

    def __init__(
        self,
        *args: Any,
        producers: QuerySet[Producer],
        communes: QuerySet[Commune],
        with_pack: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers  # type: ignore[attr-defined]
        self.fields["commune"].queryset = communes.select_related("province")  # type: ignore[attr-defined]
        self.fields["product_set"].queryset = ProductSet.objects.filter(is_active=True).select_related("group")  # type: ignore[attr-defined]
        self.fields["status"].initial = ProductStatus.ACTIVE
        if not with_pack:
            for name in ("pack_name", "pack_size", "pack_gtin"):
                del self.fields[name]

    def _post_clean(self) -> None:
        pass

    def product_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}

    def packs(self) -> list[dict[str, str]]:
        name = self.cleaned_data.get("pack_name") or ""
        gtin = self.cleaned_data.get("pack_gtin") or ""
        if not name and not gtin:
            return []
        return [
            {
                "name": name or self.cleaned_data["name"][:120],
                "size": self.cleaned_data.get("pack_size") or "",
                "gtin": gtin,
            }
        ]


class PackForm(PlainLabels, forms.Form):
    name = forms.CharField(label=_("pack"), max_length=120)
    size = forms.CharField(label=_("size"), max_length=60, required=False)
    gtin = forms.CharField(label=_("barcode (GTIN)"), max_length=14, required=False)


class PhotoForm(PlainLabels, forms.Form):
    image = forms.FileField(label=_("photo (JPEG or PNG)"))
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)


class DocumentForm(PlainLabels, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Document
        fields = ["kind", "title", "number", "issuer", "issued_on", "expires_on", "product"]
        widgets = {"issued_on": DATE_WIDGET, "expires_on": DATE_WIDGET}

    def __init__(self, *args: Any, products: QuerySet[Product], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products  # type: ignore[attr-defined]
        self.fields["kind"].initial = DocumentKind.FOOD_SAFETY

    def _post_clean(self) -> None:
        pass

    def document_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class DocumentUploadForm(DocumentForm):
    file = forms.FileField(label=_("file (PDF, JPEG or PNG, at most 20 MB)"))

    class Meta(DocumentForm.Meta):
        fields = ["file", *DocumentForm.Meta.fields]

    def document_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in DocumentForm.Meta.fields}


class ImportForm(PlainLabels, forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))


class OutletForm(PlainLabels, forms.ModelForm):  # type: ignore[type-arg]
    """The outlet's details. Latitude and longitude are text (a comma or a point), checked by the service; the
    commune list shows the province's communes, and the service refuses any other."""

    commune = CommuneChoiceField(queryset=Commune.objects.all(), label=_("commune"))
    latitude = forms.CharField(
        label=_("latitude"), required=False, help_text=_("Leave empty to use the commune's centre.")
    )
    longitude = forms.CharField(label=_("longitude"), required=False)
    floor_area = forms.CharField(label=_("floor area (m²)"), required=False)

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
        field = self.fields["commune"]
        field.widget.choices = [("", "---------")] + [  # type: ignore[attr-defined]
            (c.pk, f"{c.name} ({c.province.short_name})") for c in communes.select_related("province")
        ]
        if self.instance.pk:
            for name in ("latitude", "longitude", "floor_area"):
                value = getattr(self.instance, name)
                self.initial[name] = "" if value is None else str(value)

    def _post_clean(self) -> None:
        pass  # the service validates (outlets.services._check)
