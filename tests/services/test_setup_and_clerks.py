"""Setup (which Department) and clerks (slow KDF, lockout by the injected clock)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from mss_desk.errors import AuthError, NotFound, ValidationError
from mss_desk.services import Services
from mss_desk.services import clerks as clerks_mod
from mss_desk.store.models import AuditEvent
from tests.conftest import CLERK_PASSWORD, DEPT


def _events(engine: sa.Engine) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).order_by(AuditEvent.id)))  # type: ignore[arg-type]


# --- setup ------------------------------------------------------------------------------


def test_department_comes_from_the_catalog(services: Services, catalog: Any) -> None:
    view = services.setup.department()
    assert view.code == DEPT
    assert view.name_kk == catalog.department(DEPT).name_kk
    assert view.address_ru == catalog.department(DEPT).address_ru
    assert view.tz == "Asia/Almaty"
    assert services.department_code() == DEPT
    assert services.setup.is_initialised()


def test_services_before_setup_say_so(engine: sa.Engine, clock: Any, catalog: Any) -> None:
    svc = Services(engine, clock, catalog)
    assert not svc.setup.is_initialised()
    with pytest.raises(NotFound) as err:
        svc.setup.department()
    assert err.value.key == "setup.no_department"


def test_init_department_is_idempotent_and_switches_nobody(services: Services) -> None:
    services.setup.init_department(DEPT)
    assert services.setup.department().code == DEPT
    view = services.setup.init_department(1, tz="Asia/Qostanay")
    assert (view.code, view.tz) == (1, "Asia/Qostanay")
    # issue 15, item 2: the Department is added; this desk keeps serving its own
    assert services.setup.department().code == DEPT
    assert services.setup.departments() == [1, DEPT]


def test_unknown_department_and_bad_zone_are_refused(services: Services) -> None:
    with pytest.raises(NotFound) as err:
        services.setup.init_department(20)
    assert err.value.key == "setup.unknown_department"
    with pytest.raises(ValidationError) as verr:
        services.setup.init_department(1, tz="Mars/Olympus")
    assert verr.value.key == "setup.bad_tz"
    assert services.setup.department().code == DEPT


# --- clerks -----------------------------------------------------------------------------


def test_create_and_authenticate(services: Services, clerk: Any) -> None:
    assert services.clerks.has_any()
    got = services.clerks.authenticate("AIGERIM ", CLERK_PASSWORD)
    assert got.id == clerk.id and got.full_name == "Сейітова Әйгерім"
    assert got.role == "clerk" and got.department_code == DEPT


def test_has_any_is_false_on_a_new_desk(services: Services) -> None:
    assert not services.clerks.has_any()


def test_password_is_stored_hashed(services: Services, clerk: Any, engine: sa.Engine) -> None:
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM clerks")).scalar_one()
    assert CLERK_PASSWORD not in stored
    assert stored.startswith("scrypt$")


def test_production_kdf_is_slow_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real cost, not the tests' cheap one
    assert clerks_mod.SCRYPT_N >= 2**15
    stored = clerks_mod.hash_password("s3cret-pass")
    assert stored.split("$")[1:4] == [str(clerks_mod.SCRYPT_N), "8", "1"]
    assert clerks_mod.verify_password("s3cret-pass", stored)
    assert not clerks_mod.verify_password("s3cret-pasS", stored)


def test_duplicate_username_is_refused(services: Services, clerk: Any) -> None:
    with pytest.raises(ValidationError) as err:
        services.clerks.create(DEPT, "Aigerim", "Басқа", "Адам", "another pass", "clerk")
    assert err.value.key == "clerks.username_taken"


def test_a_concurrent_create_of_the_same_name_is_told_taken(
    pg_url: str, clock: Any, catalog: Any
) -> None:
    """Two desks create the same user name at once (PostgreSQL, read committed: each
    desk's check sees no such name): the one that loses at the unique key is told the name
    is taken, not "not saved". (SQLite runs the check and the insert under one write lock.)"""
    from mss_desk.store.engine import open_store

    engine = open_store(pg_url)
    other = sa.create_engine(pg_url)
    try:
        services = Services(engine, clock, catalog)
        services.setup.init_department(DEPT)
        services.clerks.create(DEPT, "head", "Басшы", "Бір", "steppe lamp 19", "head")
        row = {
            "department_code": DEPT,
            "username": "aigerim",
            "surname": "Басқа",
            "name": "Desk",
            "role": "clerk",
            "password_hash": "scrypt$x",
            "failed_attempts": 0,
            "active": True,
            "created_at": clock.now(),
        }

        def the_other_desk_first(session: Session, *_: Any) -> None:
            if any(getattr(obj, "username", None) == "aigerim" for obj in session.new):
                with other.begin() as conn:  # between our check and our insert
                    conn.execute(sa.insert(sa.table("clerks", *map(sa.column, row))), row)

        sa.event.listen(Session, "before_flush", the_other_desk_first)
        try:
            with pytest.raises(ValidationError) as err:
                services.clerks.create(DEPT, "aigerim", "Сейітова", "Әйгерім", CLERK_PASSWORD)
        finally:
            sa.event.remove(Session, "before_flush", the_other_desk_first)
        assert err.value.key == "clerks.username_taken"
        assert [c.surname for c in services.clerks.list() if c.username == "aigerim"] == ["Басқа"]
    finally:
        other.dispose()
        engine.dispose()


@pytest.mark.parametrize(
    ("username", "password", "role", "key"),
    [
        ("", "long enough", "clerk", "clerks.bad_username"),
        ("two words", "long enough", "clerk", "clerks.bad_username"),
        ("ok", "short77", "clerk", "clerks.password_short"),
        ("ok", "long enough", "boss", "clerks.bad_role"),
    ],
)
def test_bad_clerk_input(
    services: Services, username: str, password: str, role: str, key: str
) -> None:
    with pytest.raises(ValidationError) as err:
        services.clerks.create(DEPT, username, "Сейітов", "Ерлан", password, role)
    assert err.value.key == key


def test_ten_character_password_is_enough(services: Services) -> None:
    # issue 15, item 11: ten characters at least (tests/services/test_accounts.py: the rest)
    view = services.clerks.create(DEPT, "erlan", "Сейітов", "Ерлан", "7b1d9e3f0a", "head")
    assert view.role == "head"


def test_wrong_password_and_unknown_user_say_the_same(services: Services, clerk: Any) -> None:
    with pytest.raises(AuthError) as wrong:
        services.clerks.authenticate("aigerim", "wrong password")
    with pytest.raises(AuthError) as unknown:
        services.clerks.authenticate("nobody", CLERK_PASSWORD)
    assert wrong.value.key == unknown.value.key == "error.auth"


def test_four_failures_then_success_resets_the_count(services: Services, clerk: Any) -> None:
    for _ in range(4):
        with pytest.raises(AuthError):
            services.clerks.authenticate("aigerim", "nope nope")
    services.clerks.authenticate("aigerim", CLERK_PASSWORD)
    for _ in range(4):
        with pytest.raises(AuthError) as err:
            services.clerks.authenticate("aigerim", "nope nope")
        assert err.value.key == "error.auth"
    services.clerks.authenticate("aigerim", CLERK_PASSWORD)


def test_lockout_after_five_failures_for_fifteen_minutes(
    services: Services, clerk: Any, clock: Any
) -> None:
    services.clerks.lockout_clock = clock  # issue 15, item 12: the lockout's own clock
    for _ in range(4):
        with pytest.raises(AuthError):
            services.clerks.authenticate("aigerim", "nope nope")
    with pytest.raises(AuthError) as fifth:
        services.clerks.authenticate("aigerim", "nope nope")
    assert fifth.value.key == "clerks.locked"
    # even the right password is refused while locked
    with pytest.raises(AuthError) as locked:
        services.clerks.authenticate("aigerim", CLERK_PASSWORD)
    assert locked.value.key == "clerks.locked"
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(AuthError):
        services.clerks.authenticate("aigerim", CLERK_PASSWORD)
    clock.advance(seconds=1)
    assert services.clerks.authenticate("aigerim", CLERK_PASSWORD).id == clerk.id


def test_a_head_can_unlock(services: Services, clerk: Any) -> None:
    for _ in range(5):
        with pytest.raises(AuthError):
            services.clerks.authenticate("aigerim", "nope nope")
    services.clerks.unlock(clerk.id)
    assert services.clerks.authenticate("aigerim", CLERK_PASSWORD).id == clerk.id


def test_disabled_clerk_cannot_log_in(services: Services, clerk: Any) -> None:
    services.clerks.set_active(clerk.id, False)
    with pytest.raises(AuthError) as err:
        services.clerks.authenticate("aigerim", CLERK_PASSWORD)
    assert err.value.key == "clerks.disabled"
    services.clerks.set_active(clerk.id, True)
    services.clerks.authenticate("aigerim", CLERK_PASSWORD)


def test_set_password(services: Services, clerk: Any) -> None:
    services.clerks.set_password(clerk.id, "a new password")
    with pytest.raises(AuthError):
        services.clerks.authenticate("aigerim", CLERK_PASSWORD)
    services.clerks.authenticate("aigerim", "a new password")


def test_clerk_actions_are_audited_without_personal_data(
    services: Services, clerk: Any, engine: sa.Engine
) -> None:
    with pytest.raises(AuthError):
        services.clerks.authenticate("aigerim", "nope nope")
    services.clerks.authenticate("aigerim", CLERK_PASSWORD)
    events = _events(engine)
    actions = [e.action for e in events]
    assert actions[0] == "department.init"
    assert actions[-3:] == ["clerk.create", "clerk.login_failed", "clerk.login"]
    text = " ".join(f"{e.actor} {e.detail} {e.entity_id}" for e in events)
    for personal in ("aigerim", "Сейітова", "Әйгерім", CLERK_PASSWORD):
        assert personal not in text
    assert all(e.at.tzinfo is not None for e in events)


def test_list_and_get(services: Services, clerk: Any) -> None:
    other = services.clerks.create(DEPT, "bolat", "Әбенов", "Болат", "steppe wind 42", "head")
    assert [c.username for c in services.clerks.list()] == ["bolat", "aigerim"]
    assert services.clerks.get(other.id).role == "head"
    with pytest.raises(NotFound):
        services.clerks.get(9999)


def test_a_database_failure_is_not_saved_not_a_traceback(
    services: Services, engine: sa.Engine
) -> None:
    from mss_desk.errors import StorageError

    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE audit_events")
    with pytest.raises(StorageError) as err:
        services.clerks.create(DEPT, "erlan", "Сейітов", "Ерлан", "steppe rain 42", "clerk")
    assert err.value.key == "error.not_saved"
    assert not services.clerks.has_any()  # the clerk row was rolled back with it


# --- issue 12.12: the language is remembered per clerk --------------------------------


def test_the_clerks_language_is_remembered(services: Services, clerk: Any) -> None:
    assert clerk.language is None  # the desk's language until the clerk chooses one
    view = services.clerks.set_language(clerk.id, "ru")
    assert view.language == "ru"
    assert services.clerks.authenticate("aigerim", CLERK_PASSWORD).language == "ru"
    assert services.clerks.set_language(clerk.id, "ru").language == "ru"  # unchanged: fine
    services.clerks.set_language(clerk.id, "en")
    assert services.clerks.get(clerk.id).language == "en"
    with pytest.raises(ValidationError) as err:
        services.clerks.set_language(clerk.id, "de")
    assert err.value.key == "clerks.bad_language"
    with pytest.raises(NotFound):
        services.clerks.set_language(99999, "kk")
