"""Forms of the recognition decisions and the certificate lifecycle. They parse and bound what is posted, each
refusal naming its field; the choices of records come from the certificates gateway. The services
(`ocop.certificates.services`) check access and the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ocop.backoffice.fields import DateField, NamedErrors
from ocop.backoffice.forms import DATE_WIDGET, PlainLabels
from ocop.certificates.enums import IssuingLevel
from ocop.certificates.models import Decision
from ocop.core.text import year_text
from ocop.evaluation.models import Round
from ocop.places.models import Province
from ocop.registry.models import Product, ProductPack

TEXT_LIMIT = 2000


class BackofficeForm(NamedErrors, PlainLabels, forms.Form):
    """A form whose refusals start with the field's label."""


class RoundChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}/{year_text(obj.year)} · {obj.province.name}"


class DecisionFromRoundForm(BackofficeForm):
    round = RoundChoiceField(
        queryset=Round.objects.none(), label=_("Round"), error_messages={"invalid_choice": _("Choose a round.")}
    )

    def __init__(self, *args: Any, rounds: QuerySet[Round], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds.select_related("province")  # type: ignore[attr-defined]


class DecisionForm(BackofficeForm):
    province = forms.ModelChoiceField(queryset=Province.objects.none(), label=_("Province"))
    level = forms.ChoiceField(choices=IssuingLevel.choices, label=_("Issuing level"))
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=200, required=False)
    historical = forms.BooleanField(label=_("entered from history"), required=False)

    def __init__(self, *args: Any, provinces: QuerySet[Province], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces  # type: ignore[attr-defined]


class DecisionItemForm(BackofficeForm):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=_("Product"))
    stars = forms.TypedChoiceField(coerce=int, choices=(), label=_("Stars"))
    stars_reason = forms.CharField(
        label=_("Reason, only if the stars differ from the council result"), max_length=TEXT_LIMIT, required=False
    )
    q = forms.CharField(max_length=200, required=False)  # the search to go back to

    def __init__(self, *args: Any, products: QuerySet[Product], stars: tuple[int, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products  # type: ignore[attr-defined]
        self.fields["stars"].choices = [(s, f"{s}★") for s in stars]  # type: ignore[attr-defined]


class ItemPacksForm(BackofficeForm):
    pack = forms.ModelMultipleChoiceField(queryset=ProductPack.objects.none(), label=_("Packs"), required=False)

    def __init__(self, *args: Any, packs: QuerySet[ProductPack], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pack"].queryset = packs  # type: ignore[attr-defined]


class IssueDecisionForm(BackofficeForm):
    number = forms.CharField(
        label=_("Decision number"), max_length=Decision._meta.get_field("number").max_length,
        error_messages={"required": _("Enter the decision number.")},
    )  # fmt: skip
    signed_on = DateField(
        label=_("Date"), widget=DATE_WIDGET, error_messages={"required": _("Enter the date the decision was signed.")}
    )
    signer = forms.CharField(label=_("Signed by"), max_length=200, required=False)


class ConfirmIssueForm(IssueDecisionForm):
    """The second step: the same number, date and signer, sent again from the confirmation page with its button.
    Certificates are legal documents: they are created only when the office has seen the list and confirmed."""

    confirm = forms.BooleanField(
        label=_("Confirm"), error_messages={"required": _("Confirm on the confirmation page to issue the decision.")}
    )


class SuspendForm(BackofficeForm):
    reason = forms.CharField(
        label=_("Reason for the suspension"), max_length=TEXT_LIMIT,
        error_messages={"required": _("Give the reason for the suspension.")},
    )  # fmt: skip


class LiftForm(BackofficeForm):
    reason = forms.CharField(label=_("Note"), max_length=TEXT_LIMIT, required=False)


class RevokeForm(BackofficeForm):
    decision_number = forms.CharField(
        label=_("Revocation decision"), max_length=60,
        error_messages={"required": _("Enter the number of the revocation decision.")},
    )  # fmt: skip
    revoked_on = DateField(
        label=_("Date of the revocation decision"), widget=DATE_WIDGET,
        error_messages={"required": _("Enter the date of the revocation decision.")},
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason for the revocation"), max_length=TEXT_LIMIT,
        error_messages={"required": _("Give the reason for the revocation.")},
    )  # fmt: skip


ACTION_FORMS: dict[str, type[BackofficeForm]] = {"suspend": SuspendForm, "lift": LiftForm, "revoke": RevokeForm}
