"""Stopping a build cleanly on Ctrl-C or SIGTERM.

Python turns Ctrl-C into an exception wherever the program happens to be; raised
inside a finaliser (WeasyPrint's `FontConfiguration.__del__`) it is printed as
"Exception ignored" and lost, and the build went on to exit 0. Here the signal is
also remembered, and the build looks at it between aids, so it always stops: no
temporary file is left (writes clean up on the way out) and the exit status says
what stopped it (130 for Ctrl-C, 143 for SIGTERM).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType


class Interrupted(BaseException):
    """The build was asked to stop. A BaseException, so no `except Exception` eats it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


class Interrupts:
    """While in use (`with Interrupts() as stop:`), SIGINT and SIGTERM raise
    `Interrupted`, and `stop.check()` raises it again if it was swallowed."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():  # else: not allowed
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.signum = signum
        raise Interrupted(signum)

    def check(self) -> None:
        if self.signum is not None:
            raise Interrupted(self.signum)
