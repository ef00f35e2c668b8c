"""Issue 15, items 11 and 12: accounts.

- every clerk-acting write refuses a disabled clerk (one check at the service boundary);
- passwords: at least 10 characters, not containing the user name, not a common one;
- user names: lowercase ASCII letters, digits, ``.``, ``_``, ``-`` (no look-alikes);
- a head or admin disables, unlocks and resets (audited); a head never manages an admin;
- the 15-minute lockout runs on real elapsed time, not on the desk's (training) clock.

Runs on SQLite and, with ``MSS_DESK_TEST_POSTGRES``, on PostgreSQL (``services`` fixture).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from mss_desk.clock import FixedClock, SystemClock
from mss_desk.errors import AuthError, DeskError, RuleViolation, ValidationError
from mss_desk.rules.iin import make_iin
from mss_desk.services import Services
from mss_desk.services import clerks as clerks_mod
from mss_desk.services.views import IntakeForm
from tests.conftest import CLERK_PASSWORD, DEPT, ELDERLY_DOCS, local_dt

HEAD_PASSWORD = "head of desk 19"
ADMIN_PASSWORD = "region keeper 1"
DOCS = set(ELDERLY_DOCS)


def _form(serial: int = 1) -> IntakeForm:
    born = date(1950, 5, 1)
    return IntakeForm(
        iin=make_iin(born, "female", serial),
        surname="Әлиева",
        name="Гүлнар",
        birth_date=born,
        sex="female",
        institution="elderly_general",
        relatives="no_relatives",
    )


def _events(engine: sa.Engine, action: str) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                sa.text("SELECT actor, entity_id FROM audit_events WHERE action = :a ORDER BY id"),
                {"a": action},
            )
        )


@pytest.fixture
def head(services: Services) -> Any:
    return services.clerks.create(DEPT, "gulnar", "Нұрланова", "Гүлнар", HEAD_PASSWORD, "head")


# --- a disabled clerk acts no more ----------------------------------------------------------

ACTIONS: dict[str, Callable[[Services, Any, str], Any]] = {
    "intake.submit": lambda s, c, no: s.intake.submit(_form(2), DOCS, c.id),
    "intake.save_draft": lambda s, c, no: s.intake.save_draft(None, {"surname": "x"}, c.id),
    "queue.call_next": lambda s, c, no: s.queue.call_next("submit", c.id),
    "complaints.register": lambda s, c, no: s.complaints.register("Әлиев", "мәтін", c.id),
    "lifecycle.forward": lambda s, c, no: s.lifecycle.forward([no], c.id),
    "lifecycle.safekeep": lambda s, c, no: s.lifecycle.safekeep(no, c.id, "Шкаф 3"),
    "clerks.set_password": lambda s, c, no: s.clerks.set_password(c.id, "a fresh secret", c.id),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_disabled_clerk_is_refused_every_action(
    services: Services, clerk: Any, head: Any, action: str
) -> None:
    services.queue.issue("submit")
    case_no = services.intake.submit(_form(1), DOCS, clerk.id).case_no
    assert case_no is not None
    services.clerks.set_active(clerk.id, False, actor=head.id)
    with pytest.raises(AuthError) as err:
        ACTIONS[action](services, clerk, case_no)
    assert err.value.key == "clerks.disabled"
    services.clerks.set_active(clerk.id, True, actor=head.id)
    try:  # enabled again: the account no longer stops it (the step's own rules may)
        ACTIONS[action](services, clerk, case_no)
    except AuthError:
        raise
    except DeskError:
        pass


def test_a_disabled_clerk_cannot_finish_the_ticket_they_called(
    services: Services, clerk: Any, head: Any
) -> None:
    services.queue.issue("submit")
    ticket = services.queue.call_next("submit", clerk.id)
    assert ticket is not None
    services.clerks.set_active(clerk.id, False, actor=head.id)
    for finish in (services.queue.serve, services.queue.no_show):
        with pytest.raises(AuthError) as err:
            finish(ticket.id)  # the screen passes no clerk: the ticket's clerk acts
        assert err.value.key == "clerks.disabled"
    assert services.queue.serve(ticket.id, head.id).status == "served"  # the head may


def test_a_disabled_head_cannot_review_or_enter_values(services: Services, head: Any) -> None:
    admin = services.clerks.create(DEPT, "admin", "Әкім", "Бас", ADMIN_PASSWORD, "admin")
    complaint = services.complaints.register("Әлиев", "мәтін", head.id)
    services.clerks.set_active(head.id, False, actor=admin.id)
    with pytest.raises(AuthError) as review:
        services.complaints.review(complaint.complaint_no, head.id, justified=False,
                                   satisfied=False)
    with pytest.raises(AuthError) as enter:
        services.reports.enter_value("3.3", 2026, 50.0, head.id)
    assert review.value.key == enter.value.key == "clerks.disabled"


def test_an_unknown_clerk_is_not_found(services: Services) -> None:
    from mss_desk.errors import NotFound

    with pytest.raises(NotFound) as err:
        services.queue.call_next("submit", 999_999)
    assert err.value.key == "clerks.not_found"


# --- passwords ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("demo12345", "clerks.password_short"),  # 9 characters (the old demo password)
        ("x" * 257, "clerks.password_long"),
        ("erlan-at-desk", "clerks.password_username"),
        ("my NALRE pass", "clerks.password_username"),  # the name backwards
        ("password123", "clerks.password_common"),
        ("Qwerty12345", "clerks.password_common"),  # compared lowercase
        ("1234567890", "clerks.password_common"),
        ("qwertyuiop", "clerks.password_common"),
        ("йцукенгшщз", "clerks.password_common"),  # a Cyrillic keyboard walk
        ("kokshetau2026", "clerks.password_common"),
    ],
)
def test_weak_passwords_are_refused(services: Services, password: str, key: str) -> None:
    with pytest.raises(ValidationError) as err:
        services.clerks.create(DEPT, "erlan", "Сейітов", "Ерлан", password, "clerk")
    assert err.value.key == key
    assert services.clerks.list() == []


def test_a_weak_reset_is_refused_and_the_old_password_kept(
    services: Services, clerk: Any, head: Any
) -> None:
    for weak in ("short one", "aigerim-2026", "password1234"):
        with pytest.raises(ValidationError):
            services.clerks.set_password(clerk.id, weak, actor=head.id)
    services.clerks.authenticate("aigerim", CLERK_PASSWORD)


def test_ten_characters_not_common_are_enough(services: Services) -> None:
    assert services.clerks.create(DEPT, "erlan", "Сейітов", "Ерлан", "Көкше-2026!").id


def test_the_common_list_is_shipped_and_large() -> None:
    common = clerks_mod.common_passwords()
    assert len(common) >= 2000
    assert all(p == p.lower() and len(p) >= clerks_mod.MIN_PASSWORD for p in common)
    assert CLERK_PASSWORD not in common


# --- user names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username",
    [
        "",
        "two words",
        "\u0430dmin",  # Cyrillic а: looks like "admin"
        "\u212aate",  # KELVIN SIGN: lower() would make it an ASCII k
        "aigerim\u202e",
        "әйгерім",
        "-rf",  # never an option on a command line
        ".hidden",
        "a" * 65,
        "name@desk",
    ],
)
def test_bad_user_names_are_refused(services: Services, username: str) -> None:
    with pytest.raises(ValidationError) as err:
        services.clerks.create(DEPT, username, "Сейітов", "Ерлан", "long enough pass")
    assert err.value.key == "clerks.bad_username"


def test_good_user_names_are_kept_lowercase(services: Services) -> None:
    for i, name in enumerate(["a.b_c-1", "Erlan.S", "x" * 64]):
        view = services.clerks.create(DEPT, name, "Сейітов", "Ерлан", f"long enough pass {i}")
        assert view.username == name.lower()
    with pytest.raises(ValidationError) as err:
        services.clerks.create(DEPT, "ERLAN.s", "Сейітов", "Ерлан", "long enough pass")
    assert err.value.key == "clerks.username_taken"


# --- who manages accounts -------------------------------------------------------------------


def test_a_head_disables_unlocks_and_resets_audited(
    services: Services, clerk: Any, head: Any, engine: sa.Engine
) -> None:
    services.clerks.set_active(clerk.id, False, actor=head.id)
    services.clerks.set_active(clerk.id, True, actor=head.id)
    for _ in range(clerks_mod.MAX_FAILURES):
        with pytest.raises(AuthError):
            services.clerks.authenticate("aigerim", "wrong password")
    services.clerks.unlock(clerk.id, actor=head.id)
    services.clerks.set_password(clerk.id, "a reset secret", actor=head.id)
    services.clerks.authenticate("aigerim", "a reset secret")
    for action in ("clerk.disable", "clerk.enable", "clerk.unlock", "clerk.password"):
        events = _events(engine, action)
        assert [(str(e.actor), str(e.entity_id)) for e in events] == [(str(head.id), str(clerk.id))]


def test_a_clerk_manages_no_account(services: Services, clerk: Any, head: Any) -> None:
    other = services.clerks.create(DEPT, "bolat", "Әбенов", "Болат", "steppe wind 42")
    for act in (
        lambda: services.clerks.set_active(other.id, False, actor=clerk.id),
        lambda: services.clerks.unlock(other.id, actor=clerk.id),
        lambda: services.clerks.set_password(other.id, "a stolen secret", actor=clerk.id),
        lambda: services.clerks.create(DEPT, "evil", "Зұлым", "Адам", "dark night 777",
                                       "admin", actor=clerk.id),
    ):
        with pytest.raises(RuleViolation) as err:
            act()
        assert err.value.key == "safety.accounts_head_only"


def test_a_head_never_manages_an_administrator(services: Services, head: Any) -> None:
    admin = services.clerks.create(DEPT, "admin", "Әкім", "Бас", ADMIN_PASSWORD, "admin")
    for act in (
        lambda: services.clerks.set_password(admin.id, "a stolen secret", actor=head.id),
        lambda: services.clerks.set_active(admin.id, False, actor=head.id),
        lambda: services.clerks.unlock(admin.id, actor=head.id),
        lambda: services.clerks.create(DEPT, "admin2", "Әкім", "Екі", "second admin 2",
                                       "admin", actor=head.id),
    ):
        with pytest.raises(RuleViolation) as err:
            act()
        assert err.value.key == "clerks.admin_only"
    services.clerks.authenticate("admin", ADMIN_PASSWORD)
    services.clerks.set_active(head.id, False, actor=admin.id)  # the admin may


# --- item 12: the lockout runs on real time -------------------------------------------------


def test_the_lockout_ends_after_fifteen_real_minutes_on_a_stopped_desk_clock(
    services: Services, clerk: Any, clock: FixedClock
) -> None:
    real = FixedClock(local_dt("2026-12-02 17:00"))  # the training desk says 2 March
    services.clerks.lockout_clock = real
    for _ in range(clerks_mod.MAX_FAILURES):
        with pytest.raises(AuthError):
            services.clerks.authenticate("aigerim", "wrong password")
    with pytest.raises(AuthError) as locked:
        services.clerks.authenticate("aigerim", CLERK_PASSWORD)
    assert locked.value.key == "clerks.locked"
    clock.advance(days=30)  # the desk's date moves: the lock does not care
    with pytest.raises(AuthError):
        services.clerks.authenticate("aigerim", CLERK_PASSWORD)
    real.advance(minutes=14, seconds=59)
    with pytest.raises(AuthError):
        services.clerks.authenticate("aigerim", CLERK_PASSWORD)
    real.advance(seconds=1)  # 15 real minutes, the desk clock never moved them
    assert services.clerks.authenticate("aigerim", CLERK_PASSWORD).id == clerk.id


def test_the_lockout_clock_is_real_time_by_default(services: Services, clerk: Any) -> None:
    """With ``MSS_DESK_NOW`` (a FixedClock business clock) the lock is stored in real time:
    it ends 15 minutes from now, not 15 minutes after the fixed instant."""
    assert isinstance(services.clerks.lockout_clock, SystemClock)
    for _ in range(clerks_mod.MAX_FAILURES):
        with pytest.raises(AuthError):
            services.clerks.authenticate("aigerim", "wrong password")
    until = services.clerks.get(clerk.id).locked_until
    assert until is not None
    real_now = SystemClock().now()
    assert real_now + timedelta(minutes=14) < until <= real_now + timedelta(minutes=15)
