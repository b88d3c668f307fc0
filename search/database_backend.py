"""Wagtail's database backend, with autocomplete through the portal's text search
configuration too.

On PostgreSQL, Wagtail indexes and queries autocomplete with the built-in ``simple``
configuration whatever SEARCH_CONFIG says, so "numeri" would not find "numérique". This
wrapper gives autocomplete the SEARCH_CONFIG (``portal_search``: ``simple`` with
``unaccent``, see search/migrations/0001). On SQLite, the backend ranks
matches in one pass over the index instead of once per page (search/sqlite_search.py).
"""

from wagtail.search.backends.database import SearchBackend as DatabaseSearchBackend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    config = params.get("SEARCH_CONFIG")
    backend = DatabaseSearchBackend(params)
    if config and hasattr(backend, "autocomplete_config"):
        backend.autocomplete_config = config
    if backend.__class__.__name__ == "SQLiteSearchBackend":
        # Imported here: modelsearch's SQLite modules look up an index model that only
        # exists when the database is SQLite, so importing them on PostgreSQL fails.
        from search.sqlite_search import (
            RankedOnceAutocompleteCompiler,
            RankedOnceCompiler,
            RankedOnceResults,
        )

        backend.query_compiler_class = RankedOnceCompiler
        backend.autocomplete_query_compiler_class = RankedOnceAutocompleteCompiler
        backend.results_class = RankedOnceResults
    return backend
