"""The user's e-mail settings for notices: one checkbox per kind that can concern the user's roles (`KIND_ROLES`); a
cleared box switches that kind's e-mail off (the in-app notice is always kept)."""

from __future__ import annotations

from typing import Any

from django import forms

from ocop.accounts.models import NoticeKind, Role
from ocop.accounts.permissions import scope_of

K = NoticeKind
R = Role
_OFFICES = (R.PROVINCE_COORDINATOR, R.COMMERCE_OFFICER, R.COMMUNE_OFFICER)
_SUPERVISED = (R.PRODUCER, R.OUTLET_OPERATOR, R.INSPECTOR, R.PROVINCE_COORDINATOR, R.COMMERCE_OFFICER)

# Which roles each kind of notice can reach (who the notices' senders address, see `notify` in the domain apps):
# the settings offer a user only the kinds of their roles. "Other notices" reach anyone; the administrator sees all.
KIND_ROLES: dict[NoticeKind, tuple[Role, ...]] = {
    K.SUBMITTED: (R.COMMUNE_OFFICER,),
    K.RETURNED: (R.PRODUCER,),
    K.PROPOSED: (R.PROVINCE_COORDINATOR,),
    K.SENT_TO_COUNCIL: (R.COUNCIL_MEMBER,),
    K.SCORING_COMPLETE: (R.PROVINCE_COORDINATOR, R.COUNCIL_MEMBER),
    K.RESULT_PUBLISHED: (R.PRODUCER, R.PROVINCE_COORDINATOR),
    K.DECISION_ISSUED: (R.PRODUCER, *_OFFICES),
    K.CERTIFICATE_READY: (R.PRODUCER, R.PROVINCE_COORDINATOR),
    K.SUSPENDED: (*_SUPERVISED, R.COMMUNE_OFFICER),
    K.REVOKED: (*_SUPERVISED, R.COMMUNE_OFFICER),
    K.DEADLINE_REMINDER: (R.PRODUCER,),
    K.EXPIRY: (R.PRODUCER, R.PROVINCE_COORDINATOR, R.COMMUNE_OFFICER),
    K.DOCUMENT_EXPIRY: (R.PRODUCER, R.PROVINCE_COORDINATOR, R.COMMUNE_OFFICER),
    K.SPREAD_REVIEW: (R.COUNCIL_MEMBER, R.PROVINCE_COORDINATOR),
    K.REMOVAL_TASK: (R.OUTLET_OPERATOR, R.PRODUCER, R.COMMERCE_OFFICER),
    K.RENAME: (R.PRODUCER, R.OUTLET_OPERATOR, R.PROVINCE_COORDINATOR, R.COMMERCE_OFFICER),
    K.INSPECTION: _SUPERVISED,
    K.FINDINGS: _SUPERVISED,
    K.SANCTION: _SUPERVISED,
    K.CENTRAL_ROUND: (R.PROVINCE_COORDINATOR,),
    K.OTHER: tuple(Role),
}


def kinds_for(user: Any) -> list[NoticeKind]:
    """The kinds of notice that can concern the user's roles, in the enumeration's order (all for the administrator,
    for an account without a role yet, or for no user given)."""
    if user is None:
        return list(NoticeKind)
    scope = scope_of(user)
    if scope.is_admin or not scope.roles:
        return list(NoticeKind)
    return [kind for kind in NoticeKind if kind == K.OTHER or any(r in scope.roles for r in KIND_ROLES[kind])]


class EmailKindsForm(forms.Form):
    prefix = "email"

    def __init__(self, *args: Any, off: set[str], user: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # checkboxes: "Hồ sơ đã nộp lên xã", no colon
        super().__init__(*args, **kwargs)
        self.off = set(off)
        self.kinds = kinds_for(user)
        for kind in self.kinds:
            self.fields[kind.value] = forms.BooleanField(label=kind.label, required=False, initial=kind not in off)

    def kinds_off(self) -> set[str]:
        """The kinds whose box is cleared (after validation), and those not offered that were off already."""
        offered = {kind.value for kind in self.kinds}
        return {k for k in offered if not self.cleaned_data.get(k)} | (self.off - offered)
