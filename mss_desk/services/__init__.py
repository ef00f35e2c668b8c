"""Services: the only code that opens a database session.

``Services(engine, clock, catalog, department=None)`` builds each service; each public
method is one user action in one transaction and returns plain frozen dataclasses
(``services/views.py``). ``department`` is the desk's own Department, from its settings
(``services.base.resolve_department``); every read is kept inside it.
SQLAlchemy is imported when ``Services`` is built, not when this package is imported, so
screens may import ``mss_desk.services.views`` at start-up for free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlalchemy as sa

    from mss_desk.services.cases import CaseService
    from mss_desk.services.clerks import ClerkService
    from mss_desk.services.complaints import ComplaintService
    from mss_desk.services.intake import IntakeService
    from mss_desk.services.lifecycle import LifecycleService
    from mss_desk.services.printing import PrintingService
    from mss_desk.services.queue import QueueService
    from mss_desk.services.reports import ReportService
    from mss_desk.services.setup import SetupService


class Services:
    def __init__(
        self, engine: sa.Engine, clock: Any, catalog: Any, department: int | None = None
    ) -> None:
        from mss_desk.services.cases import CaseService
        from mss_desk.services.clerks import ClerkService
        from mss_desk.services.intake import IntakeService
        from mss_desk.services.queue import QueueService
        from mss_desk.services.setup import SetupService

        self.engine = engine
        self.clock = clock
        self.catalog = catalog
        # the desk's own setting (issue 15, item 2); None: the database's only Department
        self.desk_department = department
        self._department: tuple[int, str] | None = None
        self._calendar: Any = None
        self.setup: SetupService = SetupService(self)
        self.clerks: ClerkService = ClerkService(self)
        self.queue: QueueService = QueueService(self)
        self.intake: IntakeService = IntakeService(self)
        self.cases: CaseService = CaseService(self)
        # lifecycle room (issue 5): forwarding to delivery, complaints, indicators
        from mss_desk.services.complaints import ComplaintService
        from mss_desk.services.lifecycle import LifecycleService
        from mss_desk.services.reports import ReportService

        self.lifecycle: LifecycleService = LifecycleService(self)
        self.complaints: ComplaintService = ComplaintService(self)
        self.reports: ReportService = ReportService(self)
        # every printout's data and its print (ReportLab is imported when something prints)
        from mss_desk.services.printing import PrintingService

        self.printing: PrintingService = PrintingService(self)

    # The Department this desk serves (``services.base.resolve_department``), cached: once
    # resolved, a desk keeps it (another Department added to the database switches nobody).
    def _load_department(self) -> tuple[int, str]:
        if self._department is None:
            from sqlmodel import Session

            from mss_desk.services.base import resolve_department
            from mss_desk.store.engine import READ_ONLY

            wanted = self.desk_department
            if wanted is not None and wanted not in self.catalog.departments:
                from mss_desk.errors import NotFound

                raise NotFound("department", key="setup.unknown_department", code=wanted)
            # a read: no write lock (it would wait behind a clerk who is saving)
            with Session(self.engine.execution_options(**{READ_ONLY: True})) as session:
                dept = resolve_department(session, wanted)
                self._department = (dept.code, dept.tz)
        return self._department

    def department_code(self) -> int:
        return self._load_department()[0]

    def department_tz(self) -> str:
        return self._load_department()[1]

    def forget_department(self, code: int | None = None) -> None:
        """Resolve the desk's Department again on next use (only if it is ``code``, when
        given: a Department added beside it changes nothing here)."""
        if code is None or (self._department is not None and self._department[0] == code):
            self._department = None

    @property
    def calendar(self) -> Any:
        """The business calendar (item 10: weekends, public holidays, decreed transfers)."""
        if self._calendar is None:
            from mss_desk.rules.calendar import BusinessCalendar

            self._calendar = BusinessCalendar(self.catalog.calendar_overrides)
        return self._calendar


__all__ = ["Services"]
