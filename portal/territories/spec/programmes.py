"""The spec's ``[[programmes]]`` table (portal/programmes): each programme's dates, budget,
amounts by household size, eligible cooperatives and categories, and its questions."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from shop.catalogue.fixture import load_catalogue

from .reader import SLUG_RE, Reader, read_price
from .records import PROGRAMME_KINDS, QUESTION_TYPES, CooperativeSpec, ProgrammeSpec, QuestionSpec

MAX_BUDGET = Decimal("100000000")


def _read_day(reader: Reader, value: Any, key: str, required: bool = True) -> date | None:
    """A TOML date, past or future (a programme's dates); None when absent or wrong."""
    if value is None:
        if required:
            reader.error(key, "is required")
        return None
    if not isinstance(value, date) or hasattr(value, "hour"):
        reader.error(key, "must be a date like 2026-03-31 (no quotes)")
        return None
    return value


def _read_budget(reader: Reader, value: Any, key: str) -> Decimal:
    """A programme's budget: euros as a string (``"50000.00"``), more than zero, in cents."""
    if value is None:
        return Decimal(0)  # "is required" was said by the table check
    if not isinstance(value, str):
        reader.error(key, 'must be an amount in euros as a string, e.g. "50000.00"')
        return Decimal(0)
    try:
        budget = Decimal(value.strip())
    except InvalidOperation:
        reader.error(key, f"'{value}' is not an amount in euros")
        return Decimal(0)
    if (
        not budget.is_finite()
        or budget <= 0
        or budget >= MAX_BUDGET
        or budget != budget.quantize(Decimal("0.01"))
    ):
        reader.error(key, f"'{value}' must be more than 0.00 and below {MAX_BUDGET}, in cents")
        return Decimal(0)
    return budget.quantize(Decimal("0.01"))


def _read_amounts(reader: Reader, value: Any, key: str) -> dict[int, Decimal]:
    """``amounts = { 1 = "150.00", 4 = "400.00" }``: euros by household size."""
    if not isinstance(value, dict) or not value:
        reader.error(key, 'must be a table of euros by household size, e.g. { 1 = "150.00" }')
        return {}
    result = {}
    for size, amount in value.items():
        if not str(size).isdigit() or not 1 <= int(size) <= 20:
            reader.error(f"{key}.{size}", "a household size is a whole number from 1 to 20")
            continue
        price = read_price(reader, amount, f"{key}.{size}")
        if price <= 0 and not any(e.key == f"{key}.{size}" for e in reader.errors):
            reader.error(f"{key}.{size}", "must be more than 0.00")
        result[int(size)] = price
    return dict(sorted(result.items()))


def _read_questions(reader: Reader, items: Any, key: str) -> list[QuestionSpec]:
    if not isinstance(items, list):
        reader.error(key, f"must be a list of tables ([[{key.split('[')[0]}.questions]])")
        return []
    result: list[QuestionSpec] = []
    for i, item in enumerate(items):
        qkey = f"{key}[{i}]"
        item = reader.table(
            item,
            qkey,
            {"key": True, "label": True, "type": False, "choices": False, "required": False},
        )
        name = reader.string(item, "key", f"{qkey}.key", max_len=40)
        if name and not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            reader.error(f"{qkey}.key", "use lower-case letters, digits and underscores")
        if name in {q.key for q in result}:
            reader.error(f"{qkey}.key", f"duplicate question '{name}'")
        kind = reader.string(item, "type", f"{qkey}.type", default="text")
        if kind not in QUESTION_TYPES:
            reader.error(
                f"{qkey}.type", f"'{kind}' is not a type (types: {', '.join(QUESTION_TYPES)})"
            )
        choices = reader.string_list(item, "choices", f"{qkey}.choices")
        if kind == "choice" and len(choices) < 2:
            reader.error(f"{qkey}.choices", "a 'choice' question lists at least two choices")
        elif kind != "choice" and choices:
            reader.error(f"{qkey}.choices", "only a 'choice' question has choices")
        required = item.get("required", True)
        if not isinstance(required, bool):
            reader.error(f"{qkey}.required", "must be true or false (no quotes)")
            required = True
        result.append(
            QuestionSpec(
                key=name,
                label=reader.string(item, "label", f"{qkey}.label"),
                type=kind,
                choices=tuple(choices),
                required=required,
            )
        )
    return result


def read_programmes(
    reader: Reader, items: Any, cooperatives: list[CooperativeSpec], municipalities: list[str]
) -> list[ProgrammeSpec]:
    """``[[programmes]]``: the welfare programmes the portal opens (optional)."""
    if not isinstance(items, list):
        reader.error("programmes", "must be a list of tables ([[programmes]])")
        return []
    cooperative_slugs = {c.slug for c in cooperatives}
    categories = set(load_catalogue().categories)
    result: list[ProgrammeSpec] = []
    for i, item in enumerate(items):
        key = f"programmes[{i}]"
        item = reader.table(
            item,
            key,
            {
                "slug": True,
                "title": True,
                "summary": False,
                "kind": True,
                "budget": True,
                "opens_on": True,
                "closes_on": True,
                "amounts": True,
                "cooperatives": False,
                "categories": False,
                "credit_expires_on": False,
                "municipalities": False,
                "questions": False,
            },
        )
        slug = reader.string(item, "slug", f"{key}.slug")
        if slug and not SLUG_RE.match(slug):
            reader.error(f"{key}.slug", "use lower-case letters, digits and hyphens")
        if slug in {p.slug for p in result}:
            reader.error(f"{key}.slug", f"duplicate programme '{slug}'")
        kind = reader.string(item, "kind", f"{key}.kind")
        if kind and kind not in PROGRAMME_KINDS:
            reader.error(
                f"{key}.kind", f"'{kind}' is not a kind (kinds: {', '.join(PROGRAMME_KINDS)})"
            )
        budget = _read_budget(reader, item.get("budget"), f"{key}.budget")
        opens_on = _read_day(reader, item.get("opens_on"), f"{key}.opens_on", required=False)
        closes_on = _read_day(reader, item.get("closes_on"), f"{key}.closes_on", required=False)
        if opens_on and closes_on and closes_on < opens_on:
            reader.error(f"{key}.closes_on", "must not come before 'opens_on'")
        expires = _read_day(
            reader, item.get("credit_expires_on"), f"{key}.credit_expires_on", required=False
        )
        if expires and closes_on and expires < closes_on:
            reader.error(f"{key}.credit_expires_on", "must not come before 'closes_on'")
        amounts = (
            _read_amounts(reader, item.get("amounts"), f"{key}.amounts")
            if "amounts" in item
            else {}
        )
        chosen = reader.string_list(item, "cooperatives", f"{key}.cooperatives")
        for j, slug_ in enumerate(chosen):
            if slug_ not in cooperative_slugs:
                reader.error(
                    f"{key}.cooperatives[{j}]", f"unknown cooperative '{slug_}' (not in this file)"
                )
        wanted = reader.string_list(item, "categories", f"{key}.categories")
        for j, category in enumerate(wanted):
            if category not in categories:
                reader.error(
                    f"{key}.categories[{j}]",
                    f"unknown category '{category}' (categories: {', '.join(sorted(categories))})",
                )
        covered = reader.string_list(item, "municipalities", f"{key}.municipalities")
        for j, town in enumerate(covered):
            if town not in municipalities:
                reader.error(
                    f"{key}.municipalities[{j}]",
                    f"'{town}' is not one of the portal's municipalities "
                    f"({', '.join(municipalities)})",
                )
        if "municipalities" not in item and not municipalities:
            reader.error(
                f"{key}.municipalities", "is required when the portal lists no municipalities"
            )
        questions = _read_questions(reader, item.get("questions", []), f"{key}.questions")
        result.append(
            ProgrammeSpec(
                slug=slug,
                title=reader.string(item, "title", f"{key}.title"),
                summary=reader.string(item, "summary", f"{key}.summary", max_len=2000),
                kind=kind,
                budget=budget,
                opens_on=opens_on or date.min,
                closes_on=closes_on or date.min,
                amounts=amounts,
                cooperatives=chosen,
                categories=wanted,
                credit_expires_on=expires,
                municipalities=covered or list(municipalities),
                questions=questions,
            )
        )
    return result
