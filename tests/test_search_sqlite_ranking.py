"""SQLite search ranked in one pass (search/sqlite_search.py): the same results, in the
same order and with the same scores as Wagtail's own SQLite compiler, from one
evaluation of the full-text match instead of one per matching page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.search.query import Or, PlainText

from modules.models import LessonPage
from tests.factories import LessonPageFactory
from tests.test_search import reindex

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="SQLite's full-text backend only (DATABASE_URL)"
    ),
]


@pytest.fixture
def lessons(course):
    module = course["en"]["module"]
    texts = [
        ("Cluster forum", "Cluster managers and cluster members meet in the cluster's forum."),
        ("Cluster strategy", "A cluster strategy for smart industry."),
        ("Smart industry basics", "Smart industry without the word we look for."),
        ("Digital twins in a cluster", "Digital twins help a cluster test a factory."),
        ("Clusters, clusters", "Cluster cluster cluster: a lesson that repeats itself."),
        ("Export markets", "Export markets for a cluster of small firms."),
    ]
    pages = [
        LessonPageFactory(parent=module, title=title, slug=f"l-{n}", introduction=text)
        for n, (title, text) in enumerate(texts)
    ]
    draft = LessonPageFactory(
        parent=module, title="Draft cluster", slug="draft", introduction="cluster", live=False
    )
    reindex()
    return {"pages": pages, "draft": draft}


@pytest.fixture
def stock_backend(monkeypatch):
    """A function running a search with Wagtail's own SQLite compiler and results (the
    portal's backend is made anew for every search and imports these names then)."""
    # Imported here: modelsearch's SQLite modules only load when the database is SQLite.
    from modelsearch.backends.database.sqlite import sqlite as stock

    import search.sqlite_search as portal_backend

    def search(run):
        with monkeypatch.context() as patch:
            patch.setattr(portal_backend, "RankedOnceCompiler", stock.SQLiteSearchQueryCompiler)
            patch.setattr(
                portal_backend,
                "RankedOnceAutocompleteCompiler",
                stock.SQLiteAutocompleteQueryCompiler,
            )
            patch.setattr(portal_backend, "RankedOnceResults", stock.SQLiteSearchResults)
            return run()

    return search


def ranked(results):
    return [(page.pk, round(getattr(page, "_score", 0.0), 9)) for page in results]


def test_results_order_and_scores_are_wagtails(lessons, stock_backend):
    queryset = Page.objects.live().type(LessonPage)
    for query in ("cluster", "smart industry", Or([PlainText("cluster"), PlainText("twins")])):

        def run(query=query):
            return ranked(queryset.search(query).annotate_score("_score"))

        ours = run()
        assert len(ours) >= 2
        assert ours == stock_backend(run), query
    draft = lessons["draft"].pk
    found = {pk for pk, _score in ours}
    assert draft not in found  # the queryset's filters hold
    assert lessons["pages"][0].pk in found
    assert draft in {page.pk for page in Page.objects.type(LessonPage).search("cluster")}


def test_slices_and_autocomplete_are_wagtails(lessons, stock_backend):
    queryset = Page.objects.live().type(LessonPage)

    def sliced():
        return [page.pk for page in queryset.search("cluster")[1:3]]

    def autocomplete():
        return [page.pk for page in queryset.autocomplete("clus")]

    assert len(sliced()) == 2
    assert sliced() == stock_backend(sliced)
    assert len(autocomplete()) >= 4
    assert autocomplete() == stock_backend(autocomplete)


def test_searches_not_ordered_by_relevance_are_left_to_wagtail(lessons, stock_backend):
    queryset = Page.objects.live().type(LessonPage).order_by("title")

    def by_title():
        return [page.title for page in queryset.search("cluster", order_by_relevance=False)]

    assert by_title() == sorted(by_title())
    assert by_title() == stock_backend(by_title)


def test_the_match_is_evaluated_once_per_search(lessons, stock_backend):
    queryset = Page.objects.live().type(LessonPage)

    def match_clauses():
        with CaptureQueriesContext(connection) as queries:
            list(queryset.search("cluster"))
        return sum(query["sql"].count(" MATCH ") for query in queries.captured_queries)

    # Wagtail's compiler matches in the filter and again in the per-page score subquery.
    assert stock_backend(match_clauses) == 2
    assert match_clauses() == 1
