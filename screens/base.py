"""The bases every screen and modal stands on, and the App as screens see it.

Screens never import ``mss_desk.app`` (an import-linter contract): the App imports the
screens, and the screens know the App only through :class:`DeskApp`, the protocol below,
which ``MssDeskApp`` implements (mypy checks it in ``mss_desk/app.py``).

- :class:`ThriftyScreen`: a screen whose first paint is one whole frame (slow SSH links).
- :class:`DeskScreen`: speaks the clerk's language (``relabel`` on mount and on F12) and runs
  service calls off the UI thread (:meth:`DeskScreen.run_service`).
- :class:`DeskModal`: the same for modal dialogs (the shared ones are in ``screens/dialogs/``).
- :func:`run_service`: a service call in a thread worker, its answer back on the UI thread;
  one call of a group at a time (a second Enter does not write twice).
- :class:`AfterTyping`: a message that arrives after every key already sent to a field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, cast

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
    def hold_keys(self) -> None: ...
    def release_keys(self) -> None: ...
    def unlocked(self) -> None: ...
    def action_logout(self) -> None: ...
    def reset_to(self, screen: Screen[Any]) -> None: ...
    def open_intake(self, ticket_id: int | None, ticket_number: str | None = None) -> bool: ...
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


def run_service(
    node: Widget | Screen[Any],
    call: Callable[[], T],
    done: Callable[[T], Any],
    failed: Callable[[DeskError], Any] | None = None,
    *,
    group: str = "service",
    queue: bool = False,
) -> bool:
    """Run a service call in a thread worker; hand its result (or its ``DeskError``) back to
    ``done`` (or ``failed``, default: the App's error notice) on the UI thread.

    A write may wait for the database lock (up to the busy timeout): on the UI thread that
    would freeze the screen, keys and all. One call of a ``group`` of a node runs at a time.
    While one is in flight, another call of that group is dropped (returns False): a second
    Enter or Ctrl+S while the first write waits does not write twice. With ``queue`` it is
    run after the one in flight instead, in order (each key is its own act: a ticket for
    each visitor). Returns True when the call was started or queued.

    Each call's worker ends only after its ``done``/``failed`` has run, and a queued call is
    started before that: a test that waits until no worker is left
    (``tests/tui/conftest.py: answered``) has seen every answer.
    """
    app = node.app
    state: dict[str, list[Callable[[], None]]] = node.__dict__.setdefault("_desk_in_flight", {})

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
        except BaseException:
            state.pop(group, None)  # (this thread may not start workers: queued calls go)
            raise  # a bug: the worker reports it (exit_on_error)
        _deliver(done, result)

    def _next() -> None:
        """This call is over: start the next one queued in the group, or free the group."""
        pending = state.get(group)
        if pending and node.is_attached:
            pending.pop(0)()
        else:
            state.pop(group, None)

    def _finish(callback: Callable[[Any], Any], value: Any) -> Any:
        _next()  # before the callback: it may start another call of the group
        return callback(value)

    def _deliver(callback: Callable[[Any], Any], value: Any) -> None:
        try:
            app.call_from_thread(_finish, callback, value)
        except RuntimeError:  # the App has already exited
            state.pop(group, None)

    def _start() -> None:
        node.run_worker(
            _work, thread=True, group=f"desk-{group}", exclusive=False, exit_on_error=True
        )

    if group in state:
        if not queue:
            return False
        state[group].append(_start)
        return True
    state[group] = []
    _start()
    return True


def service_busy(node: Widget | Screen[Any], group: str = "service") -> bool:
    """A call of ``group`` started by ``node`` (:func:`run_service`) is still in flight."""
    return group in node.__dict__.get("_desk_in_flight", {})


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
    _held_in_batch: bool = False  # a frame was asked for while the App was batching
    _first_frame_sent: bool = False
    _after_first_frame: list[Callable[[], Any]] | None = None

    _shown_bindings: Any = None  # what the footer was last told to show

    # Issue 12 point 15 (start-up): Textual restyles every widget of a screen when it is first
    # shown (ScreenResume), though each was styled as it was mounted, moments before; for
    # the login and setup screens that was a tenth of the way to the first frame. A screen
    # that sets this skips that first restyle when the stylesheet is still the one its
    # widgets were styled with (a class or pseudo-class changed since restyles its widget
    # anyway). tests/tui/test_first_styles.py compares every widget's styles with Textual's.
    KEEPS_FIRST_STYLES: ClassVar[bool] = False
    _styled_with: Any = None  # the stylesheet's rules when the screen was mounted

    def refresh_bindings(self) -> None:
        """Tell the footer only when what it shows has changed. Textual's Footer rebuilds
        itself whole on every call, and a screen coming up makes several in a row (focus
        set, screen resumed, translated, the app's keymap): the login's footer was composed
        four times on the way to the clerk (issue 12 point 15: start-up). An app without
        focus is told every time (Textual's footer ignores it then; it asks again on focus);
        a footer that has just subscribed is told (Textual internals, pinned)."""
        app = self.app
        try:
            # a footer mounted since the last call has not been told yet: it counts
            listeners = len(self.bindings_updated_signal._subscriptions)
            shown = (listeners,) + tuple(
                (key, b.binding.description, b.binding.show, b.binding.key_display,
                 b.binding.group, b.enabled, b.tooltip, b.binding.action)
                for key, b in self.active_bindings.items()
            )
        except Exception:  # noqa: BLE001 - not mounted yet, or going: Textual as it is
            shown = None
        if shown is not None and shown == self._shown_bindings and app.app_focus:
            return
        self._shown_bindings = shown if app.app_focus else None
        super().refresh_bindings()

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

    def follow_lang(self, relabel: Callable[..., Any]) -> None:
        """Call ``relabel`` whenever the App's language changes (F12); an App without a
        reactive ``lang`` (a bare test App) has nothing to follow."""
        if hasattr(self.app, "lang"):
            try:
                self.watch(self.app, "lang", relabel, init=False)
            except Exception:  # noqa: BLE001 - an App without a reactive lang
                pass

    def _run_after_first_frame(self) -> None:
        callbacks, self._after_first_frame = self._after_first_frame or [], None
        for callback in callbacks:
            self.call_later(callback)

    def _compositor_refresh(self) -> None:
        compositor = self._compositor
        app = self.app
        current = self is app.screen and not app.is_inline
        if current and app._batch_count and app._running and not app._closed:
            # App._display would drop the frame (at start-up the first screen is mounted
            # inside Textual's batch): keep what is dirty; the App renders it when the batch
            # ends (screens.rows.RowsApp._end_batch; issue 12.15)
            self._held_in_batch = True
            return
        sent = (  # App._display really sends it (it drops updates while batching)
            current
            and not app._batch_count
            and app._running
            and not app._closed
            and app._driver is not None
        )
        pending = bool(compositor._dirty_regions) or bool(self._dirty_widgets)
        if sent and pending and not self._first_frame_sent:
            # nothing of this screen is on the terminal yet: its first update is the whole
            # frame (not pieces of it first, then the frame again), so the clerk sees the
            # screen with the first bytes written
            compositor._dirty_regions.add(compositor.size.region)
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

    def _on_mount(self, _event: events.Mount) -> None:
        # every widget composed by now was styled with these rules as it was registered
        sheet = self.app.stylesheet
        if self.KEEPS_FIRST_STYLES and not sheet._require_parse:
            self._styled_with = sheet._rules

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual's own handler (Screen's) runs after this one, with the same event
        styled_with, self._styled_with = self._styled_with, None
        sheet = self.app.stylesheet
        if styled_with is not None and not sheet._require_parse and sheet._rules is styled_with:
            event.refresh_styles = False

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


class _SpeaksDesk:
    """What every desk screen and dialog has: the App as :class:`DeskApp`, its language,
    and service calls off the UI thread."""

    app: Any  # Textual's (a Screen provides it)

    @property
    def desk(self) -> DeskApp:
        return cast(DeskApp, self.app)

    def t(self, key: str, **params: Any) -> str:
        return self.desk.t(key, **params)

    def run_service(
        self, call: Callable[[], T], done: Callable[[T], Any], *args: Any, **options: Any
    ) -> bool:
        """:func:`run_service` on this screen or dialog (``failed``, ``group``, ``queue`` as
        there; False: a call of the group is in flight). Its worker ends with the screen."""
        return run_service(cast("Screen[Any]", self), call, done, *args, **options)


class DeskScreen(_SpeaksDesk, ThriftyScreen):
    """A screen that speaks the clerk's language: override :meth:`relabel`."""

    def _on_mount(self, event: events.Mount) -> None:
        self.watch(self.app, "lang", self._lang_changed, init=True)

    def _lang_changed(self, _lang: str) -> None:
        self.relabel()

    def relabel(self) -> None:
        """Set every visible label from the catalog (called on mount and language change)."""


ModalResult = TypeVar("ModalResult")


class DeskModal(_SpeaksDesk, ModalScreen[ModalResult]):
    """A modal dialog that speaks the clerk's language (its texts are set on compose)."""
