"""Generated, realistic-looking OCOP data for benchmarks."""

from __future__ import annotations

import itertools
import random

from ocop.registry.demo import COMMUNES
from ocop.registry.validators import gtin_check_digit

BASES = [
    "Chè búp",
    "Chè Thái Nguyên",
    "Trà sen",
    "Trà hoa cúc",
    "Bánh đa nem",
    "Bánh đậu xanh",
    "Bánh chưng",
    "Miến dong",
    "Gạo nếp cái hoa vàng",
    "Gạo tám thơm",
    "Mật ong hoa nhãn",
    "Mật ong rừng",
    "Đường phèn",
    "Rượu làng Vân",
    "Rượu nếp cẩm",
    "Nước mắm",
    "Tương bần",
    "Giò lụa",
    "Chả cốm",
    "Cốm làng Vòng",
    "Bưởi Diễn",
    "Cam Canh",
    "Nhãn lồng",
    "Vải thiều",
    "Sữa tươi",
    "Sữa chua",
    "Gốm men lam",
    "Bình gốm",
    "Ấm chén",
    "Giỏ mây",
    "Khay tre",
    "Đèn tre",
    "Khăn lụa",
    "Áo dài lụa",
    "Tinh dầu bưởi",
    "Cao ích mẫu",
    "Hương trầm",
    "Nón lá",
    "Tranh thêu",
    "Quạt giấy",
]
# The demo's communes plus a few craft villages.
PLACES = [
    *COMMUNES,
    "Tân Cương",
    "Thổ Hà",
    "Vạn Phúc",
    "Đường Lâm",
    "Làng Vòng",
    "Phú Vinh",
    "Quảng Phú Cầu",
    "Tam Hiệp",
]
SUFFIXES = ["", "đặc biệt", "truyền thống", "hữu cơ", "cao cấp", "loại 1", "gia truyền", "sấy lạnh"]
SETS = [
    "1-01",
    "1-03",
    "1-04",
    "1-06",
    "1-07",
    "1-08",
    "1-12",
    "1-13",
    "2-01",
    "2-03",
    "3-02",
    "3-04",
    "4-01",
    "4-02",
    "4-03",
]


def product_names(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)  # noqa: S311  # reproducible data, not security
    names = []
    for i in itertools.count():
        if len(names) == count:
            break
        name = f"{rng.choice(BASES)} {rng.choice(PLACES)} {rng.choice(SUFFIXES)}".strip()
        names.append(f"{name} {i % 97}" if i % 3 == 0 else name)
    return names


def gtin(n: int) -> str:
    body = f"893{5000000 + n:09d}"
    return body + gtin_check_digit(body)
