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
        from ocop.certificates.standing import regroup
        from ocop.registry.signals import groups_changed

        groups_changed.connect(regroup, dispatch_uid="certificates.standing.regroup")
