"""The intake wizard: a submit ticket (or a walk-in) becomes a case.

Five steps, one page each so the form fits 80×24 over SSH, each a widget with its own
fields and its own ``problems()``: the type (``type_step``), the applicant category
(``eligibility_step``), the applicant (``applicant_step``), the documents
(``documents_step``) and the confirmation (``confirm_step``). This screen moves between
them, tells each what it needs to know of the others, keeps the eligibility facts and the
checklist live, and registers the case.

The screen never opens a database session: it calls ``services.intake`` and renders plain
results, and every write runs off the UI thread in order (``writes``), so a write that
waits for the database lock never freezes the form. Drafts: ``drafts``. User text goes in
through ``clean_line`` and out as ``Content``, never markup.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Button, Checkbox, ContentSwitcher, Input, RadioSet, Static

from mss_desk.i18n import t
from mss_desk.text import clean_line, is_clean
from screens.base import DeskScreen
from screens.dialogs import QuestionModal
from screens.intake.applicant_step import ApplicantStep
from screens.intake.confirm_step import ConfirmStep
from screens.intake.documents_step import DocumentsStep
from screens.intake.drafts import DraftKeeper
from screens.intake.eligibility_step import EligibilityStep
from screens.intake.fields import FieldRow, Step, chosen
from screens.intake.outside_hours import OutsideHoursModal, closed_now
from screens.intake.paper import print_in_worker
from screens.intake.type_step import TypeStep
from screens.intake.writes import SerialWrites, error_text
from widgets import keymap
from widgets.checklist import Checklist, relabel_bindings
from widgets.iin_input import IinInput
from widgets.quiet import QuietFooter
from widgets.text import app_lang, set_text

if TYPE_CHECKING:
    from mss_desk.errors import DeskError
    from mss_desk.rules.eligibility import Facts
    from mss_desk.services.views import FileDifference, IntakeForm, IntakeResult

STEPS: tuple[str, ...] = ("type", "eligibility", "applicant", "documents", "confirm")


class IntakeScreen(DeskScreen):
    """The intake wizard for a submit ticket (``ticket_id``) or a walk-in (``None``)."""

    CSS_PATH = "intake.tcss"

    BINDINGS: ClassVar[list[Binding]] = keymap.bindings(  # type: ignore[assignment]
        "intake.next", "intake.prev", "intake.submit", "intake.cancel", "intake.discard"
    ) + keymap.hidden(  # issue 12.13: the documents step's keys fill 80 columns; F12 and
        "lang", "lock"  # Ctrl+L work here, the palette (Ctrl+P) lists them
    )

    step: reactive[int] = reactive(0, init=False)

    def __init__(self, ticket_id: int | None = None, *, ticket_number: str | None = None) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.ticket_number = ticket_number
        self.result: IntakeResult | None = None
        self.print_message: str = ""
        self.writes = SerialWrites(self)
        self.drafts = DraftKeeper(self)
        self._restoring = False
        self._registering = False
        self._leaving = False
        self._resume_checked = False
        # issue 15, item 3: the IIN is on file and the typed data differ from that file
        self.file_difference: FileDifference | None = None
        self._said = ""

    @property
    def draft_id(self) -> int | None:
        return self.drafts.draft_id

    @draft_id.setter
    def draft_id(self, value: int | None) -> None:
        self.drafts.draft_id = value

    @property
    def lang(self) -> str:
        return app_lang(self)

    @property
    def tz(self) -> str:
        return getattr(self.app, "tz", None) or "Asia/Almaty"

    def services(self) -> Any:
        return self.desk.services

    def clerk_id(self) -> int | None:
        return getattr(getattr(self.app, "clerk", None), "id", None)

    def today(self) -> date:
        from mss_desk.clock import local

        return local(self.desk.clock.now(), self.tz).date()

    # ---------------------------------------------------------------- the steps

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(self.query_one(ContentSwitcher).query_children(Step).results(Step))

    def step_of(self, name: str) -> Step:
        return self.query_one(f"#step-{name}", Step)

    @property
    def type_step(self) -> TypeStep:
        return self.query_one(TypeStep)

    @property
    def eligibility(self) -> EligibilityStep:
        return self.query_one(EligibilityStep)

    @property
    def applicant(self) -> ApplicantStep:
        return self.query_one(ApplicantStep)

    @property
    def documents(self) -> DocumentsStep:
        return self.query_one(DocumentsStep)

    @property
    def confirm(self) -> ConfirmStep:
        return self.query_one(ConfirmStep)

    def compose(self) -> ComposeResult:
        yield Static("", id="title", markup=False)
        with VerticalScroll(id="body", can_focus=False):
            with ContentSwitcher(initial="step-type"):
                yield TypeStep()
                yield EligibilityStep()
                yield ApplicantStep()
                yield DocumentsStep(labeler=self._doc_label)
                yield ConfirmStep()
        yield Static("", id="message", markup=False)
        yield QuietFooter(compact=True)

    # ---------------------------------------------------------------- lifecycle

    def on_mount(self) -> None:
        # Defaults the standard implies: state institution (item 3 records it), result in
        # person (item 16), needs care ticked (item 6: every type requires it).
        self.type_step.set_radio("ownership", "state")
        self.applicant.set_radio("delivery_method", "in_person")
        self._apply_visibility()
        self.relabel()
        self._show_step()
        self.call_after_refresh(self._offer_resume)

    def on_unmount(self) -> None:
        self.drafts.flush_at_once()

    # ---------------------------------------------------------------- i18n

    def _doc_label(self, code: str, lang: str) -> str:
        if lang in ("kk", "ru"):
            try:
                return str(self.services().catalog.document(code).label(lang))
            except Exception:  # noqa: BLE001 - fall back to the UI catalog
                pass
        return t(f"intake.doc.{code}", lang)

    def relabel(self) -> None:
        if not self.is_mounted:
            return
        lang = self.lang
        relabel_bindings(self, lang)
        for step in self.steps:
            step.relabel(lang)
        self._update_title()
        self._update_institution_note()
        self._update_summary()
        self._render_result()
        if not self._said:
            self.say()  # the standing note, in the new language

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

    @property
    def institution(self) -> str | None:
        return self.type_step.institution

    def _radio_value(self, key: str) -> str | None:
        """The chosen option of a radio set of any step (tests and drafts read it)."""
        return chosen(self.query_one(f"#{key}", RadioSet), key)

    def _text(self, key: str) -> str:
        return clean_line(self.query_one(f"#{key}", Input).value)

    def _needs_representative(self) -> bool:
        inst = self.institution
        if inst is None:
            return False
        try:
            return bool(self.services().catalog.institution(inst).needs_representative)
        except Exception:  # noqa: BLE001 - catalog unavailable: the types that name one
            return inst != "elderly_general"

    def raw_data(self) -> dict[str, Any]:
        """Everything typed, as the draft keeps it (text as typed, cleaned of controls)."""
        data: dict[str, Any] = {
            "version": 1,
            "step": STEPS[self.step],
            "ticket_id": self.ticket_id,
            "ticket_number": self.ticket_number,
        }
        for step in self.steps:
            data.update(step.values())
        return data

    def form(self) -> IntakeForm | None:
        """The form as the intake service takes it, or None (no type, birth date or sex)."""
        from mss_desk.services.views import IntakeForm

        inst = self.institution
        birth, sex = self.applicant.birth_sex()
        if inst is None or birth is None or sex is None:
            return None
        return IntakeForm(
            **self.applicant.details(),
            birth_date=birth,
            sex=sex,
            institution=inst,
            ownership=self.type_step.ownership,
            **self.eligibility.answers(),
        )

    def facts(self) -> Facts | None:
        """The eligibility facts of what is on the form now (``IntakeForm.to_facts``)."""
        form = self.form()
        return None if form is None else form.to_facts(self.today())

    # ---------------------------------------------------------------- live updates

    def _apply_visibility(self) -> None:
        self.eligibility.show_for(self.institution)
        self.applicant.show_for(self._needs_representative())

    def _update_institution_note(self) -> None:
        inst = self.institution
        text = ""
        if inst is not None:
            try:
                kind = self.services().catalog.institution(inst)
                name = kind.name(self.lang)
                text = f"{name} (item {kind.item})" if self.lang == "en" else name
            except Exception:  # noqa: BLE001
                text = ""
        self.type_step.show_institution_name(text)

    def _refresh_checklist(self) -> None:
        """Recompute eligibility and the required documents: the checklist follows at once."""
        from mss_desk.rules.eligibility import evaluate, required_documents

        facts = self.facts()
        if facts is None:
            self.documents.show_evaluation(None, (), self.today())
            return
        catalog = self.services().catalog
        # item 12: exactly the documents these facts require, in the standard's order
        documents = required_documents(facts, catalog)
        self.documents.show_evaluation(evaluate(facts, catalog), documents, facts.on)

    def _update_summary(self) -> None:
        applicant = self.applicant
        if applicant.iin.state.info is None or self.institution is None:
            self.confirm.show_summary([])
            return
        self.confirm.summarise(applicant, self.institution, self.documents.checklist)

    def _fact_changed(self) -> None:
        if self._restoring:
            return
        self._apply_visibility()
        self._refresh_checklist()
        self._schedule_save()

    def _schedule_save(self) -> None:
        if self._restoring or self.result is not None or self._leaving:
            return
        self.drafts.schedule()

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
        self._fact_changed()  # the applicant step has filled in what the IIN says

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if not is_clean(event.value):
            # a pasted escape sequence never reaches the terminal (DESIGN: known traps)
            event.input.value = clean_line(event.value)
            return
        if event.input.id == "birth_date":
            self._fact_changed()
        elif event.input.id is not None and event.input.id != "iin-field":
            self._schedule_save()

    @on(Checklist.Changed)
    def _checklist_changed(self, event: Checklist.Changed) -> None:
        self.documents.show_summary()
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

    # ---------------------------------------------------------------- moving between steps

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
        target = self.step_of(STEPS[self.step]).first_field()
        if target is not None:
            target.focus()
        else:
            self.set_focus(None)

    def say(self, text: str = "") -> None:
        """One line for the clerk under the form (errors in words), cleared on success; with
        nothing else to say it keeps the note that the person's data differ from their file."""
        self._said = text
        set_text(self.query_one("#message", Static), text or self.person_note())

    # ---------------------------------------------------------------- the person on file

    def person_note(self) -> str:
        """"This person's data differs from the file of DD.MM.YYYY: fields" or ""."""
        diff = self.file_difference
        if diff is None or self.result is not None:
            return ""
        from mss_desk.i18n.dates import format_date

        lang = self.lang
        fields = ", ".join(t(f"intake.f.{name}", lang) for name in diff.fields)
        return t("intake.person.differs", lang, date=format_date(diff.on, lang), fields=fields)

    def _check_person_on_file(self) -> None:
        """Ask (in a worker) whether the IIN is on file with other data (issue 15, item 3)."""
        form = self.form()
        if form is None:
            return
        services = self.services()
        self.run_service(
            lambda: services.intake.differs_from_file(form),
            self._person_checked,
            lambda _err: None,  # only a note: a failed look-up leaves the form as it is
            group="person_on_file",
            queue=True,
        )

    def _person_checked(self, diff: FileDifference | None) -> None:
        self.file_difference = diff
        if not self._said:
            self.say()

    def action_next_step(self) -> None:
        if self.result is not None or self._leaving or self.step >= len(STEPS) - 1:
            return
        problem = self.step_of(STEPS[self.step]).problems()
        if problem:
            self.say(problem)
            self.app.bell()
            return
        self.say()
        if STEPS[self.step] == "applicant":
            self._refresh_checklist()
            self._check_person_on_file()
        self.step += 1
        self.drafts.save_now()

    def action_prev_step(self) -> None:
        if self.result is not None or self._leaving or self.step == 0:
            return
        self.say()
        self.step -= 1
        self.drafts.save_now()

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
        if self.result is not None or STEPS[self.step] != "confirm" or self._registering:
            return  # a second commit key while the first waits for the database: ignored
        if self._leaving:
            return  # closing or discarding: the form is on its way out
        for name in STEPS[:-1]:
            problem = self.step_of(name).problems()
            if problem:
                self.say(problem)
                self.app.bell()
                return
        closed = closed_now(self)
        if closed is not None:
            # item 10: outside working hours only with a reason, kept in the audit
            self._registering = True
            self.app.push_screen(OutsideHoursModal(closed), self._hours_answered)
            return
        self._register("")

    def _hours_answered(self, reason: str | None) -> None:
        self._registering = False
        if not reason:
            self.say(t("intake.hours.cancelled", self.lang))
            return
        self._register(reason)

    def _register(self, outside_hours: str) -> None:
        form = self.form()
        assert form is not None  # the applicant step checked the IIN
        received = set(self.documents.checklist.received)
        clerk_id = self.clerk_id()
        ticket_id = self.ticket_id
        self._registering = True
        self.drafts.stop_timer()
        self.drafts.dirty = False

        def make() -> Any:
            draft_id = self.drafts.draft_id  # saved by the writes queued before this one
            services = self.services()

            def submit() -> IntakeResult:
                result = services.intake.submit(
                    form,
                    received,
                    clerk_id,
                    ticket_id=ticket_id,
                    draft_id=draft_id,
                    outside_hours=outside_hours,
                )
                if result.outcome != "refused" and ticket_id is not None:
                    try:  # the ticket's visit is over (the queue screen sees it served)
                        services.queue.serve(ticket_id, clerk_id)
                    except Exception:  # noqa: BLE001 - the case is saved; the queue may lag
                        pass
                return result

            return submit

        self.writes.add(make, self._registered, self._register_failed)

    def _register_failed(self, err: DeskError) -> None:
        self._registering = False
        lang = self.lang
        self.say(t("intake.err.submit_failed", lang, message=error_text(err, lang)))

    def _registered(self, result: IntakeResult) -> None:
        self._registering = False
        if result.outcome == "refused":
            self.documents.evaluation = None
            self._refresh_checklist()
            self.say(t("intake.err.not_eligible", self.lang))
            return
        self.result = result
        self.drafts.draft_id = None  # the service deleted it in the same transaction
        self.drafts.stop_timer()
        self.drafts.dirty = False
        self.say()
        self._render_result()
        self.refresh_bindings()
        self.set_focus(None)
        self._print_paper(result)

    def _render_result(self) -> None:
        if self.result is not None:
            self.confirm.show_result(self.result, self.today(), self.print_message, self._doc_label)

    def _print_paper(self, result: IntakeResult) -> None:
        """The talon (accepted) or the missing-documents slip, off the UI thread."""
        if getattr(self.app, "print_slips", True):  # tests and snapshots turn paper off
            print_in_worker(self, result, self._paper_done)

    def _paper_done(self, message: str) -> None:
        self.print_message = message
        if self.is_attached:
            self._render_result()

    # ---------------------------------------------------------------- drafts

    def _offer_resume(self) -> None:
        if self._resume_checked:
            return
        self._resume_checked = True
        self.drafts.offer_resume()

    def restore(self, draft_id: int, data: dict[str, Any]) -> None:
        """Put a saved draft back on the form and go to the step it was on."""
        self.drafts.draft_id = draft_id
        self._restoring = True
        try:
            for step in self.steps:
                step.restore(data)
            if self.ticket_id is None and data.get("ticket_id") is not None:
                self.ticket_id = int(data["ticket_id"])
                self.ticket_number = data.get("ticket_number")
        finally:
            self.call_after_refresh(self._finish_restore, str(data.get("step") or "type"))

    def _finish_restore(self, step: str) -> None:
        self._restoring = False
        self._apply_visibility()
        self._update_institution_note()
        self.applicant.cross_check()
        self._refresh_checklist()
        self.drafts.dirty = False
        self.step = STEPS.index(step) if step in STEPS else 0
        self._show_step()
        if self.step > STEPS.index("applicant"):
            self._check_person_on_file()

    # ---------------------------------------------------------------- leaving

    def action_close(self) -> None:
        """Leave the form; its draft is written first (the screen closes when it is)."""
        if self._leaving:
            return
        self._leaving = True
        if self.result is not None:
            self.dismiss(None)
            return
        self.drafts.flush()

        def closed(_: Any = None) -> None:
            if self.drafts.draft_id is not None:
                self.app.notify(t("intake.closed", self.lang))
            self.dismiss(None)

        self.writes.add(lambda: lambda: None, closed, closed)  # after the writes before it

    def action_discard(self) -> None:
        """Ctrl+G: the draft is deleted only once the clerk says so (issue 12.4)."""
        if self.result is not None or self._leaving:
            return
        modal = QuestionModal(
            t("intake.key.discard", self.lang), t("intake.ask.discard", self.lang),
            yes="intake.key.discard", no="intake.key.back",
        )
        self.app.push_screen(modal, lambda yes: self._discard() if yes else None)

    def _discard(self) -> None:
        if self.result is not None or self._leaving:
            return
        self._leaving = True

        def discarded() -> None:
            self.app.notify(t("intake.discarded", self.lang))
            self.dismiss(None)

        self.drafts.discard(discarded)
