"""The SOP as state machines: states, actions, and who may take each action. Pure.

Two machines run per period: the agency-level ``Period`` (steps 1 and 4–9) and one
``UnitReport`` per unit kerja (steps 2–3). Each is a table from (state, action) to
(next state, who may do it); :func:`transition` and :func:`transition_unit` are the only ways
to move, and they raise :class:`Refused` on anything the table does not allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import IntEnum, StrEnum

from bot.model import SEKRETARIAT, Role


class PeriodState(StrEnum):
    """Where the agency's quarter stands."""

    AWAITING_OPENING = "menunggu_persetujuan"  # step 1: the sekretaris approves the opening
    COLLECTING = "pengisian"  # steps 2–3: units enter and approve their reports
    COMPILING = "kompilasi"  # step 4: the kasubag_kpep compiles and analyses
    SECRETARY_REVIEW = "telaah_sekretaris"  # step 5
    HEAD_REVIEW = "telaah_kadin"  # step 6
    FORWARDING = "penyerahan"  # step 7: the sekretaris hands the report back
    DISTRIBUTING = "distribusi"  # step 8
    FOLLOW_UP = "tindak_lanjut"  # step 9
    CLOSED = "selesai"
    CANCELLED = "dibatalkan"  # the opening was refused


class PeriodAction(StrEnum):
    """What can happen to a period."""

    APPROVE_OPENING = "approve_opening"
    REJECT_OPENING = "reject_opening"
    ALL_UNITS_APPROVED = "all_units_approved"
    RETURN_UNIT = "return_unit"  # the kasubag_kpep sends one unit's report back in step 4
    SUBMIT_TO_SECRETARY = "submit_to_secretary"
    SECRETARY_APPROVE = "secretary_approve"
    SECRETARY_RETURN = "secretary_return"
    HEAD_APPROVE = "head_approve"
    HEAD_RETURN = "head_return"
    FORWARD = "forward"
    DISTRIBUTE = "distribute"
    ALL_FOLLOWED_UP = "all_followed_up"


class UnitState(StrEnum):
    """Where one unit's report stands."""

    DRAFT = "pengisian"
    SUBMITTED = "menunggu_persetujuan"
    RETURNED = "dikembalikan"
    APPROVED = "disetujui"


class UnitAction(StrEnum):
    """What can happen to a unit's report."""

    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    COORDINATOR_RETURN = "coordinator_return"


class Who(StrEnum):
    """The actor a transition needs; ``UNIT_*`` are resolved against the report's unit."""

    KASUBAG_KPEP = "kasubag_kpep"
    SEKRETARIS = "sekretaris"
    KADIN = "kadin"
    UNIT_OPERATOR = "unit_operator"
    UNIT_APPROVER = "unit_approver"
    SYSTEM = "system"


class Reason(StrEnum):
    """Why an action was refused."""

    WRONG_ROLE = "wrong_role"
    WRONG_STATE = "wrong_state"
    OWN_SUBMISSION = "own_submission"


class Refused(Exception):
    """The table does not allow this action for this actor in this state."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason


P = PeriodState
PA = PeriodAction
PERIOD_TABLE: dict[tuple[PeriodState, PeriodAction], tuple[PeriodState, Who]] = {
    (P.AWAITING_OPENING, PA.APPROVE_OPENING): (P.COLLECTING, Who.SEKRETARIS),
    (P.AWAITING_OPENING, PA.REJECT_OPENING): (P.CANCELLED, Who.SEKRETARIS),
    (P.COLLECTING, PA.ALL_UNITS_APPROVED): (P.COMPILING, Who.SYSTEM),
    (P.COMPILING, PA.RETURN_UNIT): (P.COLLECTING, Who.KASUBAG_KPEP),
    (P.COMPILING, PA.SUBMIT_TO_SECRETARY): (P.SECRETARY_REVIEW, Who.KASUBAG_KPEP),
    (P.SECRETARY_REVIEW, PA.SECRETARY_APPROVE): (P.HEAD_REVIEW, Who.SEKRETARIS),
    (P.SECRETARY_REVIEW, PA.SECRETARY_RETURN): (P.COMPILING, Who.SEKRETARIS),
    (P.HEAD_REVIEW, PA.HEAD_APPROVE): (P.FORWARDING, Who.KADIN),
    (P.HEAD_REVIEW, PA.HEAD_RETURN): (P.COMPILING, Who.KADIN),
    (P.FORWARDING, PA.FORWARD): (P.DISTRIBUTING, Who.SEKRETARIS),
    (P.DISTRIBUTING, PA.DISTRIBUTE): (P.FOLLOW_UP, Who.KASUBAG_KPEP),
    (P.FOLLOW_UP, PA.ALL_FOLLOWED_UP): (P.CLOSED, Who.SYSTEM),
}

U = UnitState
UA = UnitAction
UNIT_TABLE: dict[tuple[UnitState, UnitAction], tuple[UnitState, Who]] = {
    (U.DRAFT, UA.SUBMIT): (U.SUBMITTED, Who.UNIT_OPERATOR),
    (U.RETURNED, UA.SUBMIT): (U.SUBMITTED, Who.UNIT_OPERATOR),
    (U.SUBMITTED, UA.APPROVE): (U.APPROVED, Who.UNIT_APPROVER),
    (U.SUBMITTED, UA.RETURN): (U.RETURNED, Who.UNIT_APPROVER),
    (U.APPROVED, UA.COORDINATOR_RETURN): (U.RETURNED, Who.KASUBAG_KPEP),
}

# A unit may edit its figures only while the report is in its hands.
EDITABLE_UNIT_STATES = frozenset({U.DRAFT, U.RETURNED})


@dataclass(frozen=True, slots=True)
class Grant:
    """One role a person holds, tied to a unit for unit roles."""

    role: Role
    unit_code: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """A registered person with the grants in force at the moment of acting."""

    person_id: int
    grants: frozenset[Grant]

    def holds(self, role: Role, unit_code: str | None = None) -> bool:
        """Whether the person holds ``role`` (for ``unit_code`` when given)."""
        return any(
            g.role == role and (unit_code is None or g.unit_code == unit_code) for g in self.grants
        )

    def units_as(self, role: Role) -> list[str]:
        """Units for which the person holds ``role``, sorted."""
        return sorted({g.unit_code for g in self.grants if g.role == role and g.unit_code})


def unit_head(unit_code: str) -> Grant:
    """The head who approves a unit's report: the sekretaris heads the Sekretariat."""
    if unit_code == SEKRETARIAT:
        return Grant(Role.SEKRETARIS)
    return Grant(Role.KABID, unit_code)


def approver_for(unit_code: str, submitter: Actor) -> Grant:
    """Who approves this submission: nobody approves their own (an acting head, say)."""
    head = unit_head(unit_code)
    if not _holds_grant(submitter, head):
        return head
    if not submitter.holds(Role.SEKRETARIS):
        return Grant(Role.SEKRETARIS)
    return Grant(Role.KADIN)


def _holds_grant(actor: Actor, grant: Grant) -> bool:
    return actor.holds(grant.role, grant.unit_code)


def transition(state: PeriodState, action: PeriodAction, actor: Actor | None) -> PeriodState:
    """The period's next state; ``actor`` None means the system itself acts."""
    try:
        next_state, who = PERIOD_TABLE[(state, action)]
    except KeyError:
        raise Refused(Reason.WRONG_STATE, f"{action} in {state}") from None
    if who is Who.SYSTEM:
        if actor is not None:
            raise Refused(Reason.WRONG_ROLE, f"{action} is taken by the system")
        return next_state
    if actor is None or not actor.holds(Role(who.value)):
        raise Refused(Reason.WRONG_ROLE, f"{action} needs {who}")
    return next_state


def transition_unit(
    state: UnitState,
    action: UnitAction,
    actor: Actor,
    unit_code: str,
    approver: Grant | None = None,
    submitted_by: int | None = None,
) -> UnitState:
    """A unit report's next state, checking that ``actor`` may act on ``unit_code``."""
    try:
        next_state, who = UNIT_TABLE[(state, action)]
    except KeyError:
        raise Refused(Reason.WRONG_STATE, f"{action} in {state}") from None
    if who is Who.UNIT_OPERATOR:
        allowed = actor.holds(Role.OPERATOR, unit_code)
    elif who is Who.UNIT_APPROVER:
        if submitted_by is not None and submitted_by == actor.person_id:
            raise Refused(Reason.OWN_SUBMISSION)
        allowed = _holds_grant(actor, approver or unit_head(unit_code))
    else:
        allowed = actor.holds(Role(who.value))
    if not allowed:
        raise Refused(Reason.WRONG_ROLE, f"{action} on {unit_code} needs {who}")
    return next_state


class FollowUpState(StrEnum):
    """Where one unit stands with one recommendation it received (step 9 and after)."""

    NONE = "belum"  # nothing recorded yet: step 9 waits for this unit
    PLANNED = "direncanakan"
    IN_PROGRESS = "dalam_proses"
    DONE = "selesai"
    DROPPED = "tidak_dilanjutkan"  # the Kepala Dinas closed the recommendation


class FollowUpAction(StrEnum):
    """What can happen to a unit's follow-up of a recommendation."""

    PLAN = "plan"
    PROGRESS = "progress"
    COMPLETE = "complete"
    REOPEN = "reopen"  # the coordinator returns a "selesai", with a reason
    DROP = "drop"  # the Kepala Dinas closes the recommendation, with a reason


F = FollowUpState
FA = FollowUpAction
# A unit may restate its status (a new text, the same status) until it is done; once done,
# only the coordinator can open it again; the Kepala Dinas may drop anything not done.
FOLLOW_UP_TABLE: dict[tuple[FollowUpState, FollowUpAction], tuple[FollowUpState, Who]] = {
    (F.NONE, FA.PLAN): (F.PLANNED, Who.UNIT_OPERATOR),
    (F.NONE, FA.PROGRESS): (F.IN_PROGRESS, Who.UNIT_OPERATOR),
    (F.NONE, FA.COMPLETE): (F.DONE, Who.UNIT_OPERATOR),
    (F.PLANNED, FA.PLAN): (F.PLANNED, Who.UNIT_OPERATOR),
    (F.PLANNED, FA.PROGRESS): (F.IN_PROGRESS, Who.UNIT_OPERATOR),
    (F.PLANNED, FA.COMPLETE): (F.DONE, Who.UNIT_OPERATOR),
    (F.IN_PROGRESS, FA.PROGRESS): (F.IN_PROGRESS, Who.UNIT_OPERATOR),
    (F.IN_PROGRESS, FA.COMPLETE): (F.DONE, Who.UNIT_OPERATOR),
    (F.DONE, FA.REOPEN): (F.IN_PROGRESS, Who.KASUBAG_KPEP),
    (F.NONE, FA.DROP): (F.DROPPED, Who.KADIN),
    (F.PLANNED, FA.DROP): (F.DROPPED, Who.KADIN),
    (F.IN_PROGRESS, FA.DROP): (F.DROPPED, Who.KADIN),
}

# The status a unit picks, as the action that records it.
STATUS_ACTION: dict[FollowUpState, FollowUpAction] = {
    F.PLANNED: FA.PLAN,
    F.IN_PROGRESS: FA.PROGRESS,
    F.DONE: FA.COMPLETE,
}

# Still to be worked on: a recommendation is open for its unit until done or dropped.
OPEN_FOLLOW_UP_STATES = frozenset({F.NONE, F.PLANNED, F.IN_PROGRESS})


def may_record_follow_up(actor: Actor, unit_code: str) -> bool:
    """Operators and the head of the unit record its follow-ups (the sekretaris heads the
    Sekretariat)."""
    if actor.holds(Role.OPERATOR, unit_code):
        return True
    head = unit_head(unit_code)
    return actor.holds(head.role, head.unit_code)


def transition_follow_up(
    state: FollowUpState, action: FollowUpAction, actor: Actor, unit_code: str
) -> FollowUpState:
    """A unit's follow-up's next state, checking that ``actor`` may take ``action``."""
    try:
        next_state, who = FOLLOW_UP_TABLE[(state, action)]
    except KeyError:
        raise Refused(Reason.WRONG_STATE, f"{action} in {state}") from None
    if who is Who.UNIT_OPERATOR:
        allowed = may_record_follow_up(actor, unit_code)
    else:
        allowed = actor.holds(Role(who.value))
    if not allowed:
        raise Refused(Reason.WRONG_ROLE, f"{action} on {unit_code} needs {who}")
    return next_state


class Step(IntEnum):
    """The nine steps of SOP P-SEK-KP-09."""

    OPEN = 1
    ENTER = 2
    UNIT_CHECK = 3
    COMPILE = 4
    SECRETARY_REVIEW = 5
    HEAD_REVIEW = 6
    FORWARD = 7
    DISTRIBUTE = 8
    FOLLOW_UP = 9


@dataclass(frozen=True, slots=True)
class StepStandard:
    """A step's time standard (*mutu baku waktu*), in working time."""

    duration: timedelta
    working_days: int = 0  # "1 hari" means one working day, not 24 hours

    def is_days(self) -> bool:
        """Whether the standard is counted in working days."""
        return self.working_days > 0


STEP_STANDARDS: dict[Step, StepStandard] = {
    Step.OPEN: StepStandard(timedelta(minutes=15)),
    Step.ENTER: StepStandard(timedelta(0), working_days=1),
    Step.UNIT_CHECK: StepStandard(timedelta(minutes=10)),
    Step.COMPILE: StepStandard(timedelta(0), working_days=1),
    Step.SECRETARY_REVIEW: StepStandard(timedelta(minutes=10)),
    Step.HEAD_REVIEW: StepStandard(timedelta(minutes=30)),
    Step.FORWARD: StepStandard(timedelta(minutes=10)),
    Step.DISTRIBUTE: StepStandard(timedelta(minutes=30)),
    Step.FOLLOW_UP: StepStandard(timedelta(minutes=5)),
}

# Who is expected to act while a step is open (for /status and reminders).
STEP_ACTOR: dict[Step, Who] = {
    Step.OPEN: Who.SEKRETARIS,
    Step.ENTER: Who.UNIT_OPERATOR,
    Step.UNIT_CHECK: Who.UNIT_APPROVER,
    Step.COMPILE: Who.KASUBAG_KPEP,
    Step.SECRETARY_REVIEW: Who.SEKRETARIS,
    Step.HEAD_REVIEW: Who.KADIN,
    Step.FORWARD: Who.SEKRETARIS,
    Step.DISTRIBUTE: Who.KASUBAG_KPEP,
    Step.FOLLOW_UP: Who.UNIT_OPERATOR,
}

# The step a period state is in, at agency level (steps 2–3 are per unit).
PERIOD_STEP: dict[PeriodState, Step] = {
    P.AWAITING_OPENING: Step.OPEN,
    P.COMPILING: Step.COMPILE,
    P.SECRETARY_REVIEW: Step.SECRETARY_REVIEW,
    P.HEAD_REVIEW: Step.HEAD_REVIEW,
    P.FORWARDING: Step.FORWARD,
    P.DISTRIBUTING: Step.DISTRIBUTE,
}

# The step a unit report is in while it waits.
UNIT_STEP: dict[UnitState, Step] = {
    U.DRAFT: Step.ENTER,
    U.RETURNED: Step.ENTER,
    U.SUBMITTED: Step.UNIT_CHECK,
}


def is_active(state: PeriodState) -> bool:
    """A period still being worked on."""
    return state not in (P.CLOSED, P.CANCELLED)


def mermaid() -> str:
    """The three tables as Mermaid state diagrams (the README shows exactly this)."""
    lines = [
        "```mermaid",
        "stateDiagram-v2",
        f"    [*] --> {P.AWAITING_OPENING.value}: kasubag_kpep /buka_periode",
    ]
    lines += [
        f"    {s.value} --> {n.value}: {a.value} ({w.value})"
        for (s, a), (n, w) in PERIOD_TABLE.items()
    ]
    lines += ["```", "", "```mermaid", "stateDiagram-v2", f"    [*] --> {U.DRAFT.value}"]
    lines += [
        f"    {s.value} --> {n.value}: {a.value} ({w.value})"
        for (s, a), (n, w) in UNIT_TABLE.items()
    ]
    lines += ["```", "", "```mermaid", "stateDiagram-v2", f"    [*] --> {F.NONE.value}"]
    lines += [
        f"    {s.value} --> {n.value}: {a.value} ({w.value})"
        for (s, a), (n, w) in FOLLOW_UP_TABLE.items()
    ]
    lines.append("```")
    return "\n".join(lines)
