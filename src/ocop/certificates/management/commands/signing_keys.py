"""`ocop signing_keys`: make and list the issuing bodies' Ed25519 signing keys (docs/deployment.md, Signing keys).

    ocop signing_keys create 01 TW       # Hà Nội's and the ministry's key, if they have none; the private half
                                         # written to OCOP_KEYS_DIR/<key id>.key (mode 0600)
    ocop signing_keys create --all       # every province and the ministry
    ocop signing_keys create 01 --rotate # retire Hà Nội's key (still published) and make a new one
    ocop signing_keys create 01 --env    # print OCOP_SIGNING_KEY_<key id>=… for a secret store, write no file
    ocop signing_keys list               # each key, and whether its private half is readable here

A key is never made by a web request: issuing a decision for a body without one is refused, telling the
administrator to run this command. Several servers read the same keys from a secret store (a folder mounted
read-only as OCOP_KEYS_DIR, or OCOP_SIGNING_KEY_<key id> variables)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ocop.certificates import signing
from ocop.certificates.models import SigningKey
from ocop.places.models import Province
from ocop.places.queries import central_level


class Command(BaseCommand):
    help = "Create (create CODE… | --all) or list the issuing bodies' signing keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a body's key when it has none (or --rotate)")
        create.add_argument("codes", nargs="*", metavar="CODE", help="province codes (01 Hà Nội…), TW the ministry")
        create.add_argument("--all", action="store_true", help="every province and the ministry")
        create.add_argument("--rotate", action="store_true", help="retire the active key and make a new one")
        create.add_argument("--env", action="store_true",
                            help="print OCOP_SIGNING_KEY_<key id>=<private key> instead of writing a file")  # fmt: skip
        sub.add_parser("list", help="every key, and whether its private half is readable here")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            return self._list()
        bodies = self._bodies(options["codes"], every=options["all"])
        for body in bodies:
            made = signing.create_key(body, write_file=not options["env"], rotate=options["rotate"])
            if made is None:
                self.stdout.write(f"{body.code}: has its key already (--rotate makes a new one)")
                continue
            key, private = made
            if options["env"]:
                self.stdout.write(f"{signing.KEY_ENV_PREFIX}{key.key_id}={private}")
            else:
                self.stdout.write(f"{body.code}: key {key.key_id} made, {signing.key_file(key.key_id)}")
        return None

    def _bodies(self, codes: list[str], *, every: bool) -> list[Province]:
        if every:
            central_level()
            return list(Province.objects.order_by("code"))
        if not codes:
            raise CommandError("Name the bodies (province codes, TW for the ministry) or give --all.")
        if "TW" in (c.upper() for c in codes):
            central_level()
        found = {p.code: p for p in Province.objects.filter(code__in=[c.upper() for c in codes])}
        unknown = [c for c in codes if c.upper() not in found]
        if unknown:
            loaded = Province.objects.filter(central=False).exists()  # none: a database migrated but not loaded yet
            hint = "" if loaded else " No provinces are loaded yet: run `ocop load_places` first (`make run` does)."
            raise CommandError(f"No such province or body: {', '.join(unknown)}.{hint}")
        return [found[c.upper()] for c in codes]

    def _list(self) -> None:
        for key in SigningKey.objects.select_related("province").order_by("province__code", "created_at"):
            try:
                signing.load_private(key)
                here = "private half readable"
            except signing.MissingSigningKey as exc:
                here = f"PRIVATE HALF MISSING OR BAD ({exc.__class__.__name__})"
            state = "active" if key.active else "retired"
            self.stdout.write(f"{key.province.code}\t{key.key_id}\t{state}\t{here}")
