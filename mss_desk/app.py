"""The Textual App: builds the services lazily and wires them to the screens.

This is the one core module that imports Textual, and it only wires: screens call services
and render their results; the App owns the shared state every screen may read. Screens know
the App as ``screens.base.DeskApp`` (a protocol, checked by mypy at the end of this file),
never by importing this module.

``MssDeskApp(db_url=None, clock=None, lang=None, settings=None, *, catalog=None,
service_factory=None, board=False)``: tests pass a temporary SQLite URL and a
``FixedClock``; ``service_factory`` (tests only) returns a ready ``Services``.
``BoardApp(...)`` is the read-only wall board (``mss-desk board``).

Start-up stays fast: the login screen is painted first, then a worker opens the database
(SQLAlchemy is imported there); a damaged database is offered its last good backup
(``screens.restore.offer_restore``). Key bindings name i18n keys and are translated on every
screen change and F12 (``widgets.bindings``); the command palette follows the screen
(``screens.palette.DeskCommands``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import Screen

from mss_desk.clock import DEFAULT_TZ, Clock, RunningClock, clock_from_env, local
from mss_desk.errors import DeskError, SignedOut
from mss_desk.i18n import LANGS, Localized
from mss_desk.i18n import t as translate
from screens.clerk_language import apply_clerk_lang, language_chosen
from screens.kept_css import KeptStylesheet, shared_keep
from screens.keys import OrderedKeysApp  # issue 12: keys one at a time, Esc in a burst
from screens.palette import DeskCommands
from screens.rows import RowsApp  # issue 12.14: only the rows that changed reach the terminal
from screens.scanner import ScanReader
from screens.startup import StartJobs
from widgets import keymap
from widgets.bindings import (  # noqa: F401 - TRANSLATED_PREFIXES: importable from here too
    TRANSLATED_PREFIXES,
    translate_bindings,
    translate_new,
    translate_tree,
)

if TYPE_CHECKING:
    from mss_desk.catalog import Catalog
    from mss_desk.config import Settings
    from mss_desk.rules.calendar import BusinessCalendar, OfficeStatus
    from mss_desk.services import Services
    from mss_desk.services.views import ClerkView, DepartmentView, TicketView

IDLE_CHECK_SECONDS = 5.0


# --------------------------------------------------------------------------- the app


class MssDeskApp(RowsApp, OrderedKeysApp):
    """The front desk: setup → login → home (queue, intake, cases), idle lock, languages."""

    TITLE = "MSS Desk"
    # The first screens' styles are read with the App's (issue 12.15): a screen that brings
    # a stylesheet of its own makes Textual parse every stylesheet read so far once more
    CSS_PATH = ["app.tcss", "../screens/login.tcss", "../screens/setup.tcss"]
    COMMANDS = {DeskCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = keymap.bindings(*keymap.GLOBAL)  # issue 12.3: one keymap, as data

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
        # issue 12.15: the CSS parsed on an earlier start is kept, like bytecode
        self.stylesheet = KeptStylesheet(variables=self.stylesheet._variables, keep=shared_keep())
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
        # The idle lock runs on real elapsed time, whatever the desk's date: with a training
        # clock (MSS_DESK_NOW) standing still it must still lock (issue 15, item 12).
        self.idle_clock: Clock = RunningClock(self.clock.now())
        self.last_activity: datetime = self.idle_clock.now()
        self._start_jobs = StartJobs()  # run once the first screen is painted
        self._held_keys: list[events.Key] | None = None  # a sign-in is in flight
        # F12 pressed while nobody was signed in (the login screen): the clerk who signs in
        # next chose that language, it is remembered for them (issue 12.12)
        self.lang_chosen_signed_out = False
        self._scans = ScanReader(self)  # issue 12.5: a scanner on any screen
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
        department = getattr(self.settings, "department", None)
        return build_services(self.db_url, self.clock, self.catalog, department)

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
        from screens.startup import surely_new_database

        if self._service_factory is None and surely_new_database(self.db_url):
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
            from screens.startup import remember_department_names

            remember_department_names(self.names_key(), self._department)
        except DeskError as err:
            error = err
        try:
            self.call_from_thread(self._services_opened, needed, error)
        except RuntimeError:  # the App has already exited
            pass

    def cached_department_names(self) -> dict[str, str]:
        """The Department's names as last seen in this database (``screens.startup``)."""
        from screens.startup import cached_department_names

        return cached_department_names(self.names_key())

    def names_key(self) -> str | None:
        """What the cached Department names are kept under: the database, and the desk's
        Department when its settings name one (issue 15, item 2: desks of two Departments
        on one database, run by one system user, never show each other's name)."""
        department = getattr(self.settings, "department", None)
        if department is None:
            return self.db_url
        import os

        where = self.db_url or os.environ.get("MSS_DESK_DATABASE") or ""
        return f"{where}#department={department}"

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

    def needs_setup(self) -> bool:
        services = self.services
        # a database of several Departments, this desk not saying which: an error, never
        # first-run setup (issue 15, item 2: ``DepartmentNotChosen`` propagates)
        if not services.setup.is_initialised():
            return True
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
        """Item 18.6: a damaged database at start is offered its last good backup
        (``screens.restore``); any other error is shown as usual."""
        from screens.restore import offer_restore

        if not offer_restore(self, err, self._backup_taken, self._restore, self._restored):
            self.show_error(err)

    def _backup_taken(self, file: Path) -> str:
        """When the backup ``file`` was taken, in the Department's time ("" if unknown)."""
        from mss_desk.store.backup import list_backups

        for info in list_backups(file.parent):
            if info.path.name == file.name:
                return local(info.taken_at, self.tz).strftime("%d.%m.%Y %H:%M")
        return ""

    def _restore(self) -> str:
        """Worker thread: the last good backup in place of the damaged file; its name."""
        from mss_desk.store.backup import restore_last_good
        from mss_desk.store.engine import resolve_url

        return restore_last_good(resolve_url(self.db_url), clock=self.clock).restored_from.name

    def _restored(self) -> None:
        """The backup is in place: forget the services of the damaged file, start again."""
        self._services = None
        self._department = None
        self._check_setup()

    def report_backup_failure(self, exc: BaseException) -> None:
        """The automatic daily backup failed (``cli run`` takes it in a thread beside the
        App): tell the clerk with a warning; work goes on. Safe from any thread, before or
        after the App starts (kept until the first screen is up)."""
        reason = self.error_text(exc) if isinstance(exc, DeskError) else type(exc).__name__
        text = self.t("safety.auto_backup_failed", reason=reason)
        say = partial(self.notify, text, severity="warning", markup=False, timeout=10)
        if self._start_jobs.keep(say):
            return
        try:
            self.call_from_thread(say)
        except RuntimeError:  # the App has already exited, or this is its own thread
            if self.is_running:
                say()

    def _run_when_started(self) -> None:
        for job in self._start_jobs.started():
            job()

    def when_started(self, job: Callable[[], Any]) -> None:
        """Run ``job`` (on the App's thread) once the first screen is painted — e.g. the CLI's
        daily backup thread, which imports SQLAlchemy: not before the clerk sees the desk."""
        if not self._start_jobs.keep(job):
            job()

    def _load_screen_css(self, screen: Screen[Any]) -> None:
        # Textual internal (pinned), called as a screen is pushed, before its widgets are
        # composed: its keys are translated before its footer is first built, so the footer
        # is built once, in the clerk's language (the login's showed "ui.key.login" for a
        # frame and was rebuilt; issue 12 point 15: start-up)
        translate_bindings(screen, self.t)
        super()._load_screen_css(screen)

    def _screen_changed(self, screen: Screen[Any]) -> None:
        if self._translate_screen(screen):  # else the footer has nothing new to show
            screen.refresh_bindings()

    def _translate_screen(self, screen: Screen[Any]) -> bool:
        return translate_tree(screen, self.t)

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
        if translate_new(widget, self.t):  # a widget mounted after its screen appeared
            widget.refresh_bindings()

    # ---------------------------------------------------------------- idle lock

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self.last_activity = self.idle_clock.now()
        if isinstance(event, events.Key) and self._held_keys is not None:
            self._held_keys.append(event)  # for the screen the sign-in opens
            return
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
        if self.idle_clock.now() - self.last_activity >= limit:
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
        self.last_activity = self.idle_clock.now()
        self.pop_screen()

    # ---------------------------------------------------------------- session

    def hold_keys(self) -> None:
        """Keys typed from now on wait for :meth:`release_keys`.

        A sign-in (login, unlock, the first account) checks the password in a worker; the
        keys typed after its Enter ("password⏎F2" in one burst over SSH) belong to the
        screen it opens, as they did when the check ran on this thread.
        """
        if self._held_keys is None:
            self._held_keys = []

    def release_keys(self) -> None:
        """Hand the held keys, in order, to whichever screen is up now."""
        held, self._held_keys = self._held_keys, None
        for key in held or ():
            self.post_message(events.Key(key.key, key.character))

    def logged_in(self, clerk: ClerkView) -> None:
        from screens.home import HomeScreen

        self.clerk = clerk
        self.locked = False
        self.last_activity = self.idle_clock.now()
        apply_clerk_lang(self, clerk)
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

    @property
    def regional(self) -> bool:
        """This is the Regional Department's desk (code 0, issue 14): no counter here."""
        return self._department is not None and self._department.code == 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # issue 14.2: the regional desk has no queue or intake of its own; F6 (files) and F5
        # (deadlines) open its incoming files, F8 Annex 2 for the region
        # (``action_open_lifecycle``), F4 its case search (``screens.region_search``)
        if self.regional and (action in ("open_queue", "new_intake") or (
                action == "open_lifecycle" and parameters[:1] not in (("dashboard",),
                                                                        ("forwarding",),
                                                                        ("report",),
                                                                        ("complaints",)))):
            return False
        if action in ("open_queue", "new_intake", "open_cases", "lock", "open_lifecycle"):
            return self.clerk is not None and not self.locked and not self.board_mode
        if action == "logout":
            return self.clerk is not None and not self.board_mode
        return True

    # ---------------------------------------------------------------- actions

    async def action_quit(self) -> None:
        from screens.quitting import ask_to_quit

        ask_to_quit(self)  # issue 12.6: asks when a ticket is called or work is unsaved

    def action_help_quit(self) -> None:
        from screens.quitting import say_how_to_quit

        say_how_to_quit(self)  # Ctrl+C: not Textual's English "Do you want to quit?"

    def action_cycle_lang(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]
        language_chosen(self)  # remembered for the clerk (issue 12.12)

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
        from screens.intake import IntakeScreen

        if isinstance(self.screen, IntakeScreen):
            return  # issue 12.3: F3 on the intake shown does not stack a second one
        self.open_intake(None)

    def open_intake(self, ticket_id: int | None, ticket_number: str | None = None) -> bool:
        """Push the intake wizard, for a called ``submit`` ticket or a walk-in (None)."""
        from screens.intake import IntakeScreen

        self.push_screen(IntakeScreen(ticket_id=ticket_id, ticket_number=ticket_number))
        return True

    def key_taken(self, event: events.Key) -> bool:
        return self._scans.take(event)  # a scanned case number opens its card (issue 12.5)

    def action_open_cases(self) -> None:
        if self.regional:  # issue 14: a case number of any Department (region_search)
            from screens.dialogs import FormModal
            from screens.region_search import open_search

            if not isinstance(self.screen, FormModal):
                open_search(self)
            return
        from screens.cases import CasesScreen

        if isinstance(self.screen, CasesScreen):
            return  # issue 12.3: F4 three times needs one Esc, not three
        self.push_screen(CasesScreen())

    def action_open_lifecycle(self, name: str) -> None:
        """The files after intake: deadlines, forwarding, complaints, indicators (screens are
        imported on first use: the login screen must paint before they load)."""
        screen_cls: type[Screen[Any]]
        if self.regional and name in ("dashboard", "forwarding"):
            from screens.region import RegionScreen

            view = "deadlines" if name == "dashboard" else "incoming"
            if isinstance(self.screen, RegionScreen) and self.screen.view == view:
                return
            self.push_screen(RegionScreen(view))
            return
        if self.regional and name == "report":  # F8: Annex 2 for the region (issue 14.2)
            from screens.region_report import RegionReportScreen

            if not isinstance(self.screen, RegionReportScreen):
                self.push_screen(RegionReportScreen())
            return
        if self.regional and name == "complaints":  # item 22: F7, the region's complaints
            from screens.region_complaints import RegionComplaintsScreen

            if not isinstance(self.screen, RegionComplaintsScreen):
                self.push_screen(RegionComplaintsScreen())
            return
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


class BoardApp(MssDeskApp):
    """``mss-desk board``: the read-only wall board of called tickets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "board": True})


def build_services(
    db_url: str | None, clock: Clock, catalog: Catalog, department: int | None = None
) -> Services:
    """Open the store and build the services (imports SQLModel: first DB use only);
    ``department``: the desk's own (its settings), else the database's only one."""
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store, resolve_url

    return Services(open_store(resolve_url(db_url)), clock, catalog, department)


if TYPE_CHECKING:  # mypy checks that the App is what the screens take it for
    from screens.base import DeskApp

    _desk_app_contract: type[DeskApp] = MssDeskApp
