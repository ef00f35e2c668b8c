"""The intake screen's writes, one at a time, in the order the clerk made them.

Each write runs off the UI thread (:meth:`screens.base.DeskScreen.run_service`): a write
that waits for the database lock never freezes the form. Writes of one form depend on each
other — the first draft save creates the draft whose id the next save, the register or the
discard needs — so they are queued here and each starts only when the one before it has
delivered its result; its call is made (reading the ids it needs) when it starts.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mss_desk.errors import DeskError

if TYPE_CHECKING:
    from screens.base import DeskScreen


class WriteFailed(DeskError):
    """A write failed with an error that is not the desk's own (its type names it)."""

    key = "error.generic"


def error_text(err: DeskError, lang: str) -> str:
    """The error in the clerk's words (an unexpected one by its type's name)."""
    from mss_desk.i18n import t

    if isinstance(err, WriteFailed):
        return str(err)
    return t(err.key, lang, **err.params)


# (make the call when its turn comes, done, failed)
Write = tuple[Callable[[], Callable[[], Any]], Callable[[Any], Any], Callable[[DeskError], Any]]


class SerialWrites:
    def __init__(self, screen: DeskScreen) -> None:
        self.screen = screen
        self._queue: deque[Write] = deque()
        self._busy = False
        self._count = 0

    @property
    def busy(self) -> bool:
        """A write is running or waiting its turn."""
        return self._busy or bool(self._queue)

    def add(
        self,
        make: Callable[[], Callable[[], Any]],
        done: Callable[[Any], Any],
        failed: Callable[[DeskError], Any],
    ) -> None:
        """Queue a write: ``make()`` (on the UI thread, at its turn) returns the service
        call to run in a worker; its result goes to ``done``, a ``DeskError`` to
        ``failed``; an unexpected error to ``failed`` too, as a generic ``DeskError``."""
        self._queue.append((make, done, failed))
        if not self._busy:
            self._next()

    def _next(self) -> None:
        if not self._queue:
            self._busy = False
            return
        self._busy = True
        make, done, failed = self._queue.popleft()
        call = make()

        def guarded() -> Any:
            try:
                return call()
            except DeskError:
                raise
            except Exception as exc:  # noqa: BLE001 - a failed write never crashes the desk
                raise WriteFailed(type(exc).__name__) from exc

        def finished(handler: Callable[[Any], Any]) -> Callable[[Any], None]:
            def deliver(value: Any) -> None:
                try:
                    handler(value)
                finally:
                    self._next()

            return deliver

        # a group of its own: this queue, not the worker group, decides what runs when
        self._count += 1
        group = f"intake-write-{self._count}"
        self.screen.run_service(guarded, finished(done), finished(failed), group=group)
