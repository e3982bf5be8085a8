"""The assortment: what an outlet stocks, and the removal tasks raised when a product stops being an OCOP product."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocop.accounts.models import Target, User
from ocop.accounts.services import notify
from ocop.certificates.enums import LogEvent, Status
from ocop.certificates.models import Certificate
from ocop.certificates.queries import status_q
from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.outlets import access
from ocop.outlets.enums import OutletStatus, RemovalReason, TaskOutcome
from ocop.outlets.models import OperatorMember, Outlet, RemovalTask, StockItem
from ocop.outlets.signals import stock_changed
from ocop.registry.models import Product, ProductPack


def is_current(product: Product, today: dt.date | None = None) -> bool:
    """The product carries a certificate valid today (its copy of its latest certificate says so)."""
    return Product.objects.filter(status_q("current", today, prefix="ocop_"), pk=product.pk).exists()


@transaction.atomic
def add_stock(
    *,
    by: Any,
    outlet: Outlet,
    product: Product | None = None,
    packs: Sequence[ProductPack] = (),
    label: str = "",
    since: dt.date | None = None,
) -> StockItem:
    """Put a product on the outlet's shelf (`since`: a line already on the shelf before it was recorded). A certified
    product is OCOP goods only while its certificate is valid today; another local product is entered by name.
    Side effects: audit entry."""
    access.require(access.can_operate(by, outlet))
    since = since or timezone.localdate()
    if since > timezone.localdate():
        raise ValidationError({"since": [_("The date it went on the shelf cannot be in the future.")]})
    if outlet.status == OutletStatus.CLOSED:
        raise ValidationError({"product": [_("The outlet is closed.")]})
    if product is None:
        label = " ".join(label.split())
        if not label:
            raise ValidationError({"label": [_("Choose a certified product or name the other product.")]})
        item = StockItem.objects.create(outlet=outlet, label=label, added_on=since)
        audit.record(actor=by, action=AuditAction.CHANGE, obj=outlet, changes={"stock": [None, label]})
        return item
    if not is_current(product):
        raise ValidationError(
            {
                "product": [
                    _("“%(product)s” has no valid OCOP certificate today and cannot be stocked as OCOP goods.")
                    % {"product": product.name}
                ]
            }
        )
    strangers = [p for p in packs if p.product_id != product.pk]
    if strangers:
        raise ValidationError({"packs": [_("Choose packs of this product only.")]})
    try:
        with transaction.atomic():
            item = StockItem.objects.create(outlet=outlet, product=product, added_on=since)
    except IntegrityError:
        raise ValidationError(
            {"product": [_("“%(product)s” is already on this outlet's shelf.") % {"product": product.name}]}
        ) from None
    if packs:
        item.packs.set(packs)
    audit.record(actor=by, action=AuditAction.CHANGE, obj=outlet, changes={"stock": [None, product.name]})
    _changed([product.pk])
    return item


def _changed(product_ids: list[int]) -> None:
    transaction.on_commit(lambda: stock_changed.send(sender=StockItem, product_ids=product_ids))


@transaction.atomic
def remove_stock(*, by: Any, item: StockItem, reason: str = "") -> StockItem:
    """Take a line off the shelf; an open removal task for it is done. Side effects: audit entry."""
    access.require(access.can_operate(by, item.outlet))
    if item.removed_on is not None:
        raise ValidationError(_("This product is already off the shelf."))
    item.removed_on, item.removed_reason = timezone.localdate(), reason.strip()
    item.save(update_fields=["removed_on", "removed_reason", "updated_at"])
    RemovalTask.objects.filter(stock=item, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=by, outcome=TaskOutcome.REMOVED
    )
    name = item.product.name if item.product_id else item.label  # type: ignore[union-attr]
    audit.record(actor=by, action=AuditAction.CHANGE, obj=item.outlet, changes={"stock": [name, None]})
    if item.product_id:
        _changed([item.product_id])
    return item


def _raise_tasks(pairs: Iterable[tuple[int, int | None, str]]) -> list[RemovalTask]:
    """Open a task for each (product, certificate, reason) on every active shelf line of that product that has none."""
    created: list[RemovalTask] = []
    for product_id, certificate_id, reason in pairs:
        open_tasks = RemovalTask.objects.filter(done_at__isnull=True).values("stock_id")
        lines = StockItem.objects.filter(product_id=product_id, removed_on__isnull=True).exclude(pk__in=open_tasks)
        for line in lines:
            try:
                with transaction.atomic():
                    created.append(
                        RemovalTask.objects.create(
                            outlet_id=line.outlet_id,
                            stock=line,
                            product_id=product_id,
                            certificate_id=certificate_id,
                            reason=reason,
                        )
                    )
            except IntegrityError:
                continue  # another worker raised it first
    return created


def _notify(tasks: list[RemovalTask]) -> None:
    """Tell each outlet's operator accounts once per outlet and batch of tasks, in Vietnamese: in-app, and by e-mail
    (to the outlet's own address too) through the notice service's task."""
    by_outlet: dict[int, list[RemovalTask]] = {}
    for t in tasks:
        by_outlet.setdefault(t.outlet_id, []).append(t)
    if not by_outlet:
        return
    outlets = Outlet.objects.in_bulk(list(by_outlet))
    products = Product.objects.in_bulk([t.product_id for t in tasks])
    with translation.override(settings.LANGUAGE_CODE):
        for outlet_id, items in by_outlet.items():
            outlet = outlets[outlet_id]
            members = OperatorMember.objects.filter(operator_id=outlet.operator_id).values("user_id")
            lines = "\n".join(f"- {products[t.product_id].name}: {t.get_reason_display()}" for t in items)
            body = _(
                "These products are no longer valid OCOP products. Take them off the OCOP shelf of %(outlet)s today "
                "and mark the task done in OCOP Hub:\n%(lines)s"
            ) % {"outlet": outlet.name, "lines": lines}
            notify(
                User.objects.filter(pk__in=members, is_active=True),
                key=f"removal:{outlet_id}:{min(t.pk for t in items)}",
                title=_("OCOP Hub: take products off the OCOP shelf (%(outlet)s)") % {"outlet": outlet.name},
                body=body,
                target=Target.OUTLET,
                target_id=outlet_id,
                also=[outlet.email],
            )


@transaction.atomic
def react_to_certificates(*, certificate_ids: list[int], event: str, today: dt.date | None = None) -> int:
    """A certificate changed (the certificates app's `status_changed`): a suspension or revocation puts a removal task
    on every outlet that stocks the product; a lifted suspension or a new certificate closes the open tasks.
    Returns the number of tasks opened. Side effects: tasks, notices (in-app and e-mail) to the operators."""
    certificates = list(Certificate.objects.filter(pk__in=certificate_ids).only("id", "product_id", "status"))
    if event in (LogEvent.LIFTED, LogEvent.ISSUED):
        reinstate([c.product_id for c in certificates], today=today)
        return 0
    reasons = {Status.SUSPENDED: RemovalReason.SUSPENDED, Status.REVOKED: RemovalReason.REVOKED}
    pairs = [(c.product_id, c.pk, reasons[Status(c.status)]) for c in certificates if c.status in reasons]
    # A product whose newest certificate is still valid (a superseded or older one changed) stays on the shelf.
    current = set(
        Product.objects.filter(
            status_q("current", today, prefix="ocop_"), pk__in=[p for p, _c, _r in pairs]
        ).values_list("pk", flat=True)
    )
    tasks = _raise_tasks((p, c, r) for p, c, r in pairs if p not in current)
    _notify(tasks)
    return len(tasks)


def reinstate(product_ids: list[int], *, today: dt.date | None = None) -> int:
    """Close the open tasks of products that are valid again."""
    current = Product.objects.filter(status_q("current", today, prefix="ocop_"), pk__in=product_ids)
    return RemovalTask.objects.filter(product__in=current, done_at__isnull=True).update(
        done_at=timezone.now(), outcome=TaskOutcome.REINSTATED
    )


@transaction.atomic
def sweep(today: dt.date | None = None) -> int:
    """Daily: products on a shelf whose certificate expired get a removal task (once). Returns tasks opened."""
    today = today or timezone.localdate()
    lapsed = (
        Product.objects.filter(status_q(Status.EXPIRED, today, prefix="ocop_"), stocked_at__removed_on__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    certificates = dict(
        Certificate.objects.filter(product_id__in=list(lapsed), status=Status.VALID)
        .order_by("product_id", "issued_on")
        .values_list("product_id", "pk")
    )
    tasks = _raise_tasks((p, certificates.get(p), RemovalReason.EXPIRED) for p in lapsed)
    _notify(tasks)
    return len(tasks)
