"""Claiming, verifying, downloading and revoking certificates.

Everything about one certificate is marked ``Cache-Control: no-store, private``: it
carries a name, and a revocation must show at once. The claim and revoke forms are
learner forms (modules/csrf.py: an origin check instead of a token). Bad input (a module
not finished, a name too long or with markup, a code that is no code or is unknown, a
wrong revocation code) gets the form or page again with a clear message, and nothing is
stored.
"""

import json

from django.db import IntegrityError, transaction
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Site

from certificates import codes, credential, eligibility, signing
from certificates.forms import ClaimForm
from certificates.models import Certificate
from modules.progress import visitor_session
from portal.pdf import render_pdf


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def root_url(request):
    site = Site.find_for_request(request)
    return site.root_url if site else request.build_absolute_uri("/").rstrip("/")


# Claiming ------------------------------------------------------------------------------


def _module_page_again(request, module, status, **extra):
    context = module.get_context(request)
    context.update(extra)
    return _private(TemplateResponse(request, module.get_template(request), context, status=status))


def claim(request, module):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    session = visitor_session(request)
    if not eligibility.module_eligible(eligibility.progress_of(module, session)):
        return _module_page_again(
            request,
            module,
            403,
            certificate_error=_(
                "The certificate can be claimed once every quiz of this module is passed."
            ),
        )
    form = ClaimForm(request.POST)
    if not form.is_valid():
        return _module_page_again(request, module, 400, certificate_form=form)

    # A second click, or the form sent again: the certificate already made for this name.
    mine = [
        entry["code"]
        for entry in eligibility.claimed(request)
        if entry["module_key"] == str(module.translation_key)
    ]
    existing = (
        Certificate.objects.filter(
            code__in=mine, name=form.cleaned_data["name"], revoked_at__isnull=True
        ).first()
        if mine
        else None
    )
    if existing is not None:
        return redirect(existing.url())

    revocation_code = codes.new_code()
    fields = {
        "name": form.cleaned_data["name"],
        "module_key": module.translation_key,
        "module_title": module.title[:255],
        "learning_outcomes": [block.value for block in module.learning_outcomes],
        "hours": module.estimated_hours,
        "language": module.locale.language_code,
        "issued_at": timezone.now(),
        "revocation_digest": codes.digest(revocation_code),
    }
    for _attempt in range(3):  # 80 random bits: a clash is all but impossible
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(code=codes.new_code(), **fields)
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("Could not draw an unused certificate code.")
    eligibility.remember(request.session, certificate, revocation_code)
    return redirect(certificate.url() + "?claimed=1")


# One certificate -----------------------------------------------------------------------


def _certificate_or_404(request, code):
    """The certificate of ``code``; a forged or unknown code never reaches a query twice."""
    canonical = codes.normalise(code)
    certificate = (
        Certificate.objects.filter(code=canonical).first() if canonical is not None else None
    )
    if certificate is None:
        raise UnknownCode(code)
    return certificate


class UnknownCode(Http404):
    def __init__(self, typed):
        super().__init__("unknown certificate code")
        self.typed = typed


def _unknown(request, typed, status=404):
    response = TemplateResponse(
        request,
        "certificates/unknown.html",
        {"typed": typed[: codes.MAX_TYPED] if isinstance(typed, str) else ""},
        status=status,
    )
    return _private(response)


def _module_in_language(certificate):
    """Title and address of the module in the visitor's language, else the certificate's
    own title (and no address when the module is no longer public)."""
    from modules.models import ModulePage
    from portal.visibility import public

    language = translation.get_language()
    pages = {
        page.locale.language_code: page
        for page in public(ModulePage.objects.filter(translation_key=certificate.module_key))
        .select_related("locale")
        .only("title", "url_path", "path", "depth", "locale__language_code")
    }
    page = pages.get(language) or pages.get(certificate.language)
    if page is not None and page.locale.language_code == language:
        return page.title, page.url
    return certificate.module_title, page.url if page is not None else None


def _grouped_or_none(code):
    return codes.grouped(code) if isinstance(code, str) and codes.normalise(code) else None


def _verify_page(request, certificate, status=200, **extra):
    session = visitor_session(request)
    title, module_url = _module_in_language(certificate)
    context = {
        "certificate": certificate,
        "module_title": title,
        "module_url": module_url,
        "full_url": root_url(request) + certificate.url(language=translation.get_language()),
        "revocation_code": _grouped_or_none(
            eligibility.revocation_code_in(session, certificate.code)
        ),
        "just_claimed": bool(request.GET.get("claimed")) and session is not None,
        **extra,
    }
    if certificate.revoked and status == 200:
        status = 410
    return _private(TemplateResponse(request, "certificates/verify.html", context, status=status))


def verify(request, code):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    try:
        certificate = _certificate_or_404(request, code)
    except UnknownCode as unknown:
        return _unknown(request, unknown.typed)
    return _verify_page(request, certificate)


def _active_or_response(request, code):
    try:
        certificate = _certificate_or_404(request, code)
    except UnknownCode as unknown:
        return None, _unknown(request, unknown.typed)
    if certificate.revoked:
        return None, _verify_page(request, certificate)
    return certificate, None


@require_GET
def pdf(request, code):
    certificate, refusal = _active_or_response(request, code)
    if refusal is not None:
        return refusal
    base = root_url(request)
    with translation.override(certificate.language):
        document = render_pdf(
            "certificates/pdf/certificate.html",
            {
                "pdf_language": certificate.language,
                "pdf_title": _("Certificate of completion: %(module)s")
                % {"module": certificate.module_title},
                "certificate": certificate,
                "full_url": base + certificate.url(),
            },
            base_url=base,
        )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="certificate-{certificate.grouped_code}.pdf"'
    )
    return _private(response)


@require_GET
def credential_jwt(request, code):
    certificate, refusal = _active_or_response(request, code)
    if refusal is not None:
        return refusal
    token = credential.as_jwt(certificate, root_url(request))
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Content-Disposition"] = (
        f'attachment; filename="open-badge-{certificate.grouped_code}.jwt"'
    )
    return _private(response)


@require_GET
def credential_json(request, code):
    certificate, refusal = _active_or_response(request, code)
    if refusal is not None:
        return refusal
    data = credential.build(certificate, root_url(request))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/ld+json"
    )
    return _private(response)


def revoke(request, code):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    certificate, refusal = _active_or_response(request, code)
    if refusal is not None:
        return refusal
    if not codes.matches(request.POST.get("revocation_code", ""), certificate.revocation_digest):
        return _verify_page(
            request,
            certificate,
            status=400,
            revoke_error=_("This is not the revocation code of this certificate."),
        )
    Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
        name="", learning_outcomes=[], revoked_at=timezone.now()
    )
    eligibility.forget(visitor_session(request), certificate.code)
    return HttpResponseRedirect(certificate.url(language=translation.get_language()))


# Finding a certificate and the issuer's keys -------------------------------------------


@require_GET
def lookup(request):
    """A form to type a code; the same page for everyone (cached like public pages)."""
    typed = request.GET.get("code")
    if typed is None:
        return TemplateResponse(request, "certificates/lookup.html", {})
    canonical = codes.normalise(typed)
    if canonical is None:
        return _unknown(request, typed)
    return redirect("certificates:verify", code=codes.grouped(canonical))


@require_GET
def jwks(request):
    response = JsonResponse(signing.jwks())
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def issuer(request):
    profile = {"@context": [credential.VC_CONTEXT, credential.OB_CONTEXT]}
    profile.update(credential.issuer_profile(root_url(request)))
    response = JsonResponse(profile)
    response["Content-Type"] = "application/ld+json"
    patch_cache_control(response, public=True, max_age=3600)
    return response
