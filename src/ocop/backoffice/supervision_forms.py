"""Forms of supervision: plans, scheduling, the checklist, the follow-up of a finding, sanctions and photos. They
parse and bound what is posted, each refusal naming its field; the choices of records come from the gateways
(`supervision.access`, and the registry's, outlets' and certificates' for the subject). The services
(`ocop.supervision.services`) check access and the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ocop.accounts.models import User
from ocop.backoffice.certificate_forms import TEXT_LIMIT, BackofficeForm
from ocop.backoffice.fields import DateField
from ocop.backoffice.forms import DATE_WIDGET
from ocop.certificates.models import Certificate, ConsumerReport
from ocop.outlets.models import Outlet
from ocop.registry.models import Producer, Product
from ocop.supervision.enums import CheckArea, CheckResult, RiskReason, SanctionKind, Severity
from ocop.supervision.models import Finding, InspectionPlan
from ocop.supervision.services import FindingInput


class PlanForm(BackofficeForm):
    title = forms.CharField(label=_("Title"), max_length=300, error_messages={"required": _("Enter the plan's title.")})
    starts_on = DateField(
        label=_("First day"), widget=DATE_WIDGET, error_messages={"required": _("Enter the first day.")}
    )
    ends_on = DateField(label=_("Last day"), widget=DATE_WIDGET, error_messages={"required": _("Enter the last day.")})
    team = forms.CharField(label=_("Inspection team"), max_length=TEXT_LIMIT, required=False)
    note = forms.CharField(label=_("Note"), max_length=TEXT_LIMIT, required=False)


def _optional(queryset: QuerySet[Any], label: Any) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return forms.ModelChoiceField(queryset=queryset, label=label, required=False)


class ScheduleForm(BackofficeForm):
    producer = _optional(Producer.objects.none(), _("Producer"))
    product = _optional(Product.objects.none(), _("Product"))
    outlet = _optional(Outlet.objects.none(), _("Outlet"))
    planned_on = DateField(
        label=_("Day"), widget=DATE_WIDGET, error_messages={"required": _("Enter the day of the inspection.")}
    )
    inspector = _optional(User.objects.none(), _("Inspector"))
    plan = _optional(InspectionPlan.objects.none(), _("Inspection plan"))
    report = _optional(ConsumerReport.objects.none(), _("Consumer report"))
    reason = forms.MultipleChoiceField(choices=RiskReason.choices, label=_("Why chosen"), required=False)

    def __init__(
        self,
        *args: Any,
        producers: QuerySet[Producer],
        products: QuerySet[Product],
        outlets: QuerySet[Outlet],
        inspectors: QuerySet[User],
        plans: QuerySet[InspectionPlan],
        reports: QuerySet[ConsumerReport],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = {"producer": producers, "product": products.select_related("producer"), "outlet": outlets,
                   "inspector": inspectors, "plan": plans, "report": reports.select_related("certificate")}  # fmt: skip
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]


class RecordForm(BackofficeForm):
    """The checklist: for each check its result and note, and for a check not in order the finding, its severity
    and the day to fix it by. Which of them a check needs is the service's rule (it names the check)."""

    done_on = DateField(label=_("Inspection day"), widget=DATE_WIDGET, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=TEXT_LIMIT, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for area in CheckArea:

            def named(what: Any, area: CheckArea = area) -> Any:
                return format_lazy("{} ({})", what, area.label)

            self.fields[f"result_{area}"] = forms.ChoiceField(
                choices=[("", "—"), *CheckResult.choices], label=area.label, required=False
            )
            self.fields[f"note_{area}"] = forms.CharField(label=named(_("Note")), max_length=500, required=False)
            self.fields[f"finding_{area}"] = forms.CharField(
                label=named(_("What is not in order")), max_length=TEXT_LIMIT, required=False
            )
            self.fields[f"severity_{area}"] = forms.ChoiceField(
                choices=[("", "—"), *Severity.choices], label=named(_("Severity")), required=False
            )
            self.fields[f"fix_by_{area}"] = DateField(label=named(_("Fix by")), widget=DATE_WIDGET, required=False)

    def checks(self) -> dict[str, tuple[str, str]]:
        d = self.cleaned_data
        return {area: (d[f"result_{area}"], d[f"note_{area}"]) for area in CheckArea}

    def findings(self) -> dict[str, FindingInput]:
        d = self.cleaned_data
        return {
            area.value: FindingInput(d[f"finding_{area}"], d[f"severity_{area}"], d[f"fix_by_{area}"])
            for area in CheckArea
        }


class FixForm(BackofficeForm):
    fixed_on = DateField(
        label=_("Fixed on"), widget=DATE_WIDGET, error_messages={"required": _("Enter the day the fix was seen.")}
    )
    note = forms.CharField(label=_("Follow-up"), max_length=TEXT_LIMIT, required=False)


class CertificateChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} · {obj.product.name} ({obj.get_status_display()})"


class SanctionForm(BackofficeForm):
    kind = forms.ChoiceField(
        choices=SanctionKind.choices, label=_("Sanction"), error_messages={"required": _("Choose the sanction.")}
    )
    certificate = CertificateChoiceField(
        queryset=Certificate.objects.none(), label=_("Certificate"), required=False,
        error_messages={"invalid_choice": _(
            "This certificate is not one of the inspected product's, producer's or outlet's.")},
    )  # fmt: skip
    finding = forms.ModelChoiceField(
        queryset=Finding.objects.none(), label=_("Finding"), required=False,
        error_messages={"invalid_choice": _("This finding belongs to another inspection.")},
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason"), max_length=TEXT_LIMIT, error_messages={"required": _("Give the reason for the sanction.")}
    )

    def __init__(
        self, *args: Any, certificates: QuerySet[Certificate], findings: QuerySet[Finding], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["certificate"].queryset = certificates.select_related("product")  # type: ignore[attr-defined]
        self.fields["finding"].queryset = findings  # type: ignore[attr-defined]


class InspectionPhotoForm(BackofficeForm):
    photo = forms.FileField(label=_("Photo"), error_messages={"required": _("Choose a photo.")})
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
