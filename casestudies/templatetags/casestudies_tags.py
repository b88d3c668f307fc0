from django import template

from oer import lrmi
from portal.templatetags.portal_tags import json_ld

register = template.Library()


@register.filter
def page_url(listing, number):
    return listing.page_url(number)


@register.filter
def get_label(names, slug):
    return names.get(slug, slug)


@register.simple_tag(takes_context=True)
def case_study_json_ld(context, page, theme_names, languages, tag_names=()):
    request = context["request"]
    place = {
        "@type": "Place",
        "name": page.region,
        "address": {
            "@type": "PostalAddress",
            "addressCountry": page.country.code,
            "addressRegion": page.region,
        },
    }
    language = context.get("LANGUAGE_CODE") or "en"
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": page.title,
        "name": page.title,
        "description": page.summary,
        "url": page.get_full_url(request),
        "availableLanguage": [language["code"] for language in languages if language["available"]],
        "about": [{"@type": "Thing", "name": name} for _slug, name in theme_names],
        "spatialCoverage": place,
        "dateCreated": str(page.year),
        "datePublished": page.first_published_at.isoformat() if page.first_published_at else None,
        "dateModified": page.last_published_at.isoformat() if page.last_published_at else None,
        "keywords": [name for _slug, name in tag_names],
        "publisher": {"@type": "Organization", "name": "Cluster4Smart"},
        "learningResourceType": "Case study",
        "timeRequired": lrmi.duration(
            lrmi.reading_minutes(
                page.summary,
                page.challenge,
                page.approach,
                page.results,
                page.lessons_learned,
                page.transferability,
                page.resources_needed,
            )
        ),
        "teaches": lrmi.defined_terms([page], request),
        **lrmi.common(language, languages),
    }
    return json_ld(data)
