"""WAGTAILSEARCH_BACKENDS from SEARCH_URL: one setting, every backend family.

    (empty)                         Wagtail's database backend (SQLite FTS5 / PostgreSQL)
    opensearch://host:9200          OpenSearch 2.x (opensearch-py 2.x)
    opensearchs://host:443          the same over TLS
    elasticsearch://host:9200       Elasticsearch 8 (the elasticsearch 8 client)
    elasticsearchs://host:443       the same over TLS

Index names start with SEARCH_INDEX_PREFIX so that environments sharing a cluster
(staging, production, test runs) never touch each other's indexes.
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


def search_backends(search_url: str, index_prefix: str) -> dict:
    if not search_url:
        return {"default": {"BACKEND": "wagtail.search.backends.database"}}
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
            "INDEX_SETTINGS": {"settings": {"index": {"number_of_replicas": 0}}},
        }
    }
