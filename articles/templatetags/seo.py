from django import template

from articles.structured_data import as_jsonld

register = template.Library()


@register.filter
def jsonld(data: dict):
    """Render a dict as JSON-LD, safe inside a script element."""
    return as_jsonld(data)
