"""Search latency and full-reindex throughput with N generated pages per language.

    .venv/bin/python bench/search_bench.py [--per-language 1000] [--queries 200]
                                           [--languages en,fr,es,hu]

The issue's targets: p95 search latency <= 50 ms on PostgreSQL and <= 30 ms on
OpenSearch at 10,000 pages per language; a full reindex of 40,000 pages in < 2 min
on OpenSearch. Backends as in the settings: SEARCH_URL empty = Wagtail's database
backend (SQLite FTS5, or PostgreSQL full text with DATABASE_URL=postgres://...);
SEARCH_URL=opensearch://127.0.0.1:9200 = OpenSearch. Uses a throwaway test database
(in-memory SQLite unless DATABASE_URL says otherwise) and deletes its own OpenSearch
indexes (prefix test_<pid>_) at the end.

Prints one line per figure: backend, database, pages generated, full reindex time,
sanity checks, then p50/p95/max per query kind (K queries each: one word, two words,
an accented word and the same typed without accents, one word within one language,
autocomplete, and the portal's whole search/engine.run_search when it exists), and
the slowest queries of each kind.
"""

import argparse
import logging
import random
import statistics
import sys
import time
import unicodedata
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django, teardown_django  # noqa: E402

# Cluster and smart-industry concepts, one per row in en, fr, es, hu: the glossary's
# first terms are these rows (so the portal's cross-language expansion meets a
# realistic glossary), and all text is built from them. Accents kept on purpose so that
# accented and accent-free queries can be compared.
# fmt: off
CONCEPTS = [
    ("cluster organisation", "organisation de cluster", "organización clúster", "klaszterszervezet"),
    ("smart industry", "industrie intelligente", "industria inteligente", "intelligens ipar"),
    ("digital twin", "jumeau numérique", "gemelo digital", "digitális iker"),
    ("internet of things", "internet des objets", "internet de las cosas", "dolgok internete"),
    ("predictive maintenance", "maintenance prédictive", "mantenimiento predictivo",
     "prediktív karbantartás"),
    ("additive manufacturing", "fabrication additive", "fabricación aditiva", "additív gyártás"),
    ("supply chain", "chaîne d'approvisionnement", "cadena de suministro", "ellátási lánc"),
    ("small businesses", "petites entreprises", "pequeñas empresas", "kisvállalkozások"),
    ("SMEs", "PME", "pymes", "kkv-k"),
    ("internationalisation", "internationalisation", "internacionalización", "nemzetköziesítés"),
    ("export markets", "marchés d'exportation", "mercados de exportación", "exportpiacok"),
    ("open innovation", "innovation ouverte", "innovación abierta", "nyílt innováció"),
    ("collaboration", "coopération", "cooperación", "együttműködés"),
    ("leadership", "leadership", "liderazgo", "vezetés"),
    ("public funding", "financement public", "financiación pública", "közfinanszírozás"),
    ("regional strategy", "stratégie régionale", "estrategia regional", "regionális stratégia"),
    ("smart specialisation", "spécialisation intelligente", "especialización inteligente",
     "intelligens szakosodás"),
    ("cybersecurity", "cybersécurité", "ciberseguridad", "kiberbiztonság"),
    ("artificial intelligence", "intelligence artificielle", "inteligencia artificial",
     "mesterséges intelligencia"),
    ("robotics", "robotique", "robótica", "robotika"),
    ("automation", "automatisation", "automatización", "automatizálás"),
    ("sensors", "capteurs", "sensores", "érzékelők"),
    ("data platform", "plateforme de données", "plataforma de datos", "adatplatform"),
    ("circular economy", "économie circulaire", "economía circular", "körforgásos gazdaság"),
    ("energy efficiency", "efficacité énergétique", "eficiencia energética", "energiahatékonyság"),
    ("green transition", "transition écologique", "transición ecológica", "zöld átállás"),
    ("digital skills", "compétences numériques", "competencias digitales", "digitális készségek"),
    ("training", "formation", "formación", "képzés"),
    ("upskilling", "montée en compétences", "capacitación", "továbbképzés"),
    ("member companies", "entreprises adhérentes", "empresas asociadas", "tagvállalatok"),
    ("value chain", "chaîne de valeur", "cadena de valor", "értéklánc"),
    ("technology transfer", "transfert de technologie", "transferencia tecnológica",
     "technológiatranszfer"),
    ("benchmarking", "étalonnage", "evaluación comparativa", "teljesítmény-összehasonlítás"),
    ("excellence label", "label d'excellence", "etiqueta de excelencia", "kiválósági címke"),
    ("partnership", "partenariat", "alianza", "partnerség"),
    ("interoperability", "interopérabilité", "interoperabilidad", "interoperabilitás"),
    ("cloud computing", "informatique en nuage", "computación en la nube",
     "felhőalapú számítástechnika"),
    ("machine learning", "apprentissage automatique", "aprendizaje automático", "gépi tanulás"),
    ("quality management", "gestion de la qualité", "gestión de la calidad", "minőségirányítás"),
    ("digital transformation", "transformation numérique", "transformación digital",
     "digitális átalakulás"),
]
# fmt: on
VOCABULARY = {code: [row[i] for row in CONCEPTS] for i, code in enumerate(["en", "fr", "es", "hu"])}
SENTENCES = {
    "en": [
        "How the cluster used {a} to improve {b} and {c}.",
        "Managers compare {a} with {b} before investing.",
        "A pilot on {a} showed results for {b} in the region.",
        "Why {a} matters for {b}.",
        "Member companies discover {a} through {b}.",
    ],
    "fr": [
        "Comment le cluster utilise {a} pour améliorer {b} et {c}.",
        "Les gestionnaires comparent {a} et {b} avant d'investir.",
        "Un projet pilote sur {a} a donné des résultats pour {b} dans la région.",
        "Pourquoi {a} compte pour {b}.",
        "Les adhérents découvrent {a} grâce à {b}.",
    ],
    "es": [
        "Cómo el clúster utiliza {a} para mejorar {b} y {c}.",
        "Los gestores comparan {a} y {b} antes de invertir.",
        "Un proyecto piloto sobre {a} dio resultados en {b} en la región.",
        "Por qué {a} importa para {b}.",
        "Las empresas asociadas descubren {a} gracias a {b}.",
    ],
    "hu": [
        "Hogyan fejleszti a klaszter: {a}, {b} és {c}.",
        "A vezetők összehasonlítják: {a} és {b} a beruházás előtt.",
        "Kísérleti projekt a régióban: {a} és {b}.",
        "Miért fontos: {a} a {b} szempontjából.",
        "A tagvállalatok megismerik: {a}, {b}.",
    ],
}
COUNTRIES = ["FR", "ES", "HU", "DE", "IT", "PL", "PT", "AT", "FI", "CZ", "SI", "BE", "NL"]


def unaccented(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(language):
    """Single query words: the vocabulary's words of 4+ letters."""
    found = {w.strip(",.'") for phrase in VOCABULARY[language] for w in phrase.split()}
    return sorted(w for w in found if len(w) >= 4 and w.isalpha())


class Writer:
    """Deterministic text of one language from its vocabulary.

    Each page is about a few topics that most of its sentences mention; the rest are
    background mentions drawn Zipf-like (the first CONCEPTS, "cluster organisation",
    everywhere; the last ones rarely). So a query word matches a realistic share of the
    pages: with uniform draws every long lesson would contain every concept, and the
    database backends, which rank every match, would be measured on an unreal corpus.
    """

    WEIGHTS = [1 / rank for rank in range(1, len(CONCEPTS) + 1)]

    def __init__(self, language, rng):
        self.language, self.rng = language, rng
        self.new_page()

    def new_page(self):
        self.topics = self.rng.sample(VOCABULARY[self.language], 3)

    def phrase(self):
        if self.rng.random() < 0.75:
            return self.rng.choice(self.topics)
        return self.rng.choices(VOCABULARY[self.language], self.WEIGHTS)[0]

    def sentence(self):
        picked = []
        while len(picked) < 3:
            phrase = self.phrase()
            if phrase not in picked:
                picked.append(phrase)
        return self.rng.choice(SENTENCES[self.language]).format(
            a=picked[0], b=picked[1], c=picked[2]
        )

    def text(self, sentences):
        return " ".join(self.sentence() for _ in range(sentences))

    def title(self):
        a, b = self.rng.sample(self.topics, 2)
        return f"{a[0].upper()}{a[1:]}: {b}"


def content(model_name, w, n):
    """The specific fields of one generated page, roughly as editors fill them in."""
    if model_name == "ModulePage":
        return dict(
            summary=w.text(3),
            learning_outcomes=[("outcome", w.sentence()) for _ in range(3)],
            level=w.rng.choice(["introductory", "intermediate", "advanced"]),
            estimated_hours=w.rng.choice([2, 4, 6, 8]),
        )
    if model_name == "LessonPage":
        return dict(
            lesson_number=f"{n % 9 + 1}.{n % 7 + 1}",
            introduction=w.text(2),
            body=[
                ("heading", {"text": w.phrase().capitalize(), "level": "h2"}),
                ("rich_text", "".join(f"<p>{w.text(4)}</p>" for _ in range(3))),
                ("key_takeaways", {"items": [w.sentence(), w.sentence()]}),
                ("heading", {"text": w.phrase().capitalize(), "level": "h2"}),
                ("rich_text", f"<p>{w.text(5)}</p>"),
            ],
        )
    if model_name == "CaseStudyPage":
        return dict(
            cluster_name=f"{w.phrase().title()} Cluster {n}",
            is_illustrative=True,
            country=w.rng.choice(COUNTRIES),
            region=w.phrase().title(),
            year=w.rng.randint(2010, 2025),
            members=w.rng.randint(20, 400),
            summary=w.text(2),
            challenge=f"<p>{w.text(3)}</p>",
            approach=f"<p>{w.text(4)}</p>",
            results=f"<p>{w.text(3)}</p>",
            lessons_learned=f"<p>{w.text(2)}</p>",
        )
    return dict(  # GlossaryTermPage; no synonyms: a word shared by many concepts is unreal
        concept_id=f"bench{n:05d}",
        short_definition=w.sentence(),
        explanation=f"<p>{w.text(3)}</p>",
        example=w.sentence(),
    )


def build(per_language, languages):
    """The skeleton (homes, listings) through the project's factories, then the
    4N searchable pages in bulk: add_child plus a published revision costs a dozen
    queries per page, far too slow for 40,000 pages. Paths, depth, numchild and
    url_path are computed here exactly as treebeard and Wagtail would."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify
    from wagtail.models import Page

    from casestudies.models import CaseStudyPage
    from glossary.models import GlossaryTermPage
    from modules.models import LessonPage, ModulePage
    from portal.signals import content_changed
    from tests.factories import (
        CaseStudyIndexPageFactory,
        GlossaryIndexPageFactory,
        HomePageFactory,
        ModuleIndexPageFactory,
        translate_page,
    )

    start = time.perf_counter()
    home = HomePageFactory()  # English: the source and the default site's root
    listings = {
        "modules": ModuleIndexPageFactory(),
        "cases": CaseStudyIndexPageFactory(),
        "glossary": GlossaryIndexPageFactory(),
    }
    parents = {}
    for code in languages:
        if code == "en":
            parents[code] = listings
            continue
        translate_page(home, code, title=f"Cluster4Smart {code.upper()}")
        parents[code] = {key: translate_page(page, code) for key, page in listings.items()}

    modules = max(1, per_language // 20)
    lessons = per_language * 45 // 100
    cases = per_language // 4
    counts = {
        ModulePage: modules,
        LessonPage: lessons,
        CaseStudyPage: cases,
        GlossaryTermPage: per_language - modules - lessons - cases,
    }
    # Page n of a type is the same content in every language: one translation key.
    key_rng = random.Random(1)
    keys = {
        model: [uuid.UUID(int=key_rng.getrandbits(128), version=4) for _ in range(count)]
        for model, count in counts.items()
    }
    now = timezone.now()
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]

    # Glossary concepts: first the CONCEPTS rows, then pairs of them ("digital twin -
    # robotics"), the same pair in every language since they are translations.
    pair_rng = random.Random(2)
    pairs = [pair_rng.sample(range(len(CONCEPTS)), 2) for _ in range(counts[GlossaryTermPage])]

    def term_title(n, code):
        if n < len(CONCEPTS):
            return VOCABULARY[code][n]
        a, b = pairs[n]
        return f"{VOCABULARY[code][a]} – {VOCABULARY[code][b]}"

    def child(model, parent, position, n, w, title=None):
        w.new_page()
        title = title or w.title()
        slug = f"{slugify(title)[:60]}-{n}"
        return model(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=ContentType.objects.get_for_model(model),
            path=Page._get_path(parent.path, parent.depth + 1, position),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{slug}/",
            locale_id=parent.locale_id,
            translation_key=keys[model][n],
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            search_description=w.sentence(),
            **content(model.__name__, w, n),
        )

    def insert(model, pages):
        # bulk_create refuses multi-table inheritance: insert the wagtailcore_page rows
        # first (their ids come back), then the specific table's rows alone.
        rows = Page.objects.bulk_create(
            [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in pages],
            batch_size=500,
        )
        for page, row in zip(pages, rows, strict=True):
            page.id = page.page_ptr_id = row.pk
        fields = model._meta.local_concrete_fields
        size = connection.ops.bulk_batch_size(fields, pages) or 500
        for i in range(0, len(pages), size):
            model._base_manager._insert(pages[i : i + size], fields=fields, raw=True)

    with transaction.atomic():
        for code in languages:
            w = Writer(code, random.Random(f"{code}-content"))
            listing = parents[code]
            module_pages = [
                child(ModulePage, listing["modules"], i + 1, i, w) for i in range(modules)
            ]
            lesson_pages = []
            for i in range(lessons):  # spread over the modules, in order
                module = module_pages[i % modules]
                module.numchild += 1
                lesson_pages.append(child(LessonPage, module, module.numchild, i, w))
            case_pages = [child(CaseStudyPage, listing["cases"], i + 1, i, w) for i in range(cases)]
            term_pages = [
                child(GlossaryTermPage, listing["glossary"], i + 1, i, w, term_title(i, code))
                for i in range(counts[GlossaryTermPage])
            ]
            for model, pages in [
                (ModulePage, module_pages),
                (LessonPage, lesson_pages),
                (CaseStudyPage, case_pages),
                (GlossaryTermPage, term_pages),
            ]:
                insert(model, pages)
            for key, number in [
                ("modules", modules),
                ("cases", cases),
                ("glossary", len(term_pages)),
            ]:
                Page.objects.filter(pk=listing[key].pk).update(numchild=number)
    content_changed()  # what publishing a term does: term linker and expansions rebuild
    return counts, time.perf_counter() - start


def check(languages):
    """A few generated pages of each type: a sound tree, a 200 page, found by search."""
    from django.test import Client
    from wagtail.models import Page

    from casestudies.models import CaseStudyPage
    from glossary.models import GlossaryTermPage
    from modules.models import LessonPage, ModulePage

    problems = [p for group in Page.find_problems() for p in group]
    served = found = total = 0
    client = Client()
    for model, field in [
        (ModulePage, "summary"),
        (LessonPage, "introduction"),
        (CaseStudyPage, "summary"),
        (GlossaryTermPage, "short_definition"),
    ]:
        for code in languages:
            page = model.objects.filter(locale__language_code=code).order_by("-pk").first()
            total += 1
            served += client.get(page.url).status_code == 200
            # A word of a specific field (not the title) proves those fields are indexed.
            word = max(getattr(page, field).split(), key=len).strip(",.:")
            found += Page.objects.live().filter(id=page.pk).search(word).count() == 1
    return problems, served, found, total


def queries(languages, count, rng, portal):
    """(kind, query, language) triples: K of each kind, drawn from the vocabulary."""
    out = []
    pools = {code: words(code) for code in languages}
    accented = {code: [w for w in pools[code] if unaccented(w) != w] for code in languages}
    accent_languages = [code for code in languages if accented[code]]
    for _ in range(count):
        code = rng.choice(languages)
        out.append(("word", rng.choice(pools[code]), code))
        phrase = [w for w in rng.choice(VOCABULARY[code]).split() if len(w) > 3]
        two = phrase[:2] if len(phrase) >= 2 else rng.sample(pools[code], 2)
        out.append(("two words", " ".join(two), code))
        if accent_languages:
            accent_code = rng.choice(accent_languages)
            word = rng.choice(accented[accent_code])
            out.append(("accented word", word, accent_code))
            out.append(("same, unaccented", unaccented(word), accent_code))
        out.append(("word + locale", rng.choice(pools[code]), code))
        word = rng.choice(pools[code])
        out.append(("autocomplete", word[: rng.randint(3, min(6, len(word)))], code))
        if portal:
            out.append(("portal run_search", rng.choice(pools[code]), code))
    return out


def run_query(kind, text, locale):
    from django.utils import translation
    from wagtail.models import Page

    from casestudies.models import CaseStudyPage
    from glossary.models import GlossaryTermPage
    from modules.models import LessonPage, ModulePage

    if kind == "portal run_search":  # the whole search page minus rendering
        from search.engine import run_search

        with translation.override(locale.language_code):
            outcome = run_search(text)
            if hasattr(outcome, "prepare"):  # the shown page of 10: specific pages, snippets
                outcome.prepare(outcome.results[:10])
            return min(20, len(outcome.results))
    # As search/engine.py asks the backend: live pages of the searched types, all words.
    pages = Page.objects.live().type(ModulePage, LessonPage, CaseStudyPage, GlossaryTermPage)
    if kind == "word + locale":
        pages = pages.filter(locale=locale)
    pages = pages.specific()  # what a results page shows: the specific pages
    if kind == "autocomplete":
        results = pages.autocomplete(text)
    else:
        results = pages.search(text, operator="and")
    return len(list(results[:20]))  # evaluate: the first page of 20 results


def delete_opensearch_indexes(backend, prefix):
    names = list(backend.es.indices.get(index=f"{prefix}*"))
    for name in names:  # by name: clusters may refuse wildcard deletes
        backend.es.indices.delete(index=name)
    return names


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-language", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200, help="timed searches per kind")
    parser.add_argument("--languages", default="en,fr,es,hu")
    args = parser.parse_args()
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]

    old_config = setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Locale, Page
    from wagtail.search.backends import get_search_backend

    # opensearch-py logs every request (INFO) and every expected 404 (WARNING).
    logging.getLogger("opensearch").setLevel(logging.ERROR)
    backend = get_search_backend()
    on_opensearch = hasattr(backend, "es")
    try:
        name = f"{type(backend).__module__}.{type(backend).__name__}"
        if on_opensearch:
            info = backend.es.info()
            name += f" (server {info['version'].get('distribution', 'elasticsearch')}"
            name += f" {info['version']['number']}, {settings.WAGTAILSEARCH_BACKENDS['default']['URLS'][0]})"
        if connection.vendor == "postgresql":
            version = f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
        else:
            version = connection.Database.sqlite_version
        print(f"search backend   {name}")
        print(f"database         {connection.vendor} {version}, {connection.settings_dict['NAME']}")

        counts, seconds = build(args.per_language, languages)
        total = sum(counts.values()) * len(languages)
        mix = ", ".join(f"{n} {m._meta.verbose_name_plural}" for m, n in counts.items())
        print(
            f"generated        {total} pages = {len(languages)} languages x "
            f"{args.per_language} ({mix}) in {seconds:.1f} s; "
            f"{Page.objects.count()} pages in the tree"
        )

        start = time.perf_counter()
        call_command("update_index", verbosity=0)  # the full reindex an operator runs
        seconds = time.perf_counter() - start
        pages = Page.objects.count()
        print(
            f"full reindex     {pages} pages in {seconds:.1f} s = {pages / seconds:.0f} pages/s "
            f"(update_index, every indexed model)"
        )
        if connection.vendor == "postgresql":
            # A live database has planner statistics; a freshly bulk-loaded one has none
            # until autovacuum gets round to it, mid-run. Give them now, as it would.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        problems, served, found, checked = check(languages)
        print(
            f"checks           find_problems: {len(problems)} problems; "
            f"served 200: {served}/{checked}; found by a body word: {found}/{checked}"
        )

        locales = {x.language_code: x for x in Locale.objects.filter(language_code__in=languages)}
        try:  # the portal's own search code, if this checkout has it
            from search.engine import run_search  # noqa: F401

            portal = True
        except ImportError:
            portal = False
        plan = queries(languages, args.queries, random.Random(7), portal)
        for kind, text, code in plan[:10]:  # warm-up: connections, caches, JIT of the node
            run_query(kind, text, locales[code])
        timings = {}  # kind -> [(ms, hits, query)]
        for kind, text, code in plan:
            start = time.perf_counter()
            n = run_query(kind, text, locales[code])
            timings.setdefault(kind, []).append(((time.perf_counter() - start) * 1000, n, text))
        for kind, rows in timings.items():
            ordered = sorted(rows)
            ms = [row[0] for row in ordered]
            p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
            hits = [row[1] for row in rows]
            zero = sum(1 for n in hits if n == 0) / len(hits)
            print(
                f"latency {kind:18} p50 {statistics.median(ms):7.1f} ms   "
                f"p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms   (n={len(ms)}; "
                f"mean hits {statistics.mean(hits):4.1f}/20, zero hits {zero:4.0%})"
            )
        for kind, rows in timings.items():  # which queries make the tail
            slowest = sorted(rows, reverse=True)[:3]
            print(f"slowest {kind:18} " + ", ".join(f"{q!r} {ms:.0f} ms" for ms, _n, q in slowest))
    finally:
        try:
            if on_opensearch:
                deleted = delete_opensearch_indexes(backend, settings.SEARCH_INDEX_PREFIX)
                print(f"cleanup          deleted OpenSearch indexes {', '.join(deleted)}")
        finally:
            teardown_django(old_config)


if __name__ == "__main__":
    main()
