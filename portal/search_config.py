"""WAGTAILSEARCH_BACKENDS from SEARCH_URL: one setting, every backend family.

    (empty)                         Wagtail's database backend (SQLite FTS5 / PostgreSQL)
    opensearch://host:9200          OpenSearch 2.x (opensearch-py 2.x)
    opensearchs://host:443          the same over TLS
    elasticsearch://host:9200       Elasticsearch 8 (the elasticsearch 8 client)
    elasticsearchs://host:443       the same over TLS

Index names start with SEARCH_INDEX_PREFIX so that environments sharing a cluster
(staging, production, test runs) never touch each other's indexes.

Every backend ignores accents and case ("numerique" finds "numérique"):
- SQLite FTS5: Wagtail's tokenizer already folds them;
- PostgreSQL: the ``portal_search`` text search configuration (``simple`` with
  ``unaccent`` first, created by search/migrations/0001), used for indexing, queries
  and autocomplete alike;
- OpenSearch / Elasticsearch: the analyzers of ``FOLDING_ANALYSIS`` below.

TYPO_TOLERANCE marks backends that answer ``wagtail.search.query.Fuzzy`` natively
(Elasticsearch and OpenSearch, with fuzziness AUTO). search/engine.py corrects a query
that found nothing from the portal's own vocabulary on every backend
(search/vocabulary.py), and asks it fuzzily as a last resort on those only: SQLite's
backend does not implement Fuzzy, and PostgreSQL's needs pg_trgm and compares every
index entry's text.

Stemming is the portal's, not the backends': see search/analysis.py.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "opensearch": ("wagtail.search.backends.opensearch2", "http"),
    "opensearchs": ("wagtail.search.backends.opensearch2", "https"),
    "elasticsearch": ("wagtail.search.backends.elasticsearch8", "http"),
    "elasticsearchs": ("wagtail.search.backends.elasticsearch8", "https"),
}
# A search page must answer quickly even when the engine does not: no retries, short timeouts.
TIMEOUT_SECONDS = 3
# The PostgreSQL text search configuration made by search/migrations/0001.
POSTGRES_SEARCH_CONFIG = "portal_search"

# One index holds the pages of all four languages, so the analyzers must not be those
# of one language: an English stemmer would mangle French, Spanish and Hungarian words
# and the other way round. Full-text fields therefore get a language-neutral analyzer
# (standard tokenizer, lowercase, asciifolding) - no stemming here: the portal indexes
# each page's stems in its own language in a field of their own (search/analysis.py). The names matter: Wagtail's mapping gives full-text fields no analyzer
# (so the index's `default` applies), and indexes `_edgengrams` with `edgengram_analyzer`
# but searches them with `search_analyzer: standard`, so `standard` is redefined for these
# indexes too - otherwise "numé" typed in the search box would not meet the folded grams.
_FOLD = ["lowercase", "asciifolding"]
FOLDING_ANALYSIS = {
    "analyzer": {
        "default": {"type": "custom", "tokenizer": "standard", "filter": _FOLD},
        "standard": {"type": "custom", "tokenizer": "standard", "filter": _FOLD},
        "edgengram_analyzer": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": [*_FOLD, "edgengram"],
        },
    }
}


def search_backends(search_url: str, index_prefix: str, database_engine: str = "") -> dict:
    if not search_url:
        backend = {"BACKEND": "search.database_backend", "TYPO_TOLERANCE": False}
        if "postgresql" in database_engine:
            backend["SEARCH_CONFIG"] = POSTGRES_SEARCH_CONFIG
        return {"default": backend}
    address = urlsplit(search_url)
    if address.scheme not in BACKENDS or not address.hostname:
        raise ImproperlyConfigured(
            f"SEARCH_URL must look like opensearch://host:9200 or elasticsearch://host:9200, not {search_url!r}"
        )
    backend, scheme = BACKENDS[address.scheme]
    port = address.port or (443 if scheme == "https" else 9200)
    credentials = f"{address.username}:{address.password}@" if address.username else ""
    return {
        "default": {
            "BACKEND": backend,
            "URLS": [
                f"{scheme}://{credentials}{address.hostname}:{port}{address.path.rstrip('/')}"
            ],
            "INDEX_PREFIX": index_prefix,
            "TIMEOUT": TIMEOUT_SECONDS,
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
            "INDEX_SETTINGS": {
                "settings": {"index": {"number_of_replicas": 0}, "analysis": FOLDING_ANALYSIS}
            },
            "TYPO_TOLERANCE": True,
        }
    }
