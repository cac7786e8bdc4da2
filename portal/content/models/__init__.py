"""Page types of a territory's portal. The generator builds one tree per language:

home → services (→ service pages), news (→ articles), webinars, reading tips, about,
contacts (→ forms), privacy, accessibility.
"""

from .forms import (
    HONEYPOT_FIELD,
    FormField,
    FormPage,
    SpamSafeForm,
    SpamSafeFormBuilder,
    autocomplete_token,
)
from .pages import (
    FEATURED_SERVICES,
    LATEST_NEWS,
    NEWS_IMAGE_CARD,
    BasePage,
    HomePage,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    NewsPageTag,
    ReadingTipIndexPage,
    ServiceIndexPage,
    ServicePage,
    ServicePageForm,
    StandardPage,
    WebinarIndexPage,
    latest_news,
    news_listing,
    news_tags,
)

__all__ = [
    "FEATURED_SERVICES",
    "LATEST_NEWS",
    "NEWS_IMAGE_CARD",
    "BasePage",
    "HomePage",
    "ServiceIndexPage",
    "ServicePageForm",
    "ServicePage",
    "NewsCategory",
    "NewsPageTag",
    "latest_news",
    "news_listing",
    "NewsIndexPage",
    "news_tags",
    "NewsPage",
    "WebinarIndexPage",
    "ReadingTipIndexPage",
    "StandardPage",
    "HONEYPOT_FIELD",
    "autocomplete_token",
    "SpamSafeForm",
    "SpamSafeFormBuilder",
    "FormField",
    "FormPage",
]
