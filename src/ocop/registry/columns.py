"""The columns of the import/export workbooks. Titles are part of the file format (Vietnamese)."""

from __future__ import annotations

from ocop.core.text import fold
from ocop.registry.enums import ProducerKind, ProductStatus

ID_TITLE = "ID"  # the record's id in an export: an import matches it before any other key
PRODUCER_COLUMNS: list[tuple[str, str]] = [
    ("id", ID_TITLE),
    ("kind", "Loại chủ thể"),
    ("name", "Tên chủ thể"),
    ("identifier", "Mã số thuế / Số định danh / Số ĐKKD"),
    ("legal_representative", "Người đại diện theo pháp luật"),
    ("phone", "Điện thoại"),
    ("email", "Email"),
    ("address", "Địa chỉ"),
    ("commune", "Xã/Phường"),
    ("district", "Quận/Huyện (trước 01/7/2025)"),
    ("province", "Tỉnh/Thành phố"),
    ("women_led", "Nữ làm chủ"),
    ("ethnic_minority", "Dân tộc thiểu số"),
]
PRODUCER_REQUIRED = ["Tên chủ thể"]

PRODUCT_COLUMNS: list[tuple[str, str]] = [
    ("id", ID_TITLE),
    ("producer_id", "ID chủ thể"),
    ("producer_identifier", "Mã số chủ thể"),
    ("producer_name", "Tên chủ thể"),
    ("name", "Tên sản phẩm"),
    ("product_set", "Bộ sản phẩm"),
    ("commune", "Xã/Phường"),
    ("district", "Quận/Huyện (trước 01/7/2025)"),
    ("province", "Tỉnh/Thành phố"),
    ("description", "Mô tả"),
    ("story", "Câu chuyện sản phẩm"),
    ("pack", "Quy cách đóng gói"),
    ("size", "Khối lượng/Thể tích"),
    ("gtin", "Mã vạch (GTIN)"),
    ("status", "Trạng thái"),
]
PRODUCT_REQUIRED = ["Tên sản phẩm", "Bộ sản phẩm"]

KIND_LABELS = {
    ProducerKind.ENTERPRISE: "Doanh nghiệp",
    ProducerKind.COOPERATIVE: "Hợp tác xã",
    ProducerKind.COOPERATIVE_GROUP: "Tổ hợp tác",
    ProducerKind.HOUSEHOLD_BUSINESS: "Hộ kinh doanh",
    ProducerKind.OTHER: "Khác",
}
KIND_ALIASES = {
    **{fold(label): kind for kind, label in KIND_LABELS.items()},
    **{fold(kind.value): kind for kind in ProducerKind},
    "dn": ProducerKind.ENTERPRISE,
    "cong ty": ProducerKind.ENTERPRISE,
    "htx": ProducerKind.COOPERATIVE,
    "tht": ProducerKind.COOPERATIVE_GROUP,
    "hkd": ProducerKind.HOUSEHOLD_BUSINESS,
    "ho san xuat": ProducerKind.HOUSEHOLD_BUSINESS,
    "co so san xuat": ProducerKind.HOUSEHOLD_BUSINESS,
}
STATUS_LABELS = {
    ProductStatus.ACTIVE: "Đang sản xuất",
    ProductStatus.PAUSED: "Tạm dừng",
    ProductStatus.DISCONTINUED: "Ngừng sản xuất",
}
STATUS_ALIASES = {**{fold(v): k for k, v in STATUS_LABELS.items()}, **{fold(s.value): s for s in ProductStatus}}
# The type a producer's name announces, for lists without a type column (longest prefix first).
KIND_BY_NAME_PREFIX = [
    ("hop tac xa", ProducerKind.COOPERATIVE),
    ("htx", ProducerKind.COOPERATIVE),
    ("lien hiep hop tac xa", ProducerKind.COOPERATIVE),
    ("to hop tac", ProducerKind.COOPERATIVE_GROUP),
    ("tht", ProducerKind.COOPERATIVE_GROUP),
    ("cong ty", ProducerKind.ENTERPRISE),
    ("cty", ProducerKind.ENTERPRISE),
    ("c ty", ProducerKind.ENTERPRISE),
    ("doanh nghiep", ProducerKind.ENTERPRISE),
    ("dntn", ProducerKind.ENTERPRISE),
    ("ho kinh doanh", ProducerKind.HOUSEHOLD_BUSINESS),
    ("hkd", ProducerKind.HOUSEHOLD_BUSINESS),
    ("co so", ProducerKind.HOUSEHOLD_BUSINESS),
    ("cs ", ProducerKind.HOUSEHOLD_BUSINESS),
    ("ho ", ProducerKind.HOUSEHOLD_BUSINESS),
]


def kind_from_name(name: str) -> ProducerKind | None:
    folded = fold(name) + " "
    for prefix, kind in sorted(KIND_BY_NAME_PREFIX, key=lambda p: -len(p[0])):
        if folded.startswith(prefix if prefix.endswith(" ") else prefix + " "):
            return kind
    return None


TRUE_WORDS = {"x", "co", "1", "true", "yes", "dung"}
FALSE_WORDS = {"", "khong", "0", "false", "no", "sai"}
