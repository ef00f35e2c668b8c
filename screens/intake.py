"""The intake wizard: a submit ticket (or a walk-in) becomes a case.

Steps (one page each, so the form fits 80×24 over SSH):

1. institution type (item 6) and state / non-state (item 3);
2. applicant category: the eligibility questions the type uses (item 6), others hidden;
3. applicant: IIN checked as typed, birth date and sex cross-checked, names, address,
   phone, legal representative where the type needs one, result delivery (item 16);
4. documents: the live checklist of exactly the required documents (item 12) — or, when
   the person is not eligible, the reasons in words and no checklist (item 6);
5. confirm: accept (all received → case number, deadlines, talon, item 15) or keep as
   returned incomplete with the list of missing documents (item 17).

The screen never opens a database session: it calls ``app.services.intake`` and renders
plain results. The draft is saved through the service on every step and (debounced) on
every field change, so a crash or a dropped SSH link loses nothing; reopening offers to
resume. User text goes in through ``clean_line`` and out as ``Content``, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    ContentSwitcher,
    Footer,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Static,
)

from mss_desk.i18n import t
from mss_desk.i18n.dates import format_date, format_datetime
from mss_desk.text import clean_line, is_clean
from screens.base import ThriftyScreen
from widgets.checklist import Checklist, relabel_bindings
from widgets.deadline_badge import DeadlineBadge
from widgets.iin_input import IinInput, check_iin
from widgets.quiet import FormInput, QuietFooter

if TYPE_CHECKING:
    from mss_desk.services.views import IntakeForm, IntakeResult

STEPS: tuple[str, ...] = ("type", "eligibility", "applicant", "documents", "confirm")
INSTITUTIONS: tuple[str, ...] = ("elderly_general", "children_psychoneuro", "adult_psychoneuro")
OWNERSHIPS: tuple[str, ...] = ("state", "non_state")  # item 3: recorded, rules unchanged
GROUPS: tuple[str, ...] = ("1", "2", "3", "none")
RELATIVES: tuple[str, ...] = (
    "no_relatives",
    "relatives_unable",
    "relatives_able",
    "council_exception",
)
REASONS: tuple[str, ...] = (
    "old_age",
    "disability_1_2",
    "oncological",
    "mental_illness",
    "imprisoned",
    "emigrated",
)
DELIVERIES: tuple[str, ...] = ("in_person", "post")  # item 16
SEXES: tuple[str, ...] = ("male", "female")

# item 6: which questions each institution type asks (the rest are hidden and ignored).
QUESTIONS: dict[str, frozenset[str]] = {
    # item 6.1: elderly or disabled of groups 1-2; relatives; WWII first priority
    "elderly_general": frozenset(
        {"disabled", "group", "wwii", "needs_care", "relatives", "relatives_reason", "council"}
    ),
    # item 6.2: disabled children 4-18 with psychoneurological pathology
    "children_psychoneuro": frozenset({"disabled", "group", "psychoneuro", "needs_care"}),
    # item 6.3: disabled of groups 1-2 over 18 with psychoneurological pathology
    "adult_psychoneuro": frozenset(
        {"disabled", "group", "psychoneuro", "needs_care", "declared_incapable"}
    ),
}

# Text fields: form key -> (i18n label key, most characters the store keeps).
TEXT_FIELDS: dict[str, tuple[str, int]] = {
    "council_decision_no": ("intake.f.council_no", 64),
    "council_decision_date": ("intake.f.council_date", 10),
    "birth_date": ("intake.f.birth_date", 10),
    "surname": ("intake.f.surname", 100),
    "name": ("intake.f.name", 100),
    "patronymic": ("intake.f.patronymic", 100),
    "address": ("intake.f.address", 300),
    "phone": ("intake.f.phone", 40),
    "representative_name": ("intake.f.rep_name", 200),
    "representative_iin": ("intake.f.rep_iin", 12),
    "representative_basis": ("intake.f.rep_basis", 200),
    "postal_address": ("intake.f.postal_address", 300),
}
CHECKBOXES: tuple[str, ...] = (
    "disabled",
    "psychoneuro",
    "wwii",
    "needs_care",
    "declared_incapable",
)
# radio set id -> (option ids, i18n prefix of the options)
RADIOS: dict[str, tuple[tuple[str, ...], str]] = {
    "institution": (INSTITUTIONS, "intake.inst"),
    "ownership": (OWNERSHIPS, "intake.ownership"),
    "group": (GROUPS, "intake.group"),
    "relatives": (RELATIVES, "intake.relatives"),
    "relatives_reason": (REASONS, "intake.reason"),
    "sex": (SEXES, "intake.sex"),
    "delivery_method": (DELIVERIES, "intake.delivery"),
}
DRAFT_DEBOUNCE_SECONDS = 0.8


def parse_day(text: str) -> date | None:
    """``dd.mm.yyyy`` (also ``yyyy-mm-dd``) or None."""
    text = text.strip()
    if not text:
        return None
    try:
        if "-" in text:
            return date.fromisoformat(text)
        day, month, year = text.split(".")
        if len(year) != 4:
            return None
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def set_text(static: Static, text: str) -> None:
    """Update a Static only when its text changes (each update costs a layout pass)."""
    if getattr(static, "_desk_text", None) != text:
        static._desk_text = text  # type: ignore[attr-defined]
        static.update(Content(text))


def app_lang(node: Widget | Screen[Any]) -> str:
    return str(getattr(node.app, "lang", "kk") or "kk")


class FieldRow(Horizontal):
    """A label and its field on one line (the label stands out when the field has focus)."""

    DEFAULT_CSS = """
    FieldRow {
        height: auto;
        margin: 0 0 0 0;
    }
    FieldRow > .lbl {
        width: 26;
        padding: 0 1 0 0;
        color: $text-muted;
    }
    FieldRow.-focused > .lbl {
        color: $text;
        text-style: bold reverse;
    }
    FieldRow > Input {
        width: 1fr;
    }
    FieldRow > IinInput {
        width: 1fr;
    }
    FieldRow > RadioSet {
        width: 1fr;
    }
    """

    def __init__(self, key: str, label_key: str, field: Widget, lang: str) -> None:
        super().__init__(id=f"row-{key}", classes="field-row")
        self.key = key
        self.label_key = label_key
        self._field = field
        self._lang = lang

    def compose(self) -> ComposeResult:
        yield Label(Content(t(self.label_key, self._lang)), classes="lbl")
        yield self._field

    def relabel(self, lang: str) -> None:
        self.query_one(".lbl", Label).update(Content(t(self.label_key, lang)))


class ResumeDraftScreen(ModalScreen[bool]):
    """Keyboard-only yes/no: resume the unfinished intake, or start a new one."""

    DEFAULT_CSS = """
    ResumeDraftScreen {
        align: center middle;
    }
    ResumeDraftScreen > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    ResumeDraftScreen .title {
        text-style: bold;
    }
    ResumeDraftScreen Horizontal {
        height: auto;
        margin-top: 1;
    }
    ResumeDraftScreen Button {
        margin-right: 2;
    }
    """

    BINDINGS = [
        Binding("y,enter", "answer(True)", "intake.draft.resume", id="intake.draft.resume"),
        Binding("n,escape", "answer(False)", "intake.draft.new", id="intake.draft.new"),
    ]

    def __init__(self, question: str, lang: str) -> None:
        super().__init__()
        self.question = question
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(t("intake.draft.resume_title", self.lang)), classes="title")
            yield Static(Content(self.question), id="question")
            with Horizontal():
                yield Button(
                    Content("Y " + t("intake.draft.resume", self.lang)),
                    id="resume",
                    variant="primary",
                    compact=True,
                )
                yield Button(
                    Content("N " + t("intake.draft.new", self.lang)), id="new", compact=True
                )
        yield Footer()

    def on_mount(self) -> None:
        relabel_bindings(self, self.lang)
        self.query_one("#resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "resume")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class IntakeScreen(ThriftyScreen):
    """The intake wizard for a submit ticket (``ticket_id``) or a walk-in (``None``)."""

    DEFAULT_CSS = """
    IntakeScreen {
        layout: vertical;
    }
    IntakeScreen > #title {
        height: 1;
        background: $primary;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    IntakeScreen > #body {
        height: 1fr;
        padding: 0 1;
    }
    IntakeScreen > #message {
        height: auto;
        max-height: 3;
        padding: 0 1;
        color: $text-error;
        text-style: bold;
    }
    IntakeScreen ContentSwitcher {
        height: auto;
    }
    IntakeScreen .step {
        height: auto;
    }
    IntakeScreen .section {
        text-style: bold underline;
        margin: 0 0 0 0;
    }
    IntakeScreen .note {
        color: $text-muted;
        padding: 0 0 0 1;
    }
    IntakeScreen RadioSet {
        border: none;
        padding: 0;
        background: transparent;
    }
    IntakeScreen RadioSet:focus {
        background: $boost;
    }
    IntakeScreen RadioSet.inline {
        layout: horizontal;
    }
    IntakeScreen RadioSet.inline > RadioButton {
        margin-right: 2;
        width: auto;
    }
    IntakeScreen RadioSet > RadioButton {
        padding: 0;
    }
    IntakeScreen Checkbox {
        width: 1fr;
        padding: 0;
    }
    IntakeScreen Checkbox:focus {
        text-style: bold reverse;
    }
    IntakeScreen Checkbox.-on, IntakeScreen RadioButton.-on {
        text-style: bold;  /* what is chosen reads without colour (16-colour terminals) */
    }
    IntakeScreen #verdict {
        height: auto;
        padding: 0 0 0 0;
    }
    IntakeScreen #verdict.-refused {
        color: $text-error;
        text-style: bold;
    }
    IntakeScreen #checklist-summary {
        height: auto;
        color: $text-muted;
    }
    IntakeScreen #summary {
        height: auto;
    }
    IntakeScreen #register {
        margin-top: 1;
    }
    IntakeScreen #result {
        height: auto;
        display: none;
    }
    IntakeScreen #result.-shown {
        display: block;
    }
    IntakeScreen #result-deadlines {
        height: auto;
    }
    IntakeScreen #result-title {
        text-style: bold reverse;
        padding: 0 1;
    }
    IntakeScreen #result-missing, IntakeScreen #result-print {
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("ctrl+n", "next_step", "intake.key.next", id="intake.key.next", priority=True),
        Binding("ctrl+b", "prev_step", "intake.key.prev", id="intake.key.prev", priority=True),
        Binding("ctrl+r", "register", "intake.key.submit", id="intake.key.submit", priority=True),
        Binding("escape", "close", "intake.key.cancel", id="intake.key.cancel"),
        Binding("f8", "discard", "intake.key.discard", id="intake.key.discard"),
    ]

    step: reactive[int] = reactive(0, init=False)

    def __init__(self, ticket_id: int | None = None, *, ticket_number: str | None = None) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.ticket_number = ticket_number
        self.draft_id: int | None = None
        self.result: IntakeResult | None = None
        self.evaluation: Any = None
        self.print_message: str = ""
        self._dirty = False
        self._save_timer: Any = None
        self._restoring = False
        self._resume_checked = False
        self._pending: dict[str, Any] | None = None

    # ---------------------------------------------------------------- composition

    @property
    def lang(self) -> str:
        return app_lang(self)

    def _radio(self, key: str, *, inline: bool = False) -> RadioSet:
        options, prefix = RADIOS[key]
        buttons = [
            RadioButton(Content(t(f"{prefix}.{o}", self.lang)), id=f"{key}-{o}", compact=True)
            for o in options
        ]
        return RadioSet(*buttons, id=key, classes="inline" if inline else "", compact=True)

    def _input(self, key: str, **kwargs: Any) -> Input:
        return FormInput(id=key, compact=True, select_on_focus=False, **kwargs)

    def _row(self, key: str, label_key: str, field: Widget) -> FieldRow:
        return FieldRow(key, label_key, field, self.lang)

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Static("", id="title", markup=False)
        with VerticalScroll(id="body", can_focus=False):
            with ContentSwitcher(initial="step-type"):
                with Vertical(id="step-type", classes="step"):
                    yield Label(
                        Content(t("intake.f.institution", lang)), classes="section", id="sec-inst"
                    )
                    yield self._radio("institution")
                    yield Static("", id="inst-name", classes="note", markup=False)
                    yield self._row(
                        "ownership", "intake.f.ownership", self._radio("ownership", inline=True)
                    )
                with Vertical(id="step-eligibility", classes="step"):
                    yield Checkbox(
                        Content(t("intake.f.disabled", lang)), id="disabled", compact=True
                    )
                    yield self._row("group", "intake.f.group", self._radio("group", inline=True))
                    yield Checkbox(
                        Content(t("intake.f.psychoneuro", lang)), id="psychoneuro", compact=True
                    )
                    yield Checkbox(Content(t("intake.f.wwii", lang)), id="wwii", compact=True)
                    yield Checkbox(
                        Content(t("intake.f.needs_care", lang)), True, id="needs_care", compact=True
                    )
                    yield Label(
                        Content(t("intake.f.relatives", lang)),
                        classes="section",
                        id="sec-relatives",
                    )
                    yield self._radio("relatives")
                    yield Label(
                        Content(t("intake.f.relatives_reason", lang)),
                        classes="section",
                        id="sec-relatives_reason",
                    )
                    yield self._radio("relatives_reason")
                    yield self._row(
                        "council_decision_no",
                        "intake.f.council_no",
                        self._input("council_decision_no"),
                    )
                    yield self._row(
                        "council_decision_date",
                        "intake.f.council_date",
                        self._input("council_decision_date", placeholder="dd.mm.yyyy"),
                    )
                    yield Checkbox(
                        Content(t("intake.f.declared_incapable", lang)),
                        id="declared_incapable",
                        compact=True,
                    )
                with Vertical(id="step-applicant", classes="step"):
                    yield self._row("iin", "intake.f.iin", IinInput(lang=lang, id="iin"))
                    yield self._row(
                        "birth_date",
                        "intake.f.birth_date",
                        self._input("birth_date", placeholder="dd.mm.yyyy"),
                    )
                    yield self._row("sex", "intake.f.sex", self._radio("sex", inline=True))
                    yield self._row("surname", "intake.f.surname", self._input("surname"))
                    yield self._row("name", "intake.f.name", self._input("name"))
                    yield self._row("patronymic", "intake.f.patronymic", self._input("patronymic"))
                    yield self._row("address", "intake.f.address", self._input("address"))
                    yield self._row("phone", "intake.f.phone", self._input("phone"))
                    yield Label(
                        Content(t("intake.f.representative", lang)),
                        classes="section",
                        id="sec-representative",
                    )
                    yield self._row(
                        "representative_name",
                        "intake.f.rep_name",
                        self._input("representative_name"),
                    )
                    yield self._row(
                        "representative_iin",
                        "intake.f.rep_iin",
                        self._input("representative_iin", restrict=r"[0-9]*", max_length=12),
                    )
                    yield self._row(
                        "representative_basis",
                        "intake.f.rep_basis",
                        self._input("representative_basis"),
                    )
                    yield self._row(
                        "delivery_method", "intake.f.delivery", self._radio("delivery_method")
                    )
                    yield self._row(
                        "postal_address", "intake.f.postal_address", self._input("postal_address")
                    )
                with Vertical(id="step-documents", classes="step"):
                    yield Static("", id="verdict", markup=False)
                    yield Label(
                        Content(t("intake.checklist.title", lang)),
                        classes="section",
                        id="sec-checklist",
                    )
                    yield Checklist(labeler=self._doc_label, lang=lang, id="checklist")
                    yield Static("", id="checklist-summary", markup=False)
                with Vertical(id="step-confirm", classes="step"):
                    yield Static("", id="summary", markup=False)
                    yield Button(
                        Content(t("intake.key.submit", lang)),
                        id="register",
                        variant="primary",
                        compact=True,
                    )
                    with Vertical(id="result"):
                        yield Static("", id="result-title", markup=False)
                        with Vertical(id="result-deadlines"):
                            today = date(2000, 1, 1)  # set when the case is registered
                            yield DeadlineBadge(
                                "intake.deadline.service", None, today, id="result-service"
                            )
                            yield DeadlineBadge(
                                "intake.deadline.forward", None, today, id="result-forward"
                            )
                            yield DeadlineBadge(
                                "intake.deadline.decision", None, today, id="result-decision"
                            )
                        yield Static("", id="result-missing", markup=False)
                        yield Static("", id="result-print", markup=False)
        yield Static("", id="message", markup=False)
        yield QuietFooter()

    # ---------------------------------------------------------------- lifecycle

    def on_mount(self) -> None:
        # Defaults the standard implies: state institution (item 3 records it), result in
        # person (item 16), needs care ticked (item 6: every type requires it).
        self._set_radio("ownership", "state")
        self._set_radio("delivery_method", "in_person")
        self._apply_visibility()
        self._relabel()
        if hasattr(self.app, "lang"):
            try:
                self.watch(self.app, "lang", self._on_lang, init=False)
            except Exception:  # noqa: BLE001 - an App without a reactive lang: fixed language
                pass
        self._show_step()
        self.call_after_refresh(self._offer_resume)

    def on_unmount(self) -> None:
        self._flush_draft()

    def _services(self) -> Any:
        return self.app.services  # type: ignore[attr-defined]

    def _clerk_id(self) -> int | None:
        clerk = getattr(self.app, "clerk", None)
        return getattr(clerk, "id", None)

    def _today(self) -> date:
        from mss_desk.clock import local

        tz = getattr(self.app, "tz", None) or "Asia/Almaty"
        return local(self.app.clock.now(), tz).date()  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- i18n

    def _on_lang(self, lang: str) -> None:
        self._relabel()

    def _doc_label(self, code: str, lang: str) -> str:
        if lang in ("kk", "ru"):
            try:
                return str(self._services().catalog.document(code).label(lang))
            except Exception:  # noqa: BLE001 - fall back to the UI catalog
                pass
        return t(f"intake.doc.{code}", lang)

    def _relabel(self) -> None:
        lang = self.lang
        relabel_bindings(self, lang)
        for row in self.query(FieldRow):
            row.relabel(lang)
        for key in CHECKBOXES:
            self.query_one(f"#{key}", Checkbox).label = Content(t(f"intake.f.{key}", lang))
        for key, (options, prefix) in RADIOS.items():
            for option in options:
                self.query_one(f"#{key}-{option}", RadioButton).label = Content(
                    t(f"{prefix}.{option}", lang)
                )
        for sec, key in (
            ("sec-inst", "intake.f.institution"),
            ("sec-relatives", "intake.f.relatives"),
            ("sec-relatives_reason", "intake.f.relatives_reason"),
            ("sec-representative", "intake.f.representative"),
            ("sec-checklist", "intake.checklist.title"),
        ):
            self.query_one(f"#{sec}", Label).update(Content(t(key, lang)))
        self.query_one("#register", Button).label = Content(t("intake.key.submit", lang))
        self.query_one(IinInput).lang = lang
        checklist = self.query_one(Checklist)
        checklist.lang = lang
        relabel_bindings(checklist, lang)
        self._update_title()
        self._update_institution_note()
        self._update_verdict()
        self._update_summary()
        self._render_result()

    def _update_title(self) -> None:
        lang = self.lang
        if self.ticket_number:
            head = t("intake.title_ticket", lang, ticket=self.ticket_number)
        else:
            head = t("intake.title", lang)
        step = t(
            "intake.step_of",
            lang,
            n=self.step + 1,
            total=len(STEPS),
            name=t(f"intake.step.{STEPS[self.step]}", lang),
        )
        set_text(self.query_one("#title", Static), f"{head} · {step}")

    # ---------------------------------------------------------------- reading the form

    def _radio_value(self, key: str) -> str | None:
        pressed = self.query_one(f"#{key}", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return None
        return pressed.id[len(key) + 1 :]

    def _set_radio(self, key: str, value: str | None) -> None:
        if value is None:
            return
        try:
            self.query_one(f"#{key}-{value}", RadioButton).value = True
        except Exception:  # noqa: BLE001 - an unknown option in an old draft: ignore
            pass

    def _text(self, key: str) -> str:
        return clean_line(self.query_one(f"#{key}", Input).value)

    def _check(self, key: str) -> bool:
        return self.query_one(f"#{key}", Checkbox).value

    @property
    def institution(self) -> str | None:
        return self._radio_value("institution")

    def _asks(self, question: str) -> bool:
        inst = self.institution
        return inst is not None and question in QUESTIONS[inst]

    def _needs_representative(self) -> bool:
        inst = self.institution
        if inst is None:
            return False
        try:
            return bool(self._services().catalog.institution(inst).needs_representative)
        except Exception:  # noqa: BLE001 - catalog unavailable: the types that name one
            return inst != "elderly_general"

    def _birth_sex(self) -> tuple[date | None, str | None]:
        """Birth date and sex: the IIN's when it is valid, otherwise what was typed."""
        state = self.query_one(IinInput).state
        if state.info is not None:
            return state.info.birth_date, state.info.sex
        return parse_day(self.query_one("#birth_date", Input).value), self._radio_value("sex")

    def raw_data(self) -> dict[str, Any]:
        """Everything typed, as the draft keeps it (text as typed, cleaned of controls)."""
        data: dict[str, Any] = {
            "version": 1,
            "step": STEPS[self.step],
            "ticket_id": self.ticket_id,
            "ticket_number": self.ticket_number,
            "iin": self.query_one(IinInput).value,
            "received": sorted(self.query_one(Checklist).received_all),
        }
        for key in RADIOS:
            data[key] = self._radio_value(key)
        for key in CHECKBOXES:
            data[key] = self._check(key)
        for key in TEXT_FIELDS:
            data[key] = self._text(key)
        return data

    def facts(self) -> Any:
        """``rules.eligibility.Facts`` for what is on the form now, or None (no type / IIN)."""
        from mss_desk.rules.eligibility import Facts

        inst = self.institution
        birth, sex = self._birth_sex()
        if inst is None or birth is None or sex is None:
            return None
        group = self._radio_value("group")
        asks = QUESTIONS[inst]
        relatives = self._radio_value("relatives") if "relatives" in asks else None
        return Facts(
            institution=inst,
            birth_date=birth,
            sex=sex,
            on=self._today(),
            disabled=self._check("disabled"),
            disability_group=int(group)
            if group and group.isdigit() and self._check("disabled")
            else None,
            psychoneuro=self._check("psychoneuro") if "psychoneuro" in asks else False,
            wwii=self._check("wwii") if "wwii" in asks else False,
            needs_care=self._check("needs_care"),
            relatives=relatives,
            relatives_reason=(
                self._radio_value("relatives_reason") if relatives == "relatives_unable" else None
            ),
            declared_incapable=(
                self._check("declared_incapable") if "declared_incapable" in asks else False
            ),
        )

    def form(self) -> IntakeForm:
        """The typed-in form for the intake service (call after the applicant step checks)."""
        from mss_desk.services.views import IntakeForm

        facts = self.facts()
        assert facts is not None
        delivery = self._radio_value("delivery_method") or "in_person"
        rep = self._needs_representative()
        council = facts.relatives == "council_exception"
        return IntakeForm(
            iin=self.query_one(IinInput).value,
            surname=self._text("surname"),
            name=self._text("name"),
            patronymic=self._text("patronymic"),
            birth_date=facts.birth_date,
            sex=facts.sex,
            institution=facts.institution,
            ownership=self._radio_value("ownership") or "state",
            disabled=facts.disabled,
            disability_group=facts.disability_group,
            psychoneuro=facts.psychoneuro,
            wwii=facts.wwii,
            needs_care=facts.needs_care,
            relatives=facts.relatives,
            relatives_reason=facts.relatives_reason,
            declared_incapable=facts.declared_incapable,
            council_decision_no=self._text("council_decision_no") if council else "",
            council_decision_date=(
                parse_day(self._text("council_decision_date")) if council else None
            ),
            delivery_method=delivery,
            postal_address=self._text("postal_address") if delivery == "post" else "",
            representative_name=self._text("representative_name") if rep else "",
            representative_iin=self._text("representative_iin") if rep else "",
            representative_basis=self._text("representative_basis") if rep else "",
            address=self._text("address"),
            phone=self._text("phone"),
        )

    # ---------------------------------------------------------------- live updates

    def _apply_visibility(self) -> None:
        inst = self.institution
        asks = QUESTIONS.get(inst or "", frozenset())
        disabled = self._check("disabled")
        relatives = self._radio_value("relatives")

        def show(selector: str, visible: bool) -> None:
            for node in self.query(selector):
                if node.display != visible:  # a no-op assignment still restyles the tree
                    node.display = visible

        show("#disabled", "disabled" in asks)
        show("#row-group", "group" in asks and disabled)
        show("#group-none", inst == "children_psychoneuro")  # a child may have no group
        show("#psychoneuro", "psychoneuro" in asks)
        show("#wwii", "wwii" in asks)
        show("#needs_care", "needs_care" in asks)
        show("#sec-relatives, #relatives", "relatives" in asks)
        reason = "relatives_reason" in asks and relatives == "relatives_unable"
        show("#sec-relatives_reason, #relatives_reason", reason)
        council = "council" in asks and relatives == "council_exception"
        show("#row-council_decision_no, #row-council_decision_date", council)
        show("#declared_incapable", "declared_incapable" in asks)
        rep = self._needs_representative()
        show(
            "#sec-representative, #row-representative_name, #row-representative_iin, "
            "#row-representative_basis",
            rep,
        )
        show("#row-postal_address", self._radio_value("delivery_method") == "post")

    def _update_institution_note(self) -> None:
        inst = self.institution
        text = ""
        if inst is not None:
            try:
                kind = self._services().catalog.institution(inst)
                text = (
                    f"{kind.name(self.lang)} (item {kind.item})"
                    if self.lang == "en"
                    else kind.name(self.lang)
                )
            except Exception:  # noqa: BLE001
                text = ""
        set_text(self.query_one("#inst-name", Static), text)

    def _refresh_checklist(self) -> None:
        """Recompute eligibility and the required documents: the checklist follows at once."""
        from mss_desk.rules.eligibility import evaluate, required_documents

        facts = self.facts()
        checklist = self.query_one(Checklist)
        if facts is None:
            self.evaluation = None
            checklist.set_documents(())
        else:
            catalog = self._services().catalog
            self.evaluation = evaluate(facts, catalog)
            # item 12: exactly the documents these facts require, in the standard's order
            checklist.set_documents(required_documents(facts, catalog))
        self._update_verdict()
        self._update_checklist_summary()

    def _update_verdict(self) -> None:
        from mss_desk.rules.eligibility import reason_text

        lang = self.lang
        verdict = self.query_one("#verdict", Static)
        ev = self.evaluation
        refused = ev is not None and not ev.eligible
        verdict.set_class(refused, "-refused")
        for node in (
            self.query_one("#sec-checklist"),
            self.query_one(Checklist),
            self.query_one("#checklist-summary"),
        ):
            if node.display == refused:
                node.display = not refused
        if ev is None:
            set_text(verdict, t("intake.checklist.empty", lang))
            return
        if refused:
            lines = [t("intake.not_eligible.title", lang)]
            lines += [f" • {reason_text(r, lang)}" for r in ev.reasons]
            lines.append(t("intake.not_eligible.hint", lang))
            set_text(verdict, "\n".join(lines))
            return
        parts = [
            "✓ " + t("intake.eligible.title", lang),
            t("intake.eligible.age", lang, date=format_date(self._today()), age=ev.age),
        ]
        if ev.pension_age:
            parts.append(t("intake.eligible.pension", lang))
        if ev.priority:
            parts.append(t("intake.eligible.priority", lang))
        set_text(verdict, " · ".join(parts))

    def _update_checklist_summary(self) -> None:
        lang = self.lang
        checklist = self.query_one(Checklist)
        total = len(checklist.codes)
        received = len(checklist.received)
        text = t("intake.checklist.summary", lang, received=received, total=total)
        if total and checklist.complete:
            text += " · " + t("intake.checklist.all", lang)
        set_text(self.query_one("#checklist-summary", Static), text)

    def _update_summary(self) -> None:
        lang = self.lang
        if self.query_one(IinInput).state.info is None or self.institution is None:
            set_text(self.query_one("#summary", Static), "")
            return
        checklist = self.query_one(Checklist)
        name = " ".join(
            p for p in (self._text("surname"), self._text("name"), self._text("patronymic")) if p
        )
        delivery = self._radio_value("delivery_method") or "in_person"
        lines = [
            f"{t('intake.confirm.applicant', lang)}: {name} · {self.query_one(IinInput).value}",
            f"{t('intake.confirm.institution', lang)}: {self._doc_inst_name()}",
            f"{t('intake.confirm.delivery', lang)}: {t(f'intake.delivery.{delivery}', lang)}"
            + (f" — {self._text('postal_address')}" if delivery == "post" else ""),
            t(
                "intake.checklist.summary",
                lang,
                received=len(checklist.received),
                total=len(checklist.codes),
            ),
        ]
        if checklist.missing:
            lines.append(t("intake.result.missing", lang))
            lines += [f" • {self._doc_label(c, lang)}" for c in checklist.missing]
            lines.append("")
            lines.append(t("intake.confirm.will_return", lang))
        else:
            lines.append("")
            lines.append(t("intake.confirm.will_accept", lang))
        set_text(self.query_one("#summary", Static), "\n".join(lines))

    def _doc_inst_name(self) -> str:
        inst = self.institution
        if inst is None:
            return ""
        return t(f"intake.inst.{inst}", self.lang)

    def _fact_changed(self) -> None:
        if self._restoring:
            return
        self._apply_visibility()
        self._refresh_checklist()
        self._schedule_save()

    @on(RadioSet.Changed)
    def _radio_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "institution":
            self._update_institution_note()
        self._fact_changed()

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._fact_changed()

    @on(IinInput.Changed)
    def _iin_changed(self, event: IinInput.Changed) -> None:
        info = event.state.info
        if info is not None and not self.query_one("#birth_date", Input).value.strip():
            # derived from the IIN; the clerk may still type what the papers say
            self.query_one("#birth_date", Input).value = format_date(info.birth_date)
        if info is not None and self._radio_value("sex") is None:
            self._set_radio("sex", info.sex)
        self._cross_check()
        self._fact_changed()

    def _cross_check(self) -> None:
        typed = parse_day(self.query_one("#birth_date", Input).value)
        self.query_one(IinInput).expect(typed, self._radio_value("sex"))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if not is_clean(event.value):
            # a pasted escape sequence never reaches the terminal (DESIGN: known traps)
            event.input.value = clean_line(event.value)
            return
        if event.input.id in ("birth_date",):
            self._cross_check()
            self._fact_changed()
        elif event.input.id is not None and event.input.id != "iin-field":
            self._schedule_save()

    @on(RadioSet.Changed, "#sex")
    def _sex_changed(self) -> None:
        self._cross_check()

    @on(Checklist.Changed)
    def _checklist_changed(self, event: Checklist.Changed) -> None:
        self._update_checklist_summary()
        self._update_summary()
        if not self._restoring:
            self._schedule_save()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # the label of the focused field stands out (reverse video reads in 16 colours)
        for row in self.query(FieldRow):
            row.set_class(row in event.widget.ancestors_with_self, "-focused")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        for row in event.widget.ancestors_with_self:
            if isinstance(row, FieldRow):
                row.remove_class("-focused")

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#register")
    def _register_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_register()

    # ---------------------------------------------------------------- steps

    def watch_step(self) -> None:
        self._show_step()

    def _show_step(self) -> None:
        name = STEPS[self.step]
        self.query_one(ContentSwitcher).current = f"step-{name}"
        self._update_title()
        if name == "confirm":
            self._update_summary()
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()
        self.call_after_refresh(self._focus_step)

    def _focus_step(self) -> None:
        name = STEPS[self.step]
        target: Widget | None = None
        if name == "type":
            target = self.query_one("#institution", RadioSet)
        elif name == "eligibility":
            for node in self.query_one("#step-eligibility").query("Checkbox, RadioSet, Input"):
                if (
                    node.display
                    and node.parent is not None
                    and node.parent.display
                    and node.focusable
                ):
                    target = node
                    break
        elif name == "applicant":
            self.query_one(IinInput).focus()
            return
        elif name == "documents":
            checklist = self.query_one(Checklist)
            target = checklist if checklist.display else None
        elif name == "confirm":
            register = self.query_one("#register", Button)
            target = register if register.display else None
        if target is not None:
            target.focus()
        else:
            self.set_focus(None)

    def say(self, text: str = "") -> None:
        """One line for the clerk under the form (errors in words), cleared on success."""
        set_text(self.query_one("#message", Static), text)

    def _check_step(self) -> str | None:
        """Why the clerk cannot leave this step yet (a message), or None."""
        lang = self.lang
        name = STEPS[self.step]
        if name == "type":
            if self.institution is None:
                return t("intake.err.choose_type", lang)
        elif name == "eligibility":
            if self._asks("council") and self._radio_value("relatives") == "council_exception":
                raw = self._text("council_decision_date")
                if raw and parse_day(raw) is None:
                    return t("intake.err.bad_date", lang, field=t("intake.f.council_date", lang))
            return self._check_lengths(("council_decision_no",))
        elif name == "applicant":
            return self._check_applicant()
        elif name == "documents":
            if self.evaluation is None:
                return t("intake.checklist.empty", lang)
            if not self.evaluation.eligible:
                return t("intake.err.not_eligible", lang)
        return None

    def _field_name(self, key: str) -> str:
        return t(TEXT_FIELDS[key][0], self.lang)

    def _check_lengths(self, keys: Iterable[str]) -> str | None:
        for key in keys:
            limit = TEXT_FIELDS[key][1]
            if len(self._text(key)) > limit:
                return t("intake.err.too_long", self.lang, field=self._field_name(key), max=limit)
        return None

    def _check_applicant(self) -> str | None:
        lang = self.lang
        iin = self.query_one(IinInput)
        if iin.state.info is None:
            return t("intake.err.iin", lang, field=t("intake.f.iin", lang))
        raw_birth = self._text("birth_date")
        if raw_birth and parse_day(raw_birth) is None:
            return t("intake.err.bad_date", lang, field=self._field_name("birth_date"))
        self._cross_check()
        if iin.mismatches:
            return t("intake.err.mismatch", lang)
        required = ["surname", "name"]
        if self._needs_representative():
            required.append("representative_name")
        if self._radio_value("delivery_method") == "post":
            required.append("postal_address")  # item 16: the postal notice needs an address
        for key in required:
            if not self._text(key):
                return t("intake.err.required", lang, field=self._field_name(key))
        too_long = self._check_lengths(
            (
                "surname",
                "name",
                "patronymic",
                "address",
                "phone",
                "representative_name",
                "representative_basis",
                "postal_address",
            )
        )
        if too_long:
            return too_long
        rep_iin = self._text("representative_iin")
        if self._needs_representative() and rep_iin and not check_iin(rep_iin).valid:
            return t("intake.err.iin", lang, field=self._field_name("representative_iin"))
        return None

    def action_next_step(self) -> None:
        if self.result is not None or self.step >= len(STEPS) - 1:
            return
        problem = self._check_step()
        if problem:
            self.say(problem)
            self.app.bell()
            return
        self.say()
        if STEPS[self.step] == "applicant":
            self._refresh_checklist()
        self.step += 1
        self._save_now()

    def action_prev_step(self) -> None:
        if self.result is not None or self.step == 0:
            return
        self.say()
        self.step -= 1
        self._save_now()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_step":
            return self.result is None and self.step < len(STEPS) - 1
        if action == "prev_step":
            return self.result is None and self.step > 0
        if action == "register":
            return self.result is None and STEPS[self.step] == "confirm"
        if action == "discard":
            return self.result is None
        return True

    # ---------------------------------------------------------------- registering

    def action_register(self) -> None:
        """Accept (all documents) or keep as returned incomplete (some missing)."""
        if self.result is not None or STEPS[self.step] != "confirm":
            return
        for index in range(len(STEPS) - 1):
            problem = self._check_step_at(index)
            if problem:
                self.say(problem)
                self.app.bell()
                return
        from mss_desk.errors import DeskError

        checklist = self.query_one(Checklist)
        clerk_id = self._clerk_id()
        try:
            result = self._services().intake.submit(
                self.form(),
                set(checklist.received),
                clerk_id,
                ticket_id=self.ticket_id,
                draft_id=self.draft_id,
            )
        except DeskError as exc:
            self.say(
                t(
                    "intake.err.submit_failed",
                    self.lang,
                    message=t(exc.key, self.lang, **exc.params),
                )
            )
            return
        if result.outcome == "refused":
            self.evaluation = None
            self._refresh_checklist()
            self.say(t("intake.err.not_eligible", self.lang))
            return
        self.result = result
        self.draft_id = None  # the service deleted it in the same transaction
        if self.ticket_id is not None:
            try:  # the ticket's visit is over (E1's queue screen sees it served)
                self._services().queue.serve(self.ticket_id, self._clerk_id())
            except DeskError:
                pass
        self._dirty = False
        if self._save_timer is not None:
            self._save_timer.stop()
        self.say()
        self.query_one("#summary").display = False
        self.query_one("#register").display = False
        self.query_one("#result").add_class("-shown")
        self._render_result()
        self.refresh_bindings()
        self.set_focus(None)
        self._print_paper(result)

    def _check_step_at(self, index: int) -> str | None:
        saved = self.step
        self.set_reactive(IntakeScreen.step, index)
        try:
            return self._check_step()
        finally:
            self.set_reactive(IntakeScreen.step, saved)

    def _render_result(self) -> None:
        result = self.result
        if result is None:
            return
        lang = self.lang
        title = self.query_one("#result-title", Static)
        if result.outcome == "accepted":
            set_text(title, t("intake.result.accepted", lang, case_no=result.case_no))
        else:
            set_text(title, t("intake.result.incomplete", lang, case_id=result.case_id))
        d = result.deadlines
        box = self.query_one("#result-deadlines", Vertical)
        box.display = d is not None
        if d is not None:
            today = self._today()
            badges = {b.id: b for b in box.query(DeadlineBadge)}
            badges["result-service"].show(d.service_due, today, binding=d.binding == "service")
            badges["result-forward"].show(d.forward_due, today)
            badges["result-decision"].show(d.decision_due, today, binding=d.binding == "decision")
            for badge in badges.values():
                badge.lang = lang
        missing = ""
        if result.missing:
            missing = "\n".join(
                [t("intake.result.missing", lang)]
                + [f" • {self._doc_label(c, lang)}" for c in result.missing]
            )
        missing_box = self.query_one("#result-missing", Static)
        set_text(missing_box, missing)
        missing_box.display = bool(missing)
        done = t("intake.result.done", lang)
        self.query_one("#result-print", Static).update(
            Content("\n".join(p for p in (self.print_message, done) if p))
        )

    def _print_paper(self, result: IntakeResult) -> None:
        """The talon (accepted) or the missing-documents slip, off the UI thread."""
        if not getattr(self.app, "print_slips", True):
            return  # tests and snapshots turn paper off
        self.run_worker(
            lambda: self._make_paper(result), thread=True, group="paper", exit_on_error=False
        )

    def _make_paper(self, result: IntakeResult) -> None:
        try:
            message = make_paper(self.app, result, self.lang)
        except Exception as exc:  # noqa: BLE001 - printing never crashes the desk
            message = t("intake.err.print_failed", self.lang, message=type(exc).__name__)
            self.app.call_from_thread(self.app.notify, message, severity="warning")
        self.app.call_from_thread(self._paper_done, message)

    def _paper_done(self, message: str) -> None:
        self.print_message = message
        if self.is_attached:
            self._render_result()

    # ---------------------------------------------------------------- drafts

    def _schedule_save(self) -> None:
        if self._restoring or self.result is not None:
            return
        self._dirty = True
        # What to write is read now: when the App is torn down (a dropped SSH link) the
        # form's widgets are gone before the screen's unmount can read them.
        self._pending = self.raw_data()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(DRAFT_DEBOUNCE_SECONDS, self._flush_draft)

    def _save_now(self) -> None:
        self._dirty = True
        self._flush_draft()

    def _flush_draft(self) -> None:
        """Write the draft now (a step change, the debounce timer, or leaving the screen)."""
        if not self._dirty or self.result is not None:
            return
        from mss_desk.errors import DeskError

        data: dict[str, Any] | None
        try:
            data = self.raw_data()
        except Exception:  # noqa: BLE001 - torn down: write what was read at the last change
            data = self._pending
        if data is None:
            return
        if not self._worth_saving(data):
            return
        try:
            self.draft_id = self._services().intake.save_draft(
                self.draft_id, data, clerk_id=self._clerk_id()
            )
            self._dirty = False
        except DeskError as exc:
            if not self.is_attached:
                return
            self.say(
                t("intake.err.save_failed", self.lang, message=t(exc.key, self.lang, **exc.params))
            )
        except Exception as exc:  # noqa: BLE001 - a draft that did not save never stops the form
            if self.is_attached:
                self.say(t("intake.err.save_failed", self.lang, message=type(exc).__name__))

    @staticmethod
    def _worth_saving(data: dict[str, Any]) -> bool:
        return bool(data.get("institution") or data.get("iin") or data.get("surname"))

    def _offer_resume(self) -> None:
        if self._resume_checked:
            return
        self._resume_checked = True
        try:
            drafts = self._services().intake.load_drafts(clerk_id=self._clerk_id())
        except Exception:  # noqa: BLE001 - no drafts to offer
            return
        # The form may already have saved its own draft (a step change, the debounce timer)
        # before this first refresh ran on a loaded server: never offer it back to itself.
        drafts = [d for d in drafts if d.id != self.draft_id]
        if self.ticket_id is not None:
            drafts = [d for d in drafts if d.data.get("ticket_id") == self.ticket_id] or [
                d for d in drafts if d.data.get("ticket_id") is None
            ]
        if not drafts:
            return
        draft = drafts[0]
        lang = self.lang
        name = " ".join(
            clean_line(str(draft.data.get(k) or ""))
            for k in ("surname", "name")
            if draft.data.get(k)
        )
        tz = getattr(self.app, "tz", None) or "Asia/Almaty"
        at = format_datetime(_local(draft.updated_at, tz), lang)
        question = (
            t("intake.draft.resume_q", lang, name=name, at=at)
            if name
            else t("intake.draft.resume_q_anon", lang, at=at)
        )

        def answered(resume: bool | None) -> None:
            if resume:
                self.restore(draft.id, draft.data)

        self.app.push_screen(ResumeDraftScreen(question, lang), answered)

    def restore(self, draft_id: int, data: dict[str, Any]) -> None:
        """Put a saved draft back on the form and go to the step it was on."""
        self.draft_id = draft_id
        self._restoring = True
        try:
            for key in (
                "institution",
                "ownership",
                "relatives",
                "relatives_reason",
                "group",
                "sex",
                "delivery_method",
            ):
                self._set_radio(key, data.get(key))
            for key in CHECKBOXES:
                if key in data:
                    self.query_one(f"#{key}", Checkbox).value = bool(data[key])
            for key in TEXT_FIELDS:
                if data.get(key):
                    self.query_one(f"#{key}", Input).value = clean_line(str(data[key]))
            self.query_one(IinInput).value = str(data.get("iin") or "")
            self.query_one(Checklist).set_received(str(c) for c in data.get("received") or ())
            if self.ticket_id is None and data.get("ticket_id") is not None:
                self.ticket_id = int(data["ticket_id"])
                self.ticket_number = data.get("ticket_number")
        finally:
            self.call_after_refresh(self._finish_restore, str(data.get("step") or "type"))

    def _finish_restore(self, step: str) -> None:
        self._restoring = False
        self._apply_visibility()
        self._update_institution_note()
        self._cross_check()
        self._refresh_checklist()
        self._dirty = False
        self.step = STEPS.index(step) if step in STEPS else 0
        self._show_step()

    # ---------------------------------------------------------------- leaving

    def action_close(self) -> None:
        if self.result is None:
            self._flush_draft()
            if self.draft_id is not None:
                self.app.notify(t("intake.closed", self.lang))
        self.dismiss(None)

    def action_discard(self) -> None:
        if self.result is not None:
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._dirty = False
        if self.draft_id is not None:
            try:
                self._services().intake.delete_draft(self.draft_id, clerk_id=self._clerk_id())
            except Exception:  # noqa: BLE001 - already gone
                pass
            self.draft_id = None
        self.app.notify(t("intake.discarded", self.lang))
        self.dismiss(None)


def _local(dt: datetime, tz: str) -> datetime:
    from mss_desk.clock import local

    return local(dt, tz)


def make_paper(app: Any, result: IntakeResult, lang: str) -> str:
    """Print the talon (accepted, item 15) or the missing-documents slip (item 17).

    Runs in a worker thread; returns the line the screen shows. Any failure is the
    caller's to turn into a notification — the case is already saved.
    """
    from mss_desk import paper

    services = app.services
    detail = services.cases.get_by_id(result.case_id)
    catalog = services.catalog
    contact = app._department_contact(paper)
    settings = paper.paper_settings(app.settings)
    tz = getattr(app, "tz", None) or "Asia/Almaty"

    def labels(code: str) -> tuple[str, str]:
        doc = catalog.document(code)
        return (doc.label_kk, doc.label_ru)

    if result.outcome == "accepted":
        assert result.deadlines is not None and detail.accepted_at is not None
        data = paper.TalonData(
            case_no=str(detail.case_no),
            registered_at=detail.accepted_at,
            clerk_surname=detail.clerk_surname,
            clerk_name=detail.clerk_name,
            result_due=result.deadlines.service_due,
            department=contact,
            applicant_name=detail.full_name,
            delivery_method=detail.delivery_method,  # type: ignore[arg-type]
            documents=tuple(labels(d.code) for d in detail.documents if d.received),
            postal_address=detail.postal_address or None,
            tz_name=tz,
        )
        printed = paper.print_talon(data, settings)
        key = "intake.result.talon"
    else:
        inst = catalog.institution(detail.institution)
        slip = paper.MissingSlipData(
            issued_at=app.clock.now(),
            missing=tuple(labels(c) for c in result.missing),
            department=contact,
            applicant_name=detail.full_name,
            institution=(inst.name_kk, inst.name_ru),
            clerk_surname=detail.clerk_surname,
            clerk_name=detail.clerk_name,
            tz_name=tz,
        )
        printed = paper.print_missing(slip, settings)
        key = "intake.result.slip"
    if not printed.ok:
        return t("intake.err.print_failed", lang, message=printed.message(lang))
    return t(key, lang, path=str(printed.path))
