"""Public pages with and without the application page cache, in process (no HTTP).

    .venv/bin/python bench/page_cache_bench.py [--repeat 50]

"rendered": the page cache off (PAGE_CACHE_SECONDS=0), every other cache warm, as an
anonymous visitor. "hit": the page cache on, the page already stored. Uses a throwaway
test database (SQLite by default, PostgreSQL with DATABASE_URL) and the configured
CACHE_URL (local memory by default; e.g. CACHE_URL=redis://127.0.0.1:6379/0).
The HTTP figures through Varnish come from the front-cache benchmark.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django, summary, teardown_django, timed  # noqa: E402


def build():
    from tests.factories import (
        CaseStudyIndexPageFactory,
        CaseStudyPageFactory,
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
    module = ModulePageFactory(parent=catalogue, title="Smart industry", slug="smart-industry")
    lessons = [
        LessonPageFactory(parent=module, title=f"Lesson {n}", slug=f"lesson-{n}")
        for n in range(1, 7)
    ]
    cases = CaseStudyIndexPageFactory()
    for n in range(40):
        CaseStudyPageFactory(parent=cases, title=f"Case {n}", themes=["skills"])
    glossary = GlossaryIndexPageFactory()
    terms = [GlossaryTermPageFactory(parent=glossary, title=f"term {n}") for n in range(60)]
    return {
        "home": "/en/",
        "module": module.url,
        "lesson with quiz": lessons[2].url,
        "case-study listing": cases.url,
        "glossary A-Z": glossary.url,
        "glossary term": terms[5].url,
        "sitemap": "/sitemap.xml",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    old_config = setup_django()
    try:
        from django.core.cache import cache, caches
        from django.db import connection
        from django.test import Client, override_settings

        cache.clear()
        pages = build()
        print(f"{connection.vendor}, cache {type(caches['default']).__name__}")
        print(f"{'page':20} {'rendered (page cache off)':48} {'hit':40}")
        connection.force_debug_cursor = True  # log every query, DEBUG or not

        def queries_of(client, url):
            connection.queries_log.clear()
            response = client.get(url)
            return response, len(connection.queries_log)

        for name, url in pages.items():
            with override_settings(PAGE_CACHE_SECONDS=0):
                uncached = Client()
                uncached.get(url)  # warm the other caches
                response, rendered_queries = queries_of(uncached, url)
                assert response["X-Cache"] == "skip"
                rendered = timed(lambda url=url, c=uncached: c.get(url), args.repeat)
            cached = Client()
            cached.get(url)
            response, hit_queries = queries_of(cached, url)
            assert response["X-Cache"] == "hit"
            hits = timed(lambda url=url, c=cached: c.get(url), args.repeat)
            print(
                f"{name:20} {summary(rendered)} {rendered_queries:3} q   "
                f"{summary(hits)} {hit_queries} q"
            )
    finally:
        teardown_django(old_config)


if __name__ == "__main__":
    main()
