"""Structured data (schema.org) and small helpers for the course templates."""

from django import template
from django.utils import translation
from django.utils.html import strip_tags

from oer import lrmi
from portal.templatetags.portal_tags import _crumbs, _site_root_url, json_ld

register = template.Library()

LEVELS = {"introductory": "Beginner", "intermediate": "Intermediate", "advanced": "Advanced"}


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def getlist(data, key):
    """The answers a learner gave to one question, to keep them when the form comes back."""
    return data.getlist(f"q-{key}") if hasattr(data, "getlist") else []


def _available(languages):
    return [language["code"] for language in languages if language["available"]]


def _level(level):
    return LEVELS.get(level, level)


@register.simple_tag(takes_context=True)
def catalogue_json_ld(context, page, modules, languages):
    """The course: the catalogue of one language, made of its modules."""
    request = context["request"]
    modules = [module for module, _progress in modules]
    language = translation.get_language()
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": page.title,
        "description": strip_tags(page.introduction or "").strip(),
        "url": page.get_full_url(request),
        "availableLanguage": _available(languages),
        "learningResourceType": "Course",
        "educationalLevel": sorted({_level(module.level) for module in modules}),
        **lrmi.common(language, languages),
        "hasPart": [
            {
                "@type": "Course",
                "name": module.title,
                "url": module.get_full_url(request),
                "educationalLevel": _level(module.level),
                "timeRequired": lrmi.duration(float(module.estimated_hours) * 60),
            }
            for module in modules
        ],
    }
    if modules:
        hours = sum(float(module.estimated_hours) for module in modules)
        data["timeRequired"] = lrmi.duration(hours * 60)
    return json_ld(data)


@register.simple_tag(takes_context=True)
def course_json_ld(context, page, lessons, languages):
    request = context["request"]
    lesson_pages = [lesson for lesson, _done, _quiz in lessons]
    concepts = lrmi.defined_terms(lesson_pages, request)
    outcomes = [outcome.value for outcome in page.learning_outcomes]
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": page.title,
        "description": page.summary,
        "url": page.get_full_url(request),
        "availableLanguage": _available(languages),
        "timeRequired": lrmi.duration(float(page.estimated_hours) * 60),
        "learningResourceType": "Module",
        "educationalLevel": _level(page.level),
        # What the module teaches: its outcomes, and the glossary concepts its lessons use;
        # the lessons' quizzes assess the outcomes.
        "teaches": outcomes + concepts,
        "assesses": outcomes,
        **lrmi.common(translation.get_language(), languages),
        "hasPart": [
            {
                "@type": "LearningResource",
                "learningResourceType": "Lesson",
                "name": lesson.title,
                "url": lesson.get_full_url(request),
            }
            for lesson in lesson_pages
        ],
    }
    # The catalogue is the last of the breadcrumb's ancestors, which the page shows anyway
    # (computed once, cached: no query of its own).
    crumbs = _crumbs(page, request)
    if crumbs:
        title, url = crumbs[-1]
        data["isPartOf"] = {
            "@type": "Course",
            "name": title,
            "url": _site_root_url(request) + url if url.startswith("/") else url,
        }
    if page.theme:
        data["about"] = page.theme.name
    return json_ld(data)


@register.simple_tag(takes_context=True)
def lesson_json_ld(context, page, module, languages):
    request = context["request"]
    concepts = lrmi.defined_terms([page], request)
    data = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "name": page.title,
        "description": page.introduction,
        "url": page.get_full_url(request),
        "availableLanguage": _available(languages),
        "timeRequired": lrmi.duration(page.estimated_minutes),
        "learningResourceType": ["Lesson", "Quiz"] if page.quiz else "Lesson",
        "position": page.lesson_number,
        "teaches": concepts,
        **lrmi.common(translation.get_language(), languages),
    }
    if page.quiz:
        # The quiz checks the concepts the lesson teaches.
        data["assesses"] = concepts
    if module is not None:
        data["isPartOf"] = {
            "@type": "Course",
            "learningResourceType": "Module",
            "name": module.title,
            "url": module.get_full_url(request),
        }
        data["educationalLevel"] = _level(module.level)
    return json_ld(data)
