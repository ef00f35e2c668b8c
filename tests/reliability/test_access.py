"""Access (item 18.5): only a head of the Department (or an administrator) manages accounts
and only a head reviews complaints; a plain clerk cannot. Names are stored cleaned."""

from __future__ import annotations

from typing import Any

import pytest

from mss_desk.errors import RuleViolation
from tests.conftest import CLERK_PASSWORD, DEPT


@pytest.fixture
def staff(services: Any, clerk: Any) -> dict[str, Any]:

    head = services.clerks.create(DEPT, "head", "Жұмабаев", "Бақыт", CLERK_PASSWORD, "head")
    admin = services.clerks.create(DEPT, "root", "Әкімші", "Әкім", CLERK_PASSWORD, "admin")
    return {"clerk": clerk, "head": head, "admin": admin}


def test_a_clerk_cannot_create_accounts(services: Any, staff: dict[str, Any]) -> None:
    with pytest.raises(RuleViolation) as err:
        services.clerks.create(
            DEPT, "eve", "Ева", "Ева", CLERK_PASSWORD, "head", actor=staff["clerk"].id
        )
    assert err.value.key == "safety.accounts_head_only"
    assert "eve" not in [c.username for c in services.clerks.list()]
    with pytest.raises(RuleViolation):  # nobody at all
        services.clerks.create(DEPT, "eve", "Ева", "Ева", CLERK_PASSWORD, actor=999_999)


@pytest.mark.parametrize("who", ["head", "admin"])
def test_a_head_or_admin_creates_accounts(services: Any, staff: dict[str, Any], who: str) -> None:
    made = services.clerks.create(
        DEPT, f"new{who}", "Жаңа", "Қызметкер", CLERK_PASSWORD, actor=staff[who].id
    )
    assert made.role == "clerk"


def test_a_disabled_head_cannot_create_accounts(services: Any, staff: dict[str, Any]) -> None:
    head = staff["head"]
    services.clerks.set_active(head.id, False, actor=staff["admin"].id)
    with pytest.raises(RuleViolation):
        services.clerks.create(DEPT, "eve", "Ева", "Ева", CLERK_PASSWORD, actor=head.id)


def test_a_clerk_cannot_disable_unlock_or_reset_others(
    services: Any, staff: dict[str, Any]
) -> None:
    clerk, head = staff["clerk"], staff["head"]
    with pytest.raises(RuleViolation):
        services.clerks.set_active(head.id, False, actor=clerk.id)
    with pytest.raises(RuleViolation):
        services.clerks.unlock(head.id, actor=clerk.id)
    with pytest.raises(RuleViolation):
        services.clerks.set_password(head.id, "new password 1", actor=clerk.id)
    assert services.clerks.get(head.id).active
    # a clerk changes their own password; the head manages the clerk's account
    services.clerks.set_password(clerk.id, "my new password", actor=clerk.id)
    services.clerks.authenticate("aigerim", "my new password")
    assert not services.clerks.set_active(clerk.id, False, actor=head.id).active
    services.clerks.unlock(clerk.id, actor=head.id)


def test_only_a_head_reviews_complaints(services: Any, staff: dict[str, Any]) -> None:
    c = services.complaints.register("Әлиев", "мәтін", staff["clerk"].id)
    for who in ("clerk", "admin"):  # item 21: the head of the Department answers
        with pytest.raises(RuleViolation) as err:
            services.complaints.review(
                c.complaint_no, staff[who].id, justified=True, satisfied=True
            )
        assert err.value.key == "lifecycle.error.head_only"
    assert services.complaints.get(c.complaint_no).status == "registered"
    done = services.complaints.review(
        c.complaint_no, staff["head"].id, justified=False, satisfied=False
    )
    assert done.status == "answered"


def test_clerk_names_are_stored_cleaned(services: Any, staff: dict[str, Any]) -> None:
    made = services.clerks.create(
        DEPT, "mallory", "Ә\x1b]0;x\x07[/]\u202e", " Б\x9b2J ", CLERK_PASSWORD
    )
    assert (made.surname, made.name) == ("Ә]0;x[/]", "Б2J")
    with pytest.raises(Exception) as err:
        services.clerks.create(DEPT, "ghost", "\x1b\x07", "Б", CLERK_PASSWORD)
    assert getattr(err.value, "key", "") == "clerks.name_required"
