"""The presiding member's two ways of closing a spread review. The forms collect input; `evaluation.spread`
decides whether the review may close and which sheet may go."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.backoffice.forms import PlainLabels
from ocop.evaluation.models import Dossier, ScoreSheet
from ocop.evaluation.rules import SheetScore

TEXT_LIMIT = 2000


class AcceptTotalsForm(PlainLabels, forms.Form):
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed in the minutes: why the council accepts totals further apart than its rule allows."),
        error_messages={"required": _("Explanation: say why the council accepts the totals as they stand.")},
    )


class SheetChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.member)


class ExcludeSheetForm(PlainLabels, forms.Form):
    sheet = SheetChoiceField(
        queryset=ScoreSheet.objects.none(),
        label=_("Sheet to exclude"),
        error_messages={
            "required": _("Sheet: choose the member's sheet to exclude."),
            "invalid_choice": _("Sheet: this sheet belongs to another dossier."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed in the minutes with the member's name."),
        error_messages={"required": _("Reason: say why this member's sheet is excluded.")},
    )

    def __init__(
        self,
        *args: Any,
        dossier: Dossier,
        excludable: list[ScoreSheet],
        scores: dict[int, SheetScore],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sheet"]
        # Any of the dossier's sheets is looked up (the service says which may go); those offered are the ones
        # that may be excluded now, each with its total.
        field.queryset = ScoreSheet.objects.filter(dossier=dossier).select_related("member__user")  # type: ignore[attr-defined]
        field.choices = [("", "---------")] + [  # type: ignore[attr-defined]
            (sheet.pk, _label(sheet, scores.get(sheet.member_id))) for sheet in excludable
        ]


def _label(sheet: ScoreSheet, score: SheetScore | None) -> str:
    total = score.total if score is not None else sheet.total
    text = _("%(member)s (%(role)s): %(total)s points") % {
        "member": sheet.member,
        "role": sheet.member.get_role_display(),
        "total": total,
    }
    if score is not None and score.disqualified_by:
        text += ", " + _("disqualified by criterion %(code)s") % {"code": score.disqualified_by}
    return str(text)
