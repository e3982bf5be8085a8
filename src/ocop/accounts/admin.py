from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from ocop.accounts.models import RoleAssignment, User


class RoleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ("province", "commune")


@admin.register(User)
class OcopUserAdmin(UserAdmin):  # type: ignore[type-arg]
    inlines = (RoleInline,)
    list_display = ("username", "full_name", "email", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("OCOP", {"fields": ("full_name", "phone")}))  # type: ignore[misc]
