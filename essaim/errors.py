"""Errors that carry a French message meant for the person using the app."""


class EssaimError(Exception):
    """Base error: `message` says what is wrong, `advice` what to do about it (both in French)."""

    def __init__(self, message: str, advice: str = ""):
        super().__init__(message)
        self.message = message
        self.advice = advice


class DataFileError(EssaimError):
    """A shipped data file is missing or cannot be read."""


class StoreUnavailableError(EssaimError):
    """The database cannot be reached or opened."""


class StoreWriteError(EssaimError):
    """The database refused to commit a write (the block ran; nothing of it was kept)."""
