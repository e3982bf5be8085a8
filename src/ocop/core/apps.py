from django.apps import AppConfig
from django.core import checks
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import fields as model_fields
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ocop.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from ocop.core import converters
        from ocop.core.collation import register_sqlite
        from ocop.core.search import ensure_search_indexes
        from ocop.core.storage_faults import bucket_check

        converters.register()  # `<id:pk>` in the URL confs
        checks.register(bucket_check, "ocop_storage", deploy=True)  # OCOP_STORAGE_URL's bucket reachable

        # The empty choice of every select Django builds (a model field's choices, a ModelChoiceField): Django 6.1
        # offers "- Select an option -", untranslated in Vietnamese; ours, once for all.
        model_fields.BLANK_CHOICE_LABEL = _("— Choose —")

        # Vietnamese order on SQLite (PostgreSQL has the ICU collation of migration 0002).
        connection_created.connect(register_sqlite, dispatch_uid="ocop.core.collation")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:  # opened before this app was ready
                register_sqlite(None, connection)

        # Search indexes are vendor-specific objects Django's migrations do not model; see core/search.py.
        post_migrate.connect(ensure_search_indexes, dispatch_uid="ocop.core.search")
