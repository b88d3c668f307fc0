"""Wagtail's ``update_index``, then the portal's vocabulary (search/vocabulary.py) from
the same pages: one command an operator runs, and every index is whole again."""

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from search.vocabulary import rebuild


class Command(WagtailUpdateIndex):
    help = WagtailUpdateIndex.help if hasattr(WagtailUpdateIndex, "help") else ""

    def handle(self, **options):
        super().handle(**options)
        pages = rebuild()
        if options["verbosity"] > 0:
            self.stdout.write(f"Vocabulary: {pages} pages")
