"""Unknown URLs and malformed requests give a localised 404 or a redirect, never a 500."""

import pytest


@pytest.mark.parametrize(
    ("path", "language", "text"),
    [
        ("/en/no-such-page/", "en", "Page not found"),
        ("/fr/page-inexistante/", "fr", "Page introuvable"),
        ("/es/no-existe/", "es", "Página no encontrada"),
        ("/hu/nincs-ilyen/", "hu", "Az oldal nem található"),
    ],
)
def test_unknown_pages_get_a_localised_404(client, home_pages, path, language, text):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert text in html
    assert 'name="robots" content="noindex"' in html


@pytest.mark.parametrize(
    "path",
    ["/de/seite/", "/xx/", "/en/%ff%fe/", "/fr/%c3%28/", "/en/a%00b/", "/en/" + "a/" * 300],
)
def test_odd_paths_never_give_a_server_error(client, home_pages, path):
    response = client.get(path, follow=True)
    assert response.status_code == 404


def test_unknown_language_prefix_redirects_into_a_real_language(client, home_pages):
    response = client.get("/de/seite/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/")
