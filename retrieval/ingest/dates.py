"""Article dates: one format (ISO ``YYYY-MM-DD``, "" when unknown) and the staleness policy.

Loaders turn what a file says into that format: front matter values (YAML may give
a ``date`` or ``datetime``, or a string), HTML metadata strings, and PDF date
strings (``D:20240105093000+01'00'``). ``is_stale`` is the one rule for "may be out
of date"; its age limit is ``Settings.stale_after_days``.
"""
from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_PDF = re.compile(r"\s*(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def iso_date(value: object) -> str:
    """``value`` (a date, a datetime or a string starting with Y-M-D) as ``YYYY-MM-DD``; "" if not a date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return ""
    m = _ISO.match(value)
    return _valid(m.group(1), m.group(2), m.group(3)) if m else ""


def pdf_date(value: object) -> str:
    """A PDF date string (``D:YYYYMMDDHHmmSS...``; month and day optional) as ``YYYY-MM-DD``; "" if not one."""
    if not isinstance(value, str):
        return ""
    m = _PDF.match(value)
    return _valid(m.group(1), m.group(2) or "1", m.group(3) or "1") if m else ""


def _valid(year: str, month: str, day: str) -> str:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""


def is_stale(date: str, today: dt.date, days: int) -> bool:
    """Whether an article dated ``date`` (ISO, "" = unknown) is more than ``days`` old on ``today``.

    An unknown or unreadable date is not stale: the mark says "may be out of date"
    only when the article's own date says so.
    """
    known = iso_date(date)
    return bool(known) and (today - dt.date.fromisoformat(known)).days > days
