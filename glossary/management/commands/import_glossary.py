"""manage.py import_glossary FILE [FILE ...] [--publish] [--dry-run]"""

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from glossary.exchange import GlossaryFormatError, parse_files, read_glossary_file
from glossary.importer import import_concepts
from glossary.models import GlossaryIndexPage, GlossaryTermPage


class Command(BaseCommand):
    help = (
        "Import glossary concepts from TBX (TBX-Basic/TBX-Core) or CSV files. Everything is "
        "validated first; with any problem nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="+", help="TBX (.tbx, .xml) or CSV (.csv) files, read as one import"
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the pages (default: keep drafts)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, write nothing"
        )

    def handle(self, *args, files, publish, dry_run, **options):
        index = GlossaryIndexPage.objects.filter(locale__language_code="en").first()
        if index is None:
            raise CommandError(
                "There is no English glossary page to import into; create one first."
            )
        try:
            sources = [(path, read_glossary_file(path)) for path in files]
            known = set(GlossaryTermPage.objects.values_list("concept_id", flat=True))
            concepts = parse_files(
                sources, [code for code, _name in settings.LANGUAGES], known_ids=known
            )
            report = import_concepts(concepts, index, publish=publish, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"Cannot read the file: {error.strerror or error}") from error
        except GlossaryFormatError as error:
            raise CommandError(f"The glossary was not imported:\n{error}") from error
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(f"{prefix}{len(concepts)} concepts: {report.summary()}.")
