"""The product import's rows: find the producer, match the product (id, barcode, else name + producer + commune),
plan its pack, and save what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core import audit
from ocop.core.bulk import create_rows, insert_rows, update_rows
from ocop.core.cells import whole_digits
from ocop.core.excel import cell_text
from ocop.core.models import AuditAction
from ocop.core.text import fold
from ocop.registry import access
from ocop.registry.columns import STATUS_ALIASES, STATUS_LABELS
from ocop.registry.enums import ProductStatus
from ocop.registry.importing import CREATE, ERROR, UNCHANGED, UPDATE, Plan, save_changes
from ocop.registry.matching import Place, ProducerBook, ProductBook, producer_key, product_key
from ocop.registry.models import ParkReason, Producer, Product, ProductPack
from ocop.registry.services import PRODUCT_FIELDS, product_search_text
from ocop.registry.set_names import SetNames
from ocop.registry.signals import groups_changed
from ocop.registry.validators import normalize_identifier, validate_gtin

PACK_NAME_MAX, PACK_SIZE_MAX = ProductPack.name.field.max_length or 0, ProductPack.size.field.max_length or 0

if TYPE_CHECKING:
    from ocop.registry.imports import ProductImporter


# Producers whose products are loaded at once in the second pass (a province's 2,000 producers of 100,000 products:
# 5,000 products a batch, and eight queries).
PRODUCERS_AT_ONCE = 250


class ProductRows:
    """Plans every row of a product workbook against the records loaded once."""

    def __init__(self, importer: ProductImporter, rows: list[tuple[int, dict[str, Any]]]) -> None:
        self.imp = importer
        self.rows = rows
        self.t = importer.title
        self.set_names = SetNames()
        self.sets_by_pk = {ps.pk: ps for ps in self.set_names.sets.values()}
        self.group_names = {ps.group_id: ps.group.name for ps in self.set_names.sets.values()}
        identifiers = {normalize_identifier(cell_text(v.get("producer_identifier"))) for _n, v in rows} - {""}
        self.producers = ProducerBook(importer.user, identifiers, tables=importer.places.parser.tables)
        self.seen_gtin: dict[str, int] = {}
        self.matched: dict[int, int] = {}  # an existing product's id → the first row that matched it

    def plan(self) -> list[Plan]:
        first: list[tuple[Plan, dict[str, Any], Producer | None, dict[str, Any]]] = []
        producer_ids: set[int] = set()
        product_ids: set[int] = set()
        gtins: set[str] = set()
        for index, (number, values) in enumerate(self.rows, start=1):
            self.imp.tick(index // 2, len(self.rows))  # two passes: the first half of the progress bar
            plan = Plan(row=number, action=CREATE, cells=self.imp.cells(values))
            producer = self.producer(plan, values)
            fields = self.fields(plan, values, producer)
            if producer is not None:
                producer_ids.add(producer.pk)
            if (pk := whole_digits(cell_text(values.get("id")))) is not None:
                product_ids.add(pk)
            if fields.get("gtin"):
                gtins.add(fields["gtin"])
            first.append((plan, values, producer, fields))
        names = {pk: self.producers.by_id[pk].name for pk in producer_ids}
        self.book = ProductBook(self.imp.user, set(), product_ids, gtins, names)
        # The second pass a batch of producers at a time, each producer's rows in the file's order: a row is compared
        # with its producer's products and the rows of that producer before it, never with another producer's.
        rows_of: dict[int, list[int]] = {}
        for index, (plan, _values, producer, _fields) in enumerate(first):
            if plan.action != ERROR and producer is not None:
                rows_of.setdefault(producer.pk, []).append(index)
        done, order = 0, list(rows_of)
        for start in range(0, len(order), PRODUCERS_AT_ONCE):
            batch = order[start : start + PRODUCERS_AT_ONCE]
            self.book.load(batch)
            for producer_id in batch:
                for index in rows_of[producer_id]:
                    plan, values, producer, fields = first[index]
                    self.match(plan, values, producer, fields)  # type: ignore[arg-type]  # grouped by producer
                    done += 1
                    self.imp.tick((len(self.rows) + done) // 2, len(self.rows))
            self.book.forget(batch)
        self.imp.tick(len(self.rows), len(self.rows))
        plans = [plan for plan, _values, _producer, _fields in first]
        self.add_packs([p for p in plans if p.action in (UPDATE, UNCHANGED) and p.extra.get("row_pack")])
        return plans

    def add_packs(self, plans: list[Plan]) -> None:
        """A matched product's pack from the row: the pack of that barcode (or, without one, the only pack of that
        name) takes the row's name and size when they differ, old → new; a pack it does not have is added. Its
        packs are loaded only now, for these products alone."""
        packs = self.book.packs({p.record for p in plans if p.record})
        for plan in plans:
            name, size, gtin = plan.extra["row_pack"]
            own = packs.get(plan.record or 0, [])
            same = [p for p in own if p.gtin == gtin] if gtin else [p for p in own if fold(p.name) == fold(name)]
            if len(same) == 1:
                pack = same[0]
                if gtin and pack.name != name:
                    plan.changes[self.t["pack"]] = [pack.name, name]
                if size and pack.size != size:
                    plan.changes[self.t["size"]] = [pack.size, size]
                if self.t["pack"] in plan.changes or self.t["size"] in plan.changes:
                    pack.name, pack.size = name, size or pack.size
                    plan.extra["pack_changed"] = pack
                    plan.action = UPDATE
            elif not same:
                plan.changes[self.t["pack"]] = ["", " ".join(x for x in (name, size, gtin) if x)]
                plan.extra["pack"] = (name, size, gtin)
                plan.action = UPDATE

    # ---- reading a row ---------------------------------------------------------------------------------------

    def producer(self, plan: Plan, values: dict[str, Any]) -> Producer | None:
        t, book = self.t, self.producers
        pk = cell_text(values.get("producer_id"))
        if pk:
            found = book.by_id.get(whole_digits(pk) or 0)
            if found is None:
                plan.fail(t["producer_id"], _("No producer with id %(id)s that you may edit.") % {"id": pk})
            return found
        ident = normalize_identifier(self.imp.text(plan, values, "producer_identifier"))
        if ident:
            found = book.by_identifier.get(ident)
            if found is None:
                plan.fail(
                    t["producer_identifier"],
                    _("No producer with identifier “%(value)s” that you may edit.") % {"value": ident},
                )
            return found
        name = self.imp.text(plan, values, "producer_name")
        candidates = book.by_name.get(producer_key(name), [])
        if len(candidates) == 1:
            return candidates[0]
        plan.fail(
            t["producer_name"],
            _("Give the producer's identifier: no single producer you may edit is called “%(value)s”.")
            % {"value": name},
        )
        return None

    def fields(self, plan: Plan, values: dict[str, Any], producer: Producer | None) -> dict[str, Any]:
        imp, t = self.imp, self.t
        fields: dict[str, Any] = {
            "name": imp.text(plan, values, "name"),
            "description": imp.text(plan, values, "description", multiline=True),
            "story": imp.text(plan, values, "story", multiline=True),
        }
        if not fields["name"]:
            plan.fail(t["name"], _("The product's name is required."))
        elif len(fields["name"]) > 255:
            plan.fail(
                t["name"], _("At most %(n)s characters (this cell has %(m)s).") % {"n": 255, "m": len(fields["name"])}
            )
        set_text = imp.text(plan, values, "product_set")
        if set_text:
            found = self.set_names.find(set_text)
            if found is None:
                plan.fail(t["product_set"], self.set_names.unknown(set_text))
            else:  # a group alone ("Thực phẩm") leaves the set to complete: the product is flagged, and counted
                fields["product_set"], fields["group_id"] = found.product_set, found.group_id
        status_text = imp.text(plan, values, "status")
        if status_text:
            status = STATUS_ALIASES.get(fold(status_text))
            if status is None:
                plan.fail(t["status"], _("Unknown status “%(value)s”.") % {"value": status_text})
            fields["status"] = status
        pack_name, size, gtin = (imp.text(plan, values, k) for k in ("pack", "size", "gtin"))
        gtin = gtin.replace(" ", "")
        if gtin:
            try:
                validate_gtin(gtin)
            except ValidationError as exc:
                plan.fail(t["gtin"], exc.messages[0])
            if gtin in self.seen_gtin:
                plan.fail(
                    t["gtin"],
                    _("Barcode %(gtin)s is repeated from row %(row)s.") % {"gtin": gtin, "row": self.seen_gtin[gtin]},
                )
            self.seen_gtin.setdefault(gtin, plan.row)
        if pack_name or gtin:
            _pack_fits(plan, t, pack_name, fields["name"], size)
            fields["pack"] = (pack_name or fields["name"], size, gtin)
            fields["gtin"] = gtin
        address, commune, district, province = imp.place_text(plan, values)
        if commune or district or address:
            text = ", ".join(x for x in (commune, district, province) if x) or address
            fields["place"] = imp.places.resolve(
                plan,
                imp.places.address(text=address, commune=commune, district=district, province=province),
                column=t["commune"],
                text=text,
            )
        elif producer is not None:  # the producer's own place
            if province:  # a province alone places nothing: it must be the producer's, or the row names the commune
                named = imp.places.address(province=province)
                if named.status == "unknown_province":
                    plan.fail(t["province"], named.message)
                elif named.province_id is not None and named.province_id != producer.province_id:
                    theirs = imp.places.parser.tables.province_names.get(producer.province_id or 0, "")
                    plan.fail(t["province"], _(
                        "“%(province)s” is not the province of the producer (%(theirs)s): give the product's commune."
                    ) % {"province": province, "theirs": theirs})  # fmt: skip
            fields["place"] = Place(
                province_id=producer.province_id,
                commune_id=producer.commune_id,
                legacy_commune_id=producer.legacy_commune_id,
                legacy_district_id=producer.legacy_district_id,
            )
            plan.province_id, plan.commune_id = producer.province_id, producer.commune_id
        plan.label = f"{fields['name']} — {producer.name}" if producer is not None else fields["name"]
        return fields

    # ---- matching --------------------------------------------------------------------------------------------

    def match(self, plan: Plan, values: dict[str, Any], producer: Producer, fields: dict[str, Any]) -> None:
        t, book = self.t, self.book
        place: Place = fields["place"]
        existing: Product | None = None
        pk = cell_text(values.get("id"))
        gtin = fields.get("gtin", "")
        owner = book.gtin_owner.get(gtin) if gtin else None
        same = self.imp.choices.same.get(plan.row, "")
        if pk:
            existing = book.get(whole_digits(pk))
            if existing is None:
                plan.fail(t["id"], _("No product with id %(id)s that you may edit.") % {"id": pk})
                return
            if existing.producer_id != producer.pk:  # the row's producer columns name another producer
                holder = self.producers.by_id.get(existing.producer_id)
                plan.fail(t["id"], _("Product %(id)s belongs to “%(owner)s”, not to this row's producer.") % {
                    "id": pk, "owner": holder.name if holder else f"#{existing.producer_id}"})  # fmt: skip
                return
        elif owner is not None:
            existing = book.get(owner[0])
            if existing is None and not access.products_visible_to(self.imp.user).filter(pk=owner[0]).exists():
                plan.fail(t["gtin"], _("Barcode %(gtin)s already belongs to another producer's product.") % {
                    "gtin": gtin})  # fmt: skip
                return  # a product the user may not see is not named
            if existing is None or existing.producer_id != producer.pk:
                plan.fail(
                    t["gtin"],
                    _("Barcode %(gtin)s already belongs to “%(product)s” of another producer.")
                    % {"gtin": gtin, "product": owner[1]},
                )
                return
        elif whole_digits(same) is not None:
            existing = book.get(whole_digits(same))
        if existing is None:
            named = book.named(producer.pk, fields["name"], place.commune_id)
            if len(named) > 1:
                plan.fail(t["name"], _("Several products of this producer are called “%(name)s”: give the id.") % {
                    "name": fields["name"]})  # fmt: skip
                return
            existing = named[0] if named else None
        if owner is not None and existing is not None and owner[0] != existing.pk:
            plan.fail(
                t["gtin"],
                _("Barcode %(gtin)s already belongs to “%(product)s”.") % {"gtin": gtin, "product": owner[1]},
            )
            return
        if existing is not None and (first := self.matched.setdefault(existing.pk, plan.row)) != plan.row:
            # Two rows for one product: the second would overwrite the first, and the file would never settle.
            plan.fail(t["name"], _("The same product as row %(row)s.") % {"row": first})
            return
        if existing is None:
            key = (product_key(fields["name"]), producer.pk, place.commune_id)
            if key in book.planned:
                plan.fail(t["name"], _("The same product as row %(row)s.") % {"row": book.planned[key].row})
                return
            book.planned[key] = plan
            self.plan_new(plan, producer, fields, place)
            plan.similar = book.look_alikes(producer.pk, fields["name"], plan)
            if plan.similar and same != "new":  # answered "new": the question stays on the page, answered
                plan.review(ParkReason.SIMILAR)
        else:
            self.plan_update(plan, existing, fields, place, producer.name)

    def plan_new(self, plan: Plan, producer: Producer, fields: dict[str, Any], place: Place) -> None:
        product = Product(
            producer=producer,
            name=fields["name"],
            product_set=fields.get("product_set"),
            group_id=fields.get("group_id"),
            province_id=place.province_id or producer.province_id,
            commune=self.imp.places.label(place.commune_id),
            legacy_commune_id=place.legacy_commune_id,
            legacy_district_id=place.legacy_district_id if place.commune_id is None else None,
            description=fields["description"],
            story=fields["story"],
            status=fields.get("status") or ProductStatus.ACTIVE,
        )
        product.search_text = product_search_text(product, producer.name)
        plan.obj = product
        plan.extra["pack"] = fields.get("pack")
        flags = product.data_flags
        plan.flags = [str(f.label) for f in flags]
        self.imp.places.incomplete_rows(plan, flags)

    def plan_update(
        self, plan: Plan, product: Product, fields: dict[str, Any], place: Place, producer_name: str
    ) -> None:
        t, imp, sets = self.t, self.imp, self.sets_by_pk
        wanted: dict[str, Any] = {k: fields[k] for k in ("name", "description", "story") if fields[k]}
        if fields.get("product_set") is not None:
            wanted["product_set_id"] = fields["product_set"].pk
            wanted["group_id"] = fields["group_id"]
        elif fields.get("group_id") is not None and product.product_set_id is None:
            wanted["group_id"] = fields["group_id"]  # a group alone completes a product without a set, no more
        if fields.get("status"):
            wanted["status"] = fields["status"]
        if place.commune_id is not None:
            wanted["commune_id"] = place.commune_id
            if place.legacy_commune_id:
                wanted["legacy_commune_id"] = place.legacy_commune_id
            wanted["legacy_district_id"] = None
        elif product.commune_id is None and place.legacy_district_id:
            wanted["legacy_district_id"] = place.legacy_district_id
        changed: set[str] = set()
        for name, value in wanted.items():
            before = getattr(product, name)
            if before == value:
                continue
            changed.add(name)
            if name == "commune_id":
                plan.changes[t["commune"]] = [imp.commune_name(before), imp.commune_name(value)]
            elif name == "product_set_id":
                plan.changes[t["product_set"]] = [sets[before].code if before in sets else "", sets[value].code]
            elif name == "group_id":
                if "product_set_id" not in changed:
                    plan.changes[t["product_set"]] = [self.group_names.get(before, ""), self.group_names[value]]
            elif name == "status":
                plan.changes[t["status"]] = [STATUS_LABELS.get(before, before), STATUS_LABELS.get(value, value)]  # type: ignore[call-overload]
            elif name in t:
                plan.changes[t[name]] = [before, value]
            setattr(product, name, value)
        # The province follows the commune, never a row's words alone.
        province_id = imp.places.parser.commune_province.get(product.commune_id) if product.commune_id else None
        if province_id is not None and product.province_id != province_id:
            product.province_id = province_id
            changed.add("province_id")
        if "name" in changed:
            product.search_text = product_search_text(product, producer_name)
            changed.add("search_text")
        plan.extra.update(row_pack=fields.get("pack"), changed=changed)
        plan.record, plan.obj = product.pk, product
        plan.flags = [str(f.label) for f in product.data_flags]
        plan.action = UPDATE if plan.changes else UNCHANGED


def save_products(importer: Any, plans: list[Plan]) -> None:
    new = [p for p in plans if p.action == CREATE]
    changed = [p for p in plans if p.action == UPDATE]
    created = [p.obj for p in new]
    create_rows(Product, created)
    now = timezone.now()
    insert_rows(
        Product.packs.rel.related_model,
        ["created_at", "updated_at", "product_id", "name", "size", "gtin"],
        (
            (now, now, plan.obj.pk, *plan.extra["pack"])
            for plan in [*new, *changed]
            if plan.extra.get("pack") is not None
        ),
    )
    audit.record_many(actor=importer.user, action=AuditAction.IMPORT, objs=created, fields=PRODUCT_FIELDS)
    repacked = [p.extra["pack_changed"] for p in changed if "pack_changed" in p.extra]
    for pack in repacked:
        pack.updated_at = now
    update_rows(ProductPack, ["name", "size", "updated_at"], repacked)
    if changed:
        save_changes(Product, changed)
        importer.audit_changes(changed, [p.obj for p in changed])
        if moved := [p.obj.pk for p in changed if "group_id" in p.extra.get("changed", ())]:
            groups_changed.send(sender=Product, product_ids=moved)


def _pack_fits(plan: Plan, t: dict[str, str], name: str, product_name: str, size: str) -> None:
    """A pack's name and size as the row has them, never cut: too long is a wrong value of its column (a pack without
    a name takes the product's, which must then fit)."""
    name_max, size_max = PACK_NAME_MAX, PACK_SIZE_MAX
    if len(name) > name_max:
        plan.fail(t["pack"], _("At most %(n)s characters (this cell has %(m)s).") % {"n": name_max, "m": len(name)})
    elif not name and len(product_name) > name_max:
        plan.fail(t["pack"], _("Name the pack (at most %(limit)s characters).") % {"limit": name_max})
    if len(size) > size_max:
        plan.fail(t["size"], _("At most %(n)s characters (this cell has %(m)s).") % {"n": size_max, "m": len(size)})
