from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "ocop.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from ocop.evaluation.criteria_import import run_criteria_import
        from ocop.registry.imports import register_import

        register_import("criteria", run_criteria_import)
