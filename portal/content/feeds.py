"""RSS and Atom feeds of a portal's news, served by its news index (one per language).

Built on Django's syndication framework; the feed object is the news index page, so a
feed lists only the articles below it: that portal's, in that language.
"""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from portal.defaults import setting


class NewsRssFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, index):
        super().__init__()
        self.index = index

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index

    def title(self, index) -> str:
        territory = getattr(self.request, "territory", None)
        return f"{index.title} | {territory.name}" if territory else index.title

    def link(self, index) -> str:
        return self.request.build_absolute_uri(index.get_url(self.request))

    def description(self, index) -> str:
        territory = getattr(self.request, "territory", None)
        name = territory.name if territory else index.title
        return _("The latest news of %(portal)s.") % {"portal": name}

    def feed_url(self, index) -> str:
        return self.request.build_absolute_uri()

    def items(self, index):
        from .models import news_listing

        articles = news_listing(index.articles()).prefetch_related("tags")
        return articles[: setting("PORTAL_FEED_ITEMS")]

    def item_title(self, article) -> str:
        return article.title

    def item_description(self, article) -> str:
        return article.lead

    def item_link(self, article) -> str:
        # absolute from the request's host: the syndication framework would drop the port
        return self.request.build_absolute_uri(article.get_url(self.request))

    def item_pubdate(self, article) -> datetime:
        return timezone.make_aware(datetime.combine(article.date, time(8)))

    def item_updateddate(self, article) -> datetime | None:
        return article.last_published_at

    def item_author_name(self, article) -> str | None:
        return article.author or None

    def item_categories(self, article) -> list[str]:
        names = [tag.name for tag in article.tags.all()]
        return [article.category.name, *names] if article.category else names


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, index) -> str:
        return self.description(index)
