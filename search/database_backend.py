"""Wagtail's database backend, with autocomplete through the portal's text search
configuration too.

On PostgreSQL, Wagtail indexes and queries autocomplete with the built-in ``simple``
configuration whatever SEARCH_CONFIG says, so "numeri" would not find "numérique". This
wrapper gives autocomplete the SEARCH_CONFIG (``portal_search``: ``simple`` with
``unaccent``, see search/migrations/0001). SQLite's backend has no configuration to set
and is returned unchanged.
"""

from wagtail.search.backends.database import SearchBackend as DatabaseSearchBackend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    config = params.get("SEARCH_CONFIG")
    backend = DatabaseSearchBackend(params)
    if config and hasattr(backend, "autocomplete_config"):
        backend.autocomplete_config = config
    return backend
