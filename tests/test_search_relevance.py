"""The relevance set (search/relevance/<language>.json) on the demo content: recall@10
and MRR in every language must reach the targets, on whichever backend the settings
name (the database backend by default; OpenSearch with SEARCH_URL, as `make test-search`
runs it in CI). The demo is loaded and indexed once for the module."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from search.relevance import LANGUAGES, TARGET_MRR, TARGET_RECALL, evaluate


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        pytest.MonkeyPatch.context() as patch,
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        patch.setenv("PORTAL_ADMIN_PASSWORD", "relevance-test-password")
        call_command("load_demo_content", stdout=io.StringIO())
        call_command("update_index", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_relevance_reaches_the_targets(demo, db, language):
    figures = evaluate(language)
    assert figures.queries >= 60
    misses = "\n".join(f"{q!r}: missing {m}, top {t}" for q, m, t in figures.misses)
    assert figures.recall >= TARGET_RECALL, f"recall@10 {figures.recall:.3f}\n{misses}"
    assert figures.mrr >= TARGET_MRR, f"MRR {figures.mrr:.3f}\n{misses}"
