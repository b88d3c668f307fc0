"""The search relevance set: judged queries per language against the demo content.

``<language>.json`` holds ``{"language": ..., "queries": [{"q", "kind", "expect"}]}``:
what a learner types on that language's site, what kind of query it is (inflected,
plural, abbreviation, synonym, typo, concept, cross-language, phrase), and the pages
that must come in the top ten, as paths without the language prefix (the demo's slugs
are the same in every language; results are shown in the visitor's language).

``evaluate`` runs them through the portal's whole search (search/engine.run_search) and
returns recall@10 (the share of the expected pages in the first ten results, averaged
over queries) and MRR (the mean of 1 / the rank of the first expected page, 0 when none
is in the first ten). Used by bench/relevance_bench.py and tests/test_search_relevance.py.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "fr", "es", "hu")
TOP = 10
TARGET_RECALL = 0.9
TARGET_MRR = 0.7


def judgements(language):
    return json.loads((HERE / f"{language}.json").read_text(encoding="utf-8"))["queries"]


@dataclass
class Figures:
    language: str
    recall: float = 0.0
    mrr: float = 0.0
    queries: int = 0
    misses: list = field(default_factory=list)  # (query, missing paths, top paths)


def top_paths(query, language):
    from django.utils import translation

    from search.engine import run_search

    with translation.override(language):
        outcome = run_search(query)
    prefix = f"/{language}/"
    paths = []
    for result in outcome.results[:TOP]:
        url = result.page.url or ""
        paths.append(url[len(prefix) :].strip("/") if url.startswith(prefix) else url)
    return paths


def evaluate(language):
    figures = Figures(language)
    recalls, ranks = [], []
    for item in judgements(language):
        expected = [path.strip("/") for path in item["expect"]]
        found = top_paths(item["q"], language)
        hits = [path for path in expected if path in found]
        recalls.append(len(hits) / len(expected))
        first = min((found.index(path) + 1 for path in hits), default=None)
        ranks.append(1 / first if first else 0.0)
        if len(hits) < len(expected) or first != 1:
            figures.misses.append((item["q"], sorted(set(expected) - set(hits)), found[:5]))
    figures.queries = len(recalls)
    figures.recall = sum(recalls) / len(recalls)
    figures.mrr = sum(ranks) / len(ranks)
    return figures
