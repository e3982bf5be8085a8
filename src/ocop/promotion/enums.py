from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    FAIR = "fair", _("fair")
    EXHIBITION = "exhibition", _("exhibition")
    LIVESTREAM = "livestream", _("livestream")
    ONLINE_MARKET = "online_market", _("online market")


ONLINE = (EventKind.LIVESTREAM, EventKind.ONLINE_MARKET)
