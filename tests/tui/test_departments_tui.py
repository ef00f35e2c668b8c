"""Issue 15, item 2 at the desk: a desk serves the Department its settings name.

The database (``ready_db``) holds Department 19 and its head; Department 5 is added beside
it with its own clerk, as a second ``init`` on a shared database would. The desk of
Department 5 (``Settings(department=5)``) signs in only its own clerks; a desk that names no
Department on such a database says so instead of offering first-run setup.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from textual.widgets import OptionList

from mss_desk.services import Services
from screens.home import HomeScreen
from screens.login import LoginScreen
from screens.setup import SetupScreen
from tests.tui.conftest import HEAD_PASSWORD, HEAD_USER, login, screen_text

CLERK5, PASSWORD5 = "clerk5", "another horse 5"


def _add_department_5(ready_db: Any) -> None:
    desk5 = Services(ready_db.engine, ready_db.clock, ready_db.catalog, department=5)
    desk5.setup.init_department(5)
    desk5.clerks.create(5, CLERK5, "Омарова", "Дана", PASSWORD5, "head")


async def test_a_clerk_of_another_department_cannot_sign_in_here(
    make_app: Any, ready_db: Any, desk_settings: Any
) -> None:
    _add_department_5(ready_db)
    app = make_app(lang="en")
    app.settings = dataclasses.replace(desk_settings, department=5)  # the desk's own setting
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, HEAD_USER, HEAD_PASSWORD)  # Department 19's head, right password
        assert isinstance(app.screen, LoginScreen) and app.clerk is None
        assert "Wrong user name or password" in screen_text(app)  # as for an unknown name
        await login(pilot, CLERK5, PASSWORD5)
        assert isinstance(app.screen, HomeScreen)
        assert app.clerk is not None and app.clerk.department_code == 5
        assert app.department is not None and app.department.code == 5


async def test_a_desk_naming_no_department_on_a_database_of_several_says_so(
    make_app: Any, ready_db: Any
) -> None:
    _add_department_5(ready_db)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, SetupScreen)  # never first-run setup
        messages = [str(n.message) for n in app._notifications]
        assert any("several Departments (5, 19)" in m for m in messages), messages


async def test_setup_offers_only_the_department_the_desk_names(
    make_app: Any, ready_db: Any, desk_settings: Any
) -> None:
    """A desk of Department 5 on a database of Department 19: its first run sets up
    Department 5, and no other (Department 19 is not switched)."""
    app = make_app(lang="en")
    app.settings = dataclasses.replace(desk_settings, department=5)  # the desk's own setting
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        options = app.screen.query_one("#departments", OptionList)
        assert options.option_count == 1
        assert options.get_option_at_index(0).id == "5"


def test_the_login_screens_cached_name_is_the_desks_own_department(
    make_app: Any, desk_settings: Any, catalog: Any
) -> None:
    """The Department's name painted before the database opens (``screens.startup``) is
    kept per database and Department: desks of Departments 19 and 5 on one database, run by
    one system user (operations §4), never show each other's name."""
    from screens.startup import remember_department_names

    desk19, desk5 = make_app(), make_app()
    desk19.settings = dataclasses.replace(desk_settings, department=19)
    desk5.settings = dataclasses.replace(desk_settings, department=5)
    remember_department_names(desk19.names_key(), catalog.department(19))
    assert desk19.cached_department_names()["kk"] == catalog.department(19).name_kk
    assert desk5.cached_department_names() == {}
