"""Setting up a desk: the Departments a database holds (Annex 1).

Issue 15, item 2: ``init_department`` adds a Department to the database (or updates its
time zone) and switches nobody: which Department a desk serves is the desk's own setting
(``Services(..., department=N)``; see ``services.base.resolve_department``).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, select

from mss_desk.clock import DEFAULT_TZ
from mss_desk.errors import NotFound, ValidationError
from mss_desk.services import audit
from mss_desk.services.base import ServiceBase
from mss_desk.services.views import DepartmentView
from mss_desk.store.models import Department


class SetupService(ServiceBase):
    def init_department(
        self, code: int, tz: str = DEFAULT_TZ, actor: int | None = None
    ) -> DepartmentView:
        """Add Department ``code`` to this database, or update its time zone (idempotent).

        Switches nobody (issue 15, item 2): a desk of another Department keeps serving its
        own; this desk's Department is its setting, not the last ``init``.
        """
        try:
            info = self.catalog.department(code)
        except (KeyError, LookupError, NotFound) as exc:
            raise NotFound(
                f"no department {code}", key="setup.unknown_department", code=code
            ) from exc
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError(f"bad time zone {tz!r}", key="setup.bad_tz", tz=tz) from exc
        now = self.now()

        def _init(session: Session) -> None:
            dept = session.get(Department, code)
            if dept is None:
                dept = Department(
                    code=code, name_kk=info.name_kk, name_ru=info.name_ru, tz=tz, created_at=now
                )
                session.add(dept)
                action = "department.init"
            else:
                dept.name_kk, dept.name_ru, dept.tz = info.name_kk, info.name_ru, tz
                action = "department.update"
            session.flush()
            audit.record(session, now, actor, action, "department", code)

        # a busy write is run again whole: the rolled-back attempt left no row, no audit
        self.write(_init)
        self.hub.forget_department(code)  # this desk's own Department: its zone may be new
        return self._view(code, tz)

    def is_initialised(self) -> bool:
        """This desk's Department is in the database (``DepartmentNotChosen`` propagates:
        a database of several Departments is set up, the desk has not said which)."""
        try:
            self.hub.forget_department()
            self.hub.department_code()
        except NotFound:
            return False
        return True

    def departments(self) -> list[int]:
        """The codes of every Department this database holds (``init``'s report)."""
        with self.read_session() as session:
            return list(session.exec(select(Department.code).order_by(col(Department.code))))

    def department(self) -> DepartmentView:
        """The Department this desk serves, as the database says now (the code is the
        desk's own and stays; its row — the time zone — is read afresh)."""
        code = self.department_code()
        with self.read_session() as session:
            row = session.get(Department, code)
            tz = row.tz if row is not None else self.hub.department_tz()
        return self._view(code, tz)

    def _view(self, code: int, tz: str) -> DepartmentView:
        info = self.catalog.department(code)
        return DepartmentView(
            code=code,
            name_kk=info.name_kk,
            name_ru=info.name_ru,
            district_kk=info.district_kk,
            district_ru=info.district_ru,
            address_kk=info.address_kk,
            address_ru=info.address_ru,
            phones=tuple(info.phones),
            email=info.best_email,
            website=info.best_website,
            tz=tz,
        )
