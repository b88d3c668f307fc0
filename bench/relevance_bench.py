"""Search relevance on the demo content: recall@10 and MRR per language.

    .venv/bin/python bench/relevance_bench.py [--misses] [--keep-db] [--languages en,fr,es,hu]

Runs the judged queries of search/relevance/<language>.json through the portal's whole
search (search/engine.run_search) on the backend of the settings: SEARCH_URL empty =
Wagtail's database backend (SQLite FTS5, or PostgreSQL with DATABASE_URL=postgres://...),
SEARCH_URL=opensearch://127.0.0.1:9200 = OpenSearch (indexes prefixed test_<pid>_,
deleted at the end). Loads the demo content into a throwaway test database
(``--keep-db``: SQLite var/bench-demo.sqlite3 kept for the next run) and rebuilds the
index. Targets: recall@10 >= 0.9 and MRR >= 0.7 in every language on every backend.
``--misses`` lists the queries whose expected pages are not all in the top ten or whose
first result is not expected. ``--timing N`` also renders the search page (page cache
off, in process) N times for a few kinds of query and prints p50/p95 and the query
count: the search page's target is p50 <= 25 ms on the demo (bench/page_bench.py).
"""

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import demo_loaded, setup_django, teardown_django  # noqa: E402

TIMED = [
    ("one word", "/en/search/?q=cluster"),
    ("inflected, hu", "/hu/search/?q=klaszterekben"),
    ("plural, fr", "/fr/search/?q=fabrications+additives"),
    ("glossary term", "/es/search/?q=gemelo+digital"),
    ("typo (retried)", "/en/search/?q=benchmarkign"),
    ("nothing found", "/en/search/?q=qqxz+zzqv"),
    ("suggestions", "/hu/search/suggest/?q=klaszterekb"),
]


def timing(repeat):
    from django.conf import settings
    from django.db import connection, reset_queries

    from bench.common import summary, timed
    from bench.page_bench import uncached_client

    settings.DEBUG = False
    client = uncached_client()
    for name, url in TIMED:
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        settings.DEBUG = True
        reset_queries()
        client.get(url)
        queries = len(connection.queries)
        settings.DEBUG = False
        samples = timed(lambda url=url: client.get(url), repeat)
        print(f"page {name:16} {summary(samples)}  {queries:3} queries  {url}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--languages", default="en,fr,es,hu")
    parser.add_argument("--timing", type=int, default=0, help="renders per timed URL")
    args = parser.parse_args()
    old_config = setup_django(keep_db=args.keep_db)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from wagtail.search.backends import get_search_backend

    logging.getLogger("opensearch").setLevel(logging.ERROR)
    backend = get_search_backend()
    on_opensearch = hasattr(backend, "es")
    try:
        from search.relevance import TARGET_MRR, TARGET_RECALL, evaluate

        name = f"{type(backend).__module__}"
        print(f"search backend   {name} on {connection.vendor}")
        start = time.perf_counter()
        if not demo_loaded():
            call_command("load_demo_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("update_index", verbosity=0)
        print(f"demo + index     {time.perf_counter() - start:.1f} s")
        for language in [code.strip() for code in args.languages.split(",") if code.strip()]:
            start = time.perf_counter()
            figures = evaluate(language)
            seconds = time.perf_counter() - start
            verdict = (
                "ok"
                if figures.recall >= TARGET_RECALL and figures.mrr >= TARGET_MRR
                else "BELOW TARGET"
            )
            print(
                f"relevance {language}     recall@10 {figures.recall:.3f}   MRR {figures.mrr:.3f}   "
                f"({figures.queries} queries, {seconds * 1000 / figures.queries:.0f} ms each; "
                f"{verdict})"
            )
            if args.misses:
                for query, missing, found in figures.misses:
                    print(f"    {query!r}: missing {missing}; top {found}")
        if args.timing:
            timing(args.timing)
    finally:
        try:
            if on_opensearch:
                from bench.search_bench import delete_opensearch_indexes

                delete_opensearch_indexes(backend, settings.SEARCH_INDEX_PREFIX)
        finally:
            teardown_django(old_config, keep_db=args.keep_db)


if __name__ == "__main__":
    main()
