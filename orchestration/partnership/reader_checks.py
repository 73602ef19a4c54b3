"""The row rules a sheet of the partnership return names in returns.yaml (`checks`), applied
to a row whose cells were each read: a rule returns the column at fault, the reason and the
fix, or None when the row keeps it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from orchestration.partnership.spec import SheetSpec, SpecError


@dataclass
class ReturnContext:
    """What a rule may know beyond its row: the actions this return's plan holds (its rows of
    the actions sheet that were read without fault)."""

    action_ids: set[str] = field(default_factory=set)


Broken = tuple[str, str, str]  # column, reason, fix
RowRule = Callable[[dict[str, object], ReturnContext], Broken | None]


def _needed_at_status(status: str, column: str, reason: str, fix: str) -> RowRule:
    """A row at the status must fill the column."""

    def rule(row: dict[str, object], _: ReturnContext) -> Broken | None:
        if row.get("status") == status and not row.get(column):
            return column, reason, fix
        return None

    return rule


def _dates_in_order(
    earlier: str, later: str, same_day_allowed: bool, reason: str, fix: str
) -> RowRule:
    """Where a row has both dates, the later column's is after the earlier's (or the same
    day, where that is allowed); the later column is at fault."""

    def rule(row: dict[str, object], _: ReturnContext) -> Broken | None:
        first, then = row.get(earlier), row.get(later)
        if first is None or then is None:
            return None
        out_of_order = then < first if same_day_allowed else then <= first
        return (later, reason, fix) if out_of_order else None

    return rule


def action_in_plan(row: dict[str, object], context: ReturnContext) -> Broken | None:
    if row.get("action_id") not in context.action_ids:
        return (
            "action_id",
            "the action is not in this return's actions sheet (or its row there was refused)",
            "Add the action to the actions sheet (or correct its row there), or correct the "
            "action id.",
        )
    return None


RULES: dict[str, RowRule] = {
    "closing_finding_when_answered": _needed_at_status(
        "answered",
        "closing_finding",
        "a question answered needs its closing finding",
        "Say in closing_finding what the enquiry found, or set another status.",
    ),
    "owner_when_under_enquiry": _needed_at_status(
        "under_enquiry",
        "owner_partner",
        "a question under enquiry needs the partner that owns the enquiry",
        "Choose the owner partner from the drop-down.",
    ),
    "review_not_before_start": _dates_in_order(
        "start_date",
        "review_date",
        True,
        "the review date is before the action's start date",
        "Set a review date on or after start_date.",
    ),
    "action_in_plan": action_in_plan,
    "next_review_after_review": _dates_in_order(
        "reviewed_on",
        "next_review_date",
        False,
        "the next review date is not after the review's date",
        "Set next_review_date after reviewed_on, or leave it blank if none is planned.",
    ),
}


def rules_of(sheet: SheetSpec) -> list[RowRule]:
    unknown = [name for name in sheet.checks if name not in RULES]
    if unknown:
        raise SpecError(
            f"sheet {sheet.name}: unknown check(s) {', '.join(unknown)}; the checks are "
            f"{', '.join(RULES)}"
        )
    return [RULES[name] for name in sheet.checks]
