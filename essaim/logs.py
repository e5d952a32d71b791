"""The operator's log: one line per write (import, dataset version, rollback, declaration,
agreement, arbitration, link, workshop input), per refusal that matters (a 503 to a phone) and per
error the code catches and carries on from.

Modules log to children of the ``essaim`` logger (``logging.getLogger(__name__)``).
`configure_logging` attaches one handler to it — standard error, and the file named by
ESSAIM_LOG_FILE — at the level of ESSAIM_LOG_LEVEL; calling it again changes nothing. A log line
never holds a secret: tokens, PINs, passwords and partner link keys are left out (links and
sessions are named by their number or join code).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Mapping

from essaim.settings import read_setting

ROOT_LOGGER = "essaim"
LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s : %(message)s"
_CONFIGURED = threading.Lock()
_HANDLER_MARK = "_essaim_handler"


def configure_logging(environ: Mapping[str, str] | None = None) -> logging.Logger:
    """Attach Essaim's handler(s) to the ``essaim`` logger once per process; returns it."""
    logger = logging.getLogger(ROOT_LOGGER)
    with _CONFIGURED:
        if any(getattr(handler, _HANDLER_MARK, False) for handler in logger.handlers):
            return logger
        level_name = read_setting("ESSAIM_LOG_LEVEL", environ).upper()
        logger.setLevel(getattr(logging, level_name, logging.INFO))
        handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
        log_file = read_setting("ESSAIM_LOG_FILE", environ)
        if log_file:
            handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
        for handler in handlers:
            handler.setFormatter(logging.Formatter(LINE_FORMAT))
            setattr(handler, _HANDLER_MARK, True)
            logger.addHandler(handler)
    return logger

