"""The simulator's injected faults: which call fails how, with counts or seeded probabilities,
and the Bot API error answer they produce."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# Methods that send or change something: a fault without a method applies to these.
SENDING = {
    "sendmessage",
    "senddocument",
    "sendphoto",
    "editmessagetext",
    "editmessagereplymarkup",
    "deletemessage",
    "sendchataction",
    "answercallbackquery",
}


class ApiError(Exception):
    """A Bot API error response."""

    def __init__(
        self,
        code: int,
        description: str,
        retry_after: int | None = None,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
        self.parameters = parameters


@dataclass
class Fault:
    """One kind of failure to inject."""

    kind: str  # 429, 500, 502, timeout_before, timeout_after, drop, not_modified, ...
    method: str | set[str] | None = None
    count: int | None = None
    probability: float | None = None
    retry_after: int = 1
    delay: float = 0.0
    chat_id: int | None = None

    def matches(self, method: str, chat_id: int | None) -> bool:
        """Whether this fault applies to a call."""
        if self.method is None:
            names = SENDING
        else:
            names = (
                {self.method.lower()}
                if isinstance(self.method, str)
                else {m.lower() for m in self.method}
            )
        if method not in names:
            return False
        return self.chat_id is None or self.chat_id == chat_id


@dataclass
class FaultPlan:
    """The faults in force; seeded, so a run is reproducible."""

    faults: list[Fault] = field(default_factory=list)
    injected: Counter[str] = field(default_factory=Counter)
    _random: random.Random = field(default_factory=lambda: random.Random(0))

    def add(self, fault: Fault) -> None:
        """Put a fault in force."""
        self.faults.append(fault)

    def clear(self) -> None:
        """No more faults."""
        self.faults.clear()

    def seed(self, value: int) -> None:
        """Reseed the probabilities."""
        self._random.seed(value)

    def pick(self, method: str, chat_id: int | None) -> Fault | None:
        """The fault to apply to this call, if any (counts are used up)."""
        for fault in self.faults:
            if not fault.matches(method, chat_id):
                continue
            if fault.count is not None:
                if fault.count <= 0:
                    continue
                fault.count -= 1
            elif fault.probability is not None and self._random.random() >= fault.probability:
                continue
            self.injected[fault.kind] += 1
            return fault
        return None
