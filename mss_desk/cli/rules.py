"""Commands on the rules alone, no database: ``iin``, ``evaluate``, ``deadlines``.

``iin`` must stay light (no SQLAlchemy: a test runs it and looks at ``sys.modules``).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from mss_desk.cli.context import Context
from mss_desk.cli.values import (
    check_date_range,
    fmt_date,
    iso_date,
    parse_date_arg,
    parse_local_arg,
)
from mss_desk.errors import ValidationError

# A facts file is one small flat object (about a dozen fields). Anything far larger is a
# mistake or an attack: refused with its own words, never an "internal error" (issue 15
# item 13: deeply nested JSON and a 5,000-digit number were "internal error").
MAX_FACTS_BYTES = 64 * 1024


def cmd_iin(ctx: Context) -> int:
    from mss_desk.rules.iin import parse_iin

    info = parse_iin(ctx.args.iin)
    data = {"valid": True, "birth_date": info.birth_date.isoformat(), "sex": info.sex}
    return ctx.emit(
        data,
        lambda: ctx.t(
            "cli.iin.valid",
            birth_date=fmt_date(info.birth_date),
            sex=ctx.t(f"cli.sex.{info.sex}"),
        ),
    )


def _read_json_file(name: str) -> Any:
    if name == "-":
        text = sys.stdin.read(MAX_FACTS_BYTES + 1)
        shown = "stdin"
    else:
        try:
            with open(name, encoding="utf-8") as fh:
                text = fh.read(MAX_FACTS_BYTES + 1)
        except FileNotFoundError:
            raise ValidationError(key="cli.file_missing", file=name) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(
                key="cli.file_unreadable", file=name, reason=_why_unreadable(exc)
            ) from None
        shown = name
    if len(text) > MAX_FACTS_BYTES:
        raise ValidationError(key="cli.facts_too_large", file=shown, limit=MAX_FACTS_BYTES // 1024)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            key="cli.bad_json", file=shown, line=exc.lineno, column=exc.colno, reason=exc.msg
        ) from None
    except RecursionError:  # [[[[… deeper than the parser's stack
        raise ValidationError(key="cli.json_too_deep", file=shown) from None
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        raise ValidationError(
            key="cli.json_number_too_long", file=shown, limit=sys.get_int_max_str_digits()
        ) from None


def _why_unreadable(exc: OSError | UnicodeDecodeError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "a directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8"
    return exc.strerror or "error"


def cmd_evaluate(ctx: Context) -> int:
    from mss_desk.rules.eligibility import evaluate, evaluation_to_dict, facts_from_dict

    raw = _read_json_file(ctx.args.file)
    if not isinstance(raw, dict):
        raise ValidationError(key="cli.facts_not_object", file=ctx.args.file)
    catalog = ctx.catalog()
    code = raw.get("institution")
    if isinstance(code, str) and code and code not in catalog.institutions:
        raise ValidationError(
            key="cli.unknown_institution",
            code=str(code),
            known=", ".join(sorted(catalog.institutions)),
        )
    _check_fact_dates(raw)
    facts = facts_from_dict(raw, catalog)
    # the IIN's century digit allows the 1800s; the desk counts ages from 1900 (item 13)
    check_date_range(facts.birth_date, "birth date (IIN)")
    ev = evaluate(facts, catalog)
    full = evaluation_to_dict(ev, ctx.lang if not ctx.json else ctx.json_lang)
    shown = ("eligible", "priority", "age", "pension_age", "pension_age_since")
    data = {k: full[k] for k in (*shown, "reasons", "documents")}

    def human() -> str:
        head = ctx.t(
            "cli.evaluate.eligible" if ev.eligible else "cli.evaluate.not_eligible", age=ev.age
        )
        lines = [head]
        if ev.priority:
            lines.append(ctx.t("cli.evaluate.priority"))
        lines.extend(f"  - {r}" for r in data["reasons"])
        if ev.eligible:
            lines.append(ctx.t("cli.evaluate.documents"))
            for i, doc in enumerate(data["documents"], 1):
                lines.append(f"  {i}. {_doc_label(catalog, doc, ctx.lang)}")
        return "\n".join(lines)

    return ctx.emit(data, human)


def _check_fact_dates(raw: dict[str, Any]) -> None:
    """``on`` and ``birth_date`` within 1900-2100 (issue 15 item 13: ``"on": "9999-12-31"``
    answered "eligible, age 8054"). A value that is no date at all is left to the rules'
    own message."""
    for name in ("on", "birth_date"):
        value = raw.get(name)
        if not isinstance(value, str):
            continue
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            continue
        check_date_range(parsed, name)


def _doc_label(catalog: Any, code: str, lang: str) -> str:
    try:
        spec = catalog.document(code)
    except Exception:  # noqa: BLE001 - a label is a nicety; the code is always right
        return code
    label = spec.label_ru if lang == "ru" else spec.label_kk
    return f"{label} ({code})" if lang == "en" else label


def cmd_deadlines(ctx: Context) -> int:
    from mss_desk.rules.calendar import BusinessCalendar
    from mss_desk.rules.deadlines import compute_deadlines

    tz = ctx.settings.tzinfo()
    accepted = parse_local_arg(ctx.args.accepted, "--accepted", tz)
    forwarded = (
        parse_date_arg(ctx.args.forwarded, "--forwarded")
        if ctx.args.forwarded is not None
        else None
    )
    if forwarded is not None and forwarded < accepted.date():
        raise ValidationError(
            key="cli.forwarded_before_accepted",
            forwarded=forwarded.isoformat(),
            accepted=accepted.date().isoformat(),
        )
    catalog = ctx.catalog()
    calendar = BusinessCalendar(catalog.calendar_overrides)
    dl = compute_deadlines(accepted.date(), forwarded, calendar, catalog.terms(accepted.date()))
    data = {
        "service_due": iso_date(dl.service_due),
        "forward_due": iso_date(dl.forward_due),
        "decision_due": iso_date(dl.decision_due),
        "binding_due": iso_date(dl.binding_due),
    }

    def human() -> str:
        lines = [
            ctx.t("cli.deadlines.service", date=fmt_date(dl.service_due)),
            ctx.t("cli.deadlines.forward", date=fmt_date(dl.forward_due)),
            ctx.t("cli.deadlines.decision", date=fmt_date(dl.decision_due))
            if dl.decision_due is not None
            else ctx.t("cli.deadlines.decision_not_forwarded"),
            ctx.t("cli.deadlines.binding", date=fmt_date(dl.binding_due)),
        ]
        return "\n".join(lines)

    return ctx.emit(data, human)
