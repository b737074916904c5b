from django import template

from articles.structured_data import as_jsonld
from articles.text import strip_control

register = template.Library()


@register.filter
def jsonld(data: dict):
    """Render a dict as JSON-LD, safe inside a script element."""
    return as_jsonld(data)


@register.filter
def xml_text(value) -> str:
    """Text without the control characters XML forbids (still escaped by the template)."""
    return strip_control(str(value))
