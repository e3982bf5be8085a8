"""`ocop normalize_text`: counts exactly in a dry run, fixes with --commit, changes nothing the second time, and never
touches what a signature or a hash covers."""

import io

from django.core.management import call_command

from ocop.certificates.models import Certificate, LogEntry
from ocop.certificates.signing import payload, published_keys, verify_payload
from ocop.certificates.tests.conftest import issue, office  # noqa: F401  # the fixture
from ocop.core.models import AuditEntry
from ocop.registry.models import Producer, Product, ProductPack
from ocop.testing import make_product


def run(*args):
    out = io.StringIO()
    call_command("normalize_text", *args, stdout=out)
    return out.getvalue().splitlines()


def test_reference_data_is_already_normal(db):
    # Places, the classification and the criteria loaded for the test session: nothing to do.
    assert run() == ["Total: 0 rows would change (dry run: --commit writes them)"]


def test_dry_run_counts_commit_fixes_second_run_changes_nothing(office):  # noqa: F811
    # A name typed decomposed before input was normalised: it is in the signed claim of the certificate.
    product = make_product(producer=office.producer, name="Bình  gốm Ho\u031b\u0323p ta\u0301c xa\u0303")
    cert = issue(office, product=product)
    claim, signature = cert.claim, cert.signature
    assert "Bình  gốm Ho\u031b\u0323p" in claim
    Producer.objects.filter(pk=office.producer.pk).update(
        name="HTX  Gốm\u00a0Bát Tràng\x07", legal_representative=" Lê Văn\tAn "
    )
    Product.objects.filter(pk=office.product.pk).update(story="Đoạn một \r\n\r\n\r\nĐoạn\u200bhai", description="a  b")
    ProductPack.objects.filter(pk=office.packs[1].pk).update(size="2\u00a0bình")
    updated = _updated_at(office, product)
    audit, log = AuditEntry.objects.count(), list(LogEntry.objects.values_list("hash", flat=True))

    lines = [
        "registry.Producer.name: 1",
        "registry.Producer.legal_representative: 1",
        "registry.Product.name: 1",
        "registry.Product.description: 1",
        "registry.Product.story: 1",
        "registry.ProductPack.size: 1",
    ]
    assert run() == [*lines, "Total: 6 rows would change (dry run: --commit writes them)"]
    assert Producer.objects.get(pk=office.producer.pk).name == "HTX  Gốm\u00a0Bát Tràng\x07"  # a dry run writes nothing

    assert run("--commit") == [*lines, "Total: 6 rows changed"]
    producer = Producer.objects.get(pk=office.producer.pk)
    assert (producer.name, producer.legal_representative) == ("HTX Gốm Bát Tràng", "Lê Văn An")
    stored = Product.objects.get(pk=office.product.pk)
    assert (stored.story, stored.description) == ("Đoạn một\n\nĐoạn hai", "a b")
    assert Product.objects.get(pk=product.pk).name == "Bình gốm Hợp tác xã"
    assert ProductPack.objects.get(pk=office.packs[1].pk).size == "2 bình"
    assert run("--commit") == ["Total: 0 rows changed"]

    # Nothing anyone edited: no updated_at moved, no audit entry; the signed claim and the log are as they were.
    assert _updated_at(office, product) == updated
    assert AuditEntry.objects.count() == audit
    assert list(LogEntry.objects.values_list("hash", flat=True)) == log
    cert = Certificate.objects.get(pk=cert.pk)
    assert (cert.claim, cert.signature) == (claim, signature)
    qr = payload(base_url="https://ocop.example", code=cert.code, claim_text=cert.claim, key_id=cert.key_id,
                 signature=cert.signature)  # fmt: skip
    assert verify_payload(qr, published_keys()).ok


def _updated_at(scene, product):
    return [
        Producer.objects.get(pk=scene.producer.pk).updated_at,
        *Product.objects.filter(pk__in=[scene.product.pk, product.pk])
        .order_by("pk")
        .values_list("updated_at", flat=True),
        *ProductPack.objects.filter(product=scene.product).order_by("pk").values_list("updated_at", flat=True),
    ]


def test_verbose_lists_every_field_it_walks_and_never_a_skipped_one(db):
    out = io.StringIO()
    call_command("normalize_text", verbosity=2, stdout=out)
    walked = {line.split(":")[0] for line in out.getvalue().splitlines()[:-1]}
    assert "registry.Producer.name" in walked and "registry.Product.story" in walked
    skipped = {
        "certificates.Certificate.claim",
        "certificates.Certificate.signature",
        "certificates.Certificate.number",
        "certificates.Certificate.code",
        "certificates.LogEntry.hash",
        "certificates.SigningKey.public_key",
        "registry.Producer.search_text",
        "registry.Document.sha256",
        "accounts.User.password",
        "accounts.User.username",
        "core.AuditEntry.object_repr",
        "registry.Product.status",
    }
    assert walked & skipped == set()
