"""Form input reaches the views normalised (NFC, collapsed spaces); a control character is a 400 naming the field."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse, QueryDict
from django.test import Client, RequestFactory
from django.urls import reverse

from ocop.conftest import client_for
from ocop.core.middleware import TextInputMiddleware
from ocop.core.models import AuditEntry
from ocop.core.text import control_character_message
from ocop.registry.models import Producer, Product
from ocop.testing import make_user

HTX_NFD = "Ho\u031b\u0323p ta\u0301c xa\u0303"  # "Hợp tác xã", decomposed


def _producer_form(producer, **changes):
    data = {
        "kind": producer.kind,
        "name": producer.name,
        "identifier": producer.identifier,
        "legal_representative": producer.legal_representative,
        "phone": producer.phone,
        "email": producer.email,
        "address": producer.address,
        "commune": producer.commune_id,
    }
    data.update(changes)
    return data


def test_producer_edit_stores_nfc_with_single_spaces(world):
    client = client_for(world.users["coordinator"])
    url = reverse("backoffice:producer_edit", kwargs={"pk": world.producer.pk})
    data = _producer_form(
        world.producer, name=f"  {HTX_NFD}   Gốm\u00a0\u00a0Bát Tràng ", legal_representative="Nguyễn\tVăn\u3000An"
    )
    response = client.post(url, data)
    assert response.status_code == 302
    producer = Producer.objects.get(pk=world.producer.pk)
    assert (producer.name, producer.legal_representative) == ("Hợp tác xã Gốm Bát Tràng", "Nguyễn Văn An")


def test_product_story_keeps_its_paragraphs(world):
    client = client_for(world.users["coordinator"])
    product = world.product
    data = {
        "producer": product.producer_id,
        "name": f"Chè  {HTX_NFD}",
        "product_set": product.product_set_id,
        "commune": product.commune_id,
        "description": "Một  dòng",
        "story": "  Đoạn  một\r\n\r\n\r\n\r\nĐoạn hai\u00a0 \r\ndòng ba  ",
        "status": product.status,
    }
    response = client.post(reverse("backoffice:product_edit", kwargs={"pk": product.pk}), data)
    assert response.status_code == 302
    product = Product.objects.get(pk=product.pk)
    assert (product.name, product.description, product.story) == (
        "Chè Hợp tác xã",
        "Một dòng",
        "Đoạn một\n\nĐoạn hai\ndòng ba",
    )


def test_control_character_is_a_400_naming_the_field_and_writes_nothing(world):
    client = client_for(world.users["coordinator"])
    url = reverse("backoffice:producer_edit", kwargs={"pk": world.producer.pk})
    before = (Producer.objects.get(pk=world.producer.pk).name, AuditEntry.objects.count())
    for field, value, char in [("name", "HTX\x00 Mới", "U+0000"), ("address", "Số 1\x07 Bát Tràng", "U+0007")]:
        response = client.post(url, _producer_form(world.producer, **{field: value}))
        assert response.status_code == 400
        assert response.templates[0].name == "errors/error.html"
        message = control_character_message(field=field, char=char)
        assert [str(m) for m in response.context["messages"]] == [message]
        assert message in response.content.decode()
    assert (Producer.objects.get(pk=world.producer.pk).name, AuditEntry.objects.count()) == before


def test_zero_width_space_in_a_textarea_is_refused(world):
    client = client_for(world.users["coordinator"])
    product = world.product
    data = {
        "producer": product.producer_id,
        "name": "Chè mới",
        "product_set": product.product_set_id,
        "commune": product.commune_id,
        "story": "Đoạn một\r\nĐoạn\u200bhai",
        "status": product.status,
    }
    response = client.post(reverse("backoffice:product_edit", kwargs={"pk": product.pk}), data)
    assert response.status_code == 400
    assert control_character_message(field="story", char="U+200B") in response.content.decode()
    assert Product.objects.get(pk=product.pk).name == product.name


def test_a_password_with_two_spaces_still_logs_in(db):
    user = make_user(username="haicach")
    password = "mật  khẩu\u00a0 có  hai dấu cách "
    user.set_password(password)
    user.save(update_fields=["password"])
    client = Client()
    response = client.post(reverse("login"), {"username": "haicach", "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert (
        Client().post(reverse("login"), {"username": "haicach", "password": "mật khẩu có hai dấu cách"}).status_code
        == 200
    )


def test_a_forged_post_is_refused_for_its_token_first(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    url = reverse("backoffice:producer_edit", kwargs={"pk": world.producer.pk})
    assert client.post(url, _producer_form(world.producer, name="HTX\x07")).status_code == 403


def _through_middleware(request):
    seen = {}

    def view(request):
        seen["POST"], seen["FILES"] = request.POST, request.FILES
        return HttpResponse("ok")

    middleware = TextInputMiddleware(view)
    response = middleware.process_view(request, view, (), {}) or view(request)
    return response, seen


def test_the_views_see_an_immutable_normalised_copy_with_secrets_and_files_untouched():
    upload = SimpleUploadedFile("Ho\u031b\u0323p  ta\u0301c.pdf", b"%PDF-1.4  \x07", content_type="application/pdf")
    request = RequestFactory().post(
        "/x",
        {
            "name": ["  a  b ", HTX_NFD],
            "note": "x\r\n\r\n\r\ny ",
            "password": " hai  cách ",
            "new_password1": "  x",
            "current_password_again": " y  ",
            "csrfmiddlewaretoken": " t ",
            "file": upload,
        },
    )
    response, seen = _through_middleware(request)
    post = seen["POST"]
    assert response.status_code == 200
    assert isinstance(post, QueryDict) and not post._mutable
    assert post.getlist("name") == ["a b", "Hợp tác xã"]
    assert post["note"] == "x\n\ny"
    assert (post["password"], post["new_password1"], post["current_password_again"], post["csrfmiddlewaretoken"]) == (
        " hai  cách ",
        "  x",
        " y  ",
        " t ",
    )
    stored = seen["FILES"]["file"]
    assert (stored.name, stored.read()) == ("Ho\u031b\u0323p  ta\u0301c.pdf", b"%PDF-1.4  \x07")


def test_json_bodies_are_left_alone_and_reads_scrubbed():
    request = RequestFactory().post("/x", data='{"name": "a  b\\u0007"}', content_type="application/json")
    response, _seen = _through_middleware(request)
    assert response.status_code == 200
    get = RequestFactory().get("/x", {"q": ["a\x07  b", HTX_NFD], "page": "2", "password": " a\x00 "})
    assert TextInputMiddleware(lambda r: HttpResponse()).process_view(get, lambda r: None, (), {}) is None
    assert (get.GET.getlist("q"), get.GET["page"], get.GET["password"], get.GET._mutable) == (
        ["a b", "Hợp tác xã"],
        "2",
        " a\x00 ",
        False,
    )
