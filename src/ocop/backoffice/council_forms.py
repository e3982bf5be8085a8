"""Forms of rounds and councils: opening a round and its deadlines, setting up a council, attendance, and the
presiding member's two ways of closing a spread review. The forms parse and validate (naming the field);
`evaluation.dossiers`, `evaluation.scoring` and `evaluation.spread` decide who may act and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ocop.accounts.models import User
from ocop.backoffice.evaluation_forms import TEXT_LIMIT, Form
from ocop.backoffice.fields import DateField, TimeField
from ocop.evaluation.enums import MemberRole, RoundLevel
from ocop.evaluation.models import CouncilMember, CriteriaVersion, Dossier, Round, ScoreSheet
from ocop.evaluation.rules import SheetScore
from ocop.places.models import Province

COUNCIL_ROWS = 11


def _round_label(name: str) -> Any:
    return capfirst(Round._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


class RoundDatesForm(Form):
    """A round's deadlines, each optional; their order is the service's to check."""

    submission_deadline = DateField(label=_round_label("submission_deadline"), required=False)
    proposal_deadline = DateField(label=_round_label("proposal_deadline"), required=False)
    council_date = DateField(label=_round_label("council_date"), required=False)


class ProvinceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class VersionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.get_provenance_display()}"


class RoundForm(RoundDatesForm):
    province = ProvinceChoiceField(queryset=Province.objects.all(), label=_round_label("province"), empty_label=None)
    year = forms.IntegerField(
        label=_round_label("year"),
        min_value=2019,
        max_value=2100,
        error_messages={
            key: _("Enter a year between 2019 and 2100.") for key in ("required", "invalid", "min_value", "max_value")
        },
    )
    number = forms.IntegerField(
        label=_round_label("number"),
        min_value=1,
        max_value=20,
        initial=1,
        error_messages={
            key: _("Enter a round number from 1 to 20.") for key in ("required", "invalid", "min_value", "max_value")
        },
    )
    level = forms.TypedChoiceField(
        label=_round_label("level"),
        choices=RoundLevel.choices,
        coerce=RoundLevel,
        initial=RoundLevel.PROVINCE,
        error_messages={"required": _("Choose a level."), "invalid_choice": _("Choose a level.")},
    )
    criteria_version = VersionChoiceField(
        queryset=CriteriaVersion.objects.none(),
        label=_round_label("criteria_version"),
        empty_label=None,
        error_messages={"required": _("Choose a criteria version."), "invalid_choice": _("Choose a criteria version.")},
    )
    field_order = ["province", "year", "number", "level", "criteria_version"]

    def __init__(
        self, *args: Any, provinces: QuerySet[Province], versions: QuerySet[CriteriaVersion], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Provinces are reference data: any is read (the service says who opens a round where); those offered are
        # the ones the user opens rounds in.
        self.fields["province"].choices = [(p.pk, p.name) for p in provinces]  # type: ignore[attr-defined]
        self.can_open = bool(self.fields["province"].choices)  # type: ignore[attr-defined]
        field = self.fields["criteria_version"]
        field.queryset = versions  # type: ignore[attr-defined]
        field.choices = [(v.pk, field.label_from_instance(v)) for v in versions]  # type: ignore[attr-defined]  # read once


def _member_label(user: User) -> str:
    return f"{user.get_full_name() or user.username} ({user.username})"


class CouncilForm(Form):
    """A council: its name, founding decision and up to `COUNCIL_ROWS` members (person, role, agency)."""

    name = forms.CharField(label=capfirst(_("name")), max_length=255)
    decision = forms.CharField(
        label=_("Number of the founding decision"),
        max_length=120,
        required=False,
        help_text=_("As written on the decision, e.g. 1675/QĐ-UBND."),
    )
    decision_date = DateField(label=_("Date of the founding decision"), required=False)
    meeting_place = forms.CharField(label=_("Meeting place"), max_length=255, required=False)

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = range(COUNCIL_ROWS)
        offered = [("", "—"), *((u.pk, _member_label(u)) for u in candidates)]  # read once for the eleven rows
        for i in self.rows:
            n = i + 1
            self.fields[f"user_{i}"] = field = forms.ModelChoiceField(
                queryset=candidates, required=False, label=f"{_('Member')} {n}"
            )
            field.choices = offered
            self.fields[f"role_{i}"] = forms.TypedChoiceField(
                label=f"{_('Role')} {n}",
                choices=MemberRole.choices,
                coerce=MemberRole,
                required=False,
                empty_value=MemberRole.MEMBER,  # a row left as it is seats a member
                initial=MemberRole.CHAIR if i == 0 else MemberRole.MEMBER,
            )
            self.fields[f"agency_{i}"] = forms.CharField(label=f"{_('Agency')} {n}", max_length=255, required=False)
            for name in ("user", "role", "agency"):
                row_field = self.fields[f"{name}_{i}"]
                row_field.widget.attrs["aria-label"] = row_field.label

    def row_fields(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"user_{i}"], self[f"role_{i}"], self[f"agency_{i}"]) for i in self.rows]

    def members(self) -> list[tuple[User, MemberRole, str]]:
        data = self.cleaned_data
        return [(data[f"user_{i}"], data[f"role_{i}"], data[f"agency_{i}"]) for i in self.rows if data[f"user_{i}"]]


class AttendanceForm(Form):
    present = forms.ModelMultipleChoiceField(queryset=CouncilMember.objects.none(), label=_("Present"), required=False)
    meeting_start = TimeField(
        label=_("Meeting started at"), required=False, help_text=_("hh:mm; left empty, the present hour.")
    )

    def __init__(self, *args: Any, members: QuerySet[CouncilMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members  # type: ignore[attr-defined]


class CloseMeetingForm(Form):
    meeting_end = TimeField(
        label=_("Meeting ended at"), required=False, help_text=_("hh:mm; left empty, the present hour.")
    )


class AcceptTotalsForm(Form):
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


class ExcludeSheetForm(Form):
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
