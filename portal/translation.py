"""What wagtail-localize translates and what it keeps in step with the source."""

from wagtail_localize.fields import SynchronizedField, TranslatableField

# Every page: texts are translated; the slug stays the same in all languages so that
# URLs line up across locales (/en/modules/x/ and /fr/modules/x/).
PAGE_TRANSLATABLE_FIELDS = [
    TranslatableField("title"),
    TranslatableField("seo_title"),
    TranslatableField("search_description"),
    SynchronizedField("slug"),
]
