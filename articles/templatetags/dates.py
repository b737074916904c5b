"""`{% timestamp value "date" %}`: a <time> element in one of the newsroom's date styles, in
the calendar and digits of the edition being served; `{% today %}` for the masthead;
`{{ n|digits }}` writes a number with the edition's digits."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from articles.dates import format_datetime, local_digits, machine_datetime, today_line

register = template.Library()


@register.simple_tag
def timestamp(value: datetime | None, style: str = "datetime", direction: str = "") -> str:
    """`<time datetime="…">…</time>`, or nothing when there is no time."""
    if value is None:
        return ""
    if direction:
        return format_html(
            '<time datetime="{}" dir="{}">{}</time>',
            machine_datetime(value),
            direction,
            format_datetime(value, style),
        )
    return format_html(
        '<time datetime="{}">{}</time>', machine_datetime(value), format_datetime(value, style)
    )


@register.filter(name="machine_datetime")
def machine_datetime_filter(value: datetime | None) -> str:
    """The instant as ISO 8601 to the second, for meta tags and attributes."""
    return machine_datetime(value) if value else ""


@register.simple_tag
def today() -> str:
    """`<time>` of today, as the masthead writes it."""
    now = timezone.localtime()
    return format_html('<time datetime="{}">{}</time>', now.date().isoformat(), today_line(now))


@register.filter
def digits(value) -> str:
    """A number (a count, a page, a year) in the digits of the edition being served."""
    return local_digits(value)
