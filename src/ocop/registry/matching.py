"""Matching import rows to the records they are: places through the one address parser, producers and products by
their stated keys, look-alikes through the duplicate finder. Shared by the registry's imports and the recognition
history (certificates), so a row means the same record whichever list it comes from.

Keys, in order: an id from an export; else a producer's tax code / personal ID / registration number, a pack's GTIN;
else the folded name (+ producer) + commune.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.core.text import fold
from ocop.places.models import Commune
from ocop.places.queries import default_province
from ocop.registry import access
from ocop.registry.duplicates import similar_names
from ocop.registry.enums import DataFlag
from ocop.registry.importing import Choices, ImportReport, PlaceChoice, Plan
from ocop.registry.models import IncompleteRows, ParkReason, Producer, Product, ProductPack

if TYPE_CHECKING:
    from ocop.places.address import Address

# Words lists abbreviate; the key spells them out so "HTX Nông nghiệp Phù Đổng" is "Hợp tác xã nông nghiệp Phù Đổng".
_ABBREVIATIONS = [
    (r"\bhtxnn\b", "hop tac xa nong nghiep"),
    (r"\bhtx\b", "hop tac xa"),
    (r"\bcp\b", "co phan"),
    (r"\btnhh\b", "trach nhiem huu han"),
    (r"\bmtv\b", "mot thanh vien"),
    (r"\bcssx\b", "co so san xuat"),
    (r"\bdvnn\b", "dich vu nong nghiep"),
    (r"\bc ty\b|\bcty\b", "cong ty"),
    (r"\bhkd\b", "ho kinh doanh"),
    (r"\btht\b", "to hop tac"),
    (r"\bdntn\b", "doanh nghiep tu nhan"),
    (r"\bcs\b", "co so"),
    (r"\bsx\b", "san xuat"),
    (r"\btm\b", "thuong mai"),
    (r"\bdv\b", "dich vu"),
    (r"\bxnk\b", "xuat nhap khau"),
    (r"\bnn\b", "nong nghiep"),
]
_ABBREVIATION = re.compile("|".join(f"(?P<a{i}>{p})" for i, (p, _w) in enumerate(_ABBREVIATIONS)))


def producer_key(name: str | None) -> str:
    """A producer's name as lists write it, reduced to what identifies it."""
    return _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[int(m.lastgroup[1:])][1], fold(name))  # type: ignore[index]


# Words most producers' names have: set aside when names are compared for look-alikes, so what tells two
# cooperatives apart (the place, the product) decides.
_GENERIC = frozenset(
    [
        "hop",
        "tac",
        "xa",
        "to",
        "cong",
        "ty",
        "co",
        "phan",
        "trach",
        "nhiem",
        "huu",
        "han",
        "mot",
        "thanh",
        "vien",
        "ho",
        "kinh",
        "doanh",
        "so",
        "san",
        "xuat",
        "thuong",
        "mai",
        "dich",
        "vu",
        "nong",
        "nghiep",
        "doanh",
        "tu",
        "nhan",
        "va",
        "lien",
        "hiep",
    ]
)


def producer_core(key: str) -> str:
    return " ".join(w for w in key.split() if w not in _GENERIC) or key


def product_key(name: str | None) -> str:
    return fold(name)


@dataclass
class Place:
    """Where a row puts its record, as the parser understood it."""

    province_id: int | None = None
    commune_id: int | None = None
    legacy_commune_id: int | None = None
    legacy_district_id: int | None = None
    flags: list[DataFlag] = field(default_factory=list)
    words: str = ""
    street: str = ""


class PlaceStep:
    """Resolves each row's place once per distinct words, keeps the choices a person made, and records on the report
    what needs a choice and which names our places data lacks."""

    def __init__(self, *, user: Any, report: ImportReport, choices: Choices, incomplete: str) -> None:
        from ocop.places.address import AddressParser  # loaded when an import runs, not at start-up

        scope = scope_of(user)
        self.is_admin = scope.is_admin
        # The provinces whose office this user is: only they (and administrators) enter a record without a commune.
        self.writer_provinces = set(scope.provinces_for(Role.PROVINCE_COORDINATOR))
        self.province_writer = self.is_admin or bool(self.writer_provinces)
        self.allowed = set(access.communes_for_new_records(user).values_list("id", flat=True))
        # An address that names no province is in the user's own province when they work in one, else the default.
        province = default_province()
        own = self.writer_provinces or set(
            Commune.objects.filter(pk__in=list(self.allowed)[:1]).values_list("province_id", flat=True)
        )
        self.default_province_id = (
            next(iter(own)) if len(own) == 1 and not self.is_admin else (province.pk if province else None)
        )
        self.parser = AddressParser(default_province_id=self.default_province_id)
        self.report = report
        self.choices = choices
        self.incomplete = incomplete
        self.provinces = {self.parser.tables.commune_province[c] for c in self.allowed}
        self._choices: dict[str, PlaceChoice] = {}
        self._labels: dict[int, Commune] = {}
        self._offered: dict[int, PlaceChoice] = {}  # row → the question it was offered
        self._unknown: dict[tuple[str, str], list[Any]] = {}

    def address(self, *, text: str = "", commune: str = "", district: str = "", province: str = "") -> Address:
        if commune or district:
            return self.parser.parts(commune=commune or None, district=district or None, province=province or None)
        if province and not text:
            return self.parser.parts(commune=None, district=None, province=province)
        return self.parser.parse(text)

    def resolve(self, plan: Plan, address: Address, *, column: str, text: str) -> Place:
        """The row's place. A split former commune waits for a choice (review); a former district only, an unknown
        commune or none at all make an incomplete record (created flagged, or parked, as the person chose); an
        unknown province is an error."""
        place = Place(
            province_id=address.province_id or self.default_province_id,
            legacy_commune_id=address.legacy_commune_id,
            legacy_district_id=address.legacy_district_id,
            words=address.words,
            street=address.street,
        )
        if plan.row in self.choices.communes:  # a person placed this very row (fixing it in the review queue)
            return self._placed(plan, place, self.choices.communes[plan.row], column)
        chosen = self.choices.places.get(address.words) if address.words else None
        if chosen is not None and address.candidates:
            self._offer(plan, address, text)  # the question stays on the page with its answer, to change
            address = self.parser.choose(address, chosen)
        if address.status == "unknown_province":
            plan.fail(column, address.message)
            return place
        if address.commune_id is not None:
            place.commune_id = address.commune_id
            place.province_id = address.province_id or place.province_id
        elif address.status == "choose":
            self._offer(plan, address, text)
            plan.words = address.words
            plan.candidates = [c.commune_id for c in address.candidates]
            plan.review(ParkReason.PLACE)
        else:
            if address.status == "district_only":
                self._offer(plan, address, text)
                plan.candidates = [c.commune_id for c in address.candidates]
                place.flags.append(DataFlag.DISTRICT_ONLY)
            else:
                if address.status == "not_found" and address.unknown_name:
                    self._note_unknown(address, plan.row)
                place.flags.append(DataFlag.NO_COMMUNE)
        if place.commune_id is not None and place.commune_id not in self.allowed:
            if place.province_id not in self.provinces:
                name = self.parser.tables.province_names.get(place.province_id or 0, "")
                plan.fail(column, _("The address is in %(province)s, outside your province.") % {"province": name})
            else:
                plan.fail(column, _("You may not register records in this commune."))
        elif place.commune_id is None and plan.action != "error":
            if not self.province_writer:
                plan.fail(column, _("Only the province OCOP office can enter a record whose commune is not known."))
            elif not self.is_admin and place.province_id not in self.writer_provinces:
                name = self.parser.tables.province_names.get(place.province_id or 0, "")
                plan.fail(column, _("The address is in %(province)s, outside your province.") % {"province": name})
        plan.province_id, plan.commune_id = place.province_id, place.commune_id
        return place

    def _placed(self, plan: Plan, place: Place, commune_id: int, column: str) -> Place:
        province_id = self.parser.commune_province.get(commune_id)
        if province_id is None:
            plan.fail(column, _("Choose a commune from the list."))
            return place
        place.commune_id, place.province_id = commune_id, province_id
        if commune_id not in self.allowed:
            plan.fail(column, _("You may not register records in this commune."))
        plan.province_id, plan.commune_id = place.province_id, place.commune_id
        return place

    def label(self, commune_id: int | None) -> Commune | None:
        """A light Commune carrying only id and name, one per commune, so the audit of thousands of imported rows
        names their commune without a query."""
        if commune_id is None:
            return None
        label = self._labels.get(commune_id)
        if label is None:
            label = self._labels[commune_id] = Commune(pk=commune_id, name=self.parser.commune_names[commune_id])
        return label

    def incomplete_rows(self, plan: Plan, flags: list[DataFlag]) -> None:
        if flags and self.incomplete == IncompleteRows.PARK:
            plan.review(ParkReason.INCOMPLETE)

    def _offer(self, plan: Plan, address: Address, text: str) -> None:
        choice = self._choices.get(address.words)
        if choice is None:
            choice = self._choices[address.words] = PlaceChoice(
                words=address.words,
                text=text,
                candidates=[[c.commune_id, c.code, c.name, c.suggested] for c in address.candidates],
                rows=[],
                chosen=self.choices.places.get(address.words),
            )
            self.report.places.append(choice)
        if not choice.rows or choice.rows[-1] != plan.row:
            choice.rows.append(plan.row)
        self._offered[plan.row] = choice

    def withdraw(self, plan: Plan) -> None:
        """No question for a row that turned out to change nothing: its record is placed as it was (a former
        district only, say), and the list says no more; a question left without rows leaves the page."""
        choice = self._offered.pop(plan.row, None)
        if choice is None or choice.chosen is not None:
            return
        choice.rows.remove(plan.row)
        if not choice.rows:
            self.report.places.remove(choice)
            self._choices.pop(choice.words, None)

    def _note_unknown(self, address: Address, row: int) -> None:
        district = address.district_name
        key = (address.unknown_name, district)
        entry = self._unknown.get(key)
        if entry is None:
            entry = self._unknown[key] = [address.unknown_name, district, []]
            self.report.unknown_places.append(entry)
        entry[2].append(row)


class LookAlikes:
    """Names a new record's name is compared with, pooled by scope (a producer's products, a commune's producers) and
    by the numbers in the name: names whose numbers differ ("loại 1" and "loại 2", "500 g" and "1 kg") are different
    records and are never compared (a name without numbers is compared with all), which also keeps a file of
    thousands of numbered rows fast."""

    _DIGITS = re.compile(r"\d+")

    def __init__(self) -> None:
        self.raw: dict[Any, list[tuple[Any, str, str]]] = defaultdict(list)  # sorted into pools when first sought
        self.pools: dict[Any, dict[tuple[str, ...], list[tuple[Any, str, str]]]] = {}

    def _signature(self, key: str) -> tuple[str, ...]:
        return tuple(sorted(self._DIGITS.findall(key)))

    def add(self, scope: Any, pk: int | None, label: str, key: str) -> None:
        if scope in self.pools:
            self.pools[scope].setdefault(self._signature(key), []).append((pk, label, key))
        else:
            self.raw[scope].append((pk, label, key))

    def _pools(self, scope: Any) -> dict[tuple[str, ...], list[tuple[Any, str, str]]]:
        pools = self.pools.get(scope)
        if pools is None:
            pools = self.pools[scope] = {}
            for item in self.raw.pop(scope, []):
                pools.setdefault(self._signature(item[2]), []).append(item)
        return pools

    def add_row(self, scope: Any, plan: Plan, name: str, key: str) -> None:
        """A row of the file planned as a new record: later rows are compared with it too (it has no id yet)."""
        self.add(scope, None, _("row %(row)s: %(name)s") % {"row": plan.row, "name": name}, key)

    def forget(self, scope: Any) -> None:
        """Drop a scope's pool: its rows are all planned."""
        self.raw.pop(scope, None)
        self.pools.pop(scope, None)

    def find(self, scope: Any, key: str) -> list[list[Any]]:
        pools = self._pools(scope)
        signature = self._signature(key)
        if signature:
            pool = [*pools.get(signature, []), *pools.get((), [])]
        else:
            pool = [item for items in pools.values() for item in items]
        return [[pk, label, score] for pk, label, score in similar_names(key, pool)]


# ---- producers ------------------------------------------------------------------------------------------------


def place_key(commune_id: int | None, legacy_district_id: int | None) -> Any:
    """Where look-alikes are sought: the commune, else (a record without one) its former district."""
    return commune_id if commune_id is not None else ("district", legacy_district_id)


PRODUCER_COMPARED = (
    "kind", "name", "identifier", "legal_representative", "phone", "email", "address", "commune_id",
    "legacy_commune_id", "legacy_district_id", "women_led", "ethnic_minority",
)  # fmt: skip


class ProducerBook:
    """The producers an import may match, loaded once: the user's writable ones by id, identifier and name key, and
    the identifiers taken anywhere (they are unique nationally). `tables` (the places' tables) say which communes of
    today a former district's communes went to: a row that gives only a former district matches a producer there,
    never one of the same name elsewhere in the province."""

    def __init__(self, user: Any, identifiers: set[str], tables: Any = None) -> None:
        self.tables = tables
        self.by_id: dict[int, Producer] = {}
        self.by_identifier: dict[str, Producer] = {}
        self.by_name: dict[str, list[Producer]] = defaultdict(list)
        self.alikes = LookAlikes()
        for producer in access.producers_writable_by(user).only(*PRODUCER_COMPARED, "province_id", "identifier_kind"):
            self._add(producer)
        wanted = sorted(identifiers - set(self.by_identifier))
        self.taken_elsewhere: set[str] = set()
        for start in range(0, len(wanted), 500):
            self.taken_elsewhere.update(
                Producer.objects.filter(identifier__in=wanted[start : start + 500]).values_list("identifier", flat=True)
            )
        self.planned: dict[tuple[Any, ...], Plan] = {}  # new producers of this file, by key: one record each
        self._planned_names: dict[str, list[tuple[Place, Plan]]] = defaultdict(list)

    def _add(self, producer: Producer) -> None:
        self.by_id[producer.pk] = producer
        if producer.identifier:
            self.by_identifier[producer.identifier] = producer
        key = producer_key(producer.name)
        self.by_name[key].append(producer)
        scope = place_key(producer.commune_id, producer.legacy_district_id)
        self.alikes.add(scope, producer.pk, producer.name, producer_core(key))

    def _districts_of(self, commune_id: int) -> set[int]:
        if self.tables is None:
            return set()
        self.tables.load_legacy()
        return set(self.tables.commune_districts.get(commune_id, set()))

    def _same_place(self, commune_id: int | None, district_id: int | None, place: Place) -> bool:
        """Whether a record at (commune, former district) can be the one a row at `place` names: the same commune;
        or one of them knows only the former district the other's commune comes from; or neither knows anything."""
        if place.commune_id is not None and commune_id is not None:
            return commune_id == place.commune_id
        if place.commune_id is not None:  # the record knows less than the row
            return district_id is not None and district_id in self._districts_of(place.commune_id)
        if commune_id is not None:  # the row knows less than the record
            return place.legacy_district_id is not None and place.legacy_district_id in self._districts_of(commune_id)
        return district_id == place.legacy_district_id

    def named(self, name: str, place: Place) -> list[Producer]:
        """Producers of the row's name in its place (see _same_place), the ones in the very commune first."""
        same = [p for p in self.by_name.get(producer_key(name), []) if p.province_id == place.province_id]
        exact = [p for p in same if place.commune_id is not None and p.commune_id == place.commune_id]
        return exact or [p for p in same if self._same_place(p.commune_id, p.legacy_district_id, place)]

    def planned_for(self, name: str, place: Place, *, complete: bool = False) -> Plan | None:
        """A new producer of an earlier row of the file that this row names too (its place the same, or more or less
        precise); with `complete`, a row that places it in a commune completes it."""
        for other, plan in self._planned_names.get(producer_key(name), []):
            if other.province_id == place.province_id and self._same_place(
                other.commune_id, other.legacy_district_id, place
            ):
                if complete and other.commune_id is None and place.commune_id is not None and plan.obj is not None:
                    plan.obj.commune_id, plan.obj.legacy_district_id = place.commune_id, None
                    other.commune_id = place.commune_id
                return plan
        return None

    def plan_new(self, name: str, place: Place, plan: Plan) -> None:
        self.planned[(producer_key(name), place_key(place.commune_id, place.legacy_district_id))] = plan
        self._planned_names[producer_key(name)].append((Place(**vars(place)), plan))

    def look_alikes(self, name: str, place: Place, plan: Plan) -> list[list[Any]]:
        """Existing producers of the same commune (or former district, for a row without a commune), and earlier new
        rows of the file there, whose name looks like it once the words every producer's name has are set aside
        ("HTX Nông nghiệp Tản Hồng" is not "HTX Nông nghiệp Minh Hồng"); the row then joins the pool."""
        scope, core = place_key(place.commune_id, place.legacy_district_id), producer_core(producer_key(name))
        found = self.alikes.find(scope, core)
        self.alikes.add_row(scope, plan, name, core)
        return found


# ---- products -------------------------------------------------------------------------------------------------


# In the model's field order: the rows are made into instances with Model.from_db, only for the products matched.
# In the model's field order: Model.from_db takes the values of a partial row in that order.
PRODUCT_COMPARED = (
    "id", "producer_id", "name", "product_set_id", "group_id", "province_id", "commune_id", "legacy_commune_id",
    "legacy_district_id", "description", "story", "status",
)  # fmt: skip


def _chunks(values: set[Any], size: int = 900) -> Iterator[list[Any]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


class ProductBook:
    """Products of the producers an import touches, loaded as plain rows (a province has a hundred thousand; only the
    ones rows match become model instances), and the barcodes of the file that are already taken.

    A product import loads its producers' products a batch of producers at a time (`load`), plans their rows and
    drops them (`forget`), so memory holds one batch, not the province (docs/decisions.md, "Imports a province can
    trust"); the history import gives its producers at once. Products named by id (an export's) and the products of
    the file's barcodes stay loaded throughout."""

    def __init__(
        self, user: Any, producer_ids: set[int], product_ids: set[int], gtins: set[str], names: dict[int, str]
    ) -> None:
        """`names`: the producers' names, by id: a product's folded name is read off its stored search text (which
        is its folded name, then its producer's), so a hundred thousand products are not folded again."""
        self._tails = {pk: " " + fold(name) for pk, name in names.items()}
        self._rows: dict[int, tuple[Any, ...]] = {}
        self._objects: dict[int, Product] = {}
        self._by_key: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))  # producer → key → ids
        self._kept: set[int] = set()  # loaded for the whole import: named by id, or owning a barcode of the file
        self.alikes = LookAlikes()
        # The producers come from ProducerBook (the user's writable ones): their products are writable through them.
        self.load(producer_ids)
        writable = access.products_writable_by(user)
        for chunk in _chunks(product_ids - set(self._rows)):  # ids from an export: only the user's own
            for row in writable.filter(pk__in=chunk).order_by("pk").values_list(*PRODUCT_COMPARED, "search_text"):
                self._add(row)
        self._kept.update(self._rows)
        self.gtin_owner: dict[str, tuple[int, str]] = {}  # barcode → (product id, product name), anywhere
        for chunk in _chunks(gtins):
            for gtin, pid, name in ProductPack.objects.filter(gtin__in=chunk).values_list(
                "gtin", "product_id", "product__name"
            ):
                self.gtin_owner[gtin] = (pid, name)
        owners = {pid for pid, _name in self.gtin_owner.values()} - set(self._rows)
        touched = set(names)  # an owner of another producer is loaded as it would be with its producer's batch
        for chunk in _chunks(owners):
            for row in (
                Product.objects.filter(pk__in=chunk).order_by("pk").values_list(*PRODUCT_COMPARED, "search_text")
            ):
                if row[1] in touched:
                    self._add(row)
        self._kept.update(self._rows)
        self.planned: dict[tuple[Any, ...], Plan] = {}

    def load(self, producer_ids: set[int] | list[int]) -> None:
        """Load the products of these producers (those already loaded stay as they are)."""
        for chunk in _chunks(set(producer_ids)):
            # Unordered, so that the database reads the producers' products from its index on them (the model's
            # order by name had SQLite walk every product of the table, once a batch); in id order here.
            rows = (
                Product.objects.filter(producer_id__in=chunk).order_by().values_list(*PRODUCT_COMPARED, "search_text")
            )
            for row in sorted(rows, key=itemgetter(0)):
                if row[0] not in self._rows:
                    self._add(row)

    def forget(self, producer_ids: list[int]) -> None:
        """Drop what was loaded for these producers, their rows all planned (what is kept throughout stays)."""
        for producer_id in producer_ids:
            for ids in self._by_key.pop(producer_id, {}).values():
                for pk in ids:
                    if pk not in self._kept:
                        self._rows.pop(pk, None)
                        self._objects.pop(pk, None)
            self.alikes.forget(producer_id)

    def _add(self, row: tuple[Any, ...]) -> None:
        pk, producer_id, name, search_text = row[0], row[1], row[2], row[-1]
        tail = self._tails.get(producer_id, "\0")
        key = search_text[: -len(tail)] if search_text.endswith(tail) and len(search_text) > len(tail) else ""
        key = key or product_key(name)  # a search text cut at 600 characters, or a producer renamed meanwhile
        self._rows[pk] = row
        self._by_key[producer_id][key].append(pk)
        self.alikes.add(producer_id, pk, name, key)

    def get(self, pk: int | None) -> Product | None:
        """The product as a model instance (made once), if it is one the import may touch."""
        if pk is None or pk not in self._rows:
            return None
        product = self._objects.get(pk)
        if product is None:
            product = self._objects[pk] = Product.from_db("default", PRODUCT_COMPARED, self._rows[pk][:-1])
        return product

    def named(self, producer_id: int | None, name: str, commune_id: int | None) -> list[Product]:
        """The producer's products of the same folded name in the same commune; a product entered without a commune
        matches a row that now places it, and a row that names none matches the producer's only one of that name."""
        if producer_id is None:
            return []
        ids = self._by_key[producer_id].get(product_key(name), []) if producer_id in self._by_key else []
        same = [self._objects.get(pk) or self.get(pk) for pk in ids]
        found = [p for p in same if p is not None]
        if commune_id is None:
            return found
        return [p for p in found if p.commune_id == commune_id] or [p for p in found if p.commune_id is None]

    def packs(self, product_ids: set[int]) -> dict[int, list[ProductPack]]:
        """The packs of the matched products whose rows name a pack (loaded after matching, not for all)."""
        found: dict[int, list[ProductPack]] = defaultdict(list)
        for chunk in _chunks(product_ids):
            for pack in ProductPack.objects.filter(product_id__in=chunk).only("product_id", "name", "size", "gtin"):
                found[pack.product_id].append(pack)
        return found

    def look_alikes(self, producer_id: int | None, name: str, plan: Plan) -> list[list[Any]]:
        """The producer's products, and the new rows of this file before `plan` for it, with a similar name; the row
        then joins the pool for the rows after it."""
        if producer_id is None:
            return []
        key = product_key(name)
        found = self.alikes.find(producer_id, key)
        self.alikes.add_row(producer_id, plan, name, key)
        return found
