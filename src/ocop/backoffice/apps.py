from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "ocop.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")

    def ready(self) -> None:
        from ocop.accounts.links import set_resolver
        from ocop.backoffice.links import url_of

        set_resolver(url_of)  # the domain's links (an e-mail's) resolve to back-office pages
