"""A real Varnish (deploy/varnish/portal.vcl) in front of a live portal, purged on publish.

Each test reads pages through Varnish until they are cache hits, makes a change the way an
editor does (a revision published, a page unpublished, a restriction added), and reads
through Varnish again: the visitor sees the change at once, not after the TTL.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    HomePageFactory,
    LessonPageFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
    UserFactory,
    translate_page,
)
from tests.services import free_port, require

pytestmark = pytest.mark.django_db(transaction=True)

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "portal.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"


def wait_for_port(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"varnishd exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"varnishd did not listen on {port} within {timeout} s")


def vcl_for_backend(host, port, directory):
    """The repository's VCL with the backend pointed at the live server."""
    text = VCL.read_text()
    text = text.replace('.host = "127.0.0.1";', f'.host = "{host}";', 1)
    text = text.replace('.port = "8000";', f'.port = "{port}";', 1)
    path = Path(directory) / "portal.vcl"
    path.write_text(text)
    return path


@pytest.fixture
def varnish(live_server, settings):
    require(
        os.path.exists(VARNISHD),
        f"varnishd not found at {VARNISHD} (install Debian's varnish package)",
    )
    backend = live_server.url.split("//", 1)[1]
    host, port = backend.rsplit(":", 1)
    host = "127.0.0.1" if host == "localhost" else host
    workdir = tempfile.mkdtemp(prefix="portal-varnish-")
    listen = free_port()
    vcl = vcl_for_backend(host, port, workdir)
    # Loopback, and this machine's outward address for the ACL test, on the same port.
    addresses = ["-a", f"127.0.0.1:{listen}"]
    if outward_address():
        addresses += ["-a", f"{outward_address()}:{listen}"]
    process = subprocess.Popen(
        [VARNISHD, "-F", "-j", "none", *addresses, "-f", str(vcl)]
        + ["-n", workdir, "-s", "malloc,64m"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(listen, process)
        url = f"http://127.0.0.1:{listen}"
        settings.WAGTAILFRONTENDCACHE = {
            "varnish": {"BACKEND": "portal.frontcache.VarnishBackend", "LOCATION": url}
        }
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


class Response:
    def __init__(self, status, headers, text):
        self.status, self.headers, self.text = status, headers, text

    @property
    def cache(self):
        return self.headers.get("X-Cache")


def get(base, path, **headers):
    request = urllib.request.Request(base + path, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return Response(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read().decode())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def warm(base, path, **headers):
    """Read until Varnish serves ``path`` from its cache; the cached response."""
    first = get(base, path, **headers)
    second = get(base, path, **headers)
    assert second.cache == "HIT", (path, first.cache, second.cache, second.headers.items())
    assert len(second.headers["X-Varnish"].split()) == 2  # this request's id, the stored one's
    return second


def publish_title(page, title):
    page = Page.objects.get(pk=page.pk).specific
    page.title = title
    page.save_revision().publish()


@pytest.fixture
def home(locales):
    return HomePageFactory()


@pytest.fixture
def course(home):
    """A module and its lessons. Lessons carry a form (and so set a CSRF cookie): the
    module page, which lists them, is what Varnish stores."""
    catalogue = ModuleIndexPageFactory()
    module = ModulePageFactory(parent=catalogue, title="Smart industry", slug="smart-industry")
    lessons = [
        LessonPageFactory(parent=module, title=f"Lesson {n}", slug=f"lesson-{n}") for n in (1, 2)
    ]
    return {"catalogue": catalogue, "module": module, "lessons": lessons}


@pytest.fixture
def cases(home):
    index = CaseStudyIndexPageFactory()
    themes = {"themes": ["open-innovation"]}
    return {
        "index": index,
        "shown": CaseStudyPageFactory(parent=index, title="Shown case", **themes),
        "other": CaseStudyPageFactory(parent=index, title="Other case", **themes),
    }


def test_a_page_is_served_from_varnish_and_a_publish_shows_at_once(varnish, cases):
    url = cases["shown"].url
    assert get(varnish, url).cache == "MISS"
    before = warm(varnish, url)
    assert "Shown case" in before.text

    publish_title(cases["shown"], "Shown case, revised")

    after = get(varnish, url)
    assert after.status == 200 and after.cache == "MISS"
    assert "Shown case, revised" in after.text
    assert warm(varnish, url).text == after.text  # and cached again


def test_listings_related_lists_and_feeds_show_a_changed_title(varnish, cases):
    shown, index = cases["shown"].url, cases["index"].url
    feed, filtered = index + "feed/", index + "?theme=open-innovation"
    for url in (shown, index, feed, filtered):
        assert "Other case" in warm(varnish, url).text  # related list, listing, feed
    sitemap = warm(varnish, "/sitemap.xml")

    publish_title(cases["other"], "Other case, retitled")

    for url in (shown, index, feed, filtered):
        assert "Other case, retitled" in get(varnish, url).text, url
    # The sitemap was purged too (it shows the new modification time), then stored again.
    assert sitemap.cache == "HIT"
    assert get(varnish, "/sitemap.xml").cache == "MISS"
    assert get(varnish, "/sitemap.xml").cache == "HIT"


def test_a_module_page_lists_the_new_title_of_a_lesson(varnish, course):
    module_url = course["module"].url
    assert "Lesson 2" in warm(varnish, module_url).text

    publish_title(course["lessons"][1], "Lesson two, renamed")

    response = get(varnish, module_url)
    assert response.cache == "MISS"
    assert "Lesson two, renamed" in response.text


def test_a_publish_leaves_unrelated_pages_in_the_cache(varnish, cases, course):
    module_url = course["module"].url
    warm(varnish, module_url)
    publish_title(cases["other"], "Other case, retitled")
    assert get(varnish, module_url).cache == "HIT"
    # Control: the case study's own pages did go.
    assert get(varnish, cases["index"].url).cache == "MISS"


def test_an_unpublished_page_is_gone_through_varnish(varnish, cases):
    url, index = cases["other"].url, cases["index"].url
    assert warm(varnish, url).status == 200
    assert "Other case" in warm(varnish, index).text

    Page.objects.get(pk=cases["other"].pk).specific.unpublish()

    assert get(varnish, url).status == 404
    assert "Other case" not in get(varnish, index).text
    assert "Shown case" in get(varnish, index).text  # control


def test_a_restriction_reaches_pages_already_cached(varnish, cases):
    url = cases["shown"].url
    assert warm(varnish, url).status == 200

    restriction = PageViewRestriction.objects.create(
        page=Page.objects.get(pk=cases["index"].pk),
        restriction_type=PageViewRestriction.GROUPS,
    )
    restriction.groups.set([Group.objects.create(name="Members")])

    response = get(varnish, url)
    assert response.status == 302  # to the login page
    assert "Shown case" not in response.text
    assert get(varnish, url).cache == "PASS"  # and never from the cache


def test_a_glossary_change_reaches_the_pages_that_show_its_tooltip(varnish, home):
    glossary = GlossaryIndexPageFactory()
    term = GlossaryTermPageFactory(
        parent=glossary, title="digital twin", short_definition="A virtual model."
    )
    index = CaseStudyIndexPageFactory()
    case = CaseStudyPageFactory(
        parent=index, challenge="<p>Members built a digital twin of the plant.</p>"
    )
    assert "A virtual model." in warm(varnish, case.url).text

    term = Page.objects.get(pk=term.pk).specific
    term.short_definition = "A living virtual replica."
    term.save_revision().publish()

    html = get(varnish, case.url).text
    assert "A living virtual replica." in html and "A virtual model." not in html


def test_admin_and_visitors_with_cookies_are_never_served_from_the_cache(varnish, cases):
    url = cases["shown"].url
    assert warm(varnish, url).cache == "HIT"  # control: anonymous visitors share a copy
    # Analytics cookies say nothing about the visitor's page: still the shared copy.
    assert get(varnish, url, Cookie="_ga=GA1.2.3; _gid=GA1.4.5").cache == "HIT"

    for _ in range(2):
        assert get(varnish, url, Cookie="sessionid=abc").cache == "PASS"
        assert get(varnish, url, Cookie="_ga=1; csrftoken=x").cache == "PASS"
        assert get(varnish, url, Authorization="Basic eDp5").cache == "PASS"
        login = get(varnish, "/admin/login/")
        assert login.status == 200 and login.cache == "PASS"
        assert get(varnish, "/admin/").cache == "PASS"


def test_an_editor_sees_the_admin_and_the_live_site_never_cached(varnish, cases, client):
    editor = UserFactory(username="editor", is_superuser=True)
    client.force_login(editor)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    warm(varnish, cases["shown"].url)  # what anonymous visitors get
    for _ in range(2):
        response = get(varnish, "/admin/", Cookie=cookie)
        assert response.status == 200 and response.cache == "PASS"
        page = get(varnish, cases["shown"].url, Cookie=cookie)
        assert page.cache == "PASS"
    assert get(varnish, "/admin/").status == 302  # an anonymous visitor is sent to log in


def test_purge_and_ban_only_from_loopback(varnish, cases):
    """The same Varnish, reached at a non-loopback address of this machine, refuses them."""
    url = cases["shown"].url
    warm(varnish, url)
    address = outward_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to test the ACL from")
    port = varnish.rsplit(":", 1)[1]
    for method in ("PURGE", "BAN"):
        request = urllib.request.Request(f"http://{address}:{port}{url}", method=method)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 405
    assert get(varnish, url).cache == "HIT"  # nothing was removed
    # Control: from loopback, the same PURGE removes the page.
    request = urllib.request.Request(varnish + url, method="PURGE")
    assert urllib.request.urlopen(request, timeout=10).status == 200
    assert get(varnish, url).cache == "MISS"


def outward_address():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # no packet is sent for a UDP connect
        except OSError:
            return None
        address = sock.getsockname()[0]
    return None if address.startswith("127.") else address


def test_a_translation_published_changes_the_language_links_of_the_others(varnish, home_pages):
    index = CaseStudyIndexPageFactory()
    case = CaseStudyPageFactory(parent=index, title="Shown case", slug="shown-case")
    translate_page(index, "fr", title="Études de cas")
    french = translate_page(case, "fr", title="Cas montré")
    english = warm(varnish, case.url)
    assert f'href="{french.url}"' in english.text  # the language switcher

    french = Page.objects.get(pk=french.pk).specific
    french.slug = "cas-montre"
    french.save_revision().publish()

    moved = Page.objects.get(pk=french.pk).url
    assert moved.endswith("/cas-montre/")
    english = get(varnish, case.url)
    assert english.cache == "MISS"
    assert f'href="{moved}"' in english.text


def test_a_draft_leaves_the_cached_page_alone(varnish, cases):
    url = cases["shown"].url
    warm(varnish, url)
    draft = Page.objects.get(pk=cases["shown"].pk).specific
    draft.title = "Shown case, draft"
    draft.save_revision()

    response = get(varnish, url)
    assert response.cache == "HIT" and "Shown case, draft" not in response.text
    draft.get_latest_revision().publish()  # control: publishing it shows it
    assert "Shown case, draft" in get(varnish, url).text


def test_a_renamed_section_reaches_the_navigation_of_every_page(varnish, cases, course):
    shown = cases["shown"].url
    assert "Training modules" in warm(varnish, shown).text  # the header navigation

    publish_title(course["catalogue"], "Courses")

    html = get(varnish, shown).text
    assert "Courses" in html and "Training modules" not in html


def test_a_publish_succeeds_when_the_front_cache_is_down(cases, settings, caplog, client):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "portal.frontcache.VarnishBackend",
            "LOCATION": f"http://127.0.0.1:{free_port()}",  # nothing listens there
        }
    }
    publish_title(cases["other"], "Other case, retitled")
    Page.objects.get(pk=cases["shown"].pk).specific.unpublish()  # a ban

    assert "Other case, retitled" in client.get(cases["index"].url).content.decode()
    messages = [record.getMessage() for record in caplog.records]
    assert any("Couldn't purge" in message for message in messages)
    assert any("Couldn't ban" in message for message in messages)


def test_a_modules_lms_package_is_stored_and_purged_when_a_lesson_changes(varnish, course):
    import io
    import zipfile

    url = varnish + course["module"].url + "export/scorm12.zip"

    def fetch():
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.headers, zipfile.ZipFile(io.BytesIO(response.read()))

    fetch()
    headers, package = fetch()
    assert headers["X-Cache"] == "HIT"
    assert "Lesson 1" in package.read("imsmanifest.xml").decode()

    publish_title(course["lessons"][0], "Lesson 1, revised")

    headers, package = fetch()
    assert headers["X-Cache"] == "MISS"
    assert "Lesson 1, revised" in package.read("imsmanifest.xml").decode()
