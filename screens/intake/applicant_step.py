"""Step 3: the applicant — IIN checked as typed, birth date and sex cross-checked, names,
address, phone, the legal representative where the type needs one (items 6.2, 6.3), and
how the result is handed over (item 16)."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, RadioSet

from mss_desk.i18n import t
from mss_desk.i18n.dates import format_date, parse_day
from mss_desk.services.views import FIELD_LIMITS
from screens.intake.fields import Step
from widgets.iin_input import IinInput, check_iin

TEXTS = (
    "birth_date",
    "surname",
    "name",
    "patronymic",
    "address",
    "phone",
    "representative_name",
    "representative_iin",
    "representative_basis",
    "postal_address",
)
REPRESENTATIVE = ("representative_name", "representative_iin", "representative_basis")


class ApplicantStep(Step):
    NAME = "applicant"
    RADIOS = ("sex", "delivery_method")
    TEXTS = TEXTS
    SECTIONS = (("representative", "intake.f.representative"),)

    needs_representative = False  # told by the screen: the type's papers name one

    def compose(self) -> ComposeResult:
        yield self.row("iin", "intake.f.iin", IinInput(lang=self.lang, id="iin"))
        yield self.row("birth_date", "intake.f.birth_date", self.field("birth_date"))
        yield self.row("sex", "intake.f.sex", self.radio("sex", inline=True))
        for key in ("surname", "name", "patronymic", "address", "phone"):
            yield self.row(key, f"intake.f.{key}", self.field(key))
        yield self.section("representative", "intake.f.representative")
        yield self.row(
            "representative_name", "intake.f.rep_name", self.field("representative_name")
        )
        yield self.row(
            "representative_iin",
            "intake.f.rep_iin",
            self.field(
                "representative_iin",
                restrict=r"[0-9]*",
                max_length=FIELD_LIMITS["representative_iin"],
            ),
        )
        yield self.row(
            "representative_basis", "intake.f.rep_basis", self.field("representative_basis")
        )
        yield self.row("delivery_method", "intake.f.delivery", self.radio("delivery_method"))
        yield self.row(
            "postal_address", "intake.f.postal_address", self.field("postal_address")
        )

    @property
    def iin(self) -> IinInput:
        return self.query_one(IinInput)

    @property
    def delivery_method(self) -> str:
        return self.radio_value("delivery_method") or "in_person"

    def values(self) -> dict[str, Any]:
        return {"iin": self.iin.value, **super().values()}

    def restore(self, data: dict[str, Any]) -> None:
        super().restore(data)
        self.iin.value = str(data.get("iin") or "")

    def relabel(self, lang: str) -> None:
        super().relabel(lang)
        self.iin.lang = lang

    def show_for(self, needs_representative: bool) -> None:
        self.needs_representative = needs_representative
        self.show(
            "#sec-representative, #row-representative_name, #row-representative_iin, "
            "#row-representative_basis",
            needs_representative,
        )
        self.show("#row-postal_address", self.delivery_method == "post")

    def birth_sex(self) -> tuple[date | None, str | None]:
        """Birth date and sex: the IIN's when it is valid, otherwise what was typed."""
        info = self.iin.state.info
        if info is not None:
            return info.birth_date, info.sex
        return parse_day(self.query_one("#birth_date", Input).value), self.radio_value("sex")

    def details(self) -> dict[str, Any]:
        """The applicant's ``IntakeForm`` fields (a representative only where one is asked,
        a postal address only for a postal result)."""
        rep = self.needs_representative
        delivery = self.delivery_method
        return {
            "iin": self.iin.value,
            "surname": self.text("surname"),
            "name": self.text("name"),
            "patronymic": self.text("patronymic"),
            "delivery_method": delivery,
            "postal_address": self.text("postal_address") if delivery == "post" else "",
            **{key: self.text(key) if rep else "" for key in REPRESENTATIVE},
            "address": self.text("address"),
            "phone": self.text("phone"),
        }

    def full_name(self) -> str:
        return " ".join(p for p in (self.text(k) for k in ("surname", "name", "patronymic")) if p)

    def cross_check(self) -> None:
        typed = parse_day(self.query_one("#birth_date", Input).value)
        self.iin.expect(typed, self.radio_value("sex"))

    @on(IinInput.Changed)
    def _iin_changed(self, event: IinInput.Changed) -> None:
        # the screen hears it too (the facts changed); the derived fields are this step's
        info = event.state.info
        birth = self.query_one("#birth_date", Input)
        if info is not None and not birth.value.strip():
            # derived from the IIN; the clerk may still type what the papers say
            birth.value = format_date(info.birth_date)
        if info is not None and self.radio_value("sex") is None:
            self.set_radio("sex", info.sex)
        self.cross_check()

    @on(RadioSet.Changed, "#sex")
    def _sex_changed(self) -> None:
        self.cross_check()

    @on(RadioSet.Changed, "#delivery_method")
    def _delivery_changed(self) -> None:
        self.show("#row-postal_address", self.delivery_method == "post")

    @on(Input.Changed, "#birth_date")
    def _birth_changed(self) -> None:
        self.cross_check()

    def problems(self) -> str | None:
        lang = self.lang
        if self.iin.state.info is None:
            return t("intake.err.iin", lang, field=t("intake.f.iin", lang))
        raw_birth = self.text("birth_date")
        if raw_birth and parse_day(raw_birth) is None:
            return t("intake.err.bad_date", lang, field=self.field_name("birth_date"))
        self.cross_check()
        if self.iin.mismatches:
            return t("intake.err.mismatch", lang)
        required = ["surname", "name"]
        if self.needs_representative:
            required.append("representative_name")
        if self.delivery_method == "post":
            required.append("postal_address")  # item 16: the postal notice needs an address
        for key in required:
            if not self.text(key):
                return t("intake.err.required", lang, field=self.field_name(key))
        long_ones = [k for k in TEXTS if k not in ("birth_date", "representative_iin")]
        too_long = self.too_long(long_ones)
        if too_long:
            return too_long
        rep_iin = self.text("representative_iin")
        if self.needs_representative and rep_iin and not check_iin(rep_iin).valid:
            return t("intake.err.iin", lang, field=self.field_name("representative_iin"))
        return None

    def first_field(self) -> Widget | None:
        return self.iin
