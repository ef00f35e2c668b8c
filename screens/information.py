"""Information for the applicant (items 21-25): who serves, who hears a complaint.

The Department's contacts (Annex 1, item 24.1) and the Regional Department's (item 24.2):
address, phones, e-mail, website and reception hours, then where to complain (items 21-23)
and the Akimat (item 24.3). Read-only, from the catalog (no database); the same cards as
``mss-desk info`` (:func:`mss_desk.catalog.contacts.information`). Opened from home (I).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from mss_desk.catalog.contacts import contact_card
from screens.base import DeskScreen
from widgets import keymap


class InformationScreen(DeskScreen):
    CSS_PATH = "information.tcss"
    BINDINGS = keymap.bindings("back", "info.consult_paper")

    def compose(self) -> ComposeResult:
        yield Static(id="info-title", classes="title")
        with VerticalScroll(id="info-scroll"):
            yield Static(id="info-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#info-scroll", VerticalScroll).focus()

    def _card(self, title_key: str, card: dict[str, Any]) -> list[Content]:
        def line(key: str, value: str) -> Content:
            return Content.assemble((f"{self.t(key)}: ", "bold"), value)

        return [
            Content.styled(self.t(title_key), "bold $accent"),
            Content(card["name"]),
            line("info.address", card["address"]),
            line("info.phones", ", ".join(card["phones"])),
            line("info.email", card["email"]),
            line("info.website", card["website"]),
            line("info.reception", card["reception"]),
            Content(""),
        ]

    def relabel(self) -> None:
        desk = self.desk
        lang = desk.lang
        catalog = desk.catalog
        self.query_one("#info-title", Static).update(Content(self.t("info.title")))
        parts: list[Content] = []
        dept = desk.department
        if dept is not None:  # item 24.1: Annex 1
            own = contact_card(catalog.department(dept.code), lang)
            parts += self._card("info.department", own)
        parts += self._card("info.regional", contact_card(catalog.regional, lang))  # item 24.2
        parts.append(Content.styled(self.t("info.complain_title"), "bold $accent"))
        parts.append(Content(self.t("info.complain")))  # items 21-23, 25
        akimat = catalog.akimat
        if akimat is not None:  # item 24.3
            parts.append(Content(""))
            parts.append(Content.styled(self.t("info.akimat"), "bold $accent"))
            parts.append(Content(akimat.name_for(lang)))
            parts.append(
                Content.assemble((f"{self.t('info.address')}: ", "bold"), akimat.address_for(lang))
            )
            parts.append(
                Content.assemble((f"{self.t('info.website')}: ", "bold"), akimat.website)
            )
        self.query_one("#info-body", Static).update(Content("\n").join(parts))

    def action_consult_paper(self) -> None:
        """Issue 11.12: the documents list and the blank form for a consultation visitor."""
        from screens.consult_paper import ConsultPaperScreen

        self.app.push_screen(ConsultPaperScreen())

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
