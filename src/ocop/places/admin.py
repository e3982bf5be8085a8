"""Administrative units are ours to edit (names, coordinates); the loader never overwrites them."""

from django.contrib import admin

from ocop.places.models import Commune, IssuingBody, LegacyCommune, LegacyDistrict, LegacyProvince, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "short_name")
    search_fields = ("code", "name", "short_name")
    readonly_fields = ("code",)
    exclude = ("search_text",)


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind", "province")
    list_filter = ("kind", "province")
    search_fields = ("code", "name", "short_name")
    readonly_fields = ("code", "province")
    exclude = ("search_text",)


@admin.register(LegacyProvince)
class LegacyProvinceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "successor")
    search_fields = ("code", "name")
    readonly_fields = ("code", "successor")
    exclude = ("search_text",)


@admin.register(LegacyDistrict)
class LegacyDistrictAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "province")
    list_filter = ("province",)
    search_fields = ("code", "name")
    readonly_fields = ("code", "province")
    exclude = ("search_text",)


@admin.register(LegacyCommune)
class LegacyCommuneAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "district")
    search_fields = ("code", "name")
    readonly_fields = ("key", "code", "district")
    exclude = ("search_text",)


@admin.register(IssuingBody)
class IssuingBodyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("province", "name", "symbol", "signer_title", "signer_name", "office_name")
    search_fields = ("name", "province__name", "signer_name", "office_name")
    list_select_related = ("province",)
