"""Delete expired progress codes (making a new code also does, on the way)."""

from django.core.management import BaseCommand
from django.utils import timezone

from learning.models import ProgressCode


class Command(BaseCommand):
    help = "Deletes the progress codes that have expired."

    def handle(self, *args, **options):
        deleted, _rows = ProgressCode.objects.filter(expires_at__lte=timezone.now()).delete()
        self.stdout.write(f"Deleted {deleted} expired progress code(s).")
