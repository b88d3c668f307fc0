"""Demo glossary: the index page in four languages and the concepts of glossary.tbx,
loaded through the same importer as `manage.py import_glossary`."""

from pathlib import Path

from django.conf import settings

from glossary.exchange import parse_files, read_glossary_file
from glossary.importer import import_concepts
from glossary.models import GlossaryIndexPage
from portal.demo import load_json, load_section_index

CONTENT = Path(__file__).parent / "demo_content"
GLOSSARY_FILE = CONTENT / "glossary.tbx"


def load(log):
    index = load_section_index(
        GlossaryIndexPage, "glossary", load_json(CONTENT / "index.json"), log
    )

    languages = [code for code, _name in settings.LANGUAGES]
    concepts = parse_files([(GLOSSARY_FILE.name, read_glossary_file(GLOSSARY_FILE))], languages)
    report = import_concepts(concepts, index, publish=True)
    log(f"Glossary: {report.summary()}.")
    return index


def record_usages(log):
    """Where each term is used, for content loaded before the glossary existed."""
    from casestudies.models import CaseStudyPage
    from glossary.usage import record_usage
    from modules.models import LessonPage

    count = 0
    for model in (LessonPage, CaseStudyPage):
        for page in model.objects.live():
            record_usage(page)
            count += 1
    log(f"Recorded glossary usage on {count} pages.")
