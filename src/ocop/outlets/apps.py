from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutletsConfig(AppConfig):
    name = "ocop.outlets"
    label = "outlets"
    verbose_name = _("Sales points")

    def ready(self) -> None:
        from ocop.accounts.models import Target
        from ocop.outlets import handlers
        from ocop.outlets.sales import SalesImporter, can_import_sales, sales_template
        from ocop.registry.imports import OtherImport, register_import

        handlers.connect()
        register_import(
            "sales",
            OtherImport(
                importer=SalesImporter,
                allowed=can_import_sales,
                template=sales_template,
                title=_("Import monthly sales"),
                done=Target.SALES,
            ),
        )
