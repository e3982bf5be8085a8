"""Forms of a dossier's steps and of the score sheet. They parse and validate what is posted, naming the field in
every refusal; `evaluation.dossiers` and `evaluation.scoring` decide (access, order of the flow) and save.

The related objects a form offers come from the evaluation gateway (`evaluation.access`), so a posted id outside
them is refused as a choice, never looked up on its own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ocop.backoffice.fields import DateField, NamedErrors
from ocop.backoffice.forms import PlainLabels
from ocop.core.text import year_text
from ocop.evaluation.enums import DossierKind
from ocop.evaluation.models import CriterionLine, Round
from ocop.evaluation.rules import LineSpec, SheetSpec
from ocop.registry.models import Document

TEXT_LIMIT = 2000  # a note, a comment, a reason
LONG_TEXT_LIMIT = 20000  # the producer's self-assessment, a site visit record


def _text(label: Any, *, limit: int = TEXT_LIMIT, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=limit, required=required, widget=forms.Textarea(attrs={"rows": 3}), **kwargs
    )


class Form(NamedErrors, PlainLabels, forms.Form):
    """A back-office form of this app: labels without a colon, each refusal naming its field."""


class RoundChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}/{year_text(obj.year)} · {obj.criteria_version.code}"


def _round_field() -> RoundChoiceField:
    return RoundChoiceField(
        queryset=Round.objects.none(),
        label=capfirst(_("round")),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose an open round."), "required": _("Choose an open round.")},
    )


class StartDossierForm(Form):
    round = _round_field()
    kind = forms.TypedChoiceField(
        label=capfirst(_("kind")), choices=DossierKind.choices, coerce=DossierKind, initial=DossierKind.NEW
    )

    def __init__(self, *args: Any, rounds: QuerySet[Round], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds.select_related("criteria_version")  # type: ignore[attr-defined]


class UpgradeForm(Form):
    round = _round_field()

    def __init__(self, *args: Any, rounds: QuerySet[Round], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds.select_related("criteria_version")  # type: ignore[attr-defined]


class SummaryForm(Form):
    summary = _text(_("Producer's self-assessment"), limit=LONG_TEXT_LIMIT)


class DocumentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()} · {obj}"


class LineChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.text[:60]}"


class EvidenceForm(Form):
    document = DocumentChoiceField(
        queryset=Document.objects.none(),
        label=_("Document from the vault"),
        error_messages={
            "required": _("Choose a document of the producer."),
            "invalid_choice": _("Choose a document of the producer."),
        },
    )
    line = LineChoiceField(
        queryset=CriterionLine.objects.none(),
        label=_("For criterion"),
        required=False,
        empty_label=_("the dossier in general"),
    )

    def __init__(
        self, *args: Any, documents: QuerySet[Document], lines: QuerySet[CriterionLine], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents.order_by("kind", "-issued_on")  # type: ignore[attr-defined]
        self.fields["line"].queryset = lines.select_related("group")  # type: ignore[attr-defined]


def _line_label(line: LineSpec) -> str:
    return str(_("Criterion %(code)s") % {"code": line.code})


def _option_field(line: LineSpec, *, required: bool) -> forms.TypedChoiceField:
    """One criterion line of a sheet: its options by position, and nothing else."""
    return forms.TypedChoiceField(
        label=_line_label(line),
        choices=[(index, f"{option.label} ({option.points})") for index, option in enumerate(line.options)],
        coerce=int,
        required=required,
        empty_value=None,
        error_messages={
            "invalid_choice": _("This is not one of the options of the criterion."),
            "required": _("Choose one of the options of the criterion."),
        },
    )


class CommuneCheckForm(Form):
    """The commune's assessment of the local criteria: one option for each line the commune assesses."""

    def __init__(self, *args: Any, sheet: SheetSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = [line for line in sheet.lines() if line.commune_assessed]
        for line in self.lines:
            self.fields[f"line_{line.code}"] = _option_field(line, required=True)
        self.fields["note"] = _text(_("Commune's report"))

    def assessment(self) -> dict[str, int]:
        return {line.code: self.cleaned_data[f"line_{line.code}"] for line in self.lines}


class ReturnForm(Form):
    items = _text(
        _("What to fix, one per line as “item: reason”"),
        required=True,
        error_messages={"required": _("Give at least one item to fix, with its reason.")},
    )
    note = _text(capfirst(_("note")))

    def clean_items(self) -> list[dict[str, str]]:
        items = []
        for raw in self.cleaned_data["items"].splitlines():
            item, sep, reason = raw.partition(":")
            reason = (reason if sep else item).strip()
            if reason:
                items.append({"item": item.strip() if sep else "", "reason": reason})
        if not items:
            raise ValidationError(_("Give at least one item to fix, with its reason."), code="required")
        return items


class SiteVisitForm(Form):
    visited_on = DateField(
        label=_("Date of the site visit"), error_messages={"required": _("Enter the date of the site visit.")}
    )
    visit_record = _text(_("Site visit record"), limit=LONG_TEXT_LIMIT)
    comments = _text(_("Comments for the producer"), limit=LONG_TEXT_LIMIT)


class ScoreSheetForm(Form):
    """A member's score sheet, built from the sheet's spec: for each line its options (by position) and a comment.

    A line may be left unanswered while the member saves a draft (the service counts the missing ones on
    submission); an option that is not the line's is refused, naming the line. `reason` is asked when the member
    revises a submitted sheet."""

    def __init__(self, *args: Any, sheet: SheetSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = sheet.lines()
        for line in self.lines:
            self.fields[f"line_{line.code}"] = _option_field(line, required=False)
            self.fields[f"comment_{line.code}"] = forms.CharField(
                label=str(_("Comment on criterion %(code)s") % {"code": line.code}),
                max_length=TEXT_LIMIT,
                required=False,
            )
        self.fields["reason"] = forms.CharField(
            label=_("Reason for the revision"), max_length=TEXT_LIMIT, required=False
        )

    def choices(self) -> dict[str, int]:
        """The options chosen, by line code (lines left blank are not in it)."""
        return {
            line.code: index for line in self.lines if (index := self.cleaned_data[f"line_{line.code}"]) is not None
        }

    def comments(self) -> dict[str, str]:
        """The comments posted, by line code. The page posts every line's; a comment field that was not posted at
        all is left out, so a save from elsewhere keeps what the member wrote."""
        return {
            line.code: self.cleaned_data[f"comment_{line.code}"]
            for line in self.lines
            if self.add_prefix(f"comment_{line.code}") in self.data
        }


class ConflictForm(Form):
    note = forms.CharField(label=_("I have a link to this producer (family, work, interest)"), max_length=255)
