"""Dates and times in news text, resolved against the report's date.

``DATE_PATTERN`` is a regex fragment (named groups) the figure scanner embeds; the parsers
here turn its matches into ordinal day numbers (:meth:`datetime.date.toordinal`).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

MONTHS = {
    name.casefold(): i
    for i in range(1, 13)
    for name in (calendar.month_name[i], calendar.month_abbr[i])
}
MONTHS["sept"] = 9
_WEEKDAYS = {calendar.day_name[i].casefold(): i for i in range(7)}
#: Words that may open a date (the figure scanner's triggers).
MONTH_WORDS = (*(calendar.month_name[i] for i in range(1, 13)),
               *(calendar.month_abbr[i] for i in range(1, 13)), "Sept")
WEEKDAY_WORDS = tuple(calendar.day_name[i] for i in range(7))

_M = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_Y = r"(?:1[89]|20)\d\d"
_DIGITS_RE = re.compile(r"\d+")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"

#: The date alternatives (verbose regexes) by group name, in the order the scanner tries them.
DATE_PARTS = {
    "iso": rf"(?P<iso>\b{_Y}-[01]\d-[0-3]\d\b)",
    "md": rf"""(?P<md>\b(?P<md_month>{_M})\.?\s(?P<md_day>{_DAY})(?:st|nd|rd|th)?\b(?![,.]\d)
        (?:,?\s(?P<md_year>{_Y})\b)?)""",
    "dm": rf"""(?P<dm>\b(?P<dm_day>{_DAY})(?:st|nd|rd|th)?\s(?:of\s)?(?P<dm_month>{_M})\b\.?
        (?:,?\s(?P<dm_year>{_Y})\b)?)""",
    "my": rf"(?P<my>\b(?P<my_month>{_M})\s(?P<my_year>{_Y})\b)",
    "decade": r"(?P<decade>\b(?:1[89]|20)\d0s\b|'\d0s\b)",
    "rel": r"""(?P<rel>\b(?:(?:[Tt]he\s)?day\sbefore\syesterday|[Yy]esterday|[Tt]oday|[Tt]omorrow
        |(?:[Ll]ast\s)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b)""",
}
#: Named groups: iso, md_*, dm_*, my_*, decade, rel (see :func:`parse_date`).
DATE_PATTERN = "\n    |".join(DATE_PARTS.values())

DATE_GROUPS = ("iso", "md", "md_month", "md_day", "md_year", "dm", "dm_month", "dm_day",
               "dm_year", "my", "my_month", "my_year", "decade", "rel")
"""Every group of :data:`DATE_PATTERN`: what :func:`parse_date` reads of a match."""


@dataclass(frozen=True, slots=True)
class DateValue:
    """A resolved date expression: ``low``..``high`` ordinal days, or unresolved (``None``)."""

    low: int | None
    high: int | None
    unit: str
    """``"day"``, ``"month"``, ``"year"``, ``"decade"``, ``"weekday"`` (unresolved)."""

    @property
    def iso(self) -> str | None:
        """The ISO date for a single resolved day, else ``None``."""
        if self.low is None or self.low != self.high:
            return None
        return datetime.date.fromordinal(self.low).isoformat()


def parse_date(m: re.Match[str], ref: datetime.date | None) -> DateValue | None:
    """Resolve a date match of :data:`DATE_PATTERN`; ``None`` if it is no real date."""
    try:
        if m.group("iso") is not None:
            return _day(datetime.date.fromisoformat(m.group("iso")))
        for key in ("md", "dm"):
            if m.group(key) is not None:
                month = MONTHS[m.group(f"{key}_month").casefold()]
                return _month_day(month, int(m.group(f"{key}_day")),
                                  m.group(f"{key}_year"), ref)
    except ValueError:
        return None  # "February 30", "2020-13-01"
    if m.group("my") is not None:
        return _month(int(m.group("my_year")), MONTHS[m.group("my_month").casefold()])
    if m.group("decade") is not None:
        return _decade(m.group("decade"), ref)
    return _relative(m.group("rel"), ref)


def year_value(year: int) -> DateValue:
    """The span of days of a calendar year."""
    first = datetime.date(year, 1, 1).toordinal()
    return DateValue(first, datetime.date(year, 12, 31).toordinal(), "year")


def _day(day: datetime.date) -> DateValue:
    return DateValue(day.toordinal(), day.toordinal(), "day")


def _month(year: int, month: int) -> DateValue:
    last = calendar.monthrange(year, month)[1]
    return DateValue(datetime.date(year, month, 1).toordinal(),
                     datetime.date(year, month, last).toordinal(), "month")


def _month_day(month: int, day: int, year: str | None,
               ref: datetime.date | None) -> DateValue:
    if year is not None:
        return _day(datetime.date(int(year), month, day))
    if ref is None:
        datetime.date(2000, month, day)  # still reject "February 30"
        return DateValue(None, None, "day")
    guess = datetime.date(ref.year, month, day)
    # A report dated 3 January speaking of "December 30" means last year's.
    if (guess - ref).days > 183:
        guess = datetime.date(ref.year - 1, month, day)
    elif (ref - guess).days > 183:
        guess = datetime.date(ref.year + 1, month, day)
    return _day(guess)


def _decade(text: str, ref: datetime.date | None) -> DateValue:
    if text.startswith("'"):
        century = (ref.year // 100 * 100) if ref else 1900
        start = century + int(text[1]) * 10
        if ref and start > ref.year:
            start -= 100
    else:
        start = int(text[:4])
    return DateValue(datetime.date(start, 1, 1).toordinal(),
                     datetime.date(start + 9, 12, 31).toordinal(), "decade")


def _relative(text: str, ref: datetime.date | None) -> DateValue:
    words = text.casefold().split()
    if ref is None:
        return DateValue(None, None, "weekday" if words[-1] in _WEEKDAYS else "day")
    offsets = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if words[-1] in offsets:
        back = 1 if "before" in words else 0
        return _day(ref + datetime.timedelta(days=offsets[words[-1]] - back))
    back = (ref.weekday() - _WEEKDAYS[words[-1]]) % 7
    if back == 0 and words[0] == "last":
        back = 7  # "last Sunday" said on a Sunday is a week ago
    return _day(ref - datetime.timedelta(days=back))


def parse_time(m: re.Match[str]) -> float | None:
    """The hour of day of a ``time`` match as a decimal (``"3:30 p.m."`` → 15.5)."""
    text = m.group("time")
    digits = _DIGITS_RE.findall(text)
    hour, minute = int(digits[0]), int(digits[1]) if len(digits) > 1 else 0
    ampm = (m.group("ampm") or "").casefold().replace(".", "")
    if minute >= 60 or hour > 24 or (ampm and not 1 <= hour <= 12):
        return None
    if ampm == "pm" and hour != 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return hour + minute / 60
