"""How the newsroom writes dates and times: one place for every page, feed and message.

The English edition writes Gregorian dates; the Persian edition writes Solar Hijri
dates (jdatetime converts) with Persian digits: 2024-05-28 is "۸ خرداد ۱۴۰۳". The
instant itself, in `<time datetime>`, feeds and structured data, is always ISO 8601.
"""

from datetime import date, datetime

import jdatetime
from django.utils import timezone
from django.utils.dateformat import format as date_format

from . import editions

# Named styles, so a page says what it means ("a byline's date"), not a format string.
STYLES = {
    "date": "j M Y",  # bylines and teasers: 29 Nov 2026
    "datetime": "j F Y, H:i T",  # the article's dateline: 29 November 2026, 07:09 UTC
    "when": "j F Y, H:i",  # previews and schedules: 29 November 2026, 07:09
    "desk": "Y-m-d H:i",  # the desk's messages and revision lists
}


PERSIAN_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
# Monday first, as datetime.weekday() counts.
PERSIAN_WEEKDAYS = ("دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def persian_digits(text) -> str:
    """Latin digits written as Persian ones: "1403" → "۱۴۰۳"."""
    return str(text).translate(PERSIAN_DIGITS)


def local_digits(text) -> str:
    """Digits as the edition being served writes them."""
    return persian_digits(text) if editions.language() == "fa" else str(text)


def format_datetime(value: datetime, style: str = "datetime") -> str:
    """`value` in the newsroom's time zone, written in one of the named STYLES, in the
    calendar and digits of the language being spoken (a Persian page or desk: Solar Hijri)."""
    local = timezone.localtime(value)
    if editions.language() == "fa":
        return _persian(local, style)
    return date_format(local, STYLES[style])


def solar_hijri(value: date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=value)


def solar_hijri_day(value: date) -> str:
    """ "۸ خرداد ۱۴۰۳" for 2024-05-28."""
    day = solar_hijri(value)
    return persian_digits(f"{day.day} {PERSIAN_MONTHS[day.month - 1]} {day.year}")


def solar_hijri_month_name(year: int, month: int) -> str:
    """ "خرداد ۱۴۰۳"."""
    return persian_digits(f"{PERSIAN_MONTHS[month - 1]} {year}")


def _persian(local: datetime, style: str) -> str:
    if style == "desk":  # ۱۴۰۳/۰۳/۰۸ ۰۷:۰۹
        day = solar_hijri(local.date())
        return persian_digits(f"{day.year}/{day.month:02d}/{day.day:02d} {local:%H:%M}")
    day = solar_hijri_day(local.date())
    if style == "date":
        return day
    clock = persian_digits(local.strftime("%H:%M"))
    if style == "datetime":
        return f"{day}، ساعت {clock} {_persian_zone(local)}"
    return f"{day}، ساعت {clock}"


def _persian_zone(local: datetime) -> str:
    """ "به وقت گرینویچ" (UTC), or the offset from it: "به وقت گرینویچ +۳:۳۰"."""
    offset = local.utcoffset()
    if not offset:
        return "به وقت گرینویچ"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes > 0 else "−"
    hours, minutes = divmod(abs(minutes), 60)
    return f"به وقت گرینویچ {sign}{persian_digits(f'{hours}:{minutes:02d}')}"


def today_line(value: datetime | None = None) -> str:
    """The masthead's date: "Monday, 30 November 2026" or "دوشنبه ۹ آذر ۱۴۰۵"."""
    local = timezone.localtime(value)
    if editions.language() == "fa":
        return f"{PERSIAN_WEEKDAYS[local.weekday()]} {solar_hijri_day(local.date())}"
    return date_format(local, "l, j F Y")


def machine_datetime(value: datetime) -> str:
    """The instant for `<time datetime>` and feeds: ISO 8601, to the second, with its offset.

    Microseconds are not valid in HTML's datetime attribute.
    """
    return timezone.localtime(value).replace(microsecond=0).isoformat()
