from django import template

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
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": page.title,
        "description": page.summary,
        "url": page.get_full_url(request),
        "inLanguage": context.get("LANGUAGE_CODE") or "en",
        "availableLanguage": [language["code"] for language in languages if language["available"]],
        "about": [{"@type": "Thing", "name": name} for _slug, name in theme_names],
        "spatialCoverage": place,
        "dateCreated": str(page.year),
        "datePublished": page.first_published_at.isoformat() if page.first_published_at else None,
        "dateModified": page.last_published_at.isoformat() if page.last_published_at else None,
        "keywords": [name for _slug, name in tag_names],
        "publisher": {"@type": "Organization", "name": "Cluster4Smart"},
        "license": "https://creativecommons.org/licenses/by/4.0/",
    }
    return json_ld(data)
