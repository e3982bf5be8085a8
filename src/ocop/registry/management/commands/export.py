from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from ocop.registry.exports import export_producers, export_products
from ocop.registry.models import Producer, Product


class Command(BaseCommand):
    help = "Export all producers or products to an .xlsx workbook (the import columns)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=["producers", "products"])
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] == "producers":
            data = export_producers(Producer.objects.all())
        else:
            data = export_products(Product.objects.all())
        Path(options["file"]).write_bytes(data)
        self.stdout.write(f"written {options['file']}")
