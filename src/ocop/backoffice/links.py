"""Where a notice or a finished import leads in the back office. The domain apps name a record by kind and id
(accounts.Target); only this module knows the URL names."""

from __future__ import annotations

from django.urls import reverse

from ocop.accounts.models import Target
from ocop.evaluation.enums import DossierKind

_BY_ID = {
    Target.CERTIFICATE: "backoffice:certificate_detail",
    Target.DOSSIER: "backoffice:dossier_detail",
    Target.SCORE_PAGE: "backoffice:score_page",
    Target.INSPECTION: "backoffice:inspection_detail",
    Target.PRODUCT: "backoffice:product_detail",
    Target.DOCUMENT: "backoffice:document_detail",
    Target.CERTIFICATE_PDF: "backoffice:certificate_pdf",
    Target.OUTLET: "backoffice:outlet_detail",
    Target.STAR_PATH: "backoffice:path_page",
}
_LISTS = {
    Target.REFERRALS: "backoffice:referrals",
    Target.ROUNDS: "backoffice:round_list",
    Target.CERTIFICATES: "backoffice:certificate_list",
    Target.CRITERIA: "backoffice:criteria_list",
    Target.SALES: "backoffice:sales_list",
    Target.NOTIFICATIONS: "backoffice:notification_list",
}


def url_of(target: str, target_id: int | None = None) -> str:
    """The page a target points to; "" for none (a notice without a link)."""
    if target == Target.RERECOGNITION and target_id is not None:
        return reverse("backoffice:dossier_start", args=[target_id]) + f"?kind={DossierKind.RERECOGNITION}"
    if target in _BY_ID and target_id is not None:
        return reverse(_BY_ID[Target(target)], args=[target_id])
    if target in _LISTS:
        return reverse(_LISTS[Target(target)])
    return ""
