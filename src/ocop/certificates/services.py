"""The certificate services in one place for their callers: recognition decisions (`decisions`) and the
certificate lifecycle after issue (`lifecycle`). Every service takes the acting user (`by`) and checks the gateway
(`certificates.access`) itself."""

from __future__ import annotations

from ocop.certificates.decisions import (
    CENTRAL_SERIES,
    STARS_BY_LEVEL,
    add_item,
    bump,
    check_issue,
    default_issuing_body,
    draft_decision,
    draft_from_round,
    issue_decision,
    pending_result,
    remove_item,
    set_item_packs,
    signature_on_issue,
)
from ocop.certificates.lifecycle import lift, log_data, revoke, suspend, sync_product

__all__ = [
    "CENTRAL_SERIES",
    "STARS_BY_LEVEL",
    "add_item",
    "bump",
    "check_issue",
    "default_issuing_body",
    "draft_decision",
    "draft_from_round",
    "issue_decision",
    "lift",
    "log_data",
    "pending_result",
    "remove_item",
    "revoke",
    "set_item_packs",
    "signature_on_issue",
    "suspend",
    "sync_product",
]
