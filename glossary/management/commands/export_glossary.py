"""manage.py export_glossary --format tbx|csv [--output FILE]"""

from django.conf import settings
from django.core.management import BaseCommand

from glossary.exchange import write_csv, write_tbx
from glossary.importer import export_concepts


class Command(BaseCommand):
    help = "Export the whole glossary as TBX (TBX-Basic) or CSV, to standard output or a file."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["tbx", "csv"], default="tbx")
        parser.add_argument("--output", help="Write to this file instead of standard output")

    def handle(self, *args, format, output, **options):
        concepts = export_concepts()
        languages = [code for code, _name in settings.LANGUAGES]
        data = (
            write_tbx(concepts, languages)
            if format == "tbx"
            else write_csv(concepts, languages).encode("utf-8")
        )
        if output:
            with open(output, "wb") as handle:
                handle.write(data)
            self.stderr.write(f"Wrote {len(concepts)} concepts to {output}.")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
