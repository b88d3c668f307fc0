"""A bounded fuzz of every public URL and endpoint: hostile input never gives a 5xx.

Every URL of the sitemap plus every endpoint (search, suggestions, the case-study feed,
the API, quiz and completion forms, forgetting progress, the admin login, the page
password form, sitemap, robots) is sent hostile query strings, headers, bodies and
methods through Django's whole middleware stack. A seeded random sample keeps the number
of requests fixed (about 1,000), so the run is repeatable and takes well under a minute.

Each response must be below 500, and an HTML, XML or text response must never contain a
payload marker unescaped. JSON bodies are not searched for it: they are served as
application/json with nosniff, so no browser renders an echoed marker as HTML.
"""

import random
import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    LessonPageFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
    PrivacyNoticePageFactory,
    SelfAssessmentPageFactory,
    multilingual_home,
    translate_page,
)

SEED = 12
MARKER = "<script>zz"  # never shown raw; every payload that could be echoed carries it
CSRF_TOKEN = "f" * 32

VALUES = [
    "²",
    "١٢",
    "٣",
    "１",
    "\x00",
    "a\x00b",
    "x" * 5000,
    "-1",
    "0",
    "99999999999999999999999",
    "",
    " ",
    "%",
    '"',
    "'",
    "((",
    "*",
    "a AND NOT b",
    "../../etc/passwd",
    "\u202eevil",
    "\ufeff",
    "🚀",
    "${7*7}{{7*7}}",
    f'"><{MARKER[1:]}>',
    f"{MARKER}</script>",
    f"javascript:{MARKER}",
    "null",
    "[]",
    "root",
    "true",
]
# Raw query strings: invalid UTF-8, broken escapes, odd separators, repetition.
RAW_QUERIES = [
    "q=%ff%fe",
    "q=%c3%28&page=%e2%82",
    "%ff=%fe",
    "q=%",
    "q=%%%%",
    "q=%zz",
    "&&&==&",
    "=x",
    "q",
    "q=a&q=b&q=" + "c" * 300,
    "page=1&page=%C2%B2&page=2",
    "a%00b=1",
    "q=%00",
    "q=" + "%41" * 3000,
    "&".join(f"p{n}=x" for n in range(1200)),
    "search=%22&search_operator=zz",
    "offset=100000000000000000000&limit=-1",
    "fields=*,-id,title(x)&order=-,random",
    "type=wagtailcore.Page,nonexistent.X&child_of=abc",
    f"q={MARKER}&country={MARKER}&theme={MARKER}&letter={MARKER}&sort={MARKER}",
    "result=1&missing_translation=1&expand=0",
    "format=api",
    "format=%00",
]
# The findings of issue 12, sent to every path; the rest of the corpus is sampled.
ALWAYS = [
    "page=%C2%B2&year_from=%D9%A1&year_to=%D9%A3",
    "search=%22&offset=100000000000000000000&q=a%00b",
    f"q={MARKER}&page={MARKER}&letter={MARKER}",
]
PARAMETERS = [
    "q",
    "page",
    "year_from",
    "year_to",
    "country",
    "sector",
    "theme",
    "sort",
    "type",
    "language",
    "expand",
    "letter",
    "result",
    "missing_translation",
    "search",
    "search_operator",
    "offset",
    "limit",
    "order",
    "fields",
    "child_of",
    "descendant_of",
    "locale",
    "id",
    "html_path",
    "format",
    "next",
]
HEADERS = [
    {"HTTP_HOST": "evil.example"},
    {"HTTP_HOST": "testserver:99999999"},
    {"HTTP_HOST": "testserver\x00"},
    {"HTTP_HOST": ""},
    {"HTTP_ACCEPT_LANGUAGE": "fr;q=x, *;q=2, " + "de-DE-" * 2000},
    {"HTTP_ACCEPT_LANGUAGE": "\x00\xff;;;,,,q="},
    {"HTTP_ACCEPT_LANGUAGE": "-" * 10_000},
    {"HTTP_COOKIE": "sessionid=\x00; csrftoken=;;;==; django_language=xx\x00"},
    {"HTTP_COOKIE": "sessionid=" + "a" * 8000},
    {"HTTP_COOKIE": "sessionid=abcdefgh\x00ijklmnop; csrftoken=" + "\x00" * 32},
    {"HTTP_COOKIE": "sessionid=" + "%00" * 12},
    {"HTTP_COOKIE": 'django_language="fr"; sessionid="%ff"'},
    {"HTTP_IF_MODIFIED_SINCE": "yesterday"},
    {"HTTP_IF_MODIFIED_SINCE": "Sat, 99 Foo 99999 99:99:99 GMT"},
    {"HTTP_IF_NONE_MATCH": '"' * 500},
    {"HTTP_RANGE": "bytes=abc"},
    {"HTTP_RANGE": "bytes=999999999999999-1,0-0,-5"},
    {"HTTP_X_FORWARDED_PROTO": "https\x00"},
    {"HTTP_X_FORWARDED_FOR": "not-an-ip, ::::::, " + "1." * 500},
    {"HTTP_REFERER": MARKER},
    {"HTTP_USER_AGENT": MARKER * 500},
    {"HTTP_ORIGIN": "null"},
    {"CONTENT_TYPE": "text/html; charset=utf-16"},
    {"CONTENT_TYPE": "application/x-www-form-urlencoded; charset=bogus-charset"},
    {"HTTP_ACCEPT": "application/json;q=abc, */*;q=-1"},
    {"HTTP_ACCEPT_ENCODING": "gzip;q=x, br, " + "x" * 5000},
]
METHODS = ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "PROPFIND", "X-WEIRD"]


# -- the site ------------------------------------------------------------------------------


def build_site():
    """Every page type in four languages, an image, a document and a protected page."""
    multilingual_home()
    catalogue = ModuleIndexPageFactory()
    module = ModulePageFactory(parent=catalogue, title="Smart industry", slug="smart-industry")
    lesson = LessonPageFactory(parent=module, title="Digital twins", slug="digital-twins")
    cases = CaseStudyIndexPageFactory()
    case = CaseStudyPageFactory(parent=cases, title="Twin pilots", themes=["skills"])
    glossary = GlossaryIndexPageFactory()
    term = GlossaryTermPageFactory(parent=glossary, title="digital twin", slug="digital-twin")
    assessment = SelfAssessmentPageFactory()
    notice = PrivacyNoticePageFactory()
    for page in (catalogue, module, lesson, cases, case, glossary, term, assessment, notice):
        translate_page(page, "fr", title=f"{page.title} (fr)")
    secret = LessonPageFactory(parent=module, title="Members only", slug="members-only")
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    Image.objects.create(title="Picture", file=get_test_image_file())
    Document.objects.create(
        title="Fact sheet", file=SimpleUploadedFile("fact-sheet.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    return {
        "lesson": lesson,
        "module": module,
        "catalogue": catalogue,
        "cases": cases,
        "assessment": assessment,
        "secret": secret,
        "password_url": reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, secret.pk]
        ),
    }


@pytest.fixture(scope="module")
def site_once(django_db_setup, django_db_blocker):
    """The site built once for the module, in a transaction rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        site = build_site()
        client = Client()
        sitemap = client.get("/sitemap.xml").content.decode()
        site["sitemap_paths"] = sorted(
            {
                re.sub(r"^https?://[^/]+", "", url)
                for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)
            }
        )
        yield site
        transaction.set_rollback(True)


@pytest.fixture
def site(site_once, db):
    return site_once


def get_paths(site):
    lesson, cases = site["lesson"].url, site["cases"].url
    return [
        *site["sitemap_paths"],
        "/",
        "/en/search/",
        "/fr/search/",
        "/en/search/suggest/",
        "/hu/search/suggest/",
        cases + "feed/",
        lesson + "?result=1",
        site["secret"].url,
        "/api/v2/pages/",
        "/api/v2/pages/find/",
        f"/api/v2/pages/{site['lesson'].pk}/",
        "/api/v2/images/",
        "/api/v2/images/find/",
        "/api/v2/documents/",
        "/api/v2/documents/1/",
        "/api/v2/nothing/",
        "/admin/login/",
        "/sitemap.xml",
        "/robots.txt",
        "/oai/",
        "/oai/?verb=ListRecords&metadataPrefix=oai_lom",
        "/documents/1/fact-sheet.pdf",
        "/en/no-such-page/",
        site["module"].url + "pdf/",
        "/en/certificates/",
        "/hu/certificates/ABCD-EFGH-JKMN-PQRS/",
        "/hu/certificates/ABCD-EFGH-JKMN-PQRS/credential.jwt",
        "/.well-known/jwks.json",
        "/certificates/issuer.json",
        "/en/my-learning/",
        "/fr/my-learning/restore/",
        "/hu/my-learning/restore/ABCD-EFGH-JKMN/",
        site["assessment"].url + "results/",
    ]


def post_paths(site):
    lesson = site["lesson"].url
    return [
        lesson + "quiz/",
        lesson + "complete/",
        site["catalogue"].url + "forget-progress/",
        site["module"].url + "certificate/",
        "/en/certificates/ABCD-EFGH-JKMN-PQRS/revoke/",
        "/en/my-learning/code/",
        "/en/my-learning/code/delete/",
        "/en/my-learning/restore/",
        "/en/my-learning/forget/",
        site["assessment"].url + "assess/",
        site["assessment"].url + "forget-result/",
        "/admin/login/",
        site["password_url"],
        "/en/search/",
        "/en/search/suggest/",
        "/api/v2/pages/",
        "/oai/",
        site["sitemap_paths"][0],
    ]


# -- checking responses --------------------------------------------------------------------


def check(response, what):
    assert response.status_code < 500, f"{response.status_code} for {what}"
    content_type = response.get("Content-Type", "")
    body = getattr(response, "content", b"") if not response.streaming else b""
    if "json" in content_type or not body:
        return
    text = body.decode("utf-8", "replace")
    assert MARKER not in text, f"payload echoed unescaped for {what}"
    assert "Traceback (most recent call last)" not in text, what


def fuzz_client(**kwargs):
    client = Client(raise_request_exception=False, **kwargs)
    client.cookies["csrftoken"] = CSRF_TOKEN
    return client


def request_get(client, path, query, **headers):
    separator = "&" if "?" in path else "?"
    response = client.get(path + (separator + query if query else ""), **headers)
    check(response, f"GET {path} ? {query[:120]!r} {list(headers)}")


# -- the fuzz ------------------------------------------------------------------------------


def test_hostile_query_strings(site):
    rng = random.Random(SEED)
    client = fuzz_client()
    for path in get_paths(site):
        for raw in ALWAYS + rng.sample(RAW_QUERIES, 3):
            request_get(client, path, raw)
        for _ in range(5):
            pairs = [
                (rng.choice(PARAMETERS), rng.choice(VALUES)) for _n in range(rng.randint(1, 4))
            ]
            request_get(client, path, "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs))
        # Raw bytes that are not even valid percent-escapes reach the WSGI environ too.
        response = client.get(path, QUERY_STRING="q=\xff\xfe&page=\xb2")
        check(response, f"GET {path} with raw bytes")


def test_hostile_headers(site):
    rng = random.Random(SEED)
    client = fuzz_client()
    paths = get_paths(site)
    for headers in HEADERS:
        for path in rng.sample(paths, 4):
            request_get(client, path, "", **headers)


def test_hostile_methods(site):
    rng = random.Random(SEED)
    client = fuzz_client()
    for path in get_paths(site) + post_paths(site):
        for method in rng.sample(METHODS, 4):
            response = client.generic(method, path, data=b"a=1", content_type="text/plain")
            check(response, f"{method} {path}")


def bodies(site):
    question_ids = [block.id for block in site["lesson"].quiz]
    choice = "q-" + question_ids[0]
    return [
        ("application/x-www-form-urlencoded", "a=1&" + choice + "=nope"),
        ("application/x-www-form-urlencoded; charset=utf-16", "a=1"),
        ("application/x-www-form-urlencoded; charset=latin-1", "q=caf\xe9"),
        ("application/x-www-form-urlencoded", b"q=%ff%fe&\xff\xfe=\x00"),
        ("application/x-www-form-urlencoded", "&".join(f"f{n}=x" for n in range(1500))),
        ("application/x-www-form-urlencoded", f"username={MARKER}&password={MARKER}"),
        ("application/x-www-form-urlencoded", "username=a\x00b&password=\x00"),
        ("application/x-www-form-urlencoded", f"{choice}={MARKER}&q-{MARKER}=1"),
        ("application/x-www-form-urlencoded", f"{choice}=&{choice}=&{choice}="),
        ("application/x-www-form-urlencoded", "password=" + "x" * 100_000),
        ("multipart/form-data", b"garbage without a boundary"),
        ("multipart/form-data; boundary=zz", b"--zz\r\nContent-Disposition: form-data\r\n\r\n"),
        (
            "multipart/form-data; boundary=zz",
            b'--zz\r\nContent-Disposition: form-data; name="a\x00"; filename="../x"\r\n\r\nx\r\n--zz--',
        ),
        ("multipart/form-data; boundary=" + "b" * 80, b"--" + b"b" * 80 + b"--"),
        ("application/json", '{"a": [1, 2, {"b": null}]'),
        ("application/json", "\x00\xff"),
        ("text/plain; charset=utf-16", "hello"),
        ("", b"\x00" * 64),
    ]


def test_hostile_bodies(site):
    """Every body on every form, with a valid CSRF token so that the views read them."""
    client = fuzz_client(enforce_csrf_checks=True)
    headers = {"HTTP_ORIGIN": "http://testserver", "HTTP_X_CSRFTOKEN": CSRF_TOKEN}
    for path in post_paths(site):
        for content_type, body in bodies(site):
            response = client.post(path, data=body, content_type=content_type, **headers)
            check(response, f"POST {path} {content_type} {str(body)[:60]!r}")


def test_hostile_bodies_without_a_csrf_token(site):
    """Without a token the CSRF check reads the body itself, and must fail cleanly."""
    rng = random.Random(SEED)
    client = fuzz_client(enforce_csrf_checks=True)
    for path in post_paths(site):
        for content_type, body in rng.sample(bodies(site), 5):
            response = client.post(path, data=body, content_type=content_type)
            check(response, f"POST {path} {content_type} {str(body)[:60]!r} without a token")


def test_the_controls_do_reach_their_views(site):
    """The fuzz would prove little if every request were refused at the door."""
    client = fuzz_client()
    assert client.get(site["lesson"].url).status_code == 200
    assert client.get("/api/v2/pages/?search=twin").json()["meta"]["total_count"] >= 1
    assert client.get("/en/search/?q=twin").status_code == 200
    response = client.post(site["password_url"], {"password": "wrong", "return_url": "/"})
    assert response.status_code == 200
    assert len(site["sitemap_paths"]) >= 12
    html = client.get("/en/search/", {"q": MARKER}).content.decode()
    assert "script zz" in html  # the marker's words are shown, escaped or cleaned
