"""Forms of the back office (the registry's: producers, products, documents, imports, the review queue, renames).
Each parses and checks what one action takes, naming the field in its messages, with the records it may name limited
by the gateway's querysets; the registry services then check access and the rules across fields, and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ocop.backoffice.fields import DateField, NamedErrors
from ocop.core.excel import ExcelError
from ocop.core.xlsx import check_upload
from ocop.places.models import Commune
from ocop.registry.enums import DocumentKind, ProductStatus
from ocop.registry.importing import CELL_LIMIT, Choices, ImportReport
from ocop.registry.models import (
    NAME_MAX,
    Document,
    ImportMode,
    IncompleteRows,
    ParkedRow,
    Producer,
    Product,
    ProductPack,
    ProductSet,
)
from ocop.registry.renames import NOTE_MAX

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


class ConfirmForm(forms.Form):
    """A button that acts on the record in the URL (delete, remove, run again, submit or publish a dossier, reinstate
    an outlet): nothing to parse, but the write runs through `run_form` like every other, and the service's refusal
    comes back as the form's error."""


ID_MAX = 2**63 - 1


class FilterForm(forms.Form):
    """A list's filters from the query string. A value that does not parse narrows nothing (a list is a GET)."""

    def values(self) -> dict[str, Any]:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ProducerFilter(FilterForm):
    kind = forms.CharField(required=False)
    commune = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)


class ProductFilter(FilterForm):
    group = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    commune = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    status = forms.CharField(required=False)
    producer = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)


class ParkedFilter(FilterForm):
    job = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)


class ProducerForm(PlainLabels, NamedErrors, forms.ModelForm):  # type: ignore[type-arg]
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


class ProductForm(PlainLabels, NamedErrors, forms.ModelForm):  # type: ignore[type-arg]
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
        self.fields["product_set"].required = True  # empty only on records entered from incomplete lists
        self.fields["status"].initial = ProductStatus.ACTIVE
        if not with_pack:
            for name in ("pack_name", "pack_size", "pack_gtin"):
                del self.fields[name]

    def _post_clean(self) -> None:
        pass

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "pack_name" in self.fields and data.get("pack_gtin") and not data.get("pack_name"):
            # The pack takes the product's name when it has none; a name longer than a pack's is not cut.
            limit = ProductPack._meta.get_field("name").max_length or 0
            if len(data.get("name") or "") > limit:
                self.add_error(
                    "pack_name",
                    forms.ValidationError(_("Name the pack (at most %(limit)s characters)."), params={"limit": limit}),
                )
        return data

    def product_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}

    def packs(self) -> list[dict[str, str]]:
        name = self.cleaned_data.get("pack_name") or ""
        gtin = self.cleaned_data.get("pack_gtin") or ""
        if not name and not gtin:
            return []
        return [
            {"name": name or self.cleaned_data["name"], "size": self.cleaned_data.get("pack_size") or "", "gtin": gtin}
        ]


class PackForm(PlainLabels, NamedErrors, forms.Form):
    name = forms.CharField(label=_("pack"), max_length=120)
    size = forms.CharField(label=_("size"), max_length=60, required=False)
    gtin = forms.CharField(label=_("barcode (GTIN)"), max_length=14, required=False)


class PhotoForm(PlainLabels, NamedErrors, forms.Form):
    image = forms.FileField(label=_("photo (JPEG or PNG)"))
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)


class DocumentForm(PlainLabels, NamedErrors, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Document
        fields = ["kind", "title", "number", "issuer", "issued_on", "expires_on", "product"]
        field_classes = {"issued_on": DateField, "expires_on": DateField}
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
    file = forms.FileField(label=_("file (PDF, JPEG or PNG, at most 20 MB)"), max_length=NAME_MAX)

    class Meta(DocumentForm.Meta):
        fields = ["file", *DocumentForm.Meta.fields]

    def document_fields(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in DocumentForm.Meta.fields}


class ImportForm(PlainLabels, NamedErrors, forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"), max_length=NAME_MAX)

    def clean_file(self) -> Any:
        """Refuse at once what cannot be a workbook (a CSV, an old .xls, a password-protected file, a file too
        large), so nothing is stored; everything else is read by the task worker."""
        upload = self.cleaned_data["file"]
        limit = settings.OCOP_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB."),
                params={"size": number_format(upload.size / 1048576, 1), "limit": number_format(limit / 1048576, 0)},
            )
        try:
            check_upload(upload)
        except ExcelError as exc:
            raise ValidationError(str(exc)) from None
        return upload


class ImportDecisionForm(PlainLabels, NamedErrors, forms.Form):
    """The dry-run page's decisions: what to do with incomplete rows, how to save, today's commune for place words
    that need one, and for each look-alike row whether it is a new record or an existing one; then save, or check
    again with them."""

    SAVE, RECHECK = "save", "recheck"

    incomplete = forms.ChoiceField(
        label=_("Incomplete rows (no tax code, a former district only, an unknown commune)"),
        choices=IncompleteRows.choices,
        widget=forms.RadioSelect,
        initial=IncompleteRows.CREATE,
    )
    mode = forms.ChoiceField(
        label=_("How to save"), choices=ImportMode.choices, widget=forms.RadioSelect, initial=ImportMode.ALL_OR_NOTHING
    )
    action = forms.ChoiceField(
        required=False, choices=[(SAVE, SAVE), (RECHECK, RECHECK)], widget=forms.HiddenInput, initial=SAVE
    )

    def commit(self) -> bool:
        return bool(self.cleaned_data.get("action") != self.RECHECK)

    def __init__(self, *args: Any, report: ImportReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        later: list[tuple[Any, Any]] = [("", _("decide later (the row waits for review)"))]
        for i, choice in enumerate(report.places):
            ordered = sorted(choice.candidates, key=lambda c: (not c[3], c[2]))  # the likely ones first
            self.fields[f"place-{i}"] = forms.TypedChoiceField(
                label=_("%(words)s (rows %(rows)s)") % {"words": choice.text, "rows": _rows(choice.rows)},
                required=False,
                coerce=int,
                empty_value=None,
                choices=later + [(c[0], _candidate_label(c)) for c in ordered],
                initial=choice.chosen,
            )
        for row in report.rows:
            if not (row.similar or row.same):
                continue
            options = [("new", _("a new record"))] + [
                (str(s[0]), _("the same as “%(name)s” (%(score)s%%)") % {"name": s[1], "score": s[2]})
                for s in row.similar
                if s[0] is not None
            ]
            if row.same and row.same not in dict(options):
                options.append((row.same, _("the record chosen (id %(id)s)") % {"id": row.same}))
            self.fields[f"same-{row.row}"] = forms.ChoiceField(
                label=_("Row %(row)s: %(name)s") % {"row": row.row, "name": row.label},
                required=False,
                choices=later + options,
                initial=row.same,
            )

    def place_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("place-")]

    def same_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("same-")]

    def choices_made(self, before: Choices) -> Choices:
        """The choices to run with: the page's answers over the ones made before (a question the page no longer
        asks keeps its answer; one it asks takes the answer given, "decide later" clearing it)."""
        places = dict(before.places)
        for i, c in enumerate(self.report.places):
            value = self.cleaned_data.get(f"place-{i}")
            if value is None:
                places.pop(c.words, None)
            else:
                places[c.words] = value
        same = dict(before.same)
        for name, value in self.cleaned_data.items():
            if name.startswith("same-"):
                row = int(name.removeprefix("same-"))
                if value:
                    same[row] = value
                else:
                    same.pop(row, None)
        return Choices(places=places, same=same)


def _rows(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:10])
    return shown + (" …" if len(rows) > 10 else "")


def _candidate_label(candidate: list[Any]) -> str:
    """A commune offered for an address: its name and code, and whether the address's words point to it (the
    former commune's land went there by the official list, or it bears the name)."""
    label = f"{candidate[2]} ({candidate[1]})"
    return _("%(commune)s — suggested") % {"commune": label} if candidate[3] else label


class ParkedRowForm(PlainLabels, NamedErrors, forms.Form):
    """A parked row's cells, to correct, with a commune to choose and, for a look-alike, what it is."""

    def __init__(
        self, *args: Any, columns: list[str], cells: dict[str, str], communes: list[tuple[int, str]],
        similar: list[list[Any]], **kwargs: Any
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.columns = columns
        for i, title in enumerate(columns):
            value = cells.get(title, "")
            widget = forms.Textarea(attrs={"rows": 3}) if "\n" in value or len(value) > 120 else forms.TextInput
            self.fields[f"c{i}"] = forms.CharField(
                label=title, required=False, initial=value, widget=widget, max_length=CELL_LIMIT
            )
        if communes:
            self.fields["commune"] = forms.TypedChoiceField(
                label=_("Commune today"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("as the cells say")), *communes],
            )
        if similar:
            self.fields["same"] = forms.ChoiceField(
                label=_("This row is"),
                required=False,
                choices=[("", _("decide after checking")), ("new", _("a new record"))]
                + [(str(s[0]), f"{s[1]} ({s[2]}%)") for s in similar if s[0] is not None],
            )

    def cells(self) -> dict[str, str]:
        return {title: self.cleaned_data[f"c{i}"] for i, title in enumerate(self.columns) if self.cleaned_data[f"c{i}"]}


class DismissForm(PlainLabels, NamedErrors, forms.Form):
    """Why a parked row leaves the queue unsaved."""

    reason = forms.CharField(label=_("why dismissed"), max_length=ParkedRow._meta.get_field("note").max_length)


class RenameReviewForm(PlainLabels, NamedErrors, forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=NOTE_MAX, widget=forms.TextInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
