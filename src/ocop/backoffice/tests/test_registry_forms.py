"""The registry's back-office writes go through forms: a bad value, a value too long or a record of another province
is refused with a Vietnamese message naming the field, a 4xx or a message on the page, and nothing is written."""

from django.urls import reverse

from ocop.conftest import client_for
from ocop.core.models import AuditEntry
from ocop.places.models import Commune
from ocop.registry.models import Document, ParkedRow, Producer, Product, ProductPack
from ocop.testing import commune, make_producer, make_product

CHOICE = "Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."


def _state():
    return (
        AuditEntry.objects.count(),
        sorted(Producer.objects.values_list("pk", "name")),
        sorted(Product.objects.values_list("pk", "name")),
        sorted(ProductPack.objects.values_list("pk", "size")),
        sorted(Document.objects.values_list("pk", "number", "issued_on")),
        sorted(ParkedRow.objects.values_list("pk", "state")),
    )


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_an_over_long_name_is_refused_by_the_form_not_cut(world):
    client = client_for(world.users["coordinator"])
    before = _state()
    response = client.post(
        reverse("backoffice:producer_edit", kwargs={"pk": world.producer.pk}),
        {
            "kind": "cooperative",
            "name": "H" * 256,
            "identifier": world.producer.identifier,
            "commune": world.producer.commune_id,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["Tên: Giá trị này chỉ có tối đa 255 kí tự (hiện có 256)"]
    assert _state() == before


def test_records_of_another_province_are_not_among_the_choices(world):
    client = client_for(world.users["coordinator"])  # Hà Nội's
    hai_an = commune("Hải An", "31")
    theirs = make_producer(commune=hai_an)
    before = _state()
    response = client.post(
        reverse("backoffice:product_create"),
        {"producer": theirs.pk, "name": "Chè lạ", "product_set": world.product.product_set_id, "commune": hai_an.pk,
         "status": "active"},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "producer": [f"Chủ thể: {CHOICE}"],
        "commune": [f"Xã/phường nơi sản xuất: {CHOICE}"],
    }
    assert _state() == before


def test_a_commune_officer_cannot_name_another_commune(world):
    client = client_for(world.users["commune"])  # Bát Tràng's
    ba_vi = Commune.objects.get(province__code="01", short_name="Ba Vì")
    before = _state()
    response = client.post(
        reverse("backoffice:producer_edit", kwargs={"pk": world.producer.pk}),
        {"kind": "cooperative", "name": "HTX Chuyển", "identifier": world.producer.identifier, "commune": ba_vi.pk},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["commune"] == [f"Xã/phường: {CHOICE}"]
    assert _state() == before


def test_a_document_date_that_is_not_a_date_is_named(world):
    client = client_for(world.users["coordinator"])
    other = make_product(producer=make_producer())
    before = _state()
    response = client.post(
        reverse("backoffice:document_edit", kwargs={"pk": world.document.pk}),
        {"kind": "food_safety", "number": "1/ATTP", "issued_on": "31/02/2026", "product": other.pk},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "issued_on": ["Ngày cấp: “31/02/2026” không phải là ngày (dd/mm/yyyy)."],
        "product": [f"Sản phẩm: {CHOICE}"],
    }
    assert _state() == before
    response = client.post(
        reverse("backoffice:document_edit", kwargs={"pk": world.document.pk}),
        {"kind": "food_safety", "number": "1/ATTP", "issued_on": "05/03/2026", "product": world.product.pk},
    )
    assert response.status_code == 302
    assert Document.objects.filter(pk=world.document.pk).values_list("number", "issued_on__day").get() == ("1/ATTP", 5)


def test_a_pack_too_long_is_a_message_on_the_product_page(world):
    client = client_for(world.users["coordinator"])
    before = _state()
    url = reverse("backoffice:pack_add", kwargs={"pk": world.product.pk})
    response = client.post(url, {"name": "Túi", "size": "x" * 61}, follow=True)
    assert _messages(response) == ["Khối lượng/thể tích: Giá trị này chỉ có tối đa 60 kí tự (hiện có 61)"]
    assert _state() == before
    response = client.post(url, {"name": "Túi", "gtin": "8934588012229"}, follow=True)
    assert _messages(response) == ["Mã vạch (GTIN): Mã vạch “8934588012229” sai số kiểm tra."]
    assert _state() == before


def test_a_dismissal_needs_a_short_reason(world):
    client = client_for(world.users["coordinator"])
    before = _state()
    url = reverse("backoffice:parked_dismiss", kwargs={"pk": world.parked.pk})
    response = client.post(url, {"reason": "x" * 301}, follow=True)
    assert _messages(response) == ["Lý do bỏ: Giá trị này chỉ có tối đa 300 kí tự (hiện có 301)"]
    response = client.post(url, {"reason": ""}, follow=True)
    assert _messages(response) == ["Lý do bỏ: Trường này là bắt buộc."]
    assert _state() == before


def test_an_import_decision_with_an_unknown_action_is_refused(world):
    from ocop.registry.jobs import execute
    from ocop.registry.models import ImportJob

    execute(world.job)
    client = client_for(world.users["coordinator"])
    response = client.post(
        reverse("backoffice:import_decide", kwargs={"pk": world.job.pk}),
        {"mode": "park", "incomplete": "create", "action": "drop-tables"},
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["action"]
    assert ImportJob.objects.get(pk=world.job.pk).status == "checked"


def test_list_filters_that_do_not_parse_narrow_nothing(world):
    client = client_for(world.users["coordinator"])
    for name, query in (
        ("producer_list", "commune=abc&kind="),
        ("product_list", "group=x&producer=99999999999999999999"),
    ):
        response = client.get(reverse(f"backoffice:{name}") + "?" + query)
        assert response.status_code == 200
    response = client.get(reverse("backoffice:product_list") + f"?producer={world.producer.pk}")
    assert [p.pk for p in response.context["page"]] == [world.product.pk]
