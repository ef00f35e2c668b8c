"""The bases every screen and modal stands on, and the App as screens see it.

Screens never import ``mss_desk.app`` (an import-linter contract): the App imports the
screens, and the screens know the App only through :class:`DeskApp`, the protocol below,
which ``MssDeskApp`` implements (mypy checks it in ``mss_desk/app.py``).

- :class:`ThriftyScreen`: a screen whose first paint is one whole frame (slow SSH links).
- :class:`DeskScreen`: speaks the clerk's language (``relabel`` on mount and on F12) and runs
  service calls off the UI thread (:meth:`DeskScreen.run_service`).
- :class:`DeskModal`: the same for modal dialogs.
- :class:`AfterTyping`: a message that arrives after every key already sent to a field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from mss_desk.errors import DeskError

if TYPE_CHECKING:
    from typing import Self

    from textual.binding import Binding
    from textual.notifications import SeverityLevel

    from mss_desk.catalog import Catalog
    from mss_desk.clock import Clock
    from mss_desk.config import Settings
    from mss_desk.rules.calendar import OfficeStatus
    from mss_desk.services import Services
    from mss_desk.services.views import ClerkView, DepartmentView, TicketView

T = TypeVar("T")


class DeskApp(Protocol):
    """What a screen may ask of the App (``self.desk``); ``MssDeskApp`` implements it."""

    lang: str
    tz: str
    clock: Clock
    settings: Settings
    clerk: ClerkView | None
    current_ticket: TicketView | None
    print_slips: bool

    @property
    def services(self) -> Services: ...
    @property
    def services_ready(self) -> bool: ...
    @property
    def services_opening(self) -> bool: ...
    @property
    def catalog(self) -> Catalog: ...
    @property
    def catalog_loaded(self) -> bool: ...
    @property
    def department(self) -> DepartmentView | None: ...
    @property
    def clerk_id(self) -> int: ...

    def t(self, key: str, **params: Any) -> str: ...
    def today(self) -> date: ...
    def local_now(self) -> datetime: ...
    def office_status(self) -> OfficeStatus | None: ...
    def office_text(self, status: OfficeStatus | None) -> str: ...
    def queue_terms(self) -> tuple[int, int]: ...
    def error_text(self, err: DeskError) -> str: ...
    def show_error(self, err: DeskError) -> None: ...
    def forget_department(self) -> None: ...
    def cached_department_names(self) -> dict[str, str]: ...
    def logged_in(self, clerk: ClerkView) -> None: ...
    def unlocked(self) -> None: ...
    def action_logout(self) -> None: ...
    def reset_to(self, screen: Screen[Any]) -> None: ...
    def open_intake(self, ticket_id: int | None, ticket_number: str | None = None) -> bool: ...
    def print_ticket_slip(self, ticket: Any, label: str, ahead: int | None = None) -> None: ...
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None: ...
    async def run_action(self, action: Any, default_namespace: Any = None) -> bool: ...
    def get_key_display(self, binding: Binding) -> str: ...
    def _department_contact(self, paper: Any) -> Any: ...  # goes with services/printing.py


def run_service(
    node: Widget | Screen[Any],
    call: Callable[[], T],
    done: Callable[[T], Any],
    failed: Callable[[DeskError], Any] | None = None,
    *,
    group: str = "service",
) -> None:
    """Run a service call in a thread worker; hand its result (or its ``DeskError``) back to
    ``done`` (or ``failed``, default: the App's error notice) on the UI thread.

    A write may wait for the database lock (up to the busy timeout): on the UI thread that
    would freeze the screen, keys and all. Calls in one ``group`` of one node run one at a
    time, in order (a second Enter while the first write waits is queued, not lost).
    """
    app = node.app

    def _failed(err: DeskError) -> Any:
        if failed is not None:
            return failed(err)
        return cast("DeskApp", app).show_error(err)

    def _work() -> None:
        try:
            result = call()
        except DeskError as err:
            _deliver(_failed, err)
            return
        _deliver(done, result)

    def _deliver(callback: Callable[[Any], Any], value: Any) -> None:
        try:
            app.call_from_thread(callback, value)
        except RuntimeError:  # the App has already exited
            pass

    node.run_worker(_work, thread=True, group=f"desk-{group}", exclusive=False, exit_on_error=True)


class AfterTyping(Message):
    """Posted through a field's own queue: it arrives after every key already sent to it.

    Over a slow SSH link keys come in bursts ("name⏎surname⏎"). The App forwards each key to
    the focused field at once, but the field applies them later; a form that reads its
    values straight from a priority Enter would read them too early. Screens handle
    ``on_after_typing`` and read the values then.
    """

    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag = tag


def after_typing(widget: Any, tag: str) -> None:
    widget.post_message(AfterTyping(tag))


class ThriftyScreen(Screen[Any]):
    """A screen whose first paint is one whole frame, not three (issue 7, terminal bytes).

    Textual 8 sends a newly pushed screen three times over: the layout on ScreenResume
    draws the whole screen; every widget's first resize leaves a stale "repaint me whole"
    mark that the next layout pass turns into a second near-whole frame; and bare
    ``refresh()`` calls (ScreenResume's own, a mount completing, a focus move) ask for a
    third. Over SSH that is ~20 KB per screen instead of ~7.

    The rule here: while the terminal is *in sync* with this screen — a whole frame was
    sent and every update since was sent too — a whole-screen repaint is redundant: skip a
    bare ``refresh()``, and let ``refresh(layout=True)`` repaint only what the layout pass
    moves, shows or hides (the compositor diffs the old and new maps). Right after a whole
    frame the stale marks are dropped (that frame drew every widget as it is). The terminal
    falls out of sync — and repaints go through as Textual asks — when this screen is
    covered, the app is suspended, an update is dropped (batched), or the screen's own
    styles change. Relies on Textual internals (pinned in pyproject);
    tests/tui/test_paint_economy.py feeds the output to a terminal emulator and compares
    it with the app's own whole render after every step, and counts the frames.
    """

    # Screen.focused repaints the whole screen on every focus move; the widgets that gain
    # and lose focus restyle and repaint themselves (Screen._update_focus_styles)
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    _in_sync: bool = False
    _first_frame_sent: bool = False
    _after_first_frame: list[Callable[[], Any]] | None = None

    def after_first_frame(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` once this screen's first whole frame has reached the terminal
        (work that can wait until the clerk already sees the screen)."""
        if self._first_frame_sent:
            self.call_later(callback)
            return
        if self._after_first_frame is None:
            self._after_first_frame = []
            # a screen that is never drawn whole (covered at once) still runs them, later
            self.set_timer(1.0, self._run_after_first_frame)
        self._after_first_frame.append(callback)

    def _run_after_first_frame(self) -> None:
        callbacks, self._after_first_frame = self._after_first_frame or [], None
        for callback in callbacks:
            self.call_later(callback)

    def _compositor_refresh(self) -> None:
        compositor = self._compositor
        app = self.app
        current = self is app.screen and not app.is_inline
        sent = (  # App._display really sends it (it drops updates while batching)
            current
            and not app._batch_count
            and app._running
            and not app._closed
            and app._driver is not None
        )
        pending = bool(compositor._dirty_regions) or bool(self._dirty_widgets)
        full = sent and compositor.size.region in compositor._dirty_regions
        super()._compositor_refresh()
        if full:
            self._repaint_required = False  # asked for before this frame: it is this frame
            for widget in compositor.visible_widgets:
                widget._exchange_repaint_regions()
            if not self._in_sync:
                self._in_sync = True
                app.app_resume_signal.subscribe(self, self._out_of_sync)
            if not self._first_frame_sent:
                self._first_frame_sent = True
                self._run_after_first_frame()
        elif current and pending and not sent:
            self._in_sync = False

    def _out_of_sync(self, *_: Any) -> None:
        self._in_sync = False

    def _on_screen_suspend(self) -> None:
        self._in_sync = False  # another screen covers this one

    def notify_style_update(self) -> None:
        self._in_sync = False  # the screen's own background may have changed
        super().notify_style_update()

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if self._in_sync and repaint and not (regions or recompose):
            if not layout:
                return self  # the terminal already shows this screen as it is
            repaint = False  # the layout pass repaints what it moves, shows or hides
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)


class DeskScreen(ThriftyScreen):
    """A screen that speaks the clerk's language: override :meth:`relabel`."""

    @property
    def desk(self) -> DeskApp:
        return cast(DeskApp, self.app)

    def t(self, key: str, **params: Any) -> str:
        return self.desk.t(key, **params)

    def _on_mount(self, event: events.Mount) -> None:
        self.watch(self.app, "lang", self._lang_changed, init=True)

    def _lang_changed(self, _lang: str) -> None:
        self.relabel()

    def relabel(self) -> None:
        """Set every visible label from the catalog (called on mount and language change)."""

    def run_service(
        self,
        call: Callable[[], T],
        done: Callable[[T], Any],
        failed: Callable[[DeskError], Any] | None = None,
        *,
        group: str = "service",
    ) -> None:
        """:func:`run_service` on this screen (the worker ends with the screen)."""
        run_service(self, call, done, failed, group=group)


ModalResult = TypeVar("ModalResult")


class DeskModal(ModalScreen[ModalResult]):
    """A modal dialog that speaks the clerk's language (its texts are set on compose)."""

    @property
    def desk(self) -> DeskApp:
        return cast(DeskApp, self.app)

    def t(self, key: str, **params: Any) -> str:
        return self.desk.t(key, **params)

    def run_service(
        self,
        call: Callable[[], T],
        done: Callable[[T], Any],
        failed: Callable[[DeskError], Any] | None = None,
        *,
        group: str = "service",
    ) -> None:
        """:func:`run_service` on this dialog."""
        run_service(self, call, done, failed, group=group)
