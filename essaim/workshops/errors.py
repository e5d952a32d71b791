"""What a refused workshop operation raises: French messages meant for the person."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from essaim.access import TooManyAttempts


class WorkshopError(Exception):
    """A refused workshop operation; the message is French and meant for the person."""


class FacilitatorOnly(WorkshopError):
    """The action is reserved to the session's facilitator."""


class StaleGridError(WorkshopError):
    """The grid changed since the facilitator loaded it (someone else adopted a version)."""


class SessionClosed(WorkshopError):
    """The session no longer accepts contributions."""


class NotFound(WorkshopError):
    """The session, participant or proposal does not exist (or no longer)."""


class Throttled(WorkshopError):
    """Too many wrong codes or PINs: the client must wait `seconds` (said in the message)."""

    def __init__(self, message: str, seconds: int):
        super().__init__(message)
        self.seconds = seconds


@contextlib.contextmanager
def paced() -> Iterator[None]:
    try:
        yield
    except TooManyAttempts as error:
        raise Throttled(str(error), error.seconds) from None
