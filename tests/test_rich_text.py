"""Wagtail's rich text editor stores inert HTML whatever is typed or pasted into it.

Draftail posts content state (JSON), not HTML; Wagtail turns it into HTML with its own
whitelist of blocks, styles and entities, so markup typed as text is stored escaped. (The
shop's descriptions, edited as HTML, are sanitised by nh3: tests/test_shared_catalogue.py.)
"""

import json

from wagtail.admin.rich_text import DraftailRichTextArea


def contentstate(text: str, entity: dict | None = None) -> str:
    block = {
        "key": "a",
        "type": "unstyled",
        "text": text,
        "depth": 0,
        "inlineStyleRanges": [],
        "entityRanges": [{"offset": 0, "length": len(text), "key": 0}] if entity else [],
    }
    return json.dumps({"blocks": [block], "entityMap": {"0": entity} if entity else {}})


def test_markup_typed_in_the_editor_is_stored_as_text():
    stored = DraftailRichTextArea().value_from_datadict(
        {"body": contentstate("<img src=x onerror=alert(1)>")}, {}, "body"
    )
    assert "<img" not in stored and "&lt;img src=x onerror=alert(1)&gt;" in stored


def test_a_javascript_link_is_not_stored():
    link = {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}
    stored = DraftailRichTextArea().value_from_datadict(
        {"body": contentstate("clic", link)}, {}, "body"
    )
    assert "javascript:" not in stored, stored
