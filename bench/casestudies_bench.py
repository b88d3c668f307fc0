"""Case-study listing speed with 5,000 case studies, with and without filters.

    .venv/bin/python bench/casestudies_bench.py [--count 5000] [--repeat 30]

Uses a throwaway test database (SQLite by default, PostgreSQL with DATABASE_URL).
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django, summary, teardown_django, timed  # noqa: E402

COUNTRIES = ["FR", "ES", "HU", "DE", "IT", "PL", "PT", "AT", "FI", "CZ", "SI", "BE", "NL"]
THEMES = [
    "smart-industry",
    "internationalisation",
    "leadership",
    "cluster-excellence",
    "digitalisation",
    "green-transition",
    "skills",
]
SECTORS = [
    "advanced-manufacturing",
    "furniture-wood",
    "energy",
    "ict-security",
    "agri-food",
    "health",
    "mobility",
    "textiles",
]


def build(count):
    from django.db import connection, transaction

    from casestudies.models import CaseStudyPage
    from tests.factories import (
        CaseStudyIndexPageFactory,
        HomePageFactory,
        SectorFactory,
        ThemeFactory,
    )

    rng = random.Random(42)
    HomePageFactory()
    index = CaseStudyIndexPageFactory()
    themes = [ThemeFactory(slug=slug, name=slug.replace("-", " ").title()) for slug in THEMES]
    sectors = [SectorFactory(slug=slug, name=slug.replace("-", " ").title()) for slug in SECTORS]
    start = time.perf_counter()
    with transaction.atomic():
        for n in range(count):
            page = CaseStudyPage(
                title=f"Cluster case {n}: shared services for digital transition",
                slug=f"case-{n}",
                cluster_name=f"Cluster {n}",
                country=rng.choice(COUNTRIES),
                region="Region",
                year=rng.randint(2010, 2025),
                summary="How a cluster organisation helped its SMEs with digital skills and export.",
                challenge="<p>Members needed support.</p>",
                approach="<p>Pilots and training.</p>",
                results="<p>Better results.</p>",
                live=True,
            )
            index.add_child(instance=page)
            page.themes.set(rng.sample(themes, 2))
            page.sectors.set(rng.sample(sectors, 1))
    print(
        f"created {count} case studies in {time.perf_counter() - start:.1f} s on {connection.vendor}"
    )
    return index


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    old_config = setup_django()
    try:
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        index = build(args.count)
        from django.core.management import call_command

        call_command("update_index", verbosity=0)
        client = Client()
        scenarios = {
            "no filter": {},
            "country": {"country": "HU"},
            "country + theme": {"country": "HU", "theme": "skills"},
            "theme + sector + years": {
                "theme": "skills",
                "sector": "energy",
                "year_from": 2015,
                "year_to": 2020,
            },
            "free text + country": {"q": "digital", "country": "FR"},
            "sorted by title, page 20": {"sort": "title", "page": 20},
        }
        url = index.url
        for name, params in scenarios.items():
            cache.clear()
            client.get(url, params)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params)
            assert response.status_code == 200
            samples = timed(lambda params=params: client.get(url, params), args.repeat)
            print(f"{name:28} {summary(samples)}   {len(queries.captured_queries)} queries")
    finally:
        teardown_django(old_config)


if __name__ == "__main__":
    main()
