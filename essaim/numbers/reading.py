"""Numbers and dates as French people write them: « 1 234,5 », « 12,3 % », « −3 », 15/03/2020 or
an Excel serial. One parser for every entry path: imports, partner forms, threads, the grid
editor. A value that reads two ways (« 1.234 ») is refused rather than guessed."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import numbers
import re

import pandas as pd

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_FIRST_YEAR, _LAST_YEAR = 1900, 2100  # dates outside are typing mistakes
_SERIAL_RANGE = ((dt.date(1950, 1, 1) - _EXCEL_EPOCH).days, (dt.date(2100, 12, 31) - _EXCEL_EPOCH).days)
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre")


_GROUP_SPACE = "[ \u00a0\u202f\u2009']"  # space, no-break space, narrow no-break space, thin space, '
_SPACE_GROUPED = re.compile(rf"[1-9]\d{{0,2}}(?:{_GROUP_SPACE}\d{{3}})+(?:[.,]\d+)?")
_DOT_GROUPED = re.compile(r"[1-9]\d{0,2}(?:(?:\.\d{3})+,\d+|(?:\.\d{3}){2,})")  # 1.234,5 / 1.234.567
_COMMA_GROUPED = re.compile(r"[1-9]\d{0,2}(?:(?:,\d{3})+\.\d+|(?:,\d{3}){2,})")  # 1,234.5 / 1,234,567
_PLAIN = re.compile(r"(?P<whole>\d*)(?:(?P<mark>[.,])(?P<decimals>\d+))?(?P<exponent>[eE][+-]?\d+)?")
_UNITS = ("%", "€")


def parse_french_number(value) -> float:
    """A number written the French (or English) way: 1234.5 as int/float, "1 234,5" (space, no-break
    or narrow no-break space), "1.234,5", "1,234.5", "1.234.567", "12,3 %", "1 234 €", "−3", "0.125".

    ValueError with a French reason otherwise; a value that reads two ways ("1.234": 1234 or
    1,234?) is refused rather than guessed."""
    if isinstance(value, bool):
        # A wrong value in a cell, not a programming error: the same ValueError as any other.
        raise ValueError(f"nombre attendu, reçu la valeur logique « {'VRAI' if value else 'FAUX'} »")  # noqa: TRY004
    if isinstance(value, numbers.Real):
        return _finite(float(value), str(value))
    text = str(value).strip()
    if not text:
        raise ValueError("nombre attendu, la cellule est vide")
    body = _without_unit(text).replace("\u2212", "-")
    sign = -1.0 if body.startswith("-") else 1.0
    body = body[1:] if body[:1] in "+-" else body
    return _finite(sign * _unsigned_number(body, text), text)


def parse_french_date(value) -> dt.date:
    """A date from a date/datetime, an ISO text (2020-03-15), a French text (15/03/2020, 15-03-2020,
    15.03.2020, with or without a time) or an Excel serial number (43905, as number or text).

    ValueError with a French reason otherwise (impossible dates such as 31/02/2020 included)."""
    if isinstance(value, dt.datetime):
        if pd.isna(value):
            raise ValueError("date attendue, la cellule est vide")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"date attendue, reçu la valeur logique « {'VRAI' if value else 'FAUX'} »")  # noqa: TRY004
    if isinstance(value, numbers.Real):
        return _date_from_serial(float(value), str(value))
    text = str(value).strip()
    if not text:
        raise ValueError("date attendue, la cellule est vide")
    return _date_from_text(text)



def _finite(number: float, shown: str) -> float:
    if not math.isfinite(number):
        raise ValueError(f"nombre non reconnu « {shown} »")
    return number


def _without_unit(text: str) -> str:
    """"12,3 %" → "12,3", "1 234 €" → "1 234", "€ 12" → "12"."""
    for unit in _UNITS:
        if text.endswith(unit):
            return text[:-len(unit)].strip()
        if text.startswith(unit):
            return text[len(unit):].strip()
    return text


def _unsigned_number(body: str, shown: str) -> float:
    if _SPACE_GROUPED.fullmatch(body):
        return float(re.sub(_GROUP_SPACE, "", body).replace(",", "."))
    if _DOT_GROUPED.fullmatch(body):
        return float(body.replace(".", "").replace(",", "."))
    if _COMMA_GROUPED.fullmatch(body):
        return float(body.replace(",", ""))
    plain = _PLAIN.fullmatch(body)
    if not plain or not (plain["whole"] or plain["decimals"]):
        raise ValueError(f"nombre non reconnu « {shown} »")
    whole, decimals = plain["whole"], plain["decimals"] or ""
    thousands_like = re.fullmatch(r"[1-9]\d{0,2}", whole) and len(decimals) == 3
    if plain["mark"] and thousands_like and not plain["exponent"]:
        raise ValueError(_ambiguous(shown, whole, decimals))
    return float(f"{whole or '0'}.{decimals or '0'}{plain['exponent'] or ''}")


def _ambiguous(shown: str, whole: str, decimals: str) -> str:
    """« nombre ambigu « 1.234 » : écrivez 1234 (mille…) ou 1,2340 (décimal) »."""
    sign = "-" if shown.lstrip().startswith(("-", "\u2212")) else ""
    short = decimals.rstrip("0")
    decimal = f"{whole},{short}" if short else whole
    if len(short) == 3:
        decimal += "0"  # 1,234 would still be ambiguous
    return (f"nombre ambigu « {shown} » : écrivez {sign}{whole}{decimals} (sans séparateur de "
            f"milliers) ou {sign}{decimal} (nombre décimal)")


_ISO_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_FRENCH_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:\s+\d{1,2}[:h]\d{2}(?::\d{2})?)?")
_SHORT_YEAR_DATE = re.compile(r"\d{1,2}([/.-])\d{1,2}\1\d{2}")
_SERIAL_TEXT = re.compile(r"\d{5}(?:[.,]\d+)?")


def _date_from_text(text: str) -> dt.date:
    iso = _ISO_DATE.fullmatch(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        return _checked_date(year, month, day, text)
    french = _FRENCH_DATE.fullmatch(text)
    if french:
        day, _, month, year = french.groups()
        return _checked_date(int(year), int(month), int(day), text)
    if _SHORT_YEAR_DATE.fullmatch(text):
        raise ValueError(f"année sur deux chiffres dans « {text} » : écrivez-la sur quatre "
                         "(jj/mm/aaaa)")
    if _SERIAL_TEXT.fullmatch(text):
        return _date_from_serial(float(text.replace(",", ".")), text)
    raise ValueError(f"date non reconnue « {text} » : jj/mm/aaaa ou aaaa-mm-jj attendu")


def _checked_date(year: int, month: int, day: int, shown: str) -> dt.date:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise ValueError(f"année {year} invraisemblable dans « {shown} »")
    if not 1 <= month <= 12:
        raise ValueError(f"date impossible « {shown} » : il n'y a pas de mois {month} (jj/mm/aaaa "
                         "attendu)")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(f"date impossible « {shown} » : {_MONTHS[month - 1]} {year} n'a que "
                         f"{days} jours")
    return dt.date(year, month, day)


def _date_from_serial(serial: float, shown: str) -> dt.date:
    """An Excel serial number (days since 30/12/1899) between 1950 and 2100."""
    low, high = _SERIAL_RANGE
    if not math.isfinite(serial) or not low <= serial <= high:
        raise ValueError(f"date attendue, reçu le nombre « {shown} » (une date Excel entre 1950 et "
                         "2100 est un nombre entre 18264 et 73415)")
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))
