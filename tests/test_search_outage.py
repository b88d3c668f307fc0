"""When the search engine is down or hangs, the portal stays usable: a friendly 503 on
the search page within seconds, and publishing still works (the index catches up with
the next update_index)."""

import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from portal.search_config import search_backends
from tests.factories import LessonPageFactory
from tests.services import require

pytestmark = pytest.mark.django_db
RUN_SH = Path(__file__).resolve().parent.parent / "tools" / "opensearch" / "run.sh"
BUILT = RUN_SH.parent / "target" / "lib"


def use_opensearch(settings, port):
    settings.WAGTAILSEARCH_BACKENDS = search_backends(
        f"opensearch://127.0.0.1:{port}", f"outage_{os.getpid()}_"
    )


@pytest.fixture
def hanging_engine():
    """A server that accepts connections and never answers, like an overloaded node."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_hanging_engine_gives_a_quick_503_and_publishing_still_works(
    client, course, settings, hanging_engine
):
    use_opensearch(settings, hanging_engine)
    started = time.monotonic()
    response = client.get("/en/search/", {"q": "cluster"})
    assert response.status_code == 503
    assert "Search is temporarily unavailable." in response.content.decode()
    assert time.monotonic() - started < 10  # a few seconds, never a hang

    lesson = LessonPageFactory(
        parent=course["en"]["module"], title="Published while search hangs", slug="while-down"
    )
    assert lesson.live
    assert client.get(lesson.url).status_code == 200
    # Suggestions are the portal's own (search/suggest.py): they keep working.
    suggest = client.get("/en/search/suggest/", {"q": "publ"})
    assert suggest.status_code == 200
    assert "Published while search hangs" in [s["title"] for s in suggest.json()["suggestions"]]


@pytest.fixture
def own_node(tmp_path):
    """A node of its own for this test, so stopping it disturbs nothing else."""
    require(
        shutil.which("java") is not None and BUILT.exists(),
        "OpenSearch dev node not built (run make opensearch)",
    )
    port = 9291
    environment = dict(
        os.environ,
        OPENSEARCH_PORT=str(port),
        OPENSEARCH_NODE_DIR=str(tmp_path / "node"),
        OPENSEARCH_HEAP="512m",
    )

    def run(action):
        return subprocess.run(
            [str(RUN_SH), action], env=environment, capture_output=True, text=True, timeout=180
        )

    started = run("start")
    require(
        started.returncode == 0,
        f"could not start an OpenSearch node: {started.stdout[-500:]}{started.stderr[-500:]}",
    )
    yield port, run
    run("stop")


def titles(client, query):
    html = client.get("/en/search/", {"q": query, "expand": "0"}).content.decode()
    return html


def test_stopping_the_node_and_catching_up(client, course, settings, own_node, caplog):
    port, run = own_node
    use_opensearch(settings, port)
    call_command("update_index", verbosity=0)
    assert "Lesson 1" in titles(client, "lesson")

    assert run("stop").returncode == 0
    started = time.monotonic()
    response = client.get("/en/search/", {"q": "lesson"})
    assert response.status_code == 503
    assert time.monotonic() - started < 10
    late = LessonPageFactory(
        parent=course["en"]["module"],
        title="Quasar lesson written during the outage",
        slug="quasar",
    )
    assert late.live  # publishing succeeded; the failed index update was logged
    assert any(
        "quasar" in record.getMessage().lower() or "search" in record.name
        for record in caplog.records
    )

    assert run("start").returncode == 0
    call_command("update_index", verbosity=0)
    assert "Quasar lesson written during the outage" in titles(client, "quasar")
