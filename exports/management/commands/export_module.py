"""Write a module's SCORM 1.2 package or Common Cartridge 1.1 to a file.

    python manage.py export_module smart-industry --language hu --format scorm12
    python manage.py export_module 42 --format cartridge --output module.imscc

The module is given by its slug or page id; only public content goes into the package,
exactly as at ``<module url>export/scorm12.zip``.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exports import cartridge, scorm
from exports.package import ModulePackage
from modules.models import ModulePage
from portal.visibility import public

FORMATS = {"scorm12": scorm, "cartridge": cartridge}


class Command(BaseCommand):
    help = "Write a training module as a SCORM 1.2 package or an IMS Common Cartridge 1.1."

    def add_arguments(self, parser):
        parser.add_argument("module", help="the module's slug or page id")
        parser.add_argument("--format", choices=sorted(FORMATS), default="scorm12")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            help="language code of the module's translation (default: %(default)s)",
        )
        parser.add_argument("--output", "-o", help="file to write (default: the download's name)")

    def handle(self, module, format, language, output, **options):
        languages = {code for code, _name in settings.LANGUAGES}
        if language not in languages:
            raise CommandError(
                f"Unknown language {language!r}: choose one of {', '.join(sorted(languages))}."
            )
        page = self._find(module, language)
        writer = FORMATS[format]
        package = ModulePackage(page, source_url=page.get_full_url() or "")
        data = writer.build(package)
        path = Path(output or writer.filename(package))
        path.write_bytes(data)
        self.stdout.write(
            f"Wrote {path} ({len(data):,} bytes): {page.title} [{language}], "
            f"{len(package.lessons)} lessons."
        )

    @staticmethod
    def _find(module, language):
        modules = public(ModulePage.objects.filter(locale__language_code=language))
        if module.isdigit():
            # A page id of any language finds that module's translation in ``language``.
            key = ModulePage.objects.filter(pk=int(module)).values_list(
                "translation_key", flat=True
            )
            matches = modules.filter(translation_key__in=list(key))
        else:
            matches = modules.filter(slug=module)
        matches = list(matches.select_related("locale", "theme")[:2])
        if not matches:
            raise CommandError(
                f"No public module {module!r} in {language!r} (drafts, restricted sections "
                "and missing translations are not exported)."
            )
        if len(matches) > 1:
            raise CommandError(f"Several modules have the slug {module!r}: give the page id.")
        return matches[0]
