"""How the newsroom writes dates and times: one place for every page, feed and message."""

from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format

# Named styles, so a page says what it means ("a byline's date"), not a format string.
STYLES = {
    "date": "j M Y",  # bylines and teasers: 29 Nov 2026
    "datetime": "j F Y, H:i T",  # the article's dateline: 29 November 2026, 07:09 UTC
    "when": "j F Y, H:i",  # previews and schedules: 29 November 2026, 07:09
    "desk": "Y-m-d H:i",  # the desk's messages and revision lists
}


def format_datetime(value: datetime, style: str = "datetime") -> str:
    """`value` in the newsroom's time zone, written in one of the named STYLES."""
    return date_format(timezone.localtime(value), STYLES[style])


def machine_datetime(value: datetime) -> str:
    """The instant for `<time datetime>` and feeds: ISO 8601, to the second, with its offset.

    Microseconds are not valid in HTML's datetime attribute.
    """
    return timezone.localtime(value).replace(microsecond=0).isoformat()
