"""Write the search hits counted in the cache to Wagtail's search-terms tables."""

from django.core.management import BaseCommand

from search.hits import flush_hits


class Command(BaseCommand):
    help = (
        "Adds the search hits counted in the shared cache to Wagtail's Query and "
        "QueryDailyHits tables (the admin's Search terms report). Run it every few minutes."
    )

    def handle(self, *args, **options):
        queries, hits = flush_hits()
        self.stdout.write(f"{hits} search hits of {queries} search terms written.")
