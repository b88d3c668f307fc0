from django import template

from search.related import related_pages

register = template.Library()


@register.inclusion_tag("search/includes/related.html", takes_context=True)
def related_content(context, page):
    return {"related": related_pages(page, context["request"])}
