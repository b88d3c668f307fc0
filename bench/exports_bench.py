"""LMS packages of the demo modules: build time, size and queries, in process (no HTTP).

    .venv/bin/python bench/exports_bench.py [--repeat 10]

"built": the page cache off (PAGE_CACHE_SECONDS=0), so every request reads the module and
writes the zip. "hit": the page cache on, the package already stored. Loads the demo
content (four modules in four languages) into a kept throwaway database
(var/bench-demo.sqlite3 on SQLite, test_<name> on PostgreSQL with DATABASE_URL).
"""

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import demo_loaded, setup_django, summary, teardown_django, timed  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    old_config = setup_django(keep_db=True)
    try:
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client, override_settings

        from modules.models import ModulePage
        from portal.visibility import public

        if not demo_loaded():
            call_command("load_demo_content", stdout=io.StringIO())
        cache.clear()
        connection.force_debug_cursor = True
        modules = public(ModulePage.objects.filter(slug=ModulePage.objects.first().slug))
        print(f"{connection.vendor}; {'package':32} {'built (page cache off)':44} {'hit':40}")
        for module in modules.select_related("locale").order_by("locale__language_code"):
            for name in ("scorm12.zip", "cartridge.imscc"):
                url = f"{module.url}export/{name}"
                with override_settings(PAGE_CACHE_SECONDS=0):
                    client = Client()
                    client.get(url)
                    connection.queries_log.clear()
                    response = client.get(url)
                    queries = len(connection.queries_log)
                    built = timed(lambda url=url, c=client: c.get(url), args.repeat)
                cached = Client()
                cached.get(url)
                hits = timed(lambda url=url, c=cached: c.get(url), args.repeat)
                label = f"{module.locale.language_code} {name} {len(response.content) // 1024} KiB"
                print(f"{label:32} {summary(built)} {queries:3} q  {summary(hits)}")
    finally:
        teardown_django(old_config, keep_db=True)


if __name__ == "__main__":
    main()
