"""Setting up a desk: which Department this database serves (Annex 1)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from mss_desk.clock import DEFAULT_TZ
from mss_desk.errors import NotFound, ValidationError
from mss_desk.services import audit
from mss_desk.services.base import CURRENT_DEPARTMENT, ServiceBase, read_current_department
from mss_desk.services.views import DepartmentView
from mss_desk.store.models import Department, Setting


class SetupService(ServiceBase):
    def init_department(
        self, code: int, tz: str = DEFAULT_TZ, actor: int | None = None
    ) -> DepartmentView:
        """Make this database serve Department ``code`` (idempotent; a new code switches)."""
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
            setting = session.get(Setting, CURRENT_DEPARTMENT)
            if setting is None:
                session.add(Setting(key=CURRENT_DEPARTMENT, value=str(code)))
            else:
                setting.value = str(code)
            session.flush()
            audit.record(session, now, actor, action, "department", code)

        # a busy write is run again whole: the rolled-back attempt left no row, no audit
        self.write(_init)
        self.hub.forget_department()
        return self.department()

    def is_initialised(self) -> bool:
        try:
            self.hub.forget_department()
            self.hub.department_code()
        except NotFound:
            return False
        return True

    def department(self) -> DepartmentView:
        with self.read_session() as session:
            dept = read_current_department(session)
            code, tz = dept.code, dept.tz
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
