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


def closing_finding_when_answered(row: dict[str, object], _: ReturnContext) -> Broken | None:
    if row.get("status") == "answered" and not row.get("closing_finding"):
        return (
            "closing_finding",
            "a question answered needs its closing finding",
            "Say in closing_finding what the enquiry found, or set another status.",
        )
    return None


def owner_when_under_enquiry(row: dict[str, object], _: ReturnContext) -> Broken | None:
    if row.get("status") == "under_enquiry" and not row.get("owner_partner"):
        return (
            "owner_partner",
            "a question under enquiry needs the partner that owns the enquiry",
            "Choose the owner partner from the drop-down.",
        )
    return None


def review_not_before_start(row: dict[str, object], _: ReturnContext) -> Broken | None:
    start, review = row.get("start_date"), row.get("review_date")
    if start is not None and review is not None and review < start:
        return (
            "review_date",
            "the review date is before the action's start date",
            "Set a review date on or after start_date.",
        )
    return None


def action_in_plan(row: dict[str, object], context: ReturnContext) -> Broken | None:
    if row.get("action_id") not in context.action_ids:
        return (
            "action_id",
            "the action is not in this return's actions sheet (or its row there was refused)",
            "Add the action to the actions sheet (or correct its row there), or correct the "
            "action id.",
        )
    return None


def next_review_after_review(row: dict[str, object], _: ReturnContext) -> Broken | None:
    held, following = row.get("reviewed_on"), row.get("next_review_date")
    if held is not None and following is not None and following <= held:
        return (
            "next_review_date",
            "the next review date is not after the review's date",
            "Set next_review_date after reviewed_on, or leave it blank if none is planned.",
        )
    return None


RULES: dict[str, RowRule] = {
    rule.__name__: rule
    for rule in (
        closing_finding_when_answered,
        owner_when_under_enquiry,
        review_not_before_start,
        action_in_plan,
        next_review_after_review,
    )
}


def rules_of(sheet: SheetSpec) -> list[RowRule]:
    unknown = [name for name in sheet.checks if name not in RULES]
    if unknown:
        raise SpecError(
            f"sheet {sheet.name}: unknown check(s) {', '.join(unknown)}; the checks are "
            f"{', '.join(RULES)}"
        )
    return [RULES[name] for name in sheet.checks]
