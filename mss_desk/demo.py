"""``mss-desk demo``: a made-up Department to try the desk on.

Everything goes through the services, exactly as the desk would do it, so the demo data obeys
every rule (office hours, gap-free numbers, complete document sets, deadlines). The clock is
a private :class:`FixedClock` walked through the last working days before "now"
(``MSS_DESK_NOW`` or the system clock), so the same seed and the same "now" give the same
database.

The people are invented: Kazakh and Russian names, IINs built with a valid control digit for
invented birth dates and serials. No real person's data is used.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from mss_desk.clock import FixedClock
from mss_desk.vocabulary import RELATIVES_REASONS, SEXES

DEMO_PASSWORD = "kokshe-desk-2026"

# (username, surname, name, role)
CLERKS: tuple[tuple[str, str, str, str], ...] = (
    ("demo", "Жұмабекова", "Гүлнәр", "head"),
    ("aigerim", "Сейітова", "Әйгерім", "clerk"),
    ("nurlan", "Оспанов", "Нұрлан", "clerk"),
    ("olga", "Ковальчук", "Ольга", "clerk"),
)

# Kazakh surnames by sex (real Kazakh letters), Russian ones as well: Akmola region is mixed.
KK_SURNAMES_M = (
    "Әбілқасымов", "Жұмабаев", "Қасымов", "Өтебаев", "Төлеуов", "Бекқожаев", "Ғабдуллин",
    "Құрманғалиев", "Үсенов", "Сәрсенбаев", "Нұрпейісов", "Шәріпов", "Ысқақов", "Мұқанов",
)
KK_SURNAMES_F = (
    "Әбілқасымова", "Нұрғалиева", "Сәрсенбаева", "Ысқақова", "Шәкенова", "Мұхаметжанова",
    "Қожахметова", "Төлеубаева", "Өмірзақова", "Ғалымжанова", "Бейсенова", "Құдайбергенова",
)
KK_NAMES_M = (
    "Қайрат", "Серік", "Бауыржан", "Ерғали", "Төлеген", "Мұрат", "Әлібек", "Нұрлан", "Жақсылық",
    "Өмірбек", "Құдайберген", "Ғазиз", "Тұрсын", "Әбдірахман",
)
KK_NAMES_F = (
    "Әйгерім", "Гүлнәр", "Сәуле", "Ақмарал", "Күләш", "Бибігүл", "Мәншүк", "Нұржамал", "Зәуре",
    "Рәбиға", "Қалиман", "Ұлжан", "Гүлсім", "Айгүл",
)
KK_PATRONYMIC_M = ("Серікұлы", "Төлегенұлы", "Мұратұлы", "Жақсылықұлы", "Әбдіұлы")
KK_PATRONYMIC_F = ("Серікқызы", "Төлегенқызы", "Мұратқызы", "Ерғалиқызы", "Әбдіқызы")
RU_SURNAMES_M = ("Иванов", "Кузнецов", "Петренко", "Соколов", "Шевченко", "Морозов", "Волков")
RU_SURNAMES_F = ("Иванова", "Кузнецова", "Соколова", "Морозова", "Волкова", "Лебедева")
RU_NAMES_M = ("Пётр", "Виктор", "Николай", "Анатолий", "Владимир", "Геннадий", "Сергей")
RU_NAMES_F = ("Галина", "Валентина", "Людмила", "Нина", "Тамара", "Зинаида", "Светлана")
RU_PATRONYMIC_M = ("Иванович", "Петрович", "Николаевич", "Алексеевич", "Фёдорович")
RU_PATRONYMIC_F = ("Ивановна", "Петровна", "Николаевна", "Алексеевна", "Фёдоровна")

KK_STREETS = ("Абай көшесі", "Әуезов көшесі", "Қонаев көшесі", "Сәкен Сейфуллин көшесі")
RU_STREETS = ("ул. Горького", "ул. Ауэзова", "ул. Пушкина", "ул. Ыбырая Алтынсарина")


@dataclass
class Person:
    surname: str
    name: str
    patronymic: str
    sex: str
    born: date
    iin: str
    address: str
    phone: str


class _Demo:
    def __init__(
        self, engine: Any, catalog: Any, department: int, seed: int, now: datetime, tz: str
    ) -> None:
        from mss_desk.services import Services

        self.rng = random.Random(seed)
        self.tz = ZoneInfo(tz)
        self.now = now
        self.clock = FixedClock(now)
        self.catalog = catalog
        self.services = Services(engine, self.clock, catalog, department)
        self.department = department
        self.tz_name = tz
        self.serials: set[str] = set()
        self.report_notes: list[str] = []
        self.clerk_ids: list[int] = []
        self.tickets = 0

    # ------------------------------------------------------------------ time
    def at(self, day: date, hh: int, mm: int) -> None:
        self.clock.set(datetime.combine(day, time(hh, mm), tzinfo=self.tz))

    def working_days_before(self, today: date, count: int) -> list[date]:
        cal = self.services.calendar
        days: list[date] = []
        d = today - timedelta(days=1)
        while len(days) < count:
            if cal.is_working_day(d):
                days.append(d)
            d -= timedelta(days=1)
        return sorted(days)

    # ------------------------------------------------------------------ people
    def person(self, born_from: int, born_to: int, *, born: date | None = None) -> Person:
        from mss_desk.rules.iin import make_iin

        rng = self.rng
        sex = rng.choice(SEXES)
        kazakh = rng.random() < 0.65
        if kazakh:
            surname = rng.choice(KK_SURNAMES_M if sex == "male" else KK_SURNAMES_F)
            name = rng.choice(KK_NAMES_M if sex == "male" else KK_NAMES_F)
            patronymic = rng.choice(KK_PATRONYMIC_M if sex == "male" else KK_PATRONYMIC_F)
            street = rng.choice(KK_STREETS)
        else:
            surname = rng.choice(RU_SURNAMES_M if sex == "male" else RU_SURNAMES_F)
            name = rng.choice(RU_NAMES_M if sex == "male" else RU_NAMES_F)
            patronymic = rng.choice(RU_PATRONYMIC_M if sex == "male" else RU_PATRONYMIC_F)
            street = rng.choice(RU_STREETS)
        if born is None:
            start = date(born_from, 1, 1)
            span = (date(born_to, 12, 31) - start).days
            born = start + timedelta(days=rng.randrange(span))
        while True:
            iin = make_iin(born, sex, serial=rng.randrange(1, 9000))  # type: ignore[arg-type]
            if iin not in self.serials:
                self.serials.add(iin)
                break
        return Person(
            surname=surname,
            name=name,
            patronymic=patronymic,
            sex=sex,
            born=born,
            iin=iin,
            address=f"{street}, {rng.randrange(1, 120)}-{rng.randrange(1, 90)}",
            phone=f"+7 7{rng.choice(('01', '05', '07', '47', '71', '75'))} "
            f"{rng.randrange(100, 999)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
        )

    def applicant(self, kind: str) -> dict[str, Any]:
        """Facts of one made-up applicant of ``kind`` (a path of item 6)."""
        rng = self.rng
        today = self.now.astimezone(self.tz).date()
        if kind == "wwii":
            p = self.person(1924, 1927)
            return dict(
                p=p,
                institution="elderly_general",
                wwii=True,
                disabled=True,
                disability_group=1,
                relatives="relatives_able",
            )
        if kind == "child":
            p = self.person(today.year - 16, today.year - 6)
            return dict(
                p=p,
                institution="children_psychoneuro",
                disabled=True,
                disability_group=None,
                psychoneuro=True,
            )
        if kind == "adult_psy":
            p = self.person(today.year - 60, today.year - 20)
            return dict(
                p=p,
                institution="adult_psychoneuro",
                disabled=True,
                disability_group=rng.choice((1, 2)),
                psychoneuro=True,
                declared_incapable=rng.random() < 0.4,
            )
        if kind == "council":
            p = self.person(1938, 1955)
            return dict(
                p=p,
                institution="elderly_general",
                relatives="council_exception",
                council_decision_no=f"{rng.randrange(10, 99)}/{today.year}",
                council_decision_date=today - timedelta(days=rng.randrange(20, 60)),
            )
        if kind == "disabled_young":
            p = self.person(1968, 1985)
            return dict(
                p=p,
                institution="elderly_general",
                disabled=True,
                disability_group=rng.choice((1, 2)),
                relatives="no_relatives",
            )
        # elderly, ordinary path
        p = self.person(1934, 1958)
        if rng.random() < 0.5:
            return dict(p=p, institution="elderly_general", relatives="no_relatives")
        return dict(
            p=p,
            institution="elderly_general",
            relatives="relatives_unable",
            relatives_reason=rng.choice(RELATIVES_REASONS),
        )

    def form(self, facts: dict[str, Any]) -> Any:
        from mss_desk.services.views import IntakeForm

        p: Person = facts.pop("p")
        post = self.rng.random() < 0.25
        return IntakeForm(
            iin=p.iin,
            surname=p.surname,
            name=p.name,
            patronymic=p.patronymic,
            birth_date=p.born,
            sex=p.sex,
            address=p.address,
            phone=p.phone,
            ownership="non_state" if self.rng.random() < 0.2 else "state",
            delivery_method="post" if post else "in_person",
            postal_address=p.address if post else "",
            **facts,
        )

    def required(self, form: Any) -> tuple[str, ...]:
        from mss_desk.rules.eligibility import required_documents

        on = self.clock.now().astimezone(self.tz).date()
        return tuple(required_documents(form.to_facts(on), self.catalog))

    def setup(self) -> None:
        s = self.services
        s.setup.init_department(self.department, tz=self.tz_name)
        for username, surname, name, role in CLERKS:
            view = s.clerks.create(self.department, username, surname, name, DEMO_PASSWORD, role)
            self.clerk_ids.append(view.id)

    def representative(self, p: Person) -> dict[str, Any]:
        """Psychoneurological types: a parent or guardian hands the file in (item 12.2-12.3)."""
        rep = self.person(1955, 1990)
        parent = self.rng.random() < 0.7
        return {
            "representative_name": f"{rep.surname} {rep.name} {rep.patronymic}",
            "representative_iin": rep.iin,
            "representative_basis": "ата-анасы / родитель" if parent else "қорғаншы / опекун",
        }


# --------------------------------------------------------------------------- the story


@dataclass(order=True)
class _Event:
    at: datetime
    seq: int
    run: Callable[[], None] = field(compare=False)


# The cases of the demo: intake ``back`` working days before today, then the lifecycle steps
# (in working days after the previous step) up to the state the case should end in.
STORIES: tuple[tuple[str, int, str, bool], ...] = (
    # kind, working days back, final state, complete file
    ("elderly", 52, "in_safekeeping", True),
    ("council", 49, "in_safekeeping", True),
    ("elderly", 46, "delivered_in_person", True),
    ("adult_psy", 44, "delivered_post", True),
    ("child", 41, "delivered_in_person", True),
    ("elderly", 40, "returned_incomplete", False),
    ("wwii", 30, "delivered_in_person", True),
    ("disabled_young", 26, "result_ready", True),
    ("elderly", 22, "result_ready", True),
    ("adult_psy", 18, "decided", True),
    ("elderly", 15, "decided_refusal", True),
    ("child", 13, "decided", True),
    ("elderly", 11, "returned_incomplete", False),
    ("council", 9, "forwarded", True),
    ("elderly", 8, "forwarded", True),
    ("adult_psy", 7, "forwarded", True),
    ("elderly", 5, "accepted", True),
    ("child", 4, "returned_incomplete", False),
    ("elderly", 3, "accepted", True),
    ("wwii", 2, "accepted", True),
    ("disabled_young", 1, "accepted", True),
    ("elderly", 1, "returned_incomplete", False),
)

INSTITUTION_NAMES = {
    "elderly_general": "Көкшетау қарттар мен мүгедектерге арналған медициналық-әлеуметтік мекемесі",
    "children_psychoneuro": (
        "Ақмола облыстық балалар психоневрологиялық медициналық-әлеуметтік мекемесі"
    ),
    "adult_psychoneuro": "Щучинск психоневрологиялық медициналық-әлеуметтік мекемесі",
}
REFUSAL_REASONS = (
    "17-тармақ: ұсынылған мәліметтер шындыққа сәйкес келмейді (тұрғылықты жері расталмады)",
    "17-тармақ: медициналық картада тұрақты күтімге мұқтаждық расталмаған",
)


class _Story(_Demo):
    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.events: list[_Event] = []
        self.slots: dict[date, datetime] = {}
        self.case_nos: dict[int, str] = {}
        self.outcomes: Counter[str] = Counter()
        self.final: Counter[str] = Counter()
        self._seq = 0
        from mss_desk.services.lifecycle import LifecycleService

        self.lifecycle = getattr(self.services, "lifecycle", None) or LifecycleService(
            self.services
        )

    def add(self, at: datetime, run: Callable[[], None]) -> None:
        self._seq += 1
        self.events.append(_Event(at, self._seq, run))

    def slot(self, day: date, minutes: int) -> datetime:
        """The next free time at the desk on ``day`` (never in the lunch break)."""
        at = self.slots.get(day) or datetime.combine(day, time(9, 5), tzinfo=self.tz)
        at += timedelta(minutes=self.rng.randrange(3, 20))
        lunch, reopen = (datetime.combine(day, time(h, 0), tzinfo=self.tz) for h in (13, 14))
        if at + timedelta(minutes=minutes) > lunch and at < reopen:
            at = reopen + timedelta(minutes=self.rng.randrange(2, 15))
        self.slots[day] = at + timedelta(minutes=minutes)
        return at

    def after(self, day: date, n: int) -> date:
        return self.services.calendar.add_working_days(day, n)

    def evening(self, day: date, k: int) -> datetime:
        return datetime.combine(day, time(17, 40), tzinfo=self.tz) + timedelta(minutes=k)

    def plan(self, today: date) -> None:
        days = self.working_days_before(today, 60)  # ascending; days[-1] is yesterday
        for i, (kind, back, final, complete) in enumerate(STORIES):
            day = days[-back]
            wait = self.rng.choice((4, 9, 13, 17, 22, 28, 33, 44) if i % 5 else (6, 12))
            at = self.slot(day, wait + 25)
            self.add(at, partial(self.visit, i, kind, complete, wait))
            if final in ("accepted", "returned_incomplete"):
                self.final[final] += 1
                continue
            fwd = self.after(day, self.rng.choice((1, 2, 3)))
            self.add(self.evening(fwd, i), partial(self.forward, i, fwd))
            if final == "forwarded":
                self.final[final] += 1
                continue
            dec = self.after(fwd, self.rng.choice((5, 7, 9)))
            refusal = final == "decided_refusal" or (final == "delivered_post")
            self.add(self.evening(dec, i), partial(self.decide, i, dec, refusal))
            if final.startswith("decided"):
                self.final["decided"] += 1
                continue
            ready = self.after(dec, 1)
            self.add(self.evening(ready, i), partial(self.ready, i, ready))
            if final == "result_ready":
                self.final[final] += 1
                continue
            if final == "delivered_post":
                self.add(self.evening(ready, 30 + i), partial(self.post, i, ready))
                self.final["delivered"] += 1
            elif final == "delivered_in_person":
                visit = self.after(ready, self.rng.choice((1, 2, 4)))
                at = self.slot(visit, 20)
                self.add(at, partial(self.collect, i))
                self.final["delivered"] += 1
            else:  # in_safekeeping: not collected within the safekeeping term (item 18.6)
                from mss_desk.rules.lifecycle import safekeeping_from

                days_term = self.catalog.terms(ready).safekeeping_days
                keep_from = safekeeping_from(ready, days_term)
                keep = self.services.calendar.next_working_day(keep_from)
                if keep >= today:
                    self.report_notes.append(f"story {i}: too recent for safekeeping")
                    continue
                self.add(self.evening(keep, i), partial(self.safekeep, i))
                self.final[final] += 1
        for day in days[-15:]:  # the consult/collect traffic of the last three weeks
            for purpose in ("consult", "collect", "consult"):
                at = self.slot(day, 15)
                self.add(at, partial(self.passer_by, purpose))

    # -- the steps (the clock is already at the event's time)
    def visit(self, i: int, kind: str, complete: bool, wait: int) -> None:
        s = self.services
        ticket = s.queue.issue("submit")
        self.tickets += 1
        self.clock.advance(minutes=wait)
        clerk = self.clerk_ids[1 + i % (len(self.clerk_ids) - 1)]
        called = s.queue.call_next("submit", clerk)
        ticket_id = called.id if called is not None else ticket.id
        facts = self.applicant(kind)
        visit_day = self.clock.now().astimezone(self.tz).date()
        if facts.get("council_decision_date") and facts["council_decision_date"] > visit_day:
            # the Council decided before the visit (a decision date is never in the future)
            facts["council_decision_date"] = visit_day - timedelta(days=14)
        person = facts["p"]
        inst = self.catalog.institution(facts["institution"])
        if getattr(inst, "needs_representative", False):
            facts.update(self.representative(person))
        form = self.form(facts)
        required = self.required(form)
        received = set(required)
        if not complete:
            droppable = [c for c in required if c != "application"]
            k = min(len(droppable), self.rng.choice((1, 2)))
            for code in self.rng.sample(droppable, k=k):
                received.discard(code)
        self.clock.advance(minutes=self.rng.randrange(10, 22))
        # made-up data: a visit that ran past 18:00 or into lunch is a training intake
        # (item 10: outside working hours only with a reason, kept in the audit)
        result = s.intake.submit(form, received, clerk, ticket_id, outside_hours="training")
        s.queue.serve(ticket_id, clerk)
        self.outcomes[result.outcome] += 1
        if result.case_no:
            self.case_nos[i] = result.case_no

    def forward(self, i: int, day: date) -> None:
        self.lifecycle.forward([self.case_nos[i]], self.clerk_ids[0], sent_on=day)

    def decide(self, i: int, day: date, refusal: bool) -> None:
        case_no = self.case_nos[i]
        if refusal:
            self.lifecycle.decide(
                case_no,
                self.clerk_ids[0],
                "refusal",
                decided_on=day,
                reason=self.rng.choice(REFUSAL_REASONS),
            )
            return
        detail = self.services.cases.get(case_no)
        self.lifecycle.decide(
            case_no,
            self.clerk_ids[0],
            "referral",
            decided_on=day,
            referral_no=f"{self.rng.randrange(100, 999)}-Ж",
            institution_name=INSTITUTION_NAMES[detail.institution],
            ownership=detail.ownership,
        )

    def ready(self, i: int, day: date) -> None:
        self.lifecycle.result_ready(self.case_nos[i], self.clerk_ids[0], ready_on=day)

    def post(self, i: int, day: date) -> None:
        detail = self.services.cases.get(self.case_nos[i])
        self.lifecycle.deliver(
            self.case_nos[i],
            self.clerk_ids[0],
            "post",
            notice_on=day,
            postal_address=detail.postal_address or detail.address,
        )

    def collect(self, i: int) -> None:
        s = self.services
        s.queue.issue("collect")
        self.tickets += 1
        self.clock.advance(minutes=self.rng.randrange(2, 15))
        clerk = self.clerk_ids[1 + i % (len(self.clerk_ids) - 1)]
        called = s.queue.call_next("collect", clerk)
        assert called is not None
        survey = {
            "2.1": True,
            "3.1": self.rng.random() < 0.9,
            "4.3": None,
            "4.4": None,
            "5.1": True,
        }
        self.lifecycle.deliver(
            self.case_nos[i], clerk, "in_person", ticket_id=called.id, survey=survey
        )
        s.queue.serve(called.id, clerk)

    def safekeep(self, i: int) -> None:
        shelf = f"Шкаф {1 + i % 3}, сөре {1 + i % 5}"
        self.lifecycle.safekeep(self.case_nos[i], self.clerk_ids[0], shelf)

    def passer_by(self, purpose: str) -> None:
        s = self.services
        s.queue.issue(purpose)
        self.tickets += 1
        self.clock.advance(minutes=self.rng.choice((1, 3, 6, 11)))
        called = s.queue.call_next(purpose, self.rng.choice(self.clerk_ids[1:]))
        if called is None:
            return
        if self.rng.random() < 0.15:
            s.queue.no_show(called.id)
        else:
            s.queue.serve(called.id)

    def today_queue(self, today: date) -> None:
        """If the office is open now: a few people waiting, one at the desk."""
        s = self.services
        local = self.now.astimezone(self.tz)
        if not s.calendar.office_status(local).open:
            self.report_notes.append("the office is closed now: no live queue today")
            return
        start = local - timedelta(minutes=36)
        issued = 0
        for k, purpose in enumerate(("submit", "submit", "collect", "consult", "submit")):
            at = start + timedelta(minutes=8 * k)
            if at.date() != today or not s.calendar.office_status(at).open:
                continue
            self.clock.set(at)
            s.queue.issue(purpose)
            issued += 1
        self.tickets += issued
        self.clock.set(self.now)
        if issued:
            s.queue.call_next("submit", self.clerk_ids[1])

    def run(self) -> None:
        today = self.now.astimezone(self.tz).date()
        self.setup()
        self.plan(today)
        for event in sorted(self.events):
            if event.at >= self.now:
                continue
            self.clock.set(event.at)
            event.run()
        self.today_queue(today)
        self.clock.set(self.now)


def fill_demo(
    engine: Any,
    catalog: Any,
    clock: Any,
    *,
    department: int = 1,
    seed: int = 2026,
    tz: str = "Asia/Almaty",
) -> dict[str, Any]:
    """Fill an empty database; returns counts (clerks, tickets, cases by status, notes)."""
    from mss_desk.errors import ValidationError

    story = _Story(engine, catalog, department, seed, clock.now(), tz)
    if story.services.clerks.has_any(anywhere=True):
        raise ValidationError("database not empty", key="cli.demo_not_empty")
    story.run()
    by_status = Counter(row.status for row in story.services.cases.list(limit=10_000))
    return {
        "department": department,
        "clerks": len(CLERKS),
        "tickets": story.tickets,
        "cases_by_status": dict(sorted(by_status.items())),
        "notes": story.report_notes,
    }
