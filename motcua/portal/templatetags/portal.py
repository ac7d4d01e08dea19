"""Template filters for the guidance pages; the logic lives in motcua.portal.formatting."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info
from markdown_it import MarkdownIt

from motcua.catalogue.models import Fee
from motcua.core.text import nfc
from motcua.portal import formatting

register = template.Library()
# "js-default" escapes raw HTML, so guidance typed by an administrator cannot inject markup.
_markdown = MarkdownIt("js-default")


@register.filter
def fee_amount(fee: Fee) -> str:
    return formatting.format_vnd(fee.amount_vnd, fee.basis)


@register.simple_tag
def vnd(amount: int | None) -> str:
    """A fee copied onto a dossier: its amount, or who sets it when it has none."""
    return formatting.format_vnd(amount)


@register.filter
def parenthetical(text: str) -> str:
    return formatting.note_in_parentheses(text)


@register.simple_tag
def copy_kind(kind: str, kind_text: str) -> str:
    return formatting.copy_kind_label(kind, kind_text)


@register.simple_tag
def duration(value: Decimal | None, unit: str) -> str:
    return formatting.format_duration(value, unit)


@register.simple_tag
def language_name_local(code: str) -> str:
    """A language named in itself ("Tiếng Việt", "English") for the switch; NFC like all our text."""
    return nfc(get_language_info(code)["name_local"])


@register.filter
def markdown(text: str) -> SafeString:
    """The canonical guidance text (Markdown written by the catalogue) as HTML."""
    return mark_safe(_markdown.render(text))  # noqa: S308  (raw HTML is disabled above)
