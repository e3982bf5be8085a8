from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "ocop.certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from ocop.accounts.models import Target
        from ocop.certificates import checkpoints, jws_jobs
        from ocop.certificates.access import can_manage_any
        from ocop.certificates.history import HistoryImporter, history_template
        from ocop.core import worker_jobs
        from ocop.registry.imports import OtherImport, register_import

        register_import(
            "history",
            OtherImport(
                importer=HistoryImporter,
                allowed=can_manage_any,
                template=history_template,
                title=_("Import recognition history"),
                done=Target.CERTIFICATES,
            ),
        )
        checkpoints.connect()  # each issued decision signs the log's new head
        worker_jobs.at_start(jws_jobs.queue_now)  # certificates signed before the JWS form get theirs
        from django.db.models.signals import post_save

        from ocop.certificates.standing import product_saved
        from ocop.registry.models import Product

        post_save.connect(product_saved, sender=Product, dispatch_uid="certificates.standing.product_saved")
