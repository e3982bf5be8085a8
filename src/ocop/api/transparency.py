"""The transparency log's signed checkpoints, open to everyone: save them (one request a day) and check the log
against them later with `ocop verify-log --checkpoints FILE` (docs/transparency.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Schema

from ocop.api.errors import ApiRouter
from ocop.api.pagination import Page, PageQuery, paginate
from ocop.api.params import Code
from ocop.certificates import checkpoints
from ocop.certificates.models import Checkpoint

router = ApiRouter(tags=["certificates"])


class CheckpointOut(Schema):
    seq: int = Field(description="entries in the log when signed: the sequence number of its last entry")
    hash: str = Field(description="the hash of that entry (SHA-256, hex), as /api/v1/transparency-log serves it")
    at: str = Field(description="when it was signed, UTC, ISO 8601")
    body: str = Field(description="the issuing body whose key signed it: a province code, or TW for the ministry")
    key_id: str = Field(description="the signing key, listed in /api/v1/keys")
    signature: str = Field(description="Ed25519 over signed_text (UTF-8), base64url")
    signed_text: str = Field(description="OCOP-CHECKPOINT|v1|<body>|<seq>|<hash>|<at>")


class CheckpointPage(Page[CheckpointOut]): ...


class CheckpointFilters(PageQuery):
    body: Code | None = Field(None, description="only this body's checkpoints: a province code, or TW")


@router.get(
    "/transparency-log/checkpoints", response=CheckpointPage, summary="Signed checkpoints of the log, newest first"
)
def list_checkpoints(request: HttpRequest, filters: Query[CheckpointFilters]) -> dict[str, Any]:
    qs = Checkpoint.objects.select_related("body").order_by("-at", "-id")
    if filters.body:
        qs = qs.filter(body__code=filters.body)
    return paginate(request, qs, filters, lambda c: checkpoints.saved(c).as_dict())
