"""`ocop import --choose ROW=CODE`: a row number is ASCII digits; anything else ("²", a 20-digit number) is read as
place words, never turned into a number that crashes int() or overflows."""

import pytest
from django.core.management import CommandError, call_command

from ocop.places.models import Commune
from ocop.registry.models import Producer
from ocop.registry.tests.test_imports import PRODUCER_HEADERS, producer_row, xlsx


@pytest.mark.parametrize("row", ["²", "٢", "99999999999999999999"])
def test_a_row_that_is_not_plain_digits_is_taken_as_place_words(db, tmp_path, capsys, row):
    path = tmp_path / "p.xlsx"
    path.write_bytes(
        xlsx(PRODUCER_HEADERS, [producer_row("HTX Dòng Lệnh", "0105555551", "Bát Tràng", "Gia Lâm")]).getvalue()
    )
    code = Commune.objects.get(province__code="01", name="Xã Bát Tràng").code
    with pytest.raises(CommandError) as caught:
        call_command("import", "producers", str(path), "--commit", "--choose", f"{row}={code}")
    assert str(caught.value) == "nothing saved: 0 row(s) with errors, 1 waiting for review (fix them, or use --park)"
    assert capsys.readouterr().out.splitlines()[-1] == (
        "rows: 1 read, 0 created, 0 updated, 0 unchanged, 1 parked, 0 errors"
    )
    assert Producer.objects.count() == 0
