"""The exchange of files with the other desks (issue 14, point 6), on every desk.

Per partner desk: "sent, not yet acknowledged" (and since when the oldest waits),
"received" and the problems (``ExchangeService.overview``, what ``exchange status`` counts);
below, the exchange problems, each with what happened and what to do. Ctrl+E writes a bundle
for the highlighted desk to a file, Ctrl+O imports one: a path asked in a form, then a
question (a chord and a question: nothing is written on one key, issue 12.4), then the work
in a thread (``run_service``). A refused bundle (changed, for another desk, signed by an
unknown desk, newer format …) is said on the screen, and nothing of it is applied.

The service reads and writes the database and the key files (``locations.keys_dir``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from mss_desk.errors import DeskError, ValidationError
from mss_desk.i18n.dates import format_datetime
from mss_desk.text import clean_line
from screens.base import DeskScreen
from screens.dialogs import Field, FormModal, QuestionModal
from widgets import keymap

PATH_LENGTH = 1024  # a path typed or pasted into the form
# a bundle refused whole (docs/exchange.md), or a file that cannot be read: nothing applied
REFUSED = frozenset({
    "exchange.not_a_bundle", "exchange.not_for_this_desk", "exchange.changed",
    "exchange.unknown_signer", "exchange.other_desk", "exchange.newer_version",
    "exchange.cannot_read",
})  # fmt: skip


def bundle_name(own: int, to: int, when: Any) -> str:
    """The file name a bundle gets in a folder: ``desk-19-to-0-20260302-1000.mssx``."""
    return f"desk-{own}-to-{to}-{when.strftime('%Y%m%d-%H%M')}.mssx"


class ExchangeScreen(DeskScreen):
    DEFAULT_CSS = """
    ExchangeScreen { layout: vertical; }
    ExchangeScreen .title { height: 1; text-style: bold; padding: 0 1; }
    ExchangeScreen #partners {
        height: auto; max-height: 9; border: round $primary; scrollbar-size-vertical: 1;
    }
    ExchangeScreen #problems {
        height: 1fr; min-height: 3; border: round $accent; scrollbar-size-vertical: 1;
    }
    ExchangeScreen #exchange-message { height: auto; max-height: 4; padding: 0 1; }
    ExchangeScreen #exchange-message.refused { color: $text-error; text-style: bold; }
    """
    BINDINGS = keymap.bindings("exchange.export", "exchange.import", "exchange.resolve", "back")

    def __init__(self, key_folder: Path | None = None) -> None:
        super().__init__()
        self.key_folder = key_folder
        self.overview: Any = None
        self._service: Any = None

    def compose(self) -> ComposeResult:
        yield Static(id="exchange-title", classes="title")
        yield OptionList(id="partners")
        yield OptionList(id="problems")
        yield Static(id="exchange-message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#partners", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    @property
    def service(self) -> Any:
        """The desk's ExchangeService (its private keys in ``keys/`` of the data dir)."""
        if self._service is None:
            from mss_desk.exchange.service import ExchangeService
            from mss_desk.locations import keys_dir

            self._service = ExchangeService(self.desk.services, self.key_folder or keys_dir())
        return self._service

    # -- showing -------------------------------------------------------------------------

    def relabel(self) -> None:
        self.query_one("#partners", OptionList).border_title = self.t("exchange.ui.partners")
        self.query_one("#problems", OptionList).border_title = self.t("exchange.ui.problems")
        self._show()

    def refresh_data(self) -> None:
        service = self.service
        self.run_service(service.overview, self._loaded, group="load", queue=True)

    def _loaded(self, overview: Any) -> None:
        self.overview = overview
        if self.is_attached:
            self._show()

    def desk_name(self, code: int) -> str:
        """The region, or the Department's district (Annex 1): short enough for 60 columns."""
        if code == 0:
            return self.t("exchange.ui.region")
        try:
            dept = self.desk.catalog.department(code)
        except (KeyError, LookupError):
            return ""
        name = dept.district_ru if self.desk.lang == "ru" else dept.district_kk
        return clean_line(str(name))

    def _show(self) -> None:
        o = self.overview
        code = o.code if o is not None else ""
        self.query_one("#exchange-title", Static).update(
            Content(self.t("exchange.ui.title", code=code))
        )
        if o is None:
            return
        partners = self.query_one("#partners", OptionList)
        was = partners.highlighted
        partners.clear_options()
        if not o.partners:
            partners.add_option(Option(Content(self.t("exchange.ui.no_partners")), disabled=True))
        for p in o.partners:
            counts = self.t("exchange.ui.counts", sent=p.unacknowledged, received=p.received,
                            problems=p.problems)  # fmt: skip
            lines = [f"{p.code:>2} · {self.desk_name(p.code)}", f"   {counts}"]
            if p.waiting_since is not None:
                when = format_datetime(self._local(p.waiting_since), self.desk.lang)
                lines.append("   " + self.t("exchange.ui.since", date=when))
            if not p.trusted:
                lines.append("   " + self.t("exchange.ui.not_trusted"))
            text = Content("\n".join(lines))
            partners.add_option(Option(text, id=f"desk-{p.code}"))
        if o.partners:
            partners.highlighted = min(was or 0, len(o.partners) - 1)
        from mss_desk.exchange.service import problem_text_key

        problems = self.query_one("#problems", OptionList)
        chosen = problems.highlighted  # kept across a reload (a question answered, resumed)
        problems.clear_options()
        if not o.problems:
            problems.add_option(Option(Content(self.t("exchange.ui.no_problems")), disabled=True))
        for i, pr in enumerate(o.problems):
            # point 6: this desk's own problem, or the other desk's word that our message
            # was not applied there; each with what to do here
            line = self.t(
                "exchange.problems.reported_line" if pr.reported else "exchange.ui.problem_line",
                case_no=pr.case_no or "—", code=pr.from_code,
                date=format_datetime(self._local(pr.received_at), self.desk.lang),
                text=self.t(problem_text_key(pr)),
            )  # fmt: skip
            problems.add_option(Option(Content(line), id=f"problem-{i}"))
        if chosen is not None and o.problems:
            problems.highlighted = min(chosen, len(o.problems) - 1)
        hint = ""
        if o.problems:
            row = keymap.KEYMAP["exchange.resolve"]
            key = self.desk.get_key_display(Binding(row.keys, row.action))
            hint = self.t("exchange.problems.hint", chord=key)
        problems.border_subtitle = hint

    def _local(self, when: Any) -> Any:
        from mss_desk.clock import local

        return local(when, self.desk.tz)

    def say(self, text: str, *, refused: bool = False) -> None:
        message = self.query_one("#exchange-message", Static)
        message.set_class(refused, "refused")
        message.update(Content(text))

    def partner(self) -> Any:
        o = self.overview
        index = self.query_one("#partners", OptionList).highlighted
        if o is None or index is None or not 0 <= index < len(o.partners):
            return None
        return o.partners[index]

    # -- export --------------------------------------------------------------------------

    def action_export(self) -> None:
        partner = self.partner()
        if partner is None:
            self.say(self.t("exchange.ui.pick_partner"), refused=True)
            return
        to = partner.code
        own = self.overview.code
        suggestion = str(Path.home() / bundle_name(own, to, self.desk.local_now()))

        def where(values: dict[str, Any]) -> Path:
            text = clean_line(values["path"]).strip()
            if not text:
                raise ValidationError("no path", key="exchange.ui.no_path")
            path = Path(text).expanduser()
            if path.is_dir():  # a folder (the stick): the bundle gets its own name there
                path = path / bundle_name(own, to, self.desk.local_now())
            return path

        fields = (Field("path", "exchange.ui.path", value=suggestion, max_length=PATH_LENGTH),)
        title = self.t("exchange.ui.export_title", code=to)
        self.app.push_screen(
            FormModal(title, fields, where), lambda path: self._confirm_export(to, path)
        )

    def _confirm_export(self, to: int, path: Path | None) -> None:
        if not isinstance(path, Path):
            return
        question = Content(self.t("exchange.ui.confirm_export", code=to, path=str(path)))

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_service(
                    lambda: self.service.export(to, path),
                    lambda result: self._exported(to, result),
                    self._refused,
                    group="exchange",
                )

        self.app.push_screen(
            QuestionModal(self.t("exchange.ui.export_title", code=to), question,
                          yes="exchange.ui.yes_export", no="exchange.ui.cancel"),
            answered,
        )  # fmt: skip

    def _exported(self, to: int, result: Any) -> None:
        text = self.t("exchange.ui.exported", code=to, path=str(result.path),
                      messages=result.messages, bytes=result.bytes)  # fmt: skip
        self.say(text)
        self.desk.notify(text, markup=False)
        self.refresh_data()

    # -- import --------------------------------------------------------------------------

    def action_import_bundle(self) -> None:
        def where(values: dict[str, Any]) -> Path:
            text = clean_line(values["path"]).strip()
            if not text:
                raise ValidationError("no path", key="exchange.ui.no_path")
            return Path(text).expanduser()

        fields = (Field("path", "exchange.ui.path_import", max_length=PATH_LENGTH),)
        self.app.push_screen(
            FormModal(self.t("exchange.ui.import_title"), fields, where), self._confirm_import
        )

    def _confirm_import(self, path: Path | None) -> None:
        if not isinstance(path, Path):
            return
        question = Content(self.t("exchange.ui.confirm_import", path=str(path)))

        clerk = getattr(self.desk.clerk, "id", None)  # at the region: who recorded receipt

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_service(
                    lambda: self.service.import_bundle(path, clerk), self._imported,
                    self._refused,
                    group="exchange",
                )  # fmt: skip

        self.app.push_screen(
            QuestionModal(self.t("exchange.ui.import_title"), question,
                          yes="exchange.ui.yes_import", no="exchange.ui.cancel"),
            answered,
        )  # fmt: skip

    def _imported(self, result: Any) -> None:
        text = self.t("exchange.ui.imported", code=result.from_code, applied=result.applied,
                      already_had=result.already_had, problems=len(result.problems))  # fmt: skip
        self.say(text, refused=bool(result.problems))
        self.desk.notify(text, markup=False, severity="warning" if result.problems else
                         "information")  # fmt: skip
        self.refresh_data()

    def _refused(self, err: DeskError) -> None:
        """A refused bundle, or a file that cannot be read or written: said, nothing done."""
        reason = self.desk.error_text(err)
        refused = err.key in REFUSED
        self.say(self.t("exchange.ui.refused", reason=reason) if refused else reason, refused=True)
        self.desk.show_error(err)
        self.refresh_data()

    # -- a problem dealt with (point 6) ----------------------------------------------------

    def problem(self) -> Any:
        o = self.overview
        index = self.query_one("#problems", OptionList).highlighted
        if o is None or index is None or not 0 <= index < len(o.problems):
            return None
        return o.problems[index]

    def action_resolve_problem(self) -> None:
        """Ctrl+R, then a question: the highlighted problem leaves this desk's list."""
        problem = self.problem()
        if problem is None:
            self.say(self.t("exchange.problems.pick"), refused=True)
            return
        case_no = problem.case_no or "—"
        question = Content(self.t("exchange.problems.confirm_resolve", case_no=case_no))
        clerk = getattr(self.desk.clerk, "id", None)

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_service(
                    lambda: self.service.resolve(problem.id, clerk),
                    lambda _: self._resolved(case_no), self._refused, group="exchange",
                )  # fmt: skip

        self.app.push_screen(
            QuestionModal(self.t("exchange.problems.resolve_title"), question,
                          yes="exchange.problems.yes_resolve", no="exchange.problems.cancel"),
            answered,
        )  # fmt: skip

    def _resolved(self, case_no: str) -> None:
        self.say(self.t("exchange.problems.resolved", case_no=case_no))
        self.refresh_data()

    def action_back(self) -> None:
        self.app.pop_screen()
