from django import template

from certificates import codes, eligibility
from certificates.forms import ClaimForm
from certificates.models import NAME_MAX_LENGTH

register = template.Library()


@register.inclusion_tag("certificates/includes/offer.html", takes_context=True)
def certificate_offer(context, module, progress):
    """The claim form on a module page, for a learner who passed every quiz; the
    certificates this session claimed for the module. Nothing for anyone else (so the
    page stays the same for every visitor without a session)."""
    request = context.get("request")
    eligible = progress is not None and eligibility.module_eligible(progress)
    claimed = [
        {**entry, "grouped": codes.grouped(entry["code"])}
        for entry in (eligibility.claimed(request) if request is not None else [])
        if entry["module_key"] == str(module.translation_key)
    ]
    error = context.get("certificate_error")
    if not (eligible or claimed or error):
        return {"hidden": True}
    return {
        "eligible": eligible,
        "claimed": claimed,
        "error": error,
        "form": context.get("certificate_form") or ClaimForm(),
        "claim_url": eligibility.claim_url(module),
        "max_length": NAME_MAX_LENGTH,
        "max_length_slice": f":{NAME_MAX_LENGTH}",
    }


@register.inclusion_tag("certificates/includes/earned.html", takes_context=True)
def certificates_earned(context, entries):
    """My learning's list of the certificates this session claimed, each under its
    module's title in the visitor's language (``entries``: My learning's modules)."""
    request = context.get("request")
    titles = {str(entry.page.translation_key): entry.page.title for entry in entries}
    claimed = [
        {
            **entry,
            "grouped": codes.grouped(entry["code"]),
            "title": titles.get(entry["module_key"], ""),
        }
        for entry in (eligibility.claimed(request) if request is not None else [])
    ]
    return {"entries": claimed}


@register.inclusion_tag("certificates/includes/module_status.html", takes_context=True)
def certificate_status(context, module, progress):
    """On My learning, beside a module: a link to claim its certificate on the module
    page once every quiz is passed. (The claim form itself stays on the module page: one
    per page, with its ids.)"""
    return {
        "eligible": progress is not None and eligibility.module_eligible(progress),
        "module": module,
    }
