"""The local Bot API simulator: the demo and the tests run the real bot against it."""

from bot.sim.api import ApiCall, BotApiSimulator, Fault, FaultPlan
from bot.sim.chats import SimFile, SimMessage, TranscriptEntry
from bot.sim.people import SimGroup, SimPerson

__all__ = [
    "ApiCall",
    "BotApiSimulator",
    "Fault",
    "FaultPlan",
    "SimFile",
    "SimGroup",
    "SimMessage",
    "SimPerson",
    "TranscriptEntry",
]
