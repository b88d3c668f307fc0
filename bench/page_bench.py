"""In-process render times of the demo's public pages, uncached, as an anonymous visitor.

    .venv/bin/python bench/page_bench.py [--repeat 40] [--profile lesson] [--keep-db]

Loads the demo content into a throwaway test database (SQLite unless DATABASE_URL says
otherwise), then renders each page type through Django's test client with the page
cache bypassed, and prints p50/p95 and the query count per page. The issue's targets:
p50 <= 10 ms for lesson, module, case study, glossary term and glossary A-Z, <= 8 ms for
home; the search page <= 25 ms p50 and 50 ms p95. ``--profile NAME`` prints a cProfile
of one page's renders instead. ``--keep-db`` keeps the database with the demo content
for the next run (SQLite: var/bench-demo.sqlite3; delete it to start afresh).
"""

import argparse
import cProfile
import pstats
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    demo_loaded,
    setup_django,
    summary,
    teardown_django,
    timed,
)

TARGETS = {
    "home": 8,
    "module": 10,
    "lesson": 10,
    "case study": 10,
    "glossary term": 10,
    "glossary A-Z": 10,
    "search": 25,
}


def demo_urls():
    from casestudies.models import CaseStudyIndexPage, CaseStudyPage
    from glossary.models import GlossaryIndexPage, GlossaryTermPage
    from home.models import HomePage
    from modules.models import LessonPage, ModuleIndexPage, ModulePage
    from portal.visibility import public

    def first_url(model):
        page = public(model.objects.filter(locale__language_code="en")).first()
        return page.url if page else None

    urls = {
        "home": first_url(HomePage),
        "catalogue": first_url(ModuleIndexPage),
        "module": first_url(ModulePage),
        "lesson": first_url(LessonPage),
        "case-study listing": first_url(CaseStudyIndexPage),
        "case study": first_url(CaseStudyPage),
        "glossary A-Z": first_url(GlossaryIndexPage),
        "glossary term": first_url(GlossaryTermPage),
    }
    urls["search"] = "/en/search/?q=cluster"
    return {name: url for name, url in urls.items() if url}


def uncached_client():
    """A client whose requests the application page cache never serves (it is switched
    off before the client's handler loads its middleware): the bench measures rendering."""
    from django.conf import settings
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 0
    return Client()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--profile", default="")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    old_config = setup_django(keep_db=args.keep_db)
    try:
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, reset_queries

        settings.DEBUG = False
        if not (args.keep_db and demo_loaded()):
            call_command("load_demo_content", verbosity=0)
        client = uncached_client()
        urls = demo_urls()
        print(f"database: {connection.vendor}; {args.repeat} renders per page after 3 warm-ups")
        if args.profile:
            url = urls[args.profile]
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeat):
                client.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(50)
            return
        failures = []
        for name, url in urls.items():
            for _ in range(3):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            settings.DEBUG = True  # count this page's queries once
            reset_queries()
            client.get(url)
            queries = len(connection.queries)
            settings.DEBUG = False
            samples = timed(lambda url=url: client.get(url), args.repeat)
            target = TARGETS.get(name)
            p50 = statistics.median(samples)
            verdict = ""
            if target:
                ok = p50 <= target
                verdict = f"target p50 <= {target} ms: {'met' if ok else 'MISSED'}"
                if not ok:
                    failures.append(name)
            print(f"{name:14} {summary(samples)}  {queries:3} queries  {verdict}  {url}")
        print("all targets met" if not failures else f"missed: {', '.join(failures)}")
    finally:
        teardown_django(old_config, keep_db=args.keep_db)


if __name__ == "__main__":
    main()
