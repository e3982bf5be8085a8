"""A link to a record, by kind (accounts.Target) and id, for the domain apps that must write one (an e-mail's link).
The back office registers the resolver at start (its AppConfig.ready): the domain never holds a URL name."""

from __future__ import annotations

from collections.abc import Callable

_resolver: Callable[[str, int | None], str] | None = None


def set_resolver(resolver: Callable[[str, int | None], str]) -> None:
    global _resolver
    _resolver = resolver


def link_to(target: str, target_id: int | None = None) -> str:
    """The path of the page a target points to ("" when no interface is installed to say)."""
    return _resolver(target, target_id) if _resolver is not None else ""
