"""Paper for a consultation visitor (issue 11, point 12): nothing about the person.

The clerk chooses the institution type and the applicant categories the visitor asked
about; the screen shows the documents required (item 12: the intake's own checklist,
``rules.eligibility.documents_for``) and prints them on a slip with the Department's
contacts and the service term (Ctrl+S), or prints the blank application form (item 13,
Ctrl+F). Printing is a chord, never a single key (a scanner never prints). Nothing is asked
about the person and nothing is stored. Opened from the Information screen (D).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, Footer, RadioButton, RadioSet, Static

from mss_desk.catalog.model import CONDITIONS
from mss_desk.rules.eligibility import categories_of, documents_for
from mss_desk.vocabulary import INSTITUTIONS
from screens.base import DeskScreen
from widgets import keymap

CATEGORIES = tuple(c for c in CONDITIONS if c != "always")


class ConsultPaperScreen(DeskScreen):
    CSS_PATH = "information.tcss"
    BINDINGS = keymap.bindings("back", "consult.print_list", "consult.print_form")

    def compose(self) -> ComposeResult:
        yield Static(id="consult-title", classes="title")
        with Horizontal(id="consult-body"):
            with Vertical(id="consult-choice"):
                yield Static(id="consult-inst-label", classes="section")
                yield RadioSet(
                    *(RadioButton(id=f"inst-{code}", value=i == 0, compact=True)
                      for i, code in enumerate(INSTITUTIONS)),
                    id="consult-institution", compact=True,
                )
                yield Static(id="consult-cat-label", classes="section")
                for cat in CATEGORIES:
                    yield Checkbox(id=f"cat-{cat}", compact=True)
                yield Static(id="consult-note", classes="hint")
            with VerticalScroll(id="consult-docs-scroll"):
                yield Static(id="consult-docs")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#consult-institution", RadioSet).focus()

    # ------------------------------------------------------------------ what is chosen

    @property
    def institution(self) -> str:
        pressed = self.query_one("#consult-institution", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return INSTITUTIONS[0]
        return pressed.id.removeprefix("inst-")

    def categories(self) -> list[str]:
        """The categories ticked that the chosen type has, in the standard's order."""
        allowed = categories_of(self.institution, self.desk.catalog)
        return [c for c in allowed if self.query_one(f"#cat-{c}", Checkbox).value]

    def documents(self) -> tuple[str, ...]:
        return documents_for(self.institution, self.categories(), self.desk.catalog)

    # ------------------------------------------------------------------ showing it

    def relabel(self) -> None:
        t = self.t
        self.query_one("#consult-title", Static).update(Content(t("info.paper.title")))
        self.query_one("#consult-inst-label", Static).update(Content(t("intake.f.institution")))
        self.query_one("#consult-cat-label", Static).update(Content(t("info.paper.category")))
        for code in INSTITUTIONS:
            self.query_one(f"#inst-{code}", RadioButton).label = Content(t(f"intake.inst.{code}"))
        for cat in CATEGORIES:
            self.query_one(f"#cat-{cat}", Checkbox).label = Content(t(f"info.paper.cat.{cat}"))
        self.query_one("#consult-note", Static).update(Content(t("info.paper.note")))
        self._show()

    def _show(self) -> None:
        allowed = categories_of(self.institution, self.desk.catalog)
        for cat in CATEGORIES:
            box = self.query_one(f"#cat-{cat}", Checkbox)
            if box.display != (cat in allowed):
                box.display = cat in allowed
        docs = self.documents()
        lines = [Content.styled(self.t("info.paper.documents", n=len(docs)), "bold")]
        lines += [Content(f"{i:>2}. {self.t(f'intake.doc.{code}')}")
                  for i, code in enumerate(docs, start=1)]
        self.query_one("#consult-docs", Static).update(Content("\n").join(lines))

    @on(RadioSet.Changed, "#consult-institution")
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self._show()

    # ------------------------------------------------------------------ printing

    def action_print_list(self) -> None:
        """Issue 11.12: the documents list on the slip printer (a chord, never one key)."""
        from widgets.paper_job import print_in_background

        desk = self.desk
        institution, categories = self.institution, self.categories()
        print_in_background(
            self,
            lambda: desk.services.printing.print_consult_slip(
                institution, categories, desk.settings
            ),
        )

    def action_print_form(self) -> None:
        """Item 13: the blank application form, one A4 page."""
        from widgets.paper_job import print_in_background

        desk = self.desk
        print_in_background(
            self, lambda: desk.services.printing.print_blank_form(desk.settings)
        )

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
