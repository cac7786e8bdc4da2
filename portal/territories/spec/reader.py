"""The pieces every key is checked with: a reader that collects errors by key path, formats."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from .records import SpecError

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{0,48}[a-z0-9]$")
HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_PRICE = Decimal("10000")


def vat_number_is_valid(number: str) -> bool:
    """Italian partita IVA: 11 digits, the last a Luhn check digit over the first ten."""
    if not re.fullmatch(r"\d{11}", number) or number == "0" * 11:
        return False
    total = 0
    for position, char in enumerate(number[:10]):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10 == int(number[10])


class Reader:
    """Walks one parsed spec, collecting errors with their key paths."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[SpecError] = []

    def error(self, key: str, message: str) -> None:
        self.errors.append(SpecError(self.file, key, message))

    def table(self, data: Any, key: str, allowed: dict[str, bool]) -> dict:
        """Check a table's keys: ``allowed`` maps each key to whether it is required."""
        if not isinstance(data, dict):
            self.error(key, "must be a table")
            return {}
        prefix = f"{key}." if key else ""
        for name in data:
            if name not in allowed:
                self.error(f"{prefix}{name}", f"unknown key (allowed: {', '.join(allowed)})")
        for name, required in allowed.items():
            if required and name not in data:
                self.error(f"{prefix}{name}", "is required")
        return data

    def string(self, data: dict, key: str, path: str, default: str = "", max_len: int = 200) -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            self.error(path, f"must be a string, not {type(value).__name__}")
            return default
        value = value.strip()
        if key in data and not value:
            self.error(path, "must not be empty")
        if len(value) > max_len:
            self.error(path, f"is longer than {max_len} characters")
        return value

    def string_list(self, data: dict, key: str, path: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(path, "must be a list of strings")
            return []
        return [v.strip() for v in value]


def read_price(reader: Reader, value: Any, key: str) -> Decimal:
    if isinstance(value, float):
        reader.error(key, 'write prices as strings, e.g. "25.00" (a float loses cents)')
        return Decimal(0)
    if isinstance(value, bool) or not isinstance(value, str | int):
        if value is not None:
            reader.error(key, 'must be an amount in euros, e.g. "25.00"')
        return Decimal(0)
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation:
        reader.error(key, f"'{value}' is not an amount in euros")
        return Decimal(0)
    if (
        not price.is_finite()
        or price < 0
        or price >= MAX_PRICE
        or price != price.quantize(Decimal("0.01"))
    ):
        reader.error(key, f"'{value}' must be between 0.00 and {MAX_PRICE - 1}, in cents")
        return Decimal(0)
    return price.quantize(Decimal("0.01"))


def read_date(reader: Reader, value: Any, key: str) -> date | None:
    """A TOML date (``2026-03-31``, no quotes), not in the future; None when absent."""
    if value is None:
        return None
    if not isinstance(value, date) or hasattr(value, "hour"):
        reader.error(key, "must be a date like 2026-03-31 (no quotes)")
        return None
    if value > timezone.localdate():
        reader.error(key, f"{value.isoformat()} is in the future")
        return None
    return value


def read_email(reader: Reader, data: dict, name: str, key: str, default: str) -> str:
    value = reader.string(data, name, key, default=default)
    if name in data and value:
        try:
            validate_email(value)
        except ValidationError:
            reader.error(key, f"'{value}' is not an e-mail address")
    return value
