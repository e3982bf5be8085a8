import pytest

from ocop.places.demo import DEMO_BODIES
from ocop.places.issuers import Sign, issuer_for
from ocop.places.models import IssuingBody, Province
from ocop.places.queries import central_level

HANOI = DEMO_BODIES["01"]  # the demo's Hà Nội: Nguyễn Mạnh Quyền signs, Ngô Văn Ngọc heads the office


@pytest.mark.django_db
def test_a_province_without_settings_gets_defaults_from_its_name():
    issuer = issuer_for(Province.objects.get(code="01"))

    assert issuer.name == "Ủy ban nhân dân Thành phố Hà Nội"
    assert issuer.place == "Hà Nội"
    assert issuer.number_line("1187") == "1187/QĐ-UBND"
    assert issuer.sign == Sign("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "")
    assert issuer.office_name == "Văn phòng Điều phối nông thôn mới thành phố Hà Nội"
    assert issuer.office_sign == Sign("", "CHÁNH VĂN PHÒNG", "")
    assert issuer.number_line("12", "TB", office=True) == "12/TB-VPĐP"


@pytest.mark.django_db
def test_the_central_level_defaults_to_the_ministry():
    issuer = issuer_for(central_level())

    assert (issuer.name, issuer.symbol, issuer.place) == ("Bộ Nông nghiệp và Môi trường", "BNNMT", "Hà Nội")
    assert issuer.sign == Sign("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "")


@pytest.mark.django_db
def test_the_settings_row_wins_and_a_numbered_series_prints_as_it_is():
    province = Province.objects.get(code="01")
    IssuingBody.objects.create(province=province, **HANOI)

    issuer = issuer_for(province)

    assert issuer.sign == Sign("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Mạnh Quyền")
    assert issuer.office_sign == Sign("", "CHÁNH VĂN PHÒNG", "Ngô Văn Ngọc")
    assert issuer.office_heading.parent == "Ủy ban nhân dân thành phố Hà Nội"
    assert issuer.number_line("1187/QĐ-UBND") == "1187/QĐ-UBND"
    assert issuer.number_line("") == ""
