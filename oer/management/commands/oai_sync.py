from django.core.management.base import BaseCommand
from django.db import transaction

from oer.models import HarvestRecord
from oer.signals import mark_missing_pages_deleted, sync


class Command(BaseCommand):
    help = (
        "Bring the OAI-PMH harvest registry in line with the public pages (once after "
        "installing, or after restoring a database). Idempotent."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        sync()
        missing = mark_missing_pages_deleted()
        total = HarvestRecord.objects.count()
        deleted = HarvestRecord.objects.filter(deleted=True).count()
        self.stdout.write(
            f"{total} records, {total - deleted} public, {deleted} deleted "
            f"({missing} newly marked for missing pages)."
        )
