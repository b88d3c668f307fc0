"""Certificates of completion and module PDFs, in four languages.

One world per file (built once, rolled back at the end): a module of two lessons with
quizzes in English, French, Spanish and Hungarian, a glossary term the lessons use, and
a draft lesson that no PDF may show.
"""

import base64
import io
import json
import re
from html import unescape

import pypdf
import pytest
from django.db import transaction
from django.test import Client
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet
from wagtail.models import PageViewRestriction

from certificates.models import Certificate
from tests.factories import (
    DEFAULT_QUIZ,
    GlossaryIndexPageFactory,
    GlossaryTermPageFactory,
    LessonPageFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
    multilingual_home,
    quiz_question,
    translate_page,
)

LANGUAGES = ["en", "fr", "es", "hu"]

TEXTS = {
    "en": {
        "module": "Smart industry essentials",
        "outcome": "Explain Industry 4.0 to members",
        "lessons": ["Digital twins explained", "Measuring progress"],
        "body": "Clusters help small firms adopt new technologies.",
        "takeaway": "Start with one pilot",
        "term": "digital twin",
        "definition": "A virtual model kept in step with a physical asset.",
        "question": "Which body coordinates a cluster?",
        "certificate": "Certificate of completion",
        "contents": "Contents",
    },
    "fr": {
        "module": "L'essentiel de l'industrie intelligente",
        "outcome": "Expliquer l'industrie 4.0 aux membres",
        "lessons": ["Les jumeaux numériques expliqués", "Mesurer les progrès"],
        "body": "Les clusters aident les petites entreprises à adopter les technologies.",
        "takeaway": "Commencer par un pilote",
        "term": "jumeau numérique",
        "definition": "Un modèle virtuel synchronisé avec un actif physique.",
        "question": "Quel organisme coordonne un cluster ?",
        "certificate": "Certificat de réussite",
        "contents": "Sommaire",
    },
    "es": {
        "module": "Lo esencial de la industria inteligente",
        "outcome": "Explicar la industria 4.0 a los miembros",
        "lessons": ["Los gemelos digitales explicados", "Medir el progreso"],
        "body": "Los clústeres ayudan a las pequeñas empresas a adoptar tecnologías.",
        "takeaway": "Empezar con un piloto",
        "term": "gemelo digital",
        "definition": "Un modelo virtual sincronizado con un activo físico.",
        "question": "¿Qué organismo coordina un clúster?",
        "certificate": "Certificado de finalización",
        "contents": "Índice",
    },
    "hu": {
        "module": "Az okos ipar alapjai – első lépések",
        "outcome": "Elmagyarázni az Ipar 4.0 lényegét a tagoknak",
        "lessons": ["A digitális ikrek működése", "Az előrehaladás mérése"],
        "body": "A klaszterek segítik a kis cégeket az új technológiák bevezetésében.",
        "takeaway": "Egyetlen kísérleti projekttel kezdjünk",
        "term": "digitális iker",
        "definition": "Egy fizikai eszközzel szinkronban tartott virtuális modell; gyűjtő fogalom.",
        "question": "Melyik szervezet fogja össze a klasztert?",
        "certificate": "Tanúsítvány a képzés elvégzéséről",
        "contents": "Tartalom",
    },
}
SECRET_FEEDBACK = "Yes: it animates the network."  # a right answer's feedback: never in a PDF
HUNGARIAN_NAME = "Kővári-Szűts Zoltán"


def _body(texts, term):
    return [
        ("heading", {"text": "Key ideas", "level": "h2"}),
        ("rich_text", f"<p>{texts['body']}</p>"),
        ("key_takeaways", {"items": [texts["takeaway"], "Measure"]}),
        ("glossary_term", {"term": term, "note": ""}),
    ]


def _quiz(texts):
    if texts is TEXTS["en"]:
        return list(DEFAULT_QUIZ)
    return [
        quiz_question(
            texts["question"],
            [("A", True, SECRET_FEEDBACK), ("B", False, "No."), ("C", False, "No.")],
        )
    ]


def build_world():
    home = multilingual_home()
    world = {"home": home, "module": {}, "lessons": {}}
    glossary = GlossaryIndexPageFactory()
    term = GlossaryTermPageFactory(
        parent=glossary, title=TEXTS["en"]["term"], short_definition=TEXTS["en"]["definition"]
    )
    for code in LANGUAGES[1:]:
        translate_page(glossary, code, title=f"Glossary {code}")
        translate_page(
            term, code, title=TEXTS[code]["term"], short_definition=TEXTS[code]["definition"]
        )
    catalogue = ModuleIndexPageFactory()
    english = TEXTS["en"]
    module = ModulePageFactory(
        parent=catalogue,
        title=english["module"],
        slug="smart-industry",
        learning_outcomes=[("outcome", english["outcome"])],
        estimated_hours=5,
    )
    lessons = [
        LessonPageFactory(
            parent=module,
            title=title,
            slug=f"lesson-{number}",
            lesson_number=f"1.{number}",
            body=_body(english, term),
        )
        for number, title in enumerate(english["lessons"], start=1)
    ]
    world["draft"] = LessonPageFactory(
        parent=module, title="Draftlessonmarker", slug="draft", live=False
    )
    restricted = LessonPageFactory(parent=module, title="Restrictedlessonmarker", slug="secret")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    world["module"]["en"], world["lessons"]["en"] = module, lessons
    for code in LANGUAGES[1:]:
        texts = TEXTS[code]
        translate_page(catalogue, code, title=f"Catalogue {code}")
        world["module"][code] = translate_page(
            module,
            code,
            title=texts["module"],
            learning_outcomes=[("outcome", texts["outcome"])],
        )
        world["lessons"][code] = [
            translate_page(lesson, code, title=title, body=_body(texts, term), quiz=_quiz(texts))
            for lesson, title in zip(lessons, texts["lessons"], strict=True)
        ]
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def learner(db, world):
    return Client()


def pass_module(client, world, language):
    for lesson in world["lessons"][language]:
        response = client.post(lesson.url + "quiz/", _right(lesson))
        assert response.status_code == 302


def _right(lesson):
    """Every question of the lesson's quiz answered with its right choices."""
    return {
        f"q-{block.id}": [c.id for c in block.value["choices"].bound_blocks if c.value["correct"]]
        for block in lesson.quiz
    }


def claim(client, module, name, **extra):
    return client.post(module.url + "certificate/", {"name": name}, **extra)


def pdf_text(content):
    reader = pypdf.PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def claimed_certificate(client, world, language, name):
    response = claim(client, world["module"][language], name)
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"].startswith(f"/{language}/certificates/")
    location = response["Location"].split("?")[0]
    code = location.split("/")[3]
    return Certificate.objects.get(code=code.replace("-", "")), location


# Claiming ------------------------------------------------------------------------------


def test_completing_in_french_and_claiming_in_hungarian(learner, world):
    pass_module(learner, world, "fr")
    hungarian_page = learner.get(world["module"]["hu"].url).content.decode()
    assert 'action="/hu/' in hungarian_page and "certificate/" in hungarian_page
    assert "Tanúsítvány" in hungarian_page  # the offer, in Hungarian

    certificate, location = claimed_certificate(learner, world, "hu", HUNGARIAN_NAME)
    page = learner.get(location)
    html = page.content.decode()
    assert page.status_code == 200
    assert HUNGARIAN_NAME in html and TEXTS["hu"]["module"] in html
    assert certificate.grouped_code in html
    assert "no-store" in page["Cache-Control"] and page["X-Cache"] == "skip"
    # Only what the certificate shows is stored.
    assert (certificate.name, certificate.language, certificate.module_title) == (
        HUNGARIAN_NAME,
        "hu",
        TEXTS["hu"]["module"],
    )
    assert certificate.learning_outcomes == [TEXTS["hu"]["outcome"]]
    assert str(certificate.module_key) == str(world["module"]["en"].translation_key)

    document = learner.get(f"{location}certificate.pdf")
    assert document["Content-Type"] == "application/pdf"
    assert "no-store" in document["Cache-Control"]
    reader, text = pdf_text(document.content)
    flat = " ".join(text.split())
    for expected in [
        HUNGARIAN_NAME,
        TEXTS["hu"]["module"],
        TEXTS["hu"]["outcome"],
        TEXTS["hu"]["certificate"],
        certificate.grouped_code,
        f"http://testserver{location}",
        "CC BY 4.0",
        "Európai Unió",
        "5 óra",
    ]:
        assert expected in flat, expected
    assert reader.trailer["/Root"]["/Lang"] == "hu"
    assert TEXTS["hu"]["module"] in reader.metadata.title
    assert len(reader.pages) == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_certificate_pdf_is_in_the_language_of_the_claim(learner, world, language):
    pass_module(learner, world, "en")
    _certificate, location = claimed_certificate(learner, world, language, "Ana Núñez")
    reader, text = pdf_text(learner.get(f"{location}certificate.pdf").content)
    flat = " ".join(text.split())
    assert TEXTS[language]["certificate"] in flat
    assert TEXTS[language]["module"] in flat and "Ana Núñez" in flat
    assert reader.trailer["/Root"]["/Lang"] == language
    other = "hu" if language != "hu" else "fr"
    assert TEXTS[other]["certificate"] not in flat  # control: the other language is absent


def test_an_unfinished_module_offers_no_certificate_and_refuses_a_claim(learner, world):
    module = world["module"]["fr"]
    first = world["lessons"]["fr"][0]
    learner.post(first.url + "quiz/", _right(first))  # one quiz of two
    assert "certificate/" not in learner.get(module.url).content.decode()
    response = claim(learner, module, "Marie Curie")
    assert response.status_code == 403
    assert "une fois tous les quiz de ce module réussis" in response.content.decode()
    assert not Certificate.objects.exists()
    # A visitor without any session is refused the same way.
    assert claim(Client(), module, "Marie Curie").status_code == 403
    assert learner.get(module.url + "certificate/").status_code == 405
    assert not Certificate.objects.exists()


def test_pages_without_a_session_carry_no_certificate_form(learner, world):
    anonymous = Client().get(world["module"]["en"].url)
    assert 'name="name"' not in anonymous.content.decode()
    assert "sessionid" not in anonymous.cookies
    pass_module(learner, world, "en")
    assert 'name="name"' in learner.get(world["module"]["en"].url).content.decode()  # control


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 5000, "100"),
        ("<script>alert(1)</script>", "plain text"),
        ("<b>Bold</b> Name", "plain text"),
        ("Name\u202egnp.exe", "plain text"),
        ("   ", "Please type the name"),
        ("12345", "at least one letter"),
    ],
)
def test_bad_names_get_the_form_again_and_store_nothing(learner, world, name, message):
    pass_module(learner, world, "en")
    response = claim(learner, world["module"]["en"], name)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "<script>alert(1)" not in html and "<b>Bold" not in html
    assert 'aria-invalid="true"' in html
    assert "x" * 101 not in html  # the field comes back at most as long as allowed
    assert not Certificate.objects.exists()
    # Control: a plain name is accepted.
    assert claim(learner, world["module"]["en"], "Ada Lovelace").status_code == 302


def test_a_cross_site_claim_is_refused(learner, world):
    pass_module(learner, world, "en")
    learner.handler.enforce_csrf_checks = True
    refused = claim(learner, world["module"]["en"], "Eve", HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403
    assert not Certificate.objects.exists()
    accepted = claim(learner, world["module"]["en"], "Ada", HTTP_ORIGIN="http://testserver")
    assert accepted.status_code == 302


# The credential --------------------------------------------------------------------------


def test_the_open_badge_credential_and_its_signature(learner, world):
    pass_module(learner, world, "fr")
    certificate, location = claimed_certificate(learner, world, "hu", HUNGARIAN_NAME)
    data = json.loads(learner.get(f"{location}credential.json").content)
    assert data["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "ob/v3p0" in data["@context"][1]
    assert data["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert data["id"] == f"http://testserver{location}"
    assert data["issuer"]["name"] == "Cluster4Smart"
    subject = data["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == HUNGARIAN_NAME
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == TEXTS["hu"]["module"]
    assert achievement["inLanguage"] == "hu"
    assert TEXTS["hu"]["module"] in achievement["criteria"]["narrative"]
    assert TEXTS["hu"]["outcome"] in achievement["criteria"]["narrative"]
    assert "kvíz" in achievement["criteria"]["narrative"]  # the criteria are in Hungarian
    assert data["validFrom"].endswith("Z")

    token = learner.get(f"{location}credential.jwt")
    assert token["Content-Type"] == "application/vc+jwt"
    jwks = Client().get("/.well-known/jwks.json")
    assert "public" in jwks["Cache-Control"]
    keys = KeySet.import_key_set(jwks.json())
    assert all("d" not in key for key in jwks.json()["keys"])  # no private part
    decoded = jwt.decode(token.content.decode(), keys, algorithms=["ES256"])
    assert decoded.header["alg"] == "ES256"
    assert decoded.header["kid"] == jwks.json()["keys"][0]["kid"]
    claims = dict(decoded.claims)
    assert claims.pop("iss") == data["issuer"]["id"]
    assert claims.pop("jti") == data["id"]
    assert claims.pop("nbf") == int(certificate.issued_at.timestamp())
    assert claims == data
    issuer = Client().get("/certificates/issuer.json").json()
    assert issuer["id"] == data["issuer"]["id"] and issuer["type"] == ["Profile"]

    # A token altered after signing fails verification (control for the check above).
    header, payload, signature = token.content.decode().split(".")
    forged_claims = {**decoded.claims, "credentialSubject": {**subject, "identifier": []}}
    forged_payload = (
        base64.urlsafe_b64encode(json.dumps(forged_claims).encode()).rstrip(b"=").decode()
    )
    with pytest.raises(BadSignatureError):
        jwt.decode(f"{header}.{forged_payload}.{signature}", keys, algorithms=["ES256"])


# Verification and revocation -------------------------------------------------------------


def test_the_verification_page_in_every_language(learner, world):
    pass_module(learner, world, "en")
    certificate, _location = claimed_certificate(learner, world, "fr", "Jeanne Dupont")
    for code in LANGUAGES:
        page = Client().get(f"/{code}/certificates/{certificate.grouped_code}/")
        html = unescape(page.content.decode())
        assert page.status_code == 200
        assert "Jeanne Dupont" in html and TEXTS[code]["module"] in html
        assert f'<html lang="{code}"' in html
        assert "no-store" in page["Cache-Control"]
    # Typed codes are read leniently: lower case, no hyphens.
    relaxed = Client().get(f"/en/certificates/{certificate.code.lower()}/")
    assert relaxed.status_code == 200 and "Jeanne Dupont" in relaxed.content.decode()
    found = Client().get("/en/certificates/", {"code": certificate.code.lower()})
    assert found.status_code == 302 and certificate.grouped_code in found["Location"]


@pytest.mark.parametrize(
    "code",
    [
        "ABCD-EFGH-JKMN-PQRS",  # well formed, unknown
        "not-a-code",
        "<script>alert(1)</script>",
        "Z" * 5000,
        "%00",
        "..%2F..%2Fetc",
        "ÁRVÍZTŰRŐ",
    ],
)
def test_unknown_and_forged_codes_get_a_clear_404(learner, world, code):
    for url in (
        f"/hu/certificates/{code}/",
        f"/hu/certificates/{code}/certificate.pdf",
        f"/hu/certificates/{code}/credential.jwt",
    ):
        response = learner.get(url)
        assert response.status_code == 404, url
        html = response.content.decode()
        if url.endswith("/" + code + "/") and len(code) < 100:
            assert "Ismeretlen" in html or "nem található" in html.lower() or "Nincs" in html
        assert "<script>alert(1)" not in html
    response = learner.get("/hu/certificates/", {"code": code})
    assert response.status_code in (302, 404)
    assert "<script>alert(1)" not in response.content.decode()
    revoke = learner.post(f"/hu/certificates/{code}/revoke/", {"revocation_code": code})
    assert revoke.status_code == 404
    assert not Certificate.objects.exists()


def test_revocation_needs_the_revocation_code(learner, world):
    pass_module(learner, world, "en")
    certificate, location = claimed_certificate(learner, world, "en", "Grace Hopper")
    html = learner.get(location).content.decode()
    revocation_code = re.search(r'name="revocation_code"[^>]* value="([0-9A-Z-]{19})"', html)
    assert revocation_code, "the claimant's page offers the revocation code"
    assert revocation_code.group(1).replace("-", "") != certificate.code
    verifier = Client()  # an employer checking the certificate is given no revocation code
    assert revocation_code.group(1) not in verifier.get(location).content.decode()

    wrong = verifier.post(f"{location}revoke/", {"revocation_code": certificate.code})
    assert wrong.status_code == 400
    assert "not the revocation code" in wrong.content.decode()
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is None

    # From any device, with the revocation code.
    done = Client().post(f"{location}revoke/", {"revocation_code": revocation_code.group(1)})
    assert done.status_code == 302
    revoked = Certificate.objects.get(pk=certificate.pk)
    assert revoked.revoked_at is not None and revoked.name == ""
    page = verifier.get(location)
    assert page.status_code == 410
    assert "revoked" in page.content.decode() and "Grace Hopper" not in page.content.decode()
    for document in ("certificate.pdf", "credential.jwt", "credential.json"):
        assert verifier.get(location + document).status_code == 410


# Module PDFs -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_module_downloads_as_one_pdf_per_language(learner, world, language):
    texts = TEXTS[language]
    module = world["module"][language]
    page = learner.get(module.url).content.decode()
    assert f'href="{module.url}pdf/"' in page
    response = learner.get(module.url + "pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"smart-industry-{language}.pdf" in response["Content-Disposition"]
    reader, text = pdf_text(response.content)
    flat = " ".join(text.split())
    assert reader.metadata.title == texts["module"]
    assert reader.trailer["/Root"]["/Lang"] == language
    outline = [item["/Title"] for item in _flatten(reader.outline)]
    assert texts["module"] in outline
    assert all(any(title in entry for entry in outline) for title in texts["lessons"])
    for expected in [
        texts["contents"],
        texts["outcome"],
        *texts["lessons"],
        texts["body"],
        texts["takeaway"],
        texts["term"],
        texts["definition"],
        texts["question"],
        "CC BY 4.0",
    ]:
        assert expected in flat, expected
    pages = len(reader.pages)
    assert pages >= 4 and f"1 / {pages}" in flat and f"{pages} / {pages}" in flat
    # The table of contents gives each lesson's page number.
    first_page = " ".join(reader.pages[0].extract_text().split())
    assert re.search(re.escape(texts["lessons"][0]) + r"[ .]*\d+", first_page)
    # No answers, and nothing that is not public.
    assert SECRET_FEEDBACK not in flat and "A cluster organisation coordinates" not in flat
    assert "Draftlessonmarker" not in flat and "Restrictedlessonmarker" not in flat
    if language != "en":  # a term chosen in the English lesson is printed in this language
        assert TEXTS["en"]["term"] not in flat


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def test_module_pdfs_are_cached_until_the_content_changes(learner, world):
    module = world["module"]["en"]
    first = Client().get(module.url + "pdf/")
    again = Client().get(module.url + "pdf/")
    assert (first["X-Cache"], again["X-Cache"]) == ("miss", "hit")
    assert "public" in first["Cache-Control"]
    lesson = world["lessons"]["en"][1]
    lesson.title = "Measuring progress, revised"
    lesson.save_revision().publish()
    changed = Client().get(module.url + "pdf/")
    assert changed["X-Cache"] == "miss"
    assert "Measuring progress, revised" in pdf_text(changed.content)[1]


def test_module_pdf_and_verification_run_a_bounded_number_of_queries(
    learner, world, django_assert_max_num_queries
):
    from django.core.cache import cache

    module = world["module"]["hu"]
    with django_assert_max_num_queries(16):
        assert learner.get(module.url + "pdf/").status_code == 200
    pass_module(learner, world, "en")
    certificate, location = claimed_certificate(learner, world, "hu", HUNGARIAN_NAME)
    with django_assert_max_num_queries(12):
        assert Client().get(location).status_code == 200
    # More lessons do not add queries.
    for number in range(3, 7):
        LessonPageFactory(parent=world["module"]["en"], slug=f"extra-{number}")
    english = world["module"]["en"]
    cache.clear()
    with django_assert_max_num_queries(16):
        assert learner.get(english.url + "pdf/").status_code == 200


def _request_of(client):
    from django.conf import settings
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is not None:
        request.COOKIES[settings.SESSION_COOKIE_NAME] = cookie.value
    request.session = client.session
    return request


def test_the_functions_my_learning_uses(learner, world, django_assert_max_num_queries):
    from django.utils import translation

    from certificates import eligibility

    assert eligibility.modules_completed(_request_of(Client())) == []  # no session: no query
    first = world["lessons"]["en"][0]
    learner.post(first.url + "quiz/", _right(first))
    with translation.override("fr"):
        assert eligibility.modules_completed(_request_of(learner)) == []
    pass_module(learner, world, "en")
    with translation.override("fr"), django_assert_max_num_queries(3):
        completed = eligibility.modules_completed(_request_of(learner))
    assert completed == [world["module"]["fr"]]
    assert eligibility.claim_url(completed[0]) == world["module"]["fr"].url + "certificate/"
    assert eligibility.claimed(_request_of(learner)) == []
    certificate, location = claimed_certificate(learner, world, "fr", "Jeanne Dupont")
    assert eligibility.claimed(_request_of(learner)) == [
        {
            "code": certificate.code,
            "module_key": str(world["module"]["en"].translation_key),
            "url": location,
        }
    ]


def test_claiming_twice_with_the_same_name_gives_the_same_certificate(learner, world):
    pass_module(learner, world, "en")
    first, location = claimed_certificate(learner, world, "es", "Ana Núñez")
    again = claim(learner, world["module"]["es"], "Ana  Núñez ")  # spacing is tidied
    assert again.status_code == 302 and again["Location"] == location
    other = claim(learner, world["module"]["es"], "Ana Núñez García")
    assert other.status_code == 302 and other["Location"] != location  # control
    assert Certificate.objects.count() == 2


def test_my_learning_offers_the_certificate_and_lists_the_claimed_one(learner, world):
    module_url = world["module"]["hu"].url
    first = world["lessons"]["en"][0]
    learner.post(first.url + "quiz/", _right(first))
    before = learner.get("/hu/my-learning/").content.decode()
    assert f'href="{module_url}#certificate"' not in before  # not every quiz passed yet
    pass_module(learner, world, "en")
    offered = learner.get("/hu/my-learning/").content.decode()
    assert f'href="{module_url}#certificate"' in offered
    assert 'id="certificates-earned"' not in offered
    certificate, location = claimed_certificate(learner, world, "hu", "Kovács Éva")
    listed = learner.get("/hu/my-learning/").content.decode()
    assert f'href="{location}"' in listed
    assert world["module"]["hu"].title in listed.split('id="certificates-earned"', 1)[1]
