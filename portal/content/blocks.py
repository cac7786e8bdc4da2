"""StreamField blocks shared by every page type (defined once, reused everywhere)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"))
    level = blocks.ChoiceBlock(
        choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], default="h2", label=_("Level")
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "content/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"), help_text=_("Describe the image for people who cannot see it.")
    )
    caption = blocks.CharBlock(required=False, label=_("Caption"))

    class Meta:
        icon = "image"
        label = _("Image")
        template = "content/blocks/image.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    text = blocks.TextBlock(required=False, label=_("Text"))
    link_label = blocks.CharBlock(label=_("Link label"))
    link_page = blocks.PageChooserBlock(required=False, label=_("Page"))
    link_url = blocks.URLBlock(required=False, label=_("or address"))

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "content/blocks/call_to_action.html"


class NewsletterSignupBlock(blocks.StructBlock):
    """The portal's newsletter subscription form, anywhere in a page (portal/newsletters)."""

    cacheable = False  # a form with the visitor's CSRF token: never inside a kept fragment

    title = blocks.CharBlock(label=_("Title"), required=False)
    text = blocks.TextBlock(required=False, label=_("Text"))

    class Meta:
        icon = "mail"
        label = _("Newsletter subscription")
        template = "content/blocks/newsletter_signup.html"

    def get_context(self, value, parent_context=None):
        from portal.newsletters.forms import SubscribeForm

        context = super().get_context(value, parent_context)
        request = (parent_context or {}).get("request")
        territory = getattr(request, "territory", None)
        if territory is not None:
            context["form"] = SubscribeForm(
                territory=territory,
                initial={"language": (territory.languages or ["it"])[0]},
                auto_id="newsletter-%s",
            )
        return context


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "document-link"], label=_("Paragraph")
    )
    image = ImageBlock()
    call_to_action = CallToActionBlock()
    newsletter = NewsletterSignupBlock()


class CampaignBlock(blocks.StructBlock):
    """A campaign the home page announces between two dates, then hides by itself.

    Editors plan it ahead: outside its dates the block stays in the page but is not shown.
    """

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(required=False, label=_("Text"))
    link_label = blocks.CharBlock(required=False, label=_("Link label"))
    link_page = blocks.PageChooserBlock(required=False, label=_("Page"))
    link_url = blocks.URLBlock(required=False, label=_("or address"))
    starts_at = blocks.DateTimeBlock(label=_("Shown from"))
    ends_at = blocks.DateTimeBlock(label=_("Shown until"))

    class Meta:
        icon = "pick"
        label = _("Campaign")
        template = "content/blocks/campaign.html"

    def clean(self, value):
        value = super().clean(value)
        if value["ends_at"] <= value["starts_at"]:
            raise blocks.StructBlockValidationError(
                block_errors={"ends_at": ValidationError(_("The end must come after the start."))}
            )
        if value["link_label"] and not (value["link_page"] or value["link_url"]):
            raise blocks.StructBlockValidationError(
                block_errors={"link_page": ValidationError(_("Choose a page or write an address."))}
            )
        return value


def running_campaign(stream, now: datetime):
    """The first campaign block of ``stream`` whose dates include ``now``, or None."""
    for block in stream:
        if block.block_type == "campaign":
            value = block.value
            if value["starts_at"] <= now < value["ends_at"]:
                return value
    return None
