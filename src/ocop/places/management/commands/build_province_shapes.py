from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Rebuild static/ocop/provinces.geojson from the communes' centres (needs shapely, a dev dependency)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            import shapely  # noqa: F401
        except ImportError:
            raise CommandError("shapely is not installed: install the project with its dev extra.") from None
        from ocop.places.shapes import SHAPES_FILE, write_shapes

        size = write_shapes()
        self.stdout.write(f"{SHAPES_FILE}: {size:,} bytes")
