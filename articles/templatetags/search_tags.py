from django import template
from django.utils.safestring import SafeString

from articles import search

register = template.Library()


@register.simple_tag
def highlight(text: str, query: str, width: int = 220) -> SafeString:
    """The text around the first match, matches marked; the text is escaped."""
    return search.highlight(text or "", query, width=width)
