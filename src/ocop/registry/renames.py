"""A certified product renamed: the certificate keeps the name it was issued under, the office is told and reviews.

The rename itself is allowed (a producer may rebrand); what a certificate recognised is a product under a name, so
the province's OCOP office decides whether the new name still describes it (or calls for a new recognition). Until
it marks the rename reviewed, the product and its certificate carry a flag in the back office.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import Target, User
from ocop.accounts.permissions import require
from ocop.accounts.services import notify, office_of
from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.registry import access
from ocop.registry.models import Product, ProductRename

# The stored certificate statuses the certificates app copies onto Product.ocop_status (certificates.enums.Status;
# the registry sits below certificates and reads only its own copy): a valid one counts until its last day.
VALID, SUSPENDED = "valid", "suspended"
NOTE_MAX = 2000


def holds_certificate(product_id: int, today: dt.date) -> bool:
    """Whether the product's latest certificate is valid today or suspended (the QR page names the product)."""
    status, until = Product.objects.filter(pk=product_id).values_list("ocop_status", "ocop_until").get()
    return status == SUSPENDED or (status == VALID and until is not None and until >= today)


def flag_rename(*, product: Product, old_name: str, by: Any) -> ProductRename | None:
    """Inside `update_product`'s transaction, after a change of name: flag it when the product holds a valid or
    suspended certificate. Side effects: the flag; a notice to the province's coordinators (but the one who renamed
    it), once per rename. Returns the flag, or None for a product without such a certificate."""
    if not holds_certificate(product.pk, timezone.localdate()):
        return None
    actor = by if isinstance(by, User) else None
    rename = ProductRename.objects.create(product=product, old_name=old_name, new_name=product.name, by=actor)
    values = {"old": old_name, "new": product.name}
    notify(
        [u for u in office_of(product.province_id) if u.pk != getattr(actor, "pk", None)],
        key=f"rename:{rename.pk}",
        title=_("Certified product renamed: “%(old)s” is now “%(new)s”") % values,
        body=_(
            "The certificate and its QR page keep the name it was issued under and show the new one as the current "
            "name. Check that the new name still describes the recognised product, then mark the rename reviewed."
        ),
        target=Target.PRODUCT,
        target_id=product.pk,
    )
    return rename


@transaction.atomic
def review_rename(*, by: Any, rename: ProductRename, note: str = "") -> ProductRename:
    """Mark a flagged rename reviewed (with an optional note): its flag leaves the product's and the certificate's
    pages and the office's lists. Only the province's OCOP office reviews. Side effects: audit entry."""
    locked = ProductRename.objects.select_for_update().select_related("product").get(pk=rename.pk)
    require(access.can_review_renames(by, locked.product.province_id))
    note = note.strip()
    if locked.reviewed_at is not None:
        raise ValidationError(
            _("This rename was already reviewed on %(date)s.")
            % {"date": timezone.localtime(locked.reviewed_at).strftime("%d/%m/%Y")}
        )
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [_("The note is too long (at most 2,000 characters).")]})
    locked.reviewed_at, locked.reviewed_by, locked.review_note = timezone.now(), by, note
    locked.save(update_fields=["reviewed_at", "reviewed_by", "review_note", "updated_at"])
    audit.record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=locked,
        changes={"reviewed_at": [None, locked.reviewed_at.isoformat()], "review_note": [None, note]},
    )
    return locked
