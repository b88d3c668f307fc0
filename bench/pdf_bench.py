"""PDF documents: a module PDF rendered and from the cache, a certificate PDF, and the
signed credential, in process (no HTTP).

    .venv/bin/python bench/pdf_bench.py [--repeat 10] [--lessons 6]

"module rendered": the shared cache cleared before each request (WeasyPrint lays the
whole module out); "module cached": the handbook cache warm, the page cache off (a
learner with a session); "certificate": the certificate PDF (never cached: it carries a
name); "credential": the ES256-signed VC-JWT. Uses a throwaway test database.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django, summary, teardown_django, timed  # noqa: E402


def build(lessons):
    from tests.factories import (
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
    pages = [
        LessonPageFactory(parent=module, title=f"Lesson {n}", slug=f"lesson-{n}")
        for n in range(1, lessons + 1)
    ]
    return module, pages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--lessons", type=int, default=6)
    args = parser.parse_args()
    old_config = setup_django()
    try:
        from django.core.cache import cache
        from django.test import Client, override_settings

        cache.clear()
        module, lessons = build(args.lessons)
        learner = Client()
        for lesson in lessons:
            quiz = {
                f"q-{block.id}": [
                    c.id for c in block.value["choices"].bound_blocks if c.value["correct"]
                ]
                for block in lesson.quiz
            }
            learner.post(lesson.url + "quiz/", quiz)
        claim = learner.post(module.url + "certificate/", {"name": "Ada Lovelace"})
        certificate = claim["Location"].split("?")[0]
        pdf_url = module.url + "pdf/"
        size = len(learner.get(pdf_url).content)
        print(f"module of {args.lessons} lessons: {size / 1024:.0f} KiB")
        with override_settings(PAGE_CACHE_SECONDS=0):
            rendered = timed(
                lambda: (cache.clear(), Client().get(pdf_url)), max(3, args.repeat // 2)
            )
            print(f"{'module rendered':18} {summary(rendered)}")
            Client().get(pdf_url)
            cached = timed(lambda: learner.get(pdf_url), args.repeat)
            print(f"{'module cached':18} {summary(cached)}")
        certificate_pdf = timed(lambda: learner.get(certificate + "certificate.pdf"), args.repeat)
        print(f"{'certificate':18} {summary(certificate_pdf)}")
        jwt = timed(lambda: learner.get(certificate + "credential.jwt"), args.repeat)
        print(f"{'credential (JWT)':18} {summary(jwt)}")
    finally:
        teardown_django(old_config)


if __name__ == "__main__":
    main()
