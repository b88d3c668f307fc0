"""OAI-PMH response times and queries, in process (Django's test client, no HTTP).

    .venv/bin/python bench/oai_bench.py [--terms 400] [--modules 4] [--repeat 20]

Builds modules of five lessons and glossary terms (every record in English: the cost of a
page does not depend on the language), then times ListRecords (first and resumed pages,
both formats), ListIdentifiers, GetRecord and a whole harvest through the resumption
tokens. Uses a throwaway test database (SQLite by default, PostgreSQL with DATABASE_URL).
"""

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django, summary, teardown_django, timed  # noqa: E402

TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")


def build(modules, terms):
    from tests.factories import (
        GlossaryIndexPageFactory,
        GlossaryTermPageFactory,
        HomePageFactory,
        LessonPageFactory,
        LocaleFactory,
        ModuleIndexPageFactory,
        ModulePageFactory,
    )

    LocaleFactory(language_code="en")
    HomePageFactory()
    catalogue = ModuleIndexPageFactory()
    for m in range(modules):
        module = ModulePageFactory(parent=catalogue, title=f"Module {m}")
        for n in range(5):
            LessonPageFactory(parent=module, title=f"Lesson {m}.{n}")
    glossary = GlossaryIndexPageFactory()
    for n in range(terms):
        GlossaryTermPageFactory(parent=glossary, title=f"term {n}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=400)
    parser.add_argument("--modules", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    old_config = setup_django()
    try:
        from django.db import connection
        from django.test import Client

        from oer.models import HarvestRecord

        started = time.perf_counter()
        build(args.modules, args.terms)
        total = HarvestRecord.objects.count()
        print(
            f"{connection.vendor}: {total} records built in {time.perf_counter() - started:.0f} s"
        )
        connection.force_debug_cursor = True
        client = Client()

        def get(**arguments):
            return client.get("/oai/", arguments)

        def measure(name, **arguments):
            get(**arguments)
            connection.queries_log.clear()
            response = get(**arguments)
            queries = len(connection.queries_log)
            samples = timed(lambda: get(**arguments), args.repeat)
            print(f"{name:42} {summary(samples)} {queries:3} q  {len(response.content):7} B")
            return response

        first = measure(
            "ListRecords oai_dc, first 100", verb="ListRecords", metadataPrefix="oai_dc"
        )
        measure("ListRecords oai_lom, first 100", verb="ListRecords", metadataPrefix="oai_lom")
        token = TOKEN.search(first.content).group(1).decode()
        measure("ListRecords, resumed page", verb="ListRecords", resumptionToken=token)
        measure("ListIdentifiers, first 100", verb="ListIdentifiers", metadataPrefix="oai_dc")
        identifier = re.search(rb"<identifier>([^<]+)</identifier>", first.content).group(1)
        measure(
            "GetRecord oai_lom",
            verb="GetRecord",
            metadataPrefix="oai_lom",
            identifier=identifier.decode(),
        )

        def harvest():
            response, pages = get(verb="ListRecords", metadataPrefix="oai_lom"), 1
            while match := TOKEN.search(response.content):
                response = get(verb="ListRecords", resumptionToken=match.group(1).decode())
                pages += 1
            return pages

        pages = harvest()
        samples = timed(harvest, max(1, args.repeat // 5))
        print(f"{f'whole harvest, {pages} pages (oai_lom)':42} {summary(samples)}")
    finally:
        teardown_django(old_config)


if __name__ == "__main__":
    main()
