from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        # Deleted pages lose their row with them (on_delete=CASCADE).
        from wagtail.signals import page_published, page_unpublished

        from search.vocabulary import page_changed

        page_published.connect(page_changed, dispatch_uid="search-vocabulary-published")
        page_unpublished.connect(page_changed, dispatch_uid="search-vocabulary-unpublished")
