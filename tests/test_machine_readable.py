"""Sitemap with hreflang alternates, robots.txt and the read-only API."""

import defusedxml.ElementTree as ET
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from home.models import HomePage
from tests.factories import translate_page

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
        }
        for url in root.findall("s:url", NS)
    }


def add_child(parent, **fields):
    child = HomePage(hero_heading=fields.get("title", "x"), **fields)
    parent.add_child(instance=child)
    child.save_revision().publish()
    return child


def test_sitemap_lists_every_locale_with_alternates(client, home_pages):
    urls = sitemap_urls(client)
    assert set(urls) == {f"http://testserver/{code}/" for code in ("en", "fr", "es", "hu")}
    assert urls["http://testserver/es/"] == {
        "en": "http://testserver/en/",
        "fr": "http://testserver/fr/",
        "es": "http://testserver/es/",
        "hu": "http://testserver/hu/",
    }


def test_sitemap_leaves_out_drafts_and_private_pages(client, home_pages):
    public = add_child(home_pages["en"], title="Public", slug="public")
    private = add_child(home_pages["en"], title="Members", slug="members")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Partners"))
    draft = HomePage(title="Draft", slug="draft", hero_heading="Draft", live=False)
    home_pages["en"].add_child(instance=draft)
    translate_page(public, "hu", live=False, title="Nyilvános")

    urls = sitemap_urls(client)
    assert "http://testserver/en/public/" in urls
    assert "http://testserver/en/members/" not in urls
    assert "http://testserver/en/draft/" not in urls
    assert "http://testserver/hu/public/" not in urls
    assert urls["http://testserver/en/public/"] == {}


def test_robots_txt_points_at_the_sitemap(client, home_pages):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_api_filters_pages_by_locale_and_exposes_translation_keys(client, home_pages):
    response = client.get("/api/v2/pages/", {"locale": "fr", "type": "home.HomePage"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["title"] for item in items] == [home_pages["fr"].title]
    assert items[0]["meta"]["locale"] == "fr"
    assert items[0]["meta"]["translation_key"] == str(home_pages["en"].translation_key)


def test_api_never_shows_drafts(client, home_pages):
    translate_page(add_child(home_pages["en"], title="Live", slug="live"), "es", live=False)
    titles = [item["title"] for item in client.get("/api/v2/pages/?locale=es").json()["items"]]
    assert titles == [home_pages["es"].title]


def test_api_rejects_unknown_filters_with_400(client, home_pages):
    assert client.get("/api/v2/pages/?locale=xx").status_code in (400, 404)
    assert client.get("/api/v2/pages/?type=nope.Nope").status_code == 400
    assert client.get("/api/v2/pages/?limit=abc").status_code == 400
