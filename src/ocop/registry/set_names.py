"""Product sets and groups by what lists write: a set's code or name ("1-12", "Chè tươi, chế biến"), a group's code
or name ("Thực phẩm", "Hàng thủ công mỹ nghệ") and the six groups of Decision 1048/2019 as published lists name them
("Thủ công mỹ nghệ", "Vải và may mặc", "Lưu niệm - nội thất - trang trí"). A group of one set stands for that set;
a group of several leaves the set to be completed, and the product still counts in its group."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ocop.core.text import fold
from ocop.registry.models import ProductSet

# Decision 1048/QĐ-TTg (2019) named six groups and some sets otherwise than Decision 148 (2023): as lists wrote them.
GROUPS_1048 = {
    "thuc pham": "1", "do uong": "2", "thao duoc": "3", "duoc lieu": "3", "vai va may mac": "4-03",
    "vai may mac": "4-03", "luu niem noi that trang tri": "4-02", "luu niem noi that va trang tri": "4-02",
    "thu cong my nghe": "4", "dich vu du lich nong thon va ban hang": "6", "dich vu du lich nong thon": "6",
    "du lich": "6", "sinh vat canh": "5",
}  # fmt: skip


@dataclass(frozen=True)
class SetMatch:
    product_set: ProductSet | None
    group_id: int


class SetNames:
    """The active sets and their groups, loaded once per import."""

    def __init__(self) -> None:
        self.sets: dict[str, ProductSet] = {}
        self.groups: dict[str, tuple[int, list[ProductSet]]] = {}
        self.labels: dict[str, str] = {}  # folded name → the name as the catalogue writes it, for suggestions
        for ps in ProductSet.objects.filter(is_active=True).select_related("group"):
            self.sets[fold(ps.code)] = self.sets[fold(ps.name)] = ps
            self.labels[fold(ps.name)] = f"{ps.code} {ps.name}"
            for key in (fold(ps.group.code), fold(ps.group.name)):
                self.groups.setdefault(key, (ps.group_id, []))[1].append(ps)
            self.labels[fold(ps.group.name)] = ps.group.name

    def find(self, text: str) -> SetMatch | None:
        key = fold(GROUPS_1048.get(fold(text), text))
        found = self.sets.get(key)
        if found is not None:
            return SetMatch(found, found.group_id)
        group = self.groups.get(key)
        if group is not None:
            group_id, sets = group
            return SetMatch(sets[0] if len(sets) == 1 else None, group_id)
        return None

    def unknown(self, text: str) -> str:
        """The message for a name not in the catalogue, with the closest names when there are any."""
        close = difflib.get_close_matches(fold(text), list(self.labels), n=3, cutoff=0.6)
        message = _("Product set or group “%(value)s” is not in the catalogue.") % {"value": text}
        if close:
            message += " " + _("Did you mean: %(names)s?") % {"names": "; ".join(self.labels[c] for c in close)}
        return message
