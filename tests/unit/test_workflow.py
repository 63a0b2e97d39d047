"""The SOP state machines: every legal transition, and every illegal one refused."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.model import SEKRETARIAT, Role
from bot.workflow import (
    FOLLOW_UP_TABLE,
    OPEN_FOLLOW_UP_STATES,
    PERIOD_TABLE,
    STATUS_ACTION,
    UNIT_TABLE,
    Actor,
    FollowUpAction,
    FollowUpState,
    Grant,
    PeriodAction,
    PeriodState,
    Reason,
    Refused,
    UnitAction,
    UnitState,
    Who,
    approver_for,
    may_record_follow_up,
    transition,
    transition_follow_up,
    transition_unit,
    unit_head,
)

UNIT = "pelatihan"
OTHER = "penempatan"


def actor(*grants: Grant, person_id: int = 1) -> Actor:
    return Actor(person_id, frozenset(grants))


ACTORS: dict[str, Actor] = {
    "kasubag": actor(Grant(Role.KASUBAG_KPEP)),
    "sekretaris": actor(Grant(Role.SEKRETARIS)),
    "kadin": actor(Grant(Role.KADIN)),
    "kabid": actor(Grant(Role.KABID, UNIT)),
    "kabid_other": actor(Grant(Role.KABID, OTHER)),
    "operator": actor(Grant(Role.OPERATOR, UNIT)),
    "operator_other": actor(Grant(Role.OPERATOR, OTHER)),
    "outsider": actor(),
}

PERIOD_OWNER = {Who.KASUBAG_KPEP: "kasubag", Who.SEKRETARIS: "sekretaris", Who.KADIN: "kadin"}


@pytest.mark.parametrize(("key", "target"), PERIOD_TABLE.items(), ids=str)
def test_every_legal_period_transition(
    key: tuple[PeriodState, PeriodAction], target: tuple[PeriodState, Who]
) -> None:
    state, action = key
    next_state, who = target
    if who is Who.SYSTEM:
        assert transition(state, action, None) is next_state
        for name, someone in ACTORS.items():
            with pytest.raises(Refused):
                transition(state, action, someone)
            assert name  # every actor tried
        return
    owner = PERIOD_OWNER[who]
    assert transition(state, action, ACTORS[owner]) is next_state
    for name, someone in ACTORS.items():
        if name == owner:
            continue
        with pytest.raises(Refused) as refused:
            transition(state, action, someone)
        assert refused.value.reason is Reason.WRONG_ROLE


@pytest.mark.parametrize(
    ("state", "action"),
    [pair for pair in itertools.product(PeriodState, PeriodAction) if pair not in PERIOD_TABLE],
    ids=str,
)
def test_every_illegal_period_pair_is_refused_for_everyone(
    state: PeriodState, action: PeriodAction
) -> None:
    for someone in [*ACTORS.values(), None]:
        with pytest.raises(Refused) as refused:
            transition(state, action, someone)
        assert refused.value.reason is Reason.WRONG_STATE


UNIT_OWNER = {
    Who.UNIT_OPERATOR: "operator",
    Who.UNIT_APPROVER: "kabid",
    Who.KASUBAG_KPEP: "kasubag",
}


@pytest.mark.parametrize(("key", "target"), UNIT_TABLE.items(), ids=str)
def test_every_legal_unit_transition(
    key: tuple[UnitState, UnitAction], target: tuple[UnitState, Who]
) -> None:
    state, action = key
    next_state, who = target
    owner = UNIT_OWNER[who]
    assert transition_unit(state, action, ACTORS[owner], UNIT) is next_state
    for name, someone in ACTORS.items():
        if name == owner:
            continue
        with pytest.raises(Refused):
            transition_unit(state, action, someone, UNIT)


@pytest.mark.parametrize(
    ("state", "action"),
    [pair for pair in itertools.product(UnitState, UnitAction) if pair not in UNIT_TABLE],
    ids=str,
)
def test_every_illegal_unit_pair_is_refused(state: UnitState, action: UnitAction) -> None:
    for someone in ACTORS.values():
        with pytest.raises(Refused) as refused:
            transition_unit(state, action, someone, UNIT)
        assert refused.value.reason is Reason.WRONG_STATE


def test_sekretaris_heads_the_sekretariat() -> None:
    assert unit_head(SEKRETARIAT) == Grant(Role.SEKRETARIS)
    assert (
        transition_unit(UnitState.SUBMITTED, UnitAction.APPROVE, ACTORS["sekretaris"], SEKRETARIAT)
        is UnitState.APPROVED
    )
    with pytest.raises(Refused):
        transition_unit(UnitState.SUBMITTED, UnitAction.APPROVE, ACTORS["kabid"], SEKRETARIAT)


def test_nobody_approves_their_own_submission() -> None:
    acting_head = actor(Grant(Role.OPERATOR, UNIT), Grant(Role.KABID, UNIT), person_id=7)
    approver = approver_for(UNIT, acting_head)
    assert approver == Grant(Role.SEKRETARIS)
    with pytest.raises(Refused) as refused:
        transition_unit(
            UnitState.SUBMITTED, UnitAction.APPROVE, acting_head, UNIT, approver, submitted_by=7
        )
    assert refused.value.reason is Reason.OWN_SUBMISSION
    # the approval went to the sekretaris, who may take it
    assert (
        transition_unit(
            UnitState.SUBMITTED,
            UnitAction.APPROVE,
            ACTORS["sekretaris"],
            UNIT,
            approver,
            submitted_by=7,
        )
        is UnitState.APPROVED
    )
    # and the kabid no longer may (the approver was redirected)
    with pytest.raises(Refused):
        transition_unit(
            UnitState.SUBMITTED, UnitAction.APPROVE, ACTORS["kabid"], UNIT, approver, submitted_by=7
        )


def test_sekretaris_submitting_sekretariat_goes_to_kadin() -> None:
    both = actor(Grant(Role.OPERATOR, SEKRETARIAT), Grant(Role.SEKRETARIS), person_id=3)
    assert approver_for(SEKRETARIAT, both) == Grant(Role.KADIN)


def test_plain_operator_goes_to_unit_head() -> None:
    assert approver_for(UNIT, ACTORS["operator"]) == Grant(Role.KABID, UNIT)


@given(
    st.lists(st.sampled_from(list(PeriodAction)), max_size=30),
    st.lists(st.sampled_from([*ACTORS, "system"]), min_size=30, max_size=30),
)
def test_random_walks_only_follow_the_table(actions: list[PeriodAction], who: list[str]) -> None:
    state = PeriodState.AWAITING_OPENING
    for action, name in zip(actions, who, strict=False):
        someone = None if name == "system" else ACTORS[name]
        try:
            new_state = transition(state, action, someone)
        except Refused:
            continue
        assert PERIOD_TABLE[(state, action)][0] is new_state
        state = new_state
    assert state in PeriodState


def test_readme_shows_the_same_table() -> None:
    from pathlib import Path

    from bot.workflow import mermaid

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert mermaid() in readme


FOLLOW_UP_OWNERS = {Who.KASUBAG_KPEP: {"kasubag"}, Who.KADIN: {"kadin"}}
# A unit's follow-up is recorded by its operator or its head, nobody else.
UNIT_RECORDERS = {"operator", "kabid"}


@pytest.mark.parametrize(("key", "target"), FOLLOW_UP_TABLE.items(), ids=str)
def test_every_legal_follow_up_transition(
    key: tuple[FollowUpState, FollowUpAction], target: tuple[FollowUpState, Who]
) -> None:
    state, action = key
    next_state, who = target
    owners = UNIT_RECORDERS if who is Who.UNIT_OPERATOR else FOLLOW_UP_OWNERS[who]
    for name, someone in ACTORS.items():
        if name in owners:
            assert transition_follow_up(state, action, someone, UNIT) is next_state
            continue
        with pytest.raises(Refused) as refused:
            transition_follow_up(state, action, someone, UNIT)
        assert refused.value.reason is Reason.WRONG_ROLE, name


@pytest.mark.parametrize(
    ("state", "action"),
    [
        pair
        for pair in itertools.product(FollowUpState, FollowUpAction)
        if pair not in FOLLOW_UP_TABLE
    ],
    ids=str,
)
def test_every_illegal_follow_up_pair_is_refused_for_everyone(
    state: FollowUpState, action: FollowUpAction
) -> None:
    for someone in ACTORS.values():
        with pytest.raises(Refused) as refused:
            transition_follow_up(state, action, someone, UNIT)
        assert refused.value.reason is Reason.WRONG_STATE


def test_a_done_follow_up_stays_done_until_the_coordinator_reopens_it() -> None:
    operator = ACTORS["operator"]
    state = transition_follow_up(FollowUpState.NONE, FollowUpAction.PLAN, operator, UNIT)
    state = transition_follow_up(state, FollowUpAction.COMPLETE, operator, UNIT)
    assert state is FollowUpState.DONE and state not in OPEN_FOLLOW_UP_STATES
    for action in (FollowUpAction.PLAN, FollowUpAction.PROGRESS, FollowUpAction.DROP):
        with pytest.raises(Refused):
            transition_follow_up(state, action, ACTORS["kadin"], UNIT)
    reopened = transition_follow_up(state, FollowUpAction.REOPEN, ACTORS["kasubag"], UNIT)
    assert reopened is FollowUpState.IN_PROGRESS and reopened in OPEN_FOLLOW_UP_STATES


def test_the_sekretaris_records_the_sekretariat_follow_up() -> None:
    sekretaris = ACTORS["sekretaris"]
    assert may_record_follow_up(sekretaris, SEKRETARIAT)
    assert not may_record_follow_up(sekretaris, UNIT)
    for status, action in STATUS_ACTION.items():
        assert transition_follow_up(FollowUpState.NONE, action, sekretaris, SEKRETARIAT) is status
