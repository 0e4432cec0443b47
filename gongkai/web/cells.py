"""Spreadsheet cells that cannot run as formulas (CSV/formula injection, OWASP).

A cell whose text starts with = + - @ (or a tab or carriage return, which some programs skip
before reading the formula) is taken as a formula by Excel, WPS and LibreOffice when a CSV is
opened, and openpyxl writes such a string as a formula into an .xlsx. Applicant names, item titles
and audit notes are typed by people outside the office, so every export passes its text through
here: the text gets a leading apostrophe, which the spreadsheet shows as plain text. Numbers,
dates and None are left alone (a negative number is a number, not text).
"""

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]
