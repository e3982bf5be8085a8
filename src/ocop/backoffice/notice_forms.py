"""The user's e-mail settings for notices: one checkbox per kind; a cleared box switches that kind's e-mail off
(the in-app notice is always kept)."""

from __future__ import annotations

from typing import Any

from django import forms

from ocop.accounts.models import NoticeKind


class EmailKindsForm(forms.Form):
    prefix = "email"

    def __init__(self, *args: Any, off: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in NoticeKind:
            self.fields[kind.value] = forms.BooleanField(label=kind.label, required=False, initial=kind not in off)

    def kinds_off(self) -> set[str]:
        """The kinds whose box is cleared (after validation)."""
        return {kind for kind in NoticeKind.values if not self.cleaned_data.get(kind)}
