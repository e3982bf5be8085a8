"""Reference data the province office maintains: product groups and product sets."""

from django.contrib import admin

from ocop.registry.models import ProductGroup, ProductSet


@admin.register(ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "position")


@admin.register(ProductSet)
class ProductSetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "group", "lead_ministry", "is_active")
    list_filter = ("group", "is_active")
    search_fields = ("code", "name")
