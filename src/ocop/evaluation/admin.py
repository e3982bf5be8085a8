"""The settings the province office keeps in the Django admin: council rules and the criteria catalogue.

Criteria versions are loaded by `ocop import criteria`; here they can be read, and their names, dates and star
thresholds corrected. Lines and options are edited through a new workbook, which is validated as a whole.
"""

from django.contrib import admin

from ocop.evaluation.models import ChecklistItem, CouncilRules, CriteriaSet, CriteriaVersion


@admin.register(CouncilRules)
class CouncilRulesAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("province", "quorum", "quorum_needs_chair", "max_spread", "spread_rounds", "rounding")


@admin.register(CriteriaVersion)
class CriteriaVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "provenance", "in_force_from", "in_force_until")
    readonly_fields = ("code", "part_a_max", "part_b_max", "part_c_max", "provenance")


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("version", "code", "name", "group_name", "product_set")
    list_filter = ("version",)
    search_fields = ("code", "name")
    readonly_fields = ("version", "code")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("version", "section", "name", "kind", "required", "criteria_set")
    list_filter = ("version", "section", "required")
