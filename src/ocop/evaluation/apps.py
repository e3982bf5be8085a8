from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "ocop.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from ocop.accounts.models import Target
        from ocop.evaluation.criteria_import import CriteriaImporter, criteria_template, reaches_criteria_import
        from ocop.registry.imports import OtherImport, register_import

        register_import(
            "criteria",
            OtherImport(
                importer=CriteriaImporter,
                allowed=reaches_criteria_import,
                template=criteria_template,
                title=_("Import criteria"),
                done=Target.CRITERIA,
            ),
        )
