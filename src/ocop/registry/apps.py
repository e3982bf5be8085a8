from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "ocop.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from ocop.core.search import register_partial_words_index, register_search_table

        register_search_table("registry_producer")
        register_search_table("registry_product")
        # The public catalogue (certificates.catalogue) searches only products ever certified.
        register_partial_words_index("registry_product", "product_certified_words", "ocop_status <> ''")
