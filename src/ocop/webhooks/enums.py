"""The events a subscription may ask for, and a delivery's states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    CERTIFICATE_ISSUED = "certificate.issued", _("certificate issued")
    CERTIFICATE_SUSPENDED = "certificate.suspended", _("certificate suspended")
    CERTIFICATE_LIFTED = "certificate.lifted", _("certificate's suspension lifted")
    CERTIFICATE_REVOKED = "certificate.revoked", _("certificate revoked")
    CERTIFICATE_SUPERSEDED = "certificate.superseded", _("certificate superseded")
    CERTIFICATE_EXPIRING = "certificate.expiring", _("certificate expiring in 30 days")
    PRODUCT_RENAMED = "product.renamed", _("product renamed")
    OUTLET_RECOGNISED = "outlet.recognised", _("sales point recognised")
    OUTLET_WITHDRAWN = "outlet.withdrawn", _("sales point's recognition withdrawn")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed, to be tried again")
    GIVEN_UP = "given_up", _("given up")
