from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "ocop.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from ocop.reporting import handlers

        handlers.connect()
