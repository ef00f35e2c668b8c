"""The blank application form's fields (item 13, issue 11.12): the intake form's fields,
named as the intake screen names them (``intake.f.*`` in the i18n catalogs), in Kazakh and
Russian. No ReportLab: the services build the form's data with it, the samples too.
"""

from __future__ import annotations

from collections.abc import Sequence

from mss_desk.paper.data import FormField, FormSection


def blank_form_sections() -> tuple[FormSection, ...]:
    """The intake form's fields as sections of the blank form (item 13), in kk and ru."""
    from mss_desk.i18n import t
    from mss_desk.paper.labels import L
    from mss_desk.vocabulary import (
        DELIVERY_METHODS,
        INSTITUTIONS,
        OWNERSHIP,
        RELATIVES,
        RELATIVES_REASONS,
        SEXES,
    )

    def pair(key: str) -> tuple[str, str]:
        return (t(key, "kk"), t(key, "ru"))

    def line(key: str) -> FormField:
        return FormField(pair(f"intake.f.{key}"))

    def boxes(key: str, prefix: str, options: Sequence[str]) -> FormField:
        return FormField(pair(f"intake.f.{key}"), tuple(pair(f"{prefix}.{o}") for o in options))

    ticks = FormField(
        pair("intake.f.tick"),
        tuple(pair(f"intake.f.{k}") for k in
              ("disabled", "psychoneuro", "wwii", "needs_care", "declared_incapable")),
    )
    return (
        FormSection(L["form.applicant"], (
            (line("surname"), line("name"), line("patronymic")),
            (line("iin"), line("birth_date"), boxes("sex", "intake.sex", SEXES)),
            (line("address"), line("phone")),
        )),
        FormSection(L["form.institution"], (
            (boxes("institution", "intake.inst", INSTITUTIONS),),
            (boxes("ownership", "intake.ownership", OWNERSHIP),),
        )),
        FormSection(L["form.category"], (
            (ticks,),
            (boxes("group", "intake.group", ("1", "2", "3", "none")),),
            (boxes("relatives", "intake.relatives", RELATIVES),),
            (boxes("relatives_reason", "intake.reason", RELATIVES_REASONS),),
            (line("council_no"), line("council_date"), line("spouse")),
        )),
        FormSection(L["form.representative"], (
            (line("rep_name"), line("rep_iin"), line("rep_basis")),
        )),
        FormSection(L["form.delivery"], (
            (boxes("delivery", "intake.delivery", DELIVERY_METHODS), line("postal_address")),
        )),
    )


__all__ = ["blank_form_sections"]
