"""The Textual App: builds the services lazily and wires them to the screens.

This is the one core module that imports Textual. It only wires: screens call services and
render their results; the App owns the shared state every screen may read.

Contract for screens (kept stable; other rooms code against it)
---------------------------------------------------------------
``MssDeskApp(db_url: str | None = None, clock: Clock | None = None, lang: str = "kk",
settings=None, *, catalog=None, service_factory=None, board=False)``
    Tests pass a temporary SQLite URL and a ``FixedClock``. ``service_factory`` (tests
    only) returns a ready ``Services`` object instead of opening ``db_url``.
    ``BoardApp(...)`` (same arguments) is the read-only wall board (``mss-desk board``).

``app.services``
    ``mss_desk.services.Services``, built on first use (SQLModel/SQLAlchemy are imported
    then, never at start: the login screen must appear fast on a thin terminal).
``app.clock``
    ``mss_desk.clock.Clock`` — the only source of "now" (aware UTC).
``app.settings``
    the ``mss_desk.config.Settings`` object (``timezone``, ``language``,
    ``idle_lock_minutes`` …).
``app.catalog``
    ``mss_desk.catalog.Catalog`` (reference data; loaded on first use, no database).
``app.lang``
    reactive ``"kk" | "ru" | "en"``. Screens re-label by watching it:
    ``self.watch(self.app, "lang", self._relabel)``. F12 cycles kk → ru → en.
``app.clerk``
    the logged-in clerk view (``services.views.ClerkView``) or ``None``.
``app.t(key, **params) -> str``
    translation in the current language.
``app.department``
    the Department view of this desk (``services.setup.department()``), cached; or ``None``.
``app.tz``
    the Department's time-zone name (settings, default Asia/Almaty).
``app.show_error(err)`` / ``app.error_text(err)``
    a ``DeskError`` as a notification / as text in the clerk's language (never a traceback).
``app.today()``, ``app.local_now()``
    the Department's local date / time from the injected clock.
``app.office_status()`` / ``app.office_text(status)``
    item 10 (``rules.calendar.OfficeStatus``) and its sentence ("closed: lunch …").
``app.queue_terms() -> (warn, max)``
    the queue's warning and maximum minutes in force today (catalog terms).
``app.open_intake(ticket_id, ticket_number=None)``, ``app.reset_to(screen)``
    push the intake wizard (guarded import); make ``screen`` the only one above the default.
``app.check_idle_lock() -> bool``, ``app.action_lock()``, ``app.action_logout()``
    the idle lock (``settings.idle_lock_minutes`` on the injected clock; 0 = never).
``DeskScreen``
    an optional base class for screens: ``self.desk`` (the App, typed), ``self.t(...)``,
    and ``relabel()`` called on mount and on every language change.

Key bindings: a binding's ``description`` (and a ``Binding.Group`` description) may be an
i18n key (``ui.…``, ``intake.…``, ``cases.…``); the App translates every binding of every
screen on screen change and on language change, so the footer and the command palette always
speak the clerk's language. The command palette (ctrl+p) lists every binding of the current
screen and of the App (``DeskCommands`` follows the screen).

Screens of another room are imported lazily and guarded: ``screens.intake.IntakeScreen(
ticket_id: int | None = None)`` and ``screens.cases.CasesScreen()``.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.screen import Screen

from mss_desk.clock import DEFAULT_TZ, Clock, clock_from_env, local
from mss_desk.errors import DeskError, SignedOut
from mss_desk.i18n import LANGS, Localized
from mss_desk.i18n import t as translate

if TYPE_CHECKING:
    from mss_desk.catalog import Catalog
    from mss_desk.config import Settings
    from mss_desk.rules.calendar import BusinessCalendar, OfficeStatus
    from mss_desk.services import Services
    from mss_desk.services.views import ClerkView, DepartmentView, TicketView

TRANSLATED_PREFIXES = ("ui.", "intake.", "cases.", "common.", "lifecycle.", "safety.")
IDLE_CHECK_SECONDS = 5.0


# --------------------------------------------------------------------------- bindings i18n


def _is_key(text: str | None) -> bool:
    return bool(text) and str(text).startswith(TRANSLATED_PREFIXES)


def _names_keys(node: DOMNode) -> bool:
    """Does any binding of ``node`` carry an i18n key as its description?"""
    return any(
        _is_key(b.description) or (b.group is not None and _is_key(b.group.description))
        for bindings in node._bindings.key_to_bindings.values()
        for b in bindings
    )


def translate_bindings(node: DOMNode, t: Callable[[str], str]) -> None:
    """Replace i18n keys in ``node``'s binding descriptions by their translation.

    The original bindings (with keys) are kept on the node, so this can run again for
    another language.
    """
    original: dict[str, list[Binding]] | None = node.__dict__.get("_desk_original_bindings")
    if original is None:
        original = {k: list(v) for k, v in node._bindings.key_to_bindings.items()}
        node.__dict__["_desk_original_bindings"] = original
    groups: dict[Any, Any] = {}
    for key, bindings in original.items():
        new: list[Binding] = []
        for b in bindings:
            changes: dict[str, Any] = {}
            if _is_key(b.description):
                changes["description"] = t(b.description)
            if b.group is not None and _is_key(b.group.description):
                if b.group not in groups:
                    groups[b.group] = replace(b.group, description=t(b.group.description))
                changes["group"] = groups[b.group]
            new.append(replace(b, **changes) if changes else b)
        node._bindings.key_to_bindings[key] = new


# --------------------------------------------------------------------------- palette


class DeskCommands(Provider):
    """Every key of the current screen (and the App's) as a palette command, translated."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = cast("MssDeskApp", self.app)
        screen = self.screen
        out: list[tuple[str, str, Callable[[], Any]]] = []
        seen: set[tuple[int, str]] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not active.enabled or binding.action in ("command_palette", "app.command_palette"):
                continue
            title = binding.description or (binding.group.description if binding.group else "")
            if not title:
                continue
            if binding.group is not None and binding.description:
                title = f"{binding.group.description}: {binding.description}"
            marker = (id(active.node), binding.action)
            if marker in seen:
                continue
            seen.add(marker)
            key_text = binding.key_display or app.get_key_display(binding)
            out.append((title, key_text, partial(app.run_action, binding.action, active.node)))
        return out

    async def discover(self) -> Hits:
        for title, key_text, command in self._commands():
            yield DiscoveryHit(title, command, help=key_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, key_text, command in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, help=key_text)


# --------------------------------------------------------------------------- the app


class MssDeskApp(App[None]):
    """The front desk: setup → login → home (queue, intake, cases), idle lock, languages."""

    TITLE = "MSS Desk"
    CSS_PATH = "app.tcss"
    COMMANDS = {DeskCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("ctrl+p", "command_palette", "ui.key.palette", show=False, priority=True),
        Binding("f12", "cycle_lang", "ui.key.lang", priority=True),
        Binding("ctrl+l", "lock", "ui.key.lock", priority=True),
        Binding("f2", "open_queue", "ui.key.queue", show=False),
        Binding("f3", "new_intake", "ui.key.intake", show=False),
        Binding("f4", "open_cases", "ui.key.cases", show=False),
        # lifecycle room (issue 5): deadlines, files after intake, complaints, indicators
        Binding("f5", "open_lifecycle('dashboard')", "lifecycle.key.dashboard", show=False),
        Binding("f6", "open_lifecycle('forwarding')", "lifecycle.key.files", show=False),
        Binding("f7", "open_lifecycle('complaints')", "lifecycle.key.complaints", show=False),
        Binding("f8", "open_lifecycle('report')", "lifecycle.key.report", show=False),
        Binding("f10", "logout", "ui.key.logout", show=False),
        Binding("ctrl+q", "quit", "ui.key.quit", show=False, priority=True),
    ]

    lang: reactive[str] = reactive("kk", init=False)

    def __init__(
        self,
        db_url: str | None = None,
        clock: Clock | None = None,
        lang: str | None = None,
        settings: Settings | None = None,
        *,
        catalog: Catalog | None = None,
        service_factory: Callable[[], Services] | None = None,
        board: bool = False,
    ) -> None:
        super().__init__()
        if settings is None:
            from mss_desk.config import load_settings

            settings = load_settings()
        self.settings: Settings = settings
        self.db_url = db_url or getattr(self.settings, "database", None)
        self.tz: str = getattr(self.settings, "timezone", DEFAULT_TZ) or DEFAULT_TZ
        self.clock: Clock = clock or clock_from_env(self.tz)
        self._catalog = catalog
        self._service_factory = service_factory
        self._services: Services | None = None
        self._department: DepartmentView | None = None
        self._build_lock = threading.Lock()
        self._opening = False  # the start-up worker is opening the database
        self._calendar: BusinessCalendar | None = None
        self.board_mode = board
        self.clerk: ClerkView | None = None
        self.current_ticket: TicketView | None = None
        self.locked = False
        self.print_slips = True  # tests and snapshots turn paper off
        self.last_activity: datetime = self.clock.now()
        self._notice_lock = threading.Lock()
        self._started = False  # the first screen is painted: when_started jobs run at once
        self._when_started: list[Callable[[], Any]] = []
        start_lang = lang or getattr(self.settings, "language", "kk") or "kk"
        self.set_reactive(MssDeskApp.lang, start_lang if start_lang in LANGS else "kk")
        self.title = self.t("ui.app.title")

    # ---------------------------------------------------------------- shared state

    def t(self, key: str, **params: Any) -> str:
        return translate(key, self.lang, **params)

    @property
    def services(self) -> Services:
        if self._services is None:
            # The start-up worker may be building them: wait for it (it never needs this
            # thread); had it failed, build here, its error is ours.
            with self._build_lock:
                if self._services is None:
                    self._services = self._build_services()
        return self._services

    @property
    def services_ready(self) -> bool:
        """The services are built (the start-up worker is done): using them will not block."""
        return self._services is not None

    @property
    def services_opening(self) -> bool:
        """The start-up worker is still opening the database (screens wait, never block)."""
        return self._services is None and self._opening

    def _build_services(self) -> Services:
        if self._service_factory is not None:
            return self._service_factory()
        return build_services(self.db_url, self.clock, self.catalog)

    @property
    def catalog_loaded(self) -> bool:
        """The reference data is already in memory (``catalog`` costs nothing)."""
        return self._catalog is not None

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            from mss_desk.catalog import load_catalog

            self._catalog = load_catalog()
        return self._catalog

    @property
    def department(self) -> DepartmentView | None:
        if self._department is None:
            try:
                self._department = self.services.setup.department()
            except DeskError:
                return None
        return self._department

    @property
    def clerk_id(self) -> int:
        """The signed-in clerk's id for a service call; ``SignedOut`` when nobody is."""
        if self.clerk is None:
            raise SignedOut
        return self.clerk.id

    def forget_department(self) -> None:
        self._department = None

    def today(self) -> date:
        return local(self.clock.now(), self.tz).date()

    def local_now(self) -> datetime:
        return local(self.clock.now(), self.tz)

    def office_status(self) -> OfficeStatus | None:
        """``rules.calendar.OfficeStatus`` now, or ``None`` while the calendar is unknown."""
        if self._calendar is None:
            try:
                from mss_desk.rules.calendar import BusinessCalendar
            except ImportError:
                return None
            self._calendar = BusinessCalendar(self.catalog.calendar_overrides)
        return self._calendar.office_status(self.local_now())

    def office_text(self, status: OfficeStatus | None) -> str:
        """Item 10 in words: open, or closed and why (weekend, holiday, hours, lunch)."""
        if status is None:
            return self.t("ui.office.unknown")
        if status.open:
            return self.t("ui.office.open")
        reason = status.reason or "after_hours"
        name: str = status.holiday_name or ""
        if reason == "holiday" and self._calendar is not None:
            today = self.today()
            names = {lang: self._calendar.holiday_name(today, lang) or name for lang in LANGS}
            name = Localized.of(names, self.lang)  # a toast re-said on F12 renames it too
        return self.t(f"ui.office.{reason}", name=name)

    def queue_terms(self) -> tuple[int, int]:
        """(warn, max) wait minutes in force today (items 7.2, 7.3; data, not code)."""
        try:
            terms = self.catalog.terms(self.today())
            return terms.queue_warn_minutes, terms.queue_max_minutes
        except Exception:  # noqa: BLE001 - the list still works with the standard's values
            return 30, 40

    def error_text(self, err: DeskError) -> str:
        return self.t(err.key, **err.params)

    def show_error(self, err: DeskError) -> None:
        self.notify(self.error_text(err), severity="error", markup=False)

    def close_services(self) -> None:
        """Dispose of the engine this App opened (not one a factory handed in)."""
        if self._services is not None and self._service_factory is None:
            engine = getattr(self._services, "engine", None)
            if engine is not None:
                engine.dispose()

    def on_unmount(self) -> None:
        self.close_services()

    # ---------------------------------------------------------------- start

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._screen_changed)
        translate_bindings(self, self.t)
        self.call_after_refresh(self._run_when_started)
        if self.board_mode:
            from screens.board import BoardScreen

            self.push_screen(BoardScreen())
            return
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_lock, name="idle-lock")
        if self._surely_new_database():
            from screens.setup import SetupScreen

            self.push_screen(SetupScreen())
            return
        from screens.login import LoginScreen

        self.push_screen(LoginScreen())
        # Open the database only after the login screen is painted, in a thread: SQLAlchemy's
        # import and the migration check take a second; keys typed meanwhile are kept.
        self._opening = True
        self.call_after_refresh(self._start_opening)

    def _start_opening(self) -> None:
        self.run_worker(self._open_services, thread=True, group="open-services")

    def _open_services(self) -> None:
        """Worker thread: build the services and answer the first-screen question."""
        needed: bool | None = None
        error: DeskError | None = None
        try:
            needed = self.needs_setup()  # builds the services (``services``)
            self._remember_department_names()
        except DeskError as err:
            error = err
        try:
            self.call_from_thread(self._services_opened, needed, error)
        except RuntimeError:  # the App has already exited
            pass

    def _names_file(self) -> Path:
        from mss_desk.locations import data_dir

        where = self.db_url or os.environ.get("MSS_DESK_DATABASE") or ""
        key = hashlib.sha256(where.encode()).hexdigest()[:16]
        return data_dir() / f"department-name-{key}.json"

    def cached_department_names(self) -> dict[str, str]:
        """The Department's names as last seen in this database ({lang: name}; maybe empty):
        a tiny file, so the login screen shows them on its first paint without SQLAlchemy."""
        try:
            data = json.loads(self._names_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}

    def _remember_department_names(self) -> None:
        dept = self._department
        if dept is None:
            return
        names = {"kk": str(dept.name_kk or ""), "ru": str(dept.name_ru or "")}
        if names == self.cached_department_names():
            return
        try:  # not personal data: the public name of the Department
            file = self._names_file()
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass

    def _services_opened(self, needed: bool | None, error: DeskError | None) -> None:
        self._opening = False
        if error is not None:
            self._start_failed(error)
            return
        if needed:
            from screens.setup import SetupScreen

            self.switch_screen(SetupScreen())
            return
        for screen in self.screen_stack:
            hook = getattr(screen, "services_ready", None)
            if callable(hook):
                hook()

    def _surely_new_database(self) -> bool:
        """No SQLite file yet: first run, decided without importing SQLAlchemy."""
        if self._service_factory is not None:
            return False
        url = self.db_url or os.environ.get("MSS_DESK_DATABASE") or ""
        if "://" in url and not url.startswith("sqlite:///"):
            return False
        if url.startswith("sqlite:///"):
            raw = url[len("sqlite:///") :].split("?", 1)[0]
            if not raw or raw == ":memory:":
                return False
            path = Path(raw)
        elif url:
            path = Path(url).expanduser()
        else:
            from mss_desk.locations import default_db_path

            path = default_db_path()
        return not path.exists()

    def needs_setup(self) -> bool:
        services = self.services
        return self.department is None or not services.clerks.has_any()

    def _check_setup(self) -> None:
        try:
            needed = self.needs_setup()
        except DeskError as err:
            self._start_failed(err)
            return
        if needed:
            from screens.setup import SetupScreen

            self.switch_screen(SetupScreen())

    # ---------------------------------------------------------------- damaged database

    def _start_failed(self, err: DeskError) -> None:
        """Item 18.6: a damaged database at start. Offer the newest good backup (named, with
        its time); with none, say so and quit. Any other error is shown as usual."""
        if err.key not in ("safety.damaged", "safety.damaged_no_backup"):
            self.show_error(err)
            return
        from screens.restore import RestoreScreen

        backup = str(err.params.get("backup") or "") or None
        taken = self._backup_time(Path(backup)) if backup else ""
        self.push_screen(
            RestoreScreen(self.error_text(err), backup, taken),
            partial(self._restore_answered, err, backup is not None),
        )

    def _backup_time(self, file: Path) -> str:
        from mss_desk.store.backup import list_backups

        for info in list_backups(file.parent):
            if info.path.name == file.name:
                return local(info.taken_at, self.tz).strftime("%d.%m.%Y %H:%M")
        return ""

    def _restore_answered(self, err: DeskError, offered: bool, restore: bool | None) -> None:
        if not (offered and restore):
            self.exit(return_code=1, message=self.error_text(err))
            return
        self.notify(self.t("safety.restoring"), timeout=3)
        self._restore_worker()

    @work(thread=True, exclusive=True, group="restore")
    def _restore_worker(self) -> None:
        from mss_desk.store.backup import restore_last_good
        from mss_desk.store.engine import resolve_url

        try:
            result = restore_last_good(resolve_url(self.db_url), clock=self.clock)
        except DeskError as err:
            self.call_from_thread(self._restore_failed, err)
            return
        self.call_from_thread(self._restored, result.restored_from.name)

    def _restored(self, name: str) -> None:
        self._services = None
        self._department = None
        self.notify(self.t("safety.restore_done", path=name), markup=False, timeout=5)
        self._check_setup()

    def _restore_failed(self, err: DeskError) -> None:
        from screens.restore import RestoreScreen

        self.push_screen(
            RestoreScreen(self.error_text(err), None),
            lambda _answer: self.exit(return_code=1, message=self.error_text(err)),
        )

    def report_backup_failure(self, exc: BaseException) -> None:
        """The automatic daily backup failed (``cli run`` takes it in a thread beside the
        App): tell the clerk with a warning; work goes on. Safe from any thread, before or
        after the App starts (kept until the first screen is up)."""
        reason = self.error_text(exc) if isinstance(exc, DeskError) else type(exc).__name__
        text = self.t("safety.auto_backup_failed", reason=reason)
        with self._notice_lock:
            if not self._started:
                self._when_started.append(
                    partial(self.notify, text, severity="warning", markup=False, timeout=10)
                )
                return
        try:
            self.call_from_thread(self.notify, text, severity="warning", markup=False, timeout=10)
        except RuntimeError:  # the App has already exited, or this is its own thread
            if self.is_running:
                self.notify(text, severity="warning", markup=False, timeout=10)

    def _run_when_started(self) -> None:
        with self._notice_lock:
            self._started = True
            jobs, self._when_started = self._when_started, []
        for job in jobs:
            job()

    def when_started(self, job: Callable[[], Any]) -> None:
        """Run ``job`` (on the App's thread) once the first screen is painted — e.g. the CLI's
        daily backup thread, which imports SQLAlchemy: not before the clerk sees the desk."""
        with self._notice_lock:
            if not self._started:
                self._when_started.append(job)
                return
        job()

    def _screen_changed(self, screen: Screen[Any]) -> None:
        self._translate_screen(screen)
        screen.refresh_bindings()

    def _translate_screen(self, screen: Screen[Any]) -> None:
        """The screen's bindings and those of its widgets that name i18n keys."""
        translate_bindings(screen, self.t)
        for widget in screen.walk_children(with_self=False):
            if "_desk_original_bindings" in widget.__dict__ or _names_keys(widget):
                translate_bindings(widget, self.t)

    def watch_lang(self, lang: str) -> None:
        from widgets.toasts import retranslate_toasts

        self.title = self.t("ui.app.title")
        translate_bindings(self, self.t)
        for screen in self.screen_stack:
            self._translate_screen(screen)
        self.screen.refresh_bindings()
        retranslate_toasts(self, lang)  # toasts on screen follow F12 (or go): one language

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """No blinking cursor: ~1.3 KB/s of repaint when idle costs a slow SSH link."""
        widget = event.widget
        if getattr(widget, "cursor_blink", False) is True:
            widget.cursor_blink = False  # type: ignore[attr-defined]
        if "_desk_original_bindings" not in widget.__dict__ and _names_keys(widget):
            translate_bindings(widget, self.t)  # a widget mounted after its screen appeared
            widget.refresh_bindings()

    # ---------------------------------------------------------------- idle lock

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self.last_activity = self.clock.now()
        if isinstance(event, events.Paste) and not event.is_forwarded:
            # A paste reaches every field through here: controls and bidi overrides never
            # get into a field (nor back out to the terminal when the field shows it).
            from mss_desk.text import clean

            event.text = clean(event.text)
        await super().on_event(event)

    def idle_limit(self) -> timedelta | None:
        minutes = getattr(self.settings, "idle_lock_minutes", 5)
        return timedelta(minutes=minutes) if minutes else None

    def check_idle_lock(self) -> bool:
        """Lock if nobody touched the keyboard for ``idle_lock_minutes``; True if it locked."""
        limit = self.idle_limit()
        if self.clerk is None or self.locked or limit is None:
            return False
        if self.clock.now() - self.last_activity >= limit:
            self.action_lock()
            return True
        return False

    def action_lock(self) -> None:
        if self.clerk is None or self.locked:
            return
        from screens.lock import LockScreen

        self.locked = True
        self.clear_notifications()  # a toast may carry a name
        self.push_screen(LockScreen())

    def unlocked(self) -> None:
        self.locked = False
        self.last_activity = self.clock.now()
        self.pop_screen()

    # ---------------------------------------------------------------- session

    def logged_in(self, clerk: ClerkView) -> None:
        from screens.home import HomeScreen

        self.clerk = clerk
        self.locked = False
        self.last_activity = self.clock.now()
        self.reset_to(HomeScreen())

    def action_logout(self) -> None:
        from screens.login import LoginScreen

        self.clerk = None
        self.locked = False
        self.current_ticket = None
        self.clear_notifications()
        self.reset_to(LoginScreen())

    def reset_to(self, screen: Screen[Any]) -> None:
        """Make ``screen`` the only one above the default screen.

        The stack changes at once (the mounting follows): a key typed right after the
        Enter that signed in (F2 …) lands on the new screen, not under it.
        """
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(screen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_queue", "new_intake", "open_cases", "lock", "open_lifecycle"):
            return self.clerk is not None and not self.locked and not self.board_mode
        if action == "logout":
            return self.clerk is not None and not self.board_mode
        return True

    # ---------------------------------------------------------------- actions

    def action_cycle_lang(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast(App[object], self)):
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=self.t("ui.palette.search"))
            )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        return ()  # the English system commands are replaced by DeskCommands

    def action_open_queue(self) -> None:
        from screens.queue import QueueScreen

        if isinstance(self.screen, QueueScreen):
            return
        self.push_screen(QueueScreen())

    def action_new_intake(self) -> None:
        self.open_intake(None)

    def open_intake(self, ticket_id: int | None, ticket_number: str | None = None) -> bool:
        """Push the intake wizard, for a called ``submit`` ticket or a walk-in (None)."""
        from screens.intake import IntakeScreen

        self.push_screen(IntakeScreen(ticket_id=ticket_id, ticket_number=ticket_number))
        return True

    def action_open_cases(self) -> None:
        from screens.cases import CasesScreen

        self.push_screen(CasesScreen())

    def action_open_lifecycle(self, name: str) -> None:
        """The files after intake: deadlines, forwarding, complaints, indicators (screens are
        imported on first use: the login screen must paint before they load)."""
        screen_cls: type[Screen[Any]]
        if name == "dashboard":
            from screens.dashboard import DashboardScreen as screen_cls
        elif name == "forwarding":
            from screens.forwarding import ForwardingScreen as screen_cls
        elif name == "complaints":
            from screens.complaints import ComplaintsScreen as screen_cls
        else:
            from screens.report import ReportScreen as screen_cls
        if isinstance(self.screen, screen_cls):
            return
        self.push_screen(screen_cls())

    # ---------------------------------------------------------------- paper

    def print_ticket_slip(self, ticket: Any, label: str, ahead: int | None = None) -> None:
        """Print the queue ticket in a thread; never blocks, never crashes the desk."""
        self._print_ticket_worker(ticket, label, ahead)

    @work(thread=True, group="paper", exit_on_error=False)
    def _print_ticket_worker(self, ticket: Any, label: str, ahead: int | None) -> None:
        from mss_desk import paper
        from mss_desk.paper import print_ticket

        try:
            data = paper.TicketSlipData(
                number=label,
                purpose=ticket.purpose,
                issued_at=ticket.issued_at,
                department=self._department_contact(paper),
                max_wait_minutes=None if ticket.purpose == "consult" else self.queue_terms()[1],
                ahead=ahead,
                tz_name=self.tz,
            )
            print_ticket(data, paper.paper_settings(self.settings))
        except DeskError as err:
            self.call_from_thread(self.show_error, err)
        except Exception:  # noqa: BLE001 - a printer problem must not stop the queue
            self.call_from_thread(self.notify, self.t("ui.queue.print_failed"), severity="warning")
        else:
            self.call_from_thread(self.notify, self.t("ui.queue.printed", number=label), timeout=3)

    def _department_contact(self, paper: Any) -> Any:
        dept = self.department
        code = getattr(dept, "code", None)
        spec = self.catalog.departments.get(code) if code is not None else None
        if spec is None:
            return paper.DepartmentContact(name_kk="", name_ru="", address="")
        return paper.DepartmentContact(
            name_kk=spec.name_kk, name_ru=spec.name_ru, address=spec.address_kk, phones=spec.phones
        )


class BoardApp(MssDeskApp):
    """``mss-desk board``: the read-only wall board of called tickets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "board": True})


def build_services(db_url: str | None, clock: Clock, catalog: Catalog) -> Services:
    """Open the store and build the services (imports SQLModel: first DB use only)."""
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store, resolve_url

    return Services(open_store(resolve_url(db_url)), clock, catalog)


if TYPE_CHECKING:  # mypy checks that the App is what the screens take it for
    from screens.base import DeskApp

    _desk_app_contract: type[DeskApp] = MssDeskApp
