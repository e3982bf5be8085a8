from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "ocop.public"
    label = "public"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from ocop.public import handlers
        from ocop.public.links import public_path
        from ocop.reporting.opendata_sets import set_public_paths

        handlers.connect()
        set_public_paths(public_path)  # the open data's links to the product and outlet pages
