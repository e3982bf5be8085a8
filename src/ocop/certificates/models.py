"""Recognition decisions, the certificates they create, the signing keys and the transparency log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.certificates.enums import DecisionState, IssuingLevel, LegalBasis, LogEvent, ReportKind, Status
from ocop.core.models import LeasedJob, TimeStampedModel
from ocop.evaluation.models import Result, Round
from ocop.places.models import Commune, LegacyDistrict, Province
from ocop.registry.models import Document, Producer, Product, ProductGroup, ProductPack


class Decision(TimeStampedModel):
    """A recognition decision (quyết định công nhận): drafted from council results, or entered from history."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    level = models.CharField(_("issuing level"), max_length=16, choices=IssuingLevel.choices)
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    number = models.CharField(_("decision number"), max_length=60, blank=True)
    signed_on = models.DateField(_("date"), null=True, blank=True)
    # The year of signed_on, kept for the uniqueness of numbers: bodies number their decisions afresh each year.
    year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    # The signature block as signed ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"), taken from the issuing body's settings when
    # the decision is issued, so the decision prints as signed whatever the settings say later. Empty on decisions
    # issued before these fields: their PDF prints the level's usual block.
    signer_authority = models.CharField(_("signing authority"), max_length=100, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=16, choices=LegalBasis.choices)
    state = models.CharField(_("state"), max_length=16, choices=DecisionState.choices, default=DecisionState.DRAFT)
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("round")
    )
    historical = models.BooleanField(_("entered from history"), default=False)
    # A list that gives only the year of a decision: the date is taken as the year's last day (the latest it can be,
    # so a period's count never includes it early) and shown as known to the year only.
    date_approximate = models.BooleanField(_("only the year is known"), default=False)
    legacy_district = models.ForeignKey(
        LegacyDistrict, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        constraints = [
            # A number is unique for its issuing body and year: the province's (or the ministry's) bodies, or each
            # former district's (districts numbered their decisions independently).
            models.UniqueConstraint(
                fields=["province", "level", "year", "number"],
                condition=~models.Q(number="") & models.Q(legacy_district__isnull=True),
                name="unique_decision_number",
            ),
            models.UniqueConstraint(
                fields=["province", "level", "legacy_district", "year", "number"],
                condition=~models.Q(number="") & models.Q(legacy_district__isnull=False),
                name="unique_district_decision_number",
            ),
        ]
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")

    def __str__(self) -> str:
        return self.number or str(_("draft decision"))


class DecisionItem(TimeStampedModel):
    """One product and its stars in a decision; a council result is recognised at most once."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product"))
    stars = models.PositiveSmallIntegerField(_("stars"))
    # "4 sao, tiềm năng 5 sao": the province's recognition of a product it referred to the central round; counted as
    # potential 5-star, never as a 5-star certificate.
    potential_five = models.BooleanField(_("potential 5 stars"), default=False)
    result = models.OneToOneField(
        Result, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("council result")
    )
    packs = models.ManyToManyField(ProductPack, blank=True, related_name="+", verbose_name=_("packs carrying the mark"))
    position = models.PositiveIntegerField(default=0)
    # Why the stars differ from the council's result (e.g. the council's own re-vote); empty when they agree.
    stars_reason = models.TextField(_("reason for stars other than the result's"), blank=True)

    class Meta:
        ordering = ["decision", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "product"], name="one_item_per_product")]

    def __str__(self) -> str:
        return f"{self.product_id} {self.stars}★"


class Certificate(TimeStampedModel):
    """A certificate: number unique per province and year, 36 months of validity, a code behind the QR."""

    item = models.OneToOneField(DecisionItem, on_delete=models.PROTECT, related_name="certificate")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="certificates")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="certificates")
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="certificates")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    series = models.CharField(max_length=8, blank=True, default="")  # "": issued here; "LS": entered from history
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField()
    stars = models.PositiveSmallIntegerField(_("stars"))
    potential_five = models.BooleanField(_("potential 5 stars"), default=False)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.VALID)
    status_reason = models.TextField(_("reason"), blank=True)
    status_since = models.DateField(_("since"), null=True, blank=True)
    revocation_decision = models.CharField(_("revocation decision"), max_length=60, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("superseded by")
    )
    packs = models.ManyToManyField(ProductPack, blank=True, related_name="+", verbose_name=_("packs carrying the mark"))
    pdf = models.FileField(_("certificate (PDF)"), upload_to="certificates/%Y/", blank=True)
    # What the signature covers, as signed. Empty for a certificate entered from history: it never had one.
    claim = models.TextField(_("signed statement"), blank=True)
    key_id = models.CharField(max_length=16, blank=True)
    signature = models.CharField(max_length=100, blank=True)
    # The same claim as a compact JWS (EdDSA, kid = key_id, signed with the same key; certificates.signing.jws_signer),
    # for any JOSE library. Empty for a certificate never signed, and for one signed before JWS until `ocop sign_jws`.
    jws = models.TextField(_("signed statement (JWS)"), blank=True, editable=False)
    # The packs carrying the mark as they stood at issue ([{"name", "size", "gtin"}]): `packs` links the registry's
    # rows, which a producer may remove later. Null for a certificate without the copy (its `packs` are read).
    issued_packs = models.JSONField(_("packs carrying the mark, as issued"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "series", "year", "sequence"], name="unique_certificate_series_sequence"
            ),
            models.CheckConstraint(condition=models.Q(stars__gte=3, stars__lte=5), name="certificate_stars_3_to_5"),
        ]
        indexes = [
            models.Index(fields=["status", "valid_until"], name="certificate_status_until"),
            # Reports as of a day (certificates.asof) read one stretch of issue dates of a province and find in this
            # index alone everything they test and count (the superseding certificate's date aside).
            models.Index(
                fields=[
                    "province",
                    "issued_on",
                    "valid_until",
                    "status",
                    "status_since",
                    "superseded_by",
                    "stars",
                    "potential_five",
                    "product",
                    "producer",
                    "commune",
                    "id",
                ],
                name="certificate_as_of",
            ),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number


class BatchState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("making the PDFs")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class CertificateBatch(LeasedJob, TimeStampedModel):
    """The PDFs of a decision's certificates, made on the task worker with a progress bar."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="batches")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    state = models.CharField(max_length=16, choices=BatchState.choices, default=BatchState.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    RUNNING_STATES = (BatchState.RUNNING,)
    state_field = "state"

    def mark_abandoned(self) -> None:
        self.state = BatchState.FAILED
        self.failure = str(
            _(
                "The worker making these PDFs stopped unexpectedly. Press “Run again”: it goes on from the first "
                "certificate without its PDF."
            )
        )
        type(self).objects.filter(pk=self.pk).update(state=self.state, failure=self.failure)


class CertificateCounter(models.Model):
    """The last sequence number given per province and year; bumped with an UPDATE, so issuers queue on it."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=8, blank=True, default="")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "series", "year"], name="one_counter_per_series_year")
        ]

    def __str__(self) -> str:
        return f"{self.province_id}/{self.year}: {self.last}"


class SigningKey(TimeStampedModel):
    """A province's Ed25519 key; the private half lives in a file under OCOP_DATA_DIR/keys, never in the database."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    key_id = models.CharField(max_length=16, unique=True)
    public_key = models.CharField(max_length=64)  # base64url of the 32 raw bytes
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["province", "-created_at"]

    def __str__(self) -> str:
        return self.key_id


class LogEntry(models.Model):
    """One entry of the transparency log; each carries the hash of the previous one."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    event = models.CharField(max_length=16, choices=LogEvent.choices)
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="log")
    data = models.JSONField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        # A certificate's suspensions and lifts, read for reports as of a day (certificates.asof.suspended_on).
        indexes = [models.Index(fields=["event", "certificate", "seq", "at"], name="logentry_event_certificate")]

    def __str__(self) -> str:
        return f"{self.seq} {self.event}"


class LogHead(models.Model):
    """The log's last entry (one row): appenders lock it, and the verifier checks the chain ends here."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.seq} {self.hash[:12]}"


class ExpiryNotice(TimeStampedModel):
    """A notice that a certificate is about to expire, sent to the producer and its commune (once per window)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="notices")
    days_before = models.PositiveSmallIntegerField()
    recipients = models.TextField(blank=True)
    pdf = models.FileField(_("written notice (PDF)"), upload_to="notices/%Y/", blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["certificate", "days_before"], name="one_notice_per_window")]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.days_before}"


class DocumentNotice(TimeStampedModel):
    """A notice that a vault document is about to lapse (once per window)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    recipients = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["document", "days_before"], name="one_document_notice_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.days_before}"


class ConsumerReport(TimeStampedModel):
    """A consumer's report from the scan page: a suspected fake or expired label, kept for supervision."""

    certificate = models.ForeignKey(Certificate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    code = models.CharField(_("code scanned"), max_length=40, blank=True)
    kind = models.CharField(_("problem"), max_length=16, choices=ReportKind.choices)
    message = models.TextField(_("what you saw"), blank=True)
    place = models.CharField(_("where you saw it"), max_length=300, blank=True)
    contact = models.CharField(_("phone or e-mail (optional)"), max_length=120, blank=True)
    client = models.CharField(max_length=64, db_index=True)  # a keyed hash of the address, for rate limits
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consumer report")
        verbose_name_plural = _("consumer reports")


class Checkpoint(models.Model):
    """The log's head (entry count and last hash) at a moment, signed with an issuing body's key: made every day and
    at each decision, published, and kept by anyone, so that a later rewrite of the whole chain (re-hashed, passing
    its own check) no longer matches what was signed. Never changed once written."""

    body = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing body"))
    seq = models.PositiveBigIntegerField(_("log entries"))
    hash = models.CharField(max_length=64)
    at = models.DateTimeField(_("time"))
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=100)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["body", "-at"], name="checkpoint_body_at")]
        verbose_name = _("log checkpoint")
        verbose_name_plural = _("log checkpoints")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash[:12]}"


class Standing(models.Model):
    """A certificate valid on the day `StandingDay` names, by its history (`asof.valid_on`), with what the day's
    figures group it by: the day's OCOP products kept as rows, so a dashboard recount reads a narrow table in the
    order it groups instead of three years of certificates and their log (certificates.standing keeps it true)."""

    certificate = models.OneToOneField(Certificate, on_delete=models.CASCADE, primary_key=True, related_name="+")
    # Copies of the certificate's own fields, which no service changes after issue, and of its product's group (a
    # product's save updates it); plain ids, so a removed product or commune never blocks anything here.
    province = models.ForeignKey(Province, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    producer = models.ForeignKey(Producer, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    group = models.ForeignKey(
        ProductGroup, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    stars = models.PositiveSmallIntegerField()
    potential_five = models.BooleanField()
    valid_until = models.DateField()

    class Meta:
        indexes = [
            # In the order the dashboard groups the day's certificates: read in order, never sorted.
            models.Index(
                fields=["province", "stars", "potential_five", "group", "commune", "valid_until"],
                name="standing_figures",
            ),
            models.Index(fields=["product"], name="standing_product"),
            models.Index(fields=["province", "producer"], name="standing_producer"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id}"


class StandingDay(models.Model):
    """The day the `Standing` rows hold (one row), and how far they have read: the log's last entry and the last
    certificate id (one written past the log, as a bulk load does, is still counted)."""

    day = models.DateField(null=True)
    seq = models.PositiveBigIntegerField(default=0)
    certificate_id = models.PositiveBigIntegerField(default=0)
    built_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.day} #{self.seq}"
