from django import template
from django.utils.safestring import SafeString

from articles import search

register = template.Library()


@register.simple_tag
def highlight(text: str, query: str, width: int = 220, is_html: bool = True) -> SafeString:
    """The text around the first match, matches marked; the text is escaped."""
    return search.highlight(text or "", query, width=width, is_html=is_html)
