"""Structured data (schema.org) and small helpers for the course templates."""

from django import template
from django.utils import translation

from portal.templatetags.portal_tags import json_ld

register = template.Library()

LEVELS = {"introductory": "Beginner", "intermediate": "Intermediate", "advanced": "Advanced"}
PROVIDER = {"@type": "Organization", "name": "Cluster4Smart"}


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def getlist(data, key):
    """The answers a learner gave to one question, to keep them when the form comes back."""
    return data.getlist(f"q-{key}") if hasattr(data, "getlist") else []


def _available(languages):
    return [language["code"] for language in languages if language["available"]]


@register.simple_tag(takes_context=True)
def course_json_ld(context, page, lessons, languages):
    request = context["request"]
    hours = page.hours
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": page.title,
        "description": page.summary,
        "url": page.get_full_url(request),
        "inLanguage": translation.get_language(),
        "availableLanguage": _available(languages),
        "timeRequired": f"PT{hours}H" if isinstance(hours, int) else f"PT{round(hours * 60)}M",
        "educationalLevel": LEVELS.get(page.level, page.level),
        "teaches": [outcome.value for outcome in page.learning_outcomes],
        "provider": PROVIDER,
        "isAccessibleForFree": True,
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "hasPart": [
            {"@type": "LearningResource", "name": lesson.title, "url": lesson.get_full_url(request)}
            for lesson, _done, _quiz in lessons
        ],
    }
    if page.theme:
        data["about"] = page.theme.name
    return json_ld(data)


@register.simple_tag(takes_context=True)
def lesson_json_ld(context, page, module, languages):
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "name": page.title,
        "description": page.introduction,
        "url": page.get_full_url(request),
        "inLanguage": translation.get_language(),
        "availableLanguage": _available(languages),
        "timeRequired": f"PT{page.estimated_minutes}M",
        "learningResourceType": "Lesson",
        "position": page.lesson_number,
        "provider": PROVIDER,
        "isAccessibleForFree": True,
        "license": "https://creativecommons.org/licenses/by/4.0/",
    }
    if module is not None:
        data["isPartOf"] = {
            "@type": "Course",
            "name": module.title,
            "url": module.get_full_url(request),
        }
        data["educationalLevel"] = LEVELS.get(module.level, module.level)
    return json_ld(data)
