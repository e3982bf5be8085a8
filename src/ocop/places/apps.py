from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "ocop.places"
    label = "places"
    verbose_name = _("Administrative units")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from ocop.places.models import Commune, Province
        from ocop.places.signals import unit_saved

        for model in (Province, Commune):
            post_save.connect(unit_saved, sender=model, dispatch_uid=f"places.units_changed.{model.__name__}")
