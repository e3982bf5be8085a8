from hypothesis import given
from hypothesis import strategies as st

from ocop.core.text import fold, fold_key, fold_tokens


def test_fold_strips_marks_and_folds_d_bar():
    assert fold("Chè Thái Nguyên") == "che thai nguyen"
    assert fold("Đường phèn") == "duong phen"
    assert fold("BÁNH ĐA  nem, Thổ Hà!") == "banh da nem tho ha"


def test_fold_tokens_and_key():
    assert fold_tokens("  Bánh   đa ") == ["banh", "da"]
    assert fold_key("Thành phố Hà Nội") == "thanhphohanoi"


@given(st.text())
def test_fold_is_idempotent_and_ascii(text):
    once = fold(text)
    assert fold(once) == once
    assert once.isascii()
