"""Who may be placed where (item 6) and which documents they bring (item 12).

Pure: facts in, an :class:`Evaluation` out. No I/O, no clock — the date of acceptance is a
fact. Reasons are :class:`Reason` (an i18n key and its parameters) so the screen can say
them in the clerk's language; :func:`reasons_text` renders them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from mss_desk.errors import InvalidIIN, ValidationError
from mss_desk.rules.iin import parse_iin
from mss_desk.vocabulary import DISABILITY_GROUPS, RELATIVES, RELATIVES_REASONS

if TYPE_CHECKING:
    from mss_desk.catalog import Catalog


@dataclass(frozen=True)
class Facts:
    institution: str
    birth_date: date
    sex: str  # "male" | "female"
    on: date  # the date of acceptance: age and pension age are counted on it (Decision)
    disabled: bool = False
    disability_group: int | None = None  # adults: 1, 2 or 3; children: None allowed
    psychoneuro: bool = False
    wwii: bool = False  # invalid/participant of the Great Patriotic War or equated person
    needs_care: bool = True
    relatives: str | None = None  # one of RELATIVES
    relatives_reason: str | None = None  # one of RELATIVES_REASONS (relatives_unable)
    declared_incapable: bool = False


@dataclass(frozen=True)
class Reason:
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    eligible: bool
    priority: bool
    age: int
    pension_age: bool
    reasons: tuple[Reason, ...]
    documents: tuple[str, ...]  # required codes in the standard's order; () when not eligible
    # Decision "pension age": the first day the person reached the pension age in force on
    # that day (kept from then on); None when not (yet) of pension age on the day
    pension_age_since: date | None = None


# --------------------------------------------------------------------------- ages


def _add_months(d: date, months: int) -> date:
    """``d`` plus whole months; a day missing in the target month becomes its last day
    (civil-law rule for terms: 29 February + 12 months = 28 February)."""
    total = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(total, 12)
    month = month0 + 1
    if month == 12:
        last = 31
    else:
        last = (date(year, month + 1, 1) - date(year, month, 1)).days
    return date(year, month, min(d.day, last))


def age_in_months(birth: date, on: date) -> int:
    """Full months lived on ``on`` (negative never: before birth gives -1)."""
    if on < birth:
        return -1
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    if _add_months(birth, months) > on:
        months -= 1
    return months


def age_on(birth: date, on: date) -> int:
    """Full years on ``on`` — the birthday itself counts (Decision: age on acceptance date)."""
    months = age_in_months(birth, on)
    return -1 if months < 0 else months // 12


def pension_age_reached(birth: date, sex: str, catalog: Catalog) -> date | None:
    """The first day on which the person's age reached the pension age in force on that day.

    Decision "pension age" (SPEC): once reached, pension age is kept — a woman who turned 61
    in August 2027 (the age in force then) stays of pension age in 2028, when the step is
    61.5. Each step of data/pension_ages.toml rules from its ``from`` date until the next
    one (the first also before its date, the last for ever); within a step "age >= step"
    once true stays true, so per step the first day is the later of the step's start and
    the day the age is reached, if that falls before the next step starts. The date may lie
    in the future (it is then the day the person will reach it). ``None`` only when the data
    hold no step for ``sex``.
    """
    steps = sorted((s for s in catalog.pension_steps if s.sex == sex), key=lambda s: s.from_date)
    for i, step in enumerate(steps):
        reached = _add_months(birth, step.total_months)  # age_in_months >= step from then on
        first = reached if i == 0 else max(step.from_date, reached)
        if i + 1 == len(steps) or first < steps[i + 1].from_date:
            return first
    return None


def is_pension_age(birth: date, sex: str, on: date, catalog: Catalog) -> bool:
    """Of pension age on ``on``: on some day up to ``on`` the person's age reached the
    pension age in force on that day (Decision "pension age": once reached, it is kept)."""
    since = pension_age_reached(birth, sex, catalog)
    return since is not None and since <= on


# --------------------------------------------------------------------------- the rules


def _council_path(facts: Facts) -> bool:
    # item 6.1: the Council's decision is the ground only on the ordinary path; the WWII
    # path admits "regardless of relatives", so no Council decision is asked for there.
    return (
        facts.institution == "elderly_general"
        and not facts.wwii
        and facts.relatives == "council_exception"
    )


def required_documents(facts: Facts, catalog: Catalog) -> tuple[str, ...]:
    """The checklist for these facts, in the standard's order (item 12).

    Independent of eligibility: the live checklist calls it on every change of a fact.
    """
    pension = is_pension_age(facts.birth_date, facts.sex, facts.on, catalog)
    wanted = {
        "pension_age": pension,  # item 12.1: pension certificate for persons of pension age
        "wwii": facts.wwii,  # item 12.1: WWII status certificate
        "disabled": facts.disabled,  # item 12.1: the two extracts "in addition, for disabled"
        "council_exception": _council_path(facts),  # Decision: derived from item 6.1
        "declared_incapable": facts.declared_incapable,  # item 12.3: court decision, if any
    }
    return documents_for(facts.institution, [c for c, on in wanted.items() if on], catalog)


def categories_of(institution: str, catalog: Catalog) -> tuple[str, ...]:
    """The applicant categories (conditions other than "always") that add documents to the
    checklist of ``institution``, in the standard's order (item 12)."""
    kind = catalog.institution(institution)
    seen = dict.fromkeys(doc.condition for doc in kind.documents if doc.condition != "always")
    return tuple(seen)


def documents_for(institution: str, categories: Iterable[str], catalog: Catalog
                  ) -> tuple[str, ...]:
    """Item 12: the checklist of ``institution`` for a person in ``categories`` — the
    documents always required and those of each category, in the standard's order.

    The one list: intake (:func:`required_documents`) and the consultation slip
    (issue 11.12: nothing about the person, only the type and the category) both use it.
    """
    kind = catalog.institution(institution)
    wanted = {"always", *categories}
    return tuple(doc.code for doc in kind.documents if doc.condition in wanted)


def evaluate(facts: Facts, catalog: Catalog) -> Evaluation:
    """Is the person eligible for this institution type, with what priority, and why."""
    kind = catalog.institution(facts.institution)
    age = age_on(facts.birth_date, facts.on)
    reached = pension_age_reached(facts.birth_date, facts.sex, catalog)
    pension = reached is not None and reached <= facts.on
    since = reached if pension else None
    # the pension age the person reached (that in force on the day), else today's step
    p_years, p_months = catalog.pension_age(facts.sex, since or facts.on)
    pension_reason = Reason(
        "rules.reason.pension_age",
        {
            "pension_years": p_years,
            "pension_months": p_months,
            "since": since.strftime("%d.%m.%Y") if since else "",  # dd.mm.yyyy in all langs
        },
    )
    fails: list[Reason] = []
    grounds: list[Reason] = []
    priority = False

    # item 6: every type — the person needs constant outside care and medical services
    if not facts.needs_care:
        fails.append(Reason("rules.reason.needs_care"))

    if age < kind.min_age:
        fails.append(
            Reason(
                "rules.reason.too_young",
                {"age": max(age, 0), "min_age": kind.min_age, "item": kind.item},
            )
        )
    if kind.max_age_exclusive is not None and age >= kind.max_age_exclusive:
        fails.append(
            Reason(
                "rules.reason.too_old",
                {"age": age, "max_age": kind.max_age_exclusive, "item": kind.item},
            )
        )

    group_1_2 = facts.disabled and facts.disability_group in (1, 2)

    if kind.code == "elderly_general":
        # item 6.1: pension age OR disabled of group 1 or 2 — on both paths (the WWII path
        # waives only the relatives condition; persons equated to participants can be young)
        if pension:
            grounds.append(pension_reason)
        elif not group_1_2:
            fails.append(
                Reason(
                    "rules.reason.wwii_not_pension_or_group"
                    if facts.wwii
                    else "rules.reason.not_pension_or_group",
                    {"pension_years": p_years, "pension_months": p_months},
                )
            )
        if facts.wwii:
            # item 6.1: WWII invalids/participants and equated persons — first priority,
            # regardless of able-bodied relatives (Decision: orders the referral list only)
            priority = True
            grounds.insert(0, Reason("rules.reason.priority_wwii"))
        else:
            # ... AND no relatives obliged to care / relatives unable / Council's decision
            if facts.relatives is None:
                fails.append(Reason("rules.reason.relatives_missing"))
            elif facts.relatives == "no_relatives":
                grounds.append(Reason("rules.reason.no_relatives"))
            elif facts.relatives == "relatives_unable":
                if facts.relatives_reason is None:
                    fails.append(Reason("rules.reason.relatives_reason_missing"))
                else:
                    grounds.append(
                        Reason(
                            "rules.reason.relatives_unable",
                            {"reason_key": f"rules.relatives_reason.{facts.relatives_reason}"},
                        )
                    )
            elif facts.relatives == "relatives_able":
                fails.append(Reason("rules.reason.relatives_able"))
            elif facts.relatives == "council_exception":
                grounds.append(Reason("rules.reason.council_exception"))
    elif kind.code == "children_psychoneuro":
        # item 6.2: disabled children (child disability, with or without a group) with
        # psychoneurological pathology, 4 <= age < 18 (Decision)
        if not facts.disabled:
            fails.append(Reason("rules.reason.not_disabled", {"item": kind.item}))
        if not facts.psychoneuro:
            fails.append(Reason("rules.reason.psychoneuro_required", {"item": kind.item}))
    elif kind.code == "adult_psychoneuro":
        # item 6.3: disabled of groups 1 and 2 "over eighteen" (Decision: age >= 18)
        if not group_1_2:
            fails.append(Reason("rules.reason.group_required", {"item": kind.item}))
        if not facts.psychoneuro:
            fails.append(Reason("rules.reason.psychoneuro_required", {"item": kind.item}))

    eligible = not fails
    if eligible:
        reasons = (Reason("rules.reason.eligible"), *grounds)
        documents = required_documents(facts, catalog)
    else:
        reasons = tuple(fails)
        documents = ()
    return Evaluation(
        eligible=eligible,
        priority=priority and eligible,
        age=age,
        pension_age=pension,
        reasons=reasons,
        documents=documents,
        pension_age_since=since,
    )


# item 6.2 -> 6.3: the type a person goes to once past a type's age ceiling
_OLDER_TYPE = {"children_psychoneuro": "adult_psychoneuro"}


def offer_for(facts: Facts, catalog: Catalog) -> str | None:
    """The type to offer someone who outgrew theirs on the day (a child who turned 18
    between the return and the acceptance of the file is no longer a child: item 6.2,
    Decision "age is counted on the date of acceptance"), else None."""
    kind = catalog.institution(facts.institution)
    if kind.max_age_exclusive is None or facts.institution not in _OLDER_TYPE:
        return None
    if age_on(facts.birth_date, facts.on) < kind.max_age_exclusive:
        return None
    return _OLDER_TYPE[facts.institution]


# --------------------------------------------------------------------------- rendering


def reason_text(reason: Reason, lang: str = "kk") -> str:
    """One reason in words; a parameter named ``*_key`` is itself translated."""
    from mss_desk.i18n import t

    params: dict[str, Any] = {}
    for name, value in reason.params.items():
        if name.endswith("_key"):
            params[name[: -len("_key")]] = t(str(value), lang)
        else:
            params[name] = value
    return t(reason.key, lang, **params)


def reasons_text(ev: Evaluation, lang: str = "kk") -> list[str]:
    return [reason_text(r, lang) for r in ev.reasons]


def evaluation_to_dict(ev: Evaluation, lang: str = "en") -> dict[str, Any]:
    """The CLI's JSON shape of an evaluation."""
    return {
        "eligible": ev.eligible,
        "priority": ev.priority,
        "age": ev.age,
        "pension_age": ev.pension_age,
        "pension_age_since": (
            ev.pension_age_since.isoformat() if ev.pension_age_since is not None else None
        ),
        "reasons": reasons_text(ev, lang),
        "documents": list(ev.documents),
    }


# --------------------------------------------------------------------------- from JSON

_BOOL_FIELDS = ("disabled", "psychoneuro", "wwii", "needs_care", "declared_incapable")
_KNOWN_FIELDS = frozenset(
    {
        "institution",
        "iin",
        "on",
        "disability_group",
        "relatives",
        "relatives_reason",
        "birth_date",
        "sex",
        *_BOOL_FIELDS,
    }
)


def _date(value: Any, name: str) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(key="rules.facts.bad_date", field=name, value=str(value))


def _bool(d: Mapping[str, Any], name: str, default: bool) -> bool:
    value = d.get(name, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ValidationError(key="rules.facts.bad_bool", field=name)
    return value


def _text(d: Mapping[str, Any], name: str) -> str | None:
    value = d.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError(key="rules.facts.bad_value", field=name, value=str(value))
    return value.strip()


def facts_from_dict(d: Mapping[str, Any], catalog: Catalog) -> Facts:
    """Facts from the CLI JSON shape ``{"institution", "iin", "on", "disabled",
    "disability_group", "psychoneuro", "wwii", "needs_care", "relatives",
    "relatives_reason", "declared_incapable"}``.

    Birth date and sex come from the IIN; optional ``birth_date``/``sex`` must agree with
    it (SPEC). Raises :class:`ValidationError` or :class:`InvalidIIN` with a clear key.
    """
    if not isinstance(d, Mapping):
        raise ValidationError(key="rules.facts.bad_value", field="-", value=type(d).__name__)
    unknown = sorted(set(d) - _KNOWN_FIELDS)
    if unknown:
        raise ValidationError(key="rules.facts.unknown_field", field=unknown[0])
    for name in ("institution", "iin", "on"):
        if d.get(name) in (None, ""):
            raise ValidationError(key="rules.facts.missing", field=name)

    institution = _text(d, "institution")
    if institution is None or institution not in catalog.institutions:
        raise ValidationError(
            key="rules.facts.unknown_institution", field="institution", value=str(institution)
        )
    iin_value = d["iin"]
    if not isinstance(iin_value, str):
        raise InvalidIIN(key="rules.iin.digits")
    info = parse_iin(iin_value)
    on = _date(d["on"], "on")
    if on < info.birth_date:
        raise ValidationError(key="rules.facts.future_birth", field="on")
    if (
        d.get("birth_date") not in (None, "")
        and _date(d["birth_date"], "birth_date") != info.birth_date
    ):
        raise ValidationError(key="rules.facts.iin_mismatch", field="birth_date")
    sex = _text(d, "sex")
    if sex is not None and sex != info.sex:
        raise ValidationError(key="rules.facts.iin_mismatch", field="sex")

    group = d.get("disability_group")
    if group in (None, ""):
        group = None
    elif isinstance(group, bool) or not isinstance(group, int | str):
        raise ValidationError(key="rules.facts.bad_group", field="disability_group")
    else:
        try:
            group = int(group)
        except ValueError:
            raise ValidationError(key="rules.facts.bad_group", field="disability_group") from None
        if group not in DISABILITY_GROUPS:
            raise ValidationError(key="rules.facts.bad_group", field="disability_group")

    disabled = _bool(d, "disabled", group is not None)
    if group is not None and not disabled:
        raise ValidationError(key="rules.facts.group_without_disability", field="disability_group")

    relatives = _text(d, "relatives")
    if relatives is not None and relatives not in RELATIVES:
        raise ValidationError(
            key="rules.facts.unknown_relatives", field="relatives", value=relatives
        )
    reason = _text(d, "relatives_reason")
    if reason is not None and reason not in RELATIVES_REASONS:
        raise ValidationError(
            key="rules.facts.unknown_reason", field="relatives_reason", value=reason
        )
    if reason is not None and relatives != "relatives_unable":
        reason = None  # only meaningful when relatives exist but cannot care

    return Facts(
        institution=institution,
        birth_date=info.birth_date,
        sex=info.sex,
        on=on,
        disabled=disabled,
        disability_group=group,
        psychoneuro=_bool(d, "psychoneuro", False),
        wwii=_bool(d, "wwii", False),
        needs_care=_bool(d, "needs_care", True),
        relatives=relatives,
        relatives_reason=reason,
        declared_incapable=_bool(d, "declared_incapable", False),
    )
