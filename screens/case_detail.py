"""One case: the applicant, the facts, the documents, the status and the deadlines.

SPEC (items 5, 7.1): the 15-day service deadline, the 10-day forwarding deadline and,
once forwarded, the Regional Department's 10 working days; the earlier of the service and
decision deadlines binds (``binding``) and is highlighted. Read-only: every text is the
clerk's data shown as ``Content`` (never markup).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from mss_desk.i18n import has, t
from mss_desk.i18n.dates import format_date, format_datetime
from screens.base import ThriftyScreen
from widgets import keymap
from widgets.checklist import relabel_bindings
from widgets.deadline_badge import DeadlineBadge
from widgets.quiet import QuietFooter
from widgets.text import app_lang, set_text


def status_text(status: str, lang: str) -> str:
    key = f"intake.status.{status}"
    return t(key, lang) if has(key, "en") else status


class CaseDetailScreen(ThriftyScreen):
    """``CaseDetailScreen(case_no)`` — or ``case_id=`` for a file without a number yet."""

    DEFAULT_CSS = """
    CaseDetailScreen {
        layout: vertical;
    }
    CaseDetailScreen > #title {
        height: 1;
        background: $primary;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    CaseDetailScreen > #body {
        height: 1fr;
        padding: 0 1;
    }
    CaseDetailScreen .section {
        text-style: bold underline;
        margin-top: 1;
    }
    CaseDetailScreen #sec-deadlines {
        margin-top: 0;
    }
    CaseDetailScreen .lines {
        height: auto;
    }
    CaseDetailScreen #documents .missing {
        color: $text-error;
    }
    CaseDetailScreen #deadlines {
        height: auto;
    }
    CaseDetailScreen #error {
        color: $text-error;
        text-style: bold;
    }
    """

    # item 15: the talon again ("print again from the case"); Ctrl+P lists it. A chord,
    # never a letter: a scanner's or a digit row's keys never print (issue 12); a returned
    # file finished at the desk (items 15, 17): Ctrl+R registers, as in intake
    BINDINGS = keymap.bindings("cases.back", "case.reprint", "case.reopen")

    def __init__(
        self, case_no: str | None = None, *, case_id: int | None = None, read_only: bool = False
    ) -> None:
        super().__init__()
        # the regional desk reads a Department's file (issue 14.2): nothing to print or
        # finish here, the file is the Department's
        self.read_only = read_only
        self.case_no = case_no
        self.case_id = case_id
        self.detail: Any = None
        self.error: Any = None

    @property
    def lang(self) -> str:
        return app_lang(self)

    def compose(self) -> ComposeResult:
        yield Static("", id="title", markup=False)
        with VerticalScroll(id="body", can_focus=True):
            yield Static("", id="error", markup=False)
            # issue 14: where the file is (at the Department, in transit, at the region…)
            yield Static("", id="where", markup=False)
            # the deadlines first: the binding one is what the clerk looks for at pickup
            yield Static("", id="sec-deadlines", classes="section", markup=False)
            with Vertical(id="deadlines"):
                yield Static("", id="no-deadlines", markup=False)
                today = date(2000, 1, 1)  # set when the case is shown
                yield DeadlineBadge("intake.deadline.service", None, today, id="due-service")
                yield DeadlineBadge("intake.deadline.forward", None, today, id="due-forward")
                yield DeadlineBadge("intake.deadline.decision", None, today, id="due-decision")
            yield Static("", id="sec-applicant", classes="section", markup=False)
            yield Static("", id="applicant", classes="lines", markup=False)
            yield Static("", id="sec-facts", classes="section", markup=False)
            yield Static("", id="facts", classes="lines", markup=False)
            yield Static("", id="sec-documents", classes="section", markup=False)
            yield Static("", id="documents", classes="lines", markup=False)
        yield QuietFooter()

    def on_mount(self) -> None:
        self._load()
        self.follow_lang(self._relabel)
        self._relabel()
        self.query_one("#body").focus()

    def _load(self) -> None:
        from mss_desk.errors import DeskError

        cases = self.app.services.cases  # type: ignore[attr-defined]
        try:
            if self.case_no:
                self.detail = cases.get(self.case_no)
            elif self.case_id is not None:
                self.detail = cases.get_by_id(self.case_id)
        except DeskError as exc:
            self.error = exc

    def _today(self) -> Any:
        from mss_desk.clock import local

        tz = getattr(self.app, "tz", None) or "Asia/Almaty"
        return local(self.app.clock.now(), tz).date()  # type: ignore[attr-defined]

    def _doc_label(self, code: str, lang: str) -> str:
        if lang in ("kk", "ru"):
            try:
                return str(self.app.services.catalog.document(code).label(lang))  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - fall back to the UI catalog
                pass
        return t(f"intake.doc.{code}", lang)

    def _relabel(self, *_: Any) -> None:
        lang = self.lang
        relabel_bindings(self, lang)
        d = self.detail
        if d is None:
            number = self.case_no or (str(self.case_id) if self.case_id is not None else "")
            set_text(
                self.query_one("#title", Static), t("cases.detail.title", lang, case_no=number)
            )
            if self.error is not None:
                set_text(
                    self.query_one("#error", Static),
                    t(self.error.key, lang, **self.error.params),
                )
            return
        self.query_one("#error").display = False
        number = d.case_no or "—"
        set_text(
            self.query_one("#title", Static),
            f"{t('cases.detail.title', lang, case_no=number)} · {status_text(d.status, lang)}",
        )
        for sec, key in (
            ("sec-applicant", "cases.detail.applicant"),
            ("sec-facts", "cases.detail.facts"),
            ("sec-documents", "cases.detail.documents"),
            ("sec-deadlines", "cases.detail.deadlines"),
        ):
            set_text(self.query_one(f"#{sec}", Static), t(key, lang))
        set_text(self.query_one("#where", Static), self._where(d, lang))
        set_text(self.query_one("#applicant", Static), "\n".join(self._applicant_lines(d, lang)))
        set_text(self.query_one("#facts", Static), "\n".join(self._fact_lines(d, lang)))
        set_text(self.query_one("#documents", Static), "\n".join(self._document_lines(d, lang)))
        self._deadlines(d, lang)

    def _where(self, d: Any, lang: str) -> str:
        """Issue 14: one line, read with the case (``CaseDetail.exchange_state``)."""
        state = getattr(d, "exchange_state", "at_department")
        since = getattr(d, "exchange_since", None)
        if state == "in_transit" and isinstance(since, datetime):
            from mss_desk.clock import local

            tz = getattr(self.app, "tz", None) or "Asia/Almaty"
            where = t("exchange.where.in_transit", lang,
                      date=format_datetime(local(since, tz), lang))  # fmt: skip
        elif state == "decided" and isinstance(since, date):
            where = t("exchange.where.decided_on", lang, date=format_date(since))
        elif state == "at_region" and isinstance(since, date):  # point 1: the receipt
            where = t("exchange.receipt.at_region_since", lang, date=format_date(since))
        else:
            where = t(f"exchange.where.{state}", lang)
        return t("exchange.where.line", lang, where=where)

    def _applicant_lines(self, d: Any, lang: str) -> list[str]:
        none = t("cases.detail.none", lang)
        lines = [
            d.full_name,
            f"{t('cases.detail.iin', lang)}: {d.iin} · {t('cases.detail.birth', lang)}: "
            f"{format_date(d.birth_date)} · {t(f'intake.sex.{d.sex}', lang)}",
            f"{t('cases.detail.address', lang)}: {d.address or none}",
            f"{t('cases.detail.phone', lang)}: {d.phone or none}",
        ]
        changed = getattr(d, "person_changed", ())
        if changed:  # issue 15, item 3: the lines above are the file's; the person moved on
            fields = ", ".join(t(f"intake.f.{name}", lang) for name in changed)
            lines.append(t("cases.detail.person_changed", lang, fields=fields))
        if d.representative_name:
            rep = d.representative_name
            if d.representative_iin:
                rep += f" · {d.representative_iin}"
            if d.representative_basis:
                rep += f" · {d.representative_basis}"
            lines.append(f"{t('cases.detail.representative', lang)}: {rep}")
        if d.spouse_case_id is not None:  # married couples (item 6.1): one case each, linked
            spouse = d.spouse_case_no or f"№ {d.spouse_case_id}"
            lines.append(f"{t('cases.detail.spouse', lang)}: {spouse}")
        delivery = t(f"intake.delivery.{d.delivery_method}", lang)
        if d.delivery_method == "post" and d.postal_address:
            delivery += f" — {d.postal_address}"
        lines.append(f"{t('cases.detail.delivery', lang)}: {delivery}")
        if d.accepted_at is not None:
            tz = getattr(self.app, "tz", None) or "Asia/Almaty"
            from mss_desk.clock import local

            at = format_datetime(local(d.accepted_at, tz), lang)
            clerk = " ".join(p for p in (d.clerk_surname, d.clerk_name) if p)
            lines.append(
                f"{t('cases.detail.accepted_at', lang)}: {at} · {t('cases.detail.clerk', lang)}: "
                f"{clerk or none}"
            )
        return lines

    def _fact_lines(self, d: Any, lang: str) -> list[str]:
        yes, no = t("intake.yes", lang), t("intake.no", lang)
        lines = [
            f"{t('cases.detail.institution', lang)}: {t(f'intake.inst.{d.institution}', lang)}"
            f" · {t(f'intake.ownership.{d.ownership}', lang)}",
        ]
        if d.priority:
            lines.append("★ " + t("cases.detail.priority", lang))
        disabled = yes if d.disabled else no
        if d.disabled and d.disability_group:
            disabled += f" · {t(f'intake.group.{d.disability_group}', lang)}"
        lines.append(f"{t('intake.f.disabled', lang)}: {disabled}")
        if d.institution != "elderly_general":
            lines.append(f"{t('intake.f.psychoneuro', lang)}: {yes if d.psychoneuro else no}")
        if d.institution == "elderly_general":
            lines.append(f"{t('intake.f.wwii', lang)}: {yes if d.wwii else no}")
            if d.relatives:
                rel = t(f"intake.relatives.{d.relatives}", lang)
                if d.relatives_reason:
                    rel += f" · {t(f'intake.reason.{d.relatives_reason}', lang)}"
                lines.append(f"{t('intake.f.relatives', lang)}: {rel}")
                if d.council_decision_no or d.council_decision_date:
                    # item 6.1 (issue 11.5): the Council's decision the case rests on
                    when = format_date(d.council_decision_date) if d.council_decision_date else "—"
                    no = d.council_decision_no or "—"
                    lines.append(t("cases.detail.council", lang, no=no, date=when))
        lines.append(f"{t('intake.f.needs_care', lang)}: {yes if d.needs_care else no}")
        if d.institution == "adult_psychoneuro":
            lines.append(
                f"{t('intake.f.declared_incapable', lang)}: {yes if d.declared_incapable else no}"
            )
        if d.age_at_acceptance is not None:
            age = t(
                "intake.eligible.age",
                lang,
                date=format_date(d.submitted_at.date()),
                age=d.age_at_acceptance,
            )
            if d.pension_age:
                age += " · " + t("intake.eligible.pension", lang)
            lines.append(age)
        return lines

    def _document_lines(self, d: Any, lang: str) -> list[str]:
        lines = []
        for index, doc in enumerate(d.documents, start=1):
            mark = "[x]" if doc.received else "[ ]"
            state = t("cases.detail.received" if doc.received else "cases.detail.missing", lang)
            lines.append(f"{mark} {index:>2}. {self._doc_label(doc.code, lang)} — {state}")
        return lines

    def _deadlines(self, d: Any, lang: str) -> None:
        box = self.query_one("#deadlines", Vertical)
        none = self.query_one("#no-deadlines", Static)
        badges = {b.id: b for b in box.query(DeadlineBadge)}
        has_dates = d.service_due is not None
        none.display = not has_dates
        for badge in badges.values():
            badge.display = has_dates
            badge.lang = lang
        if not has_dates:
            set_text(none, t("intake.deadline.none", lang))
            return
        today = self._today()
        finished = d.status in ("result_ready", "delivered", "in_safekeeping", "decided")
        badges["due-service"].show(
            d.service_due, today, binding=d.binding == "service", done=finished
        )
        badges["due-forward"].show(d.forward_due, today, done=d.forwarded_on is not None)
        badges["due-decision"].show(
            d.decision_due, today, binding=d.binding == "decision", done=finished
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        d = self.detail
        # the regional desk reads every card read-only, however it was opened (a scanner)
        read_only = self.read_only or getattr(self.app, "regional", False) is True
        if read_only and action in ("reprint", "reopen"):
            return False
        if action == "reprint":  # only an accepted case has a talon
            return d is not None and bool(d.case_no) and d.accepted_at is not None
        if action == "reopen":  # only a returned file can be completed
            return d is not None and d.status == "returned_incomplete"
        return True

    def action_reopen(self) -> None:
        """Finish a returned file: tick what was brought, the desk re-evaluates today."""
        from screens.intake.reopen import ReopenModal

        if self.detail is None or self.detail.status != "returned_incomplete":
            return
        self.app.push_screen(ReopenModal(self.detail), self._reopened)

    def _reopened(self, result: Any) -> None:
        """Accepted: the talon (item 15); still incomplete: a new slip (item 17)."""
        if result is None:
            return
        from widgets.paper_job import print_in_background

        app, lang = self.app, self.lang
        if result.accepted:
            self.case_no, message = result.case_no, "intake.reopen.accepted"
        else:
            message = "intake.reopen.still_missing"
        self.app.notify(t(message, lang, case_no=result.case_no or ""), markup=False)
        self._load()
        self._relabel()
        self.refresh_bindings()
        if getattr(app, "print_slips", True):  # tests and snapshots turn paper off
            key = "intake.result.talon" if result.accepted else "intake.result.slip"
            print_in_background(
                self,
                lambda: app.services.printing.print_intake_paper(result, app.settings),  # type: ignore[attr-defined]
                printed=lambda printed: t(key, lang, path=str(printed.path)),
            )

    def action_reprint(self) -> None:
        """Item 15: print the talon of this case again (``services.printing``, in a worker)."""
        from widgets.paper_job import print_in_background

        d, app = self.detail, self.app
        lang = self.lang
        print_in_background(
            self,
            lambda: app.services.printing.print_talon(d.case_no, app.settings),  # type: ignore[attr-defined]
            printed=lambda result: t("intake.result.talon", lang, path=str(result.path)),
        )

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
