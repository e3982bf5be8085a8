"""`ocop api_token`: personal API tokens from the command line.

ocop api_token create USERNAME --name NAME [--scope read|write] [--days N]   prints the token, once
ocop api_token list USERNAME                                                 the user's tokens (no secret)
ocop api_token revoke ID                                                     refused from then on (401)
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ocop.accounts.models import ApiToken, TokenScope, User
from ocop.accounts.services import create_api_token, revoke_api_token
from ocop.accounts.tokens import tokens_of


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user {username!r}.")
    return user


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value is not None else "-"


class Command(BaseCommand):
    help = "Create, list or revoke a user's personal API tokens (Authorization: Bearer <token>)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print it (it is shown only this once)")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="which system uses it")
        create.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        create.add_argument("--days", type=int, help="valid for N days (default: no expiry)")
        listing = actions.add_parser("list", help="a user's tokens: id, prefix, name, scope, expiry, last use, status")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        user = _user(options["username"])
        try:
            new = create_api_token(
                user=user, name=options["name"], scope=TokenScope(options["scope"]), days=options["days"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(m for ms in exc.message_dict.values() for m in ms)) from exc
        expiry = _when(new.token.expires_at) if new.token.expires_at else "never"
        self.stderr.write(
            f"Token {new.token.pk} for {user.username} ({new.token.scope}, expires {expiry}). "
            "Copy it now: it is not shown again."
        )
        self.stdout.write(new.text)

    def _list(self, options: dict[str, Any]) -> None:
        for t in tokens_of(_user(options["username"])):
            self.stdout.write(
                f"{t.pk}\tocop_{t.prefix}_…\t{t.name}\t{t.scope}\texpires {_when(t.expires_at)}"
                f"\tlast used {_when(t.last_used_at)}\t{t.status()}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(f"No API token {options['id']}.")
        revoke_api_token(token=token)
        self.stdout.write(f"Token {token.pk} ({token.name}) of {token.user.username} revoked.")
