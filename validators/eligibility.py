"""Eligibility of a placement at its start date (VALUATION.md section 2), as Dutch reasons.

The rule and the block are named in every reason, so a coordinator can point at the line of
the ruleset table that was applied. A failing line is rejected, never re-labelled.
"""

from __future__ import annotations

from datetime import date

from domain.periods import add_months
from rulesets.model import Bounds, Eligibility


def benefit_duration_holds(bounds: Bounds, since: date, start: date) -> bool:
    """'> 6 maanden' means the start lies after since + 6 months, to the day."""
    checks = (
        (bounds.lt, lambda limit: start < add_months(since, limit)),
        (bounds.lte, lambda limit: start <= add_months(since, limit)),
        (bounds.gt, lambda limit: start > add_months(since, limit)),
        (bounds.gte, lambda limit: start >= add_months(since, limit)),
    )
    return all(check(limit) for limit, check in checks if limit is not None)


def eligibility_reasons(
    rules: Eligibility,
    block_name: str,
    *,
    age_at_start: int | None,
    benefit_since: date | None,
    start: date,
    evidence_given: bool,
) -> list[str]:
    reasons: list[str] = []
    if rules.age is not None and age_at_start is not None and not rules.age.holds(age_at_start):
        reasons.append(
            f"leeftijd bij start ({age_at_start} jaar) past niet bij {block_name}: "
            f"vereist {rules.age.describe_nl('jaar')}"
        )
    if (
        rules.benefit_months is not None
        and benefit_since is not None
        and not benefit_duration_holds(rules.benefit_months, benefit_since, start)
    ):
        reasons.append(
            f"uitkeringsduur bij start (uitkering sinds {benefit_since:%d-%m-%Y}) past niet bij "
            f"{block_name}: vereist {rules.benefit_months.describe_nl('maanden')}"
        )
    if rules.requires_evidence and not evidence_given:
        reasons.append(f"bewijs ontbreekt: {block_name} vereist een bewijsstuk (kolom Bewijs)")
    return reasons
