"""``mss-desk demo --regional``: a regional desk with three Departments' files in every
state of the exchange, for training (issue 14).

Nothing is written into the regional database by hand: three Department desks are made in a
temporary folder (each with ``mss_desk.demo.fill_demo``, its own keys), the desks trust each
other, and the files travel by the real bundles (``ExchangeService.export`` /
``import_bundle``). At the region:

- every Department's forwarded files arrive (``case.forwarded``);
- only the files still waiting at their Department travel (the demo Departments decided
  the others from paper, before the exchange);
- the regional head records a place that came free: its referral goes to the first in
  the first waiting line (item 6.1, ``exchange.places``);
- the region decides some files (``PLAN``: a referral, a refusal of item 17, a return
  for correction; the answers go into the region's outbox); the rest wait;
- Departments 19 and 1 import the answers and acknowledge them; Department 19 corrects the
  returned file and sends it again (``case.resent``, at the region once more);
- Department 7 has not imported yet: the region's answers to it are "in transit";
- every Department's bundle also carries its Annex 2 summaries of the finished months
  (``summary.monthly``, added by the export itself), so Annex 2 for the region (F8) shows
  their figures.

The temporary Department desks are deleted afterwards; the regional desk's keys are the
desk's own (``keys/`` in the data dir, made if missing, never overwritten), and the demo
Departments' keys stay trusted (a bundle from a real desk 19 is refused until its key is
trusted instead: ``exchange key add``).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

DEPARTMENTS: tuple[int, ...] = (19, 1, 7)
ANSWERED: tuple[int, ...] = (19, 1)  # these import the region's answers (7 has not yet)
# what the region decides of each Department's waiting files (the rest stay waiting)
PLAN: dict[int, tuple[str, ...]] = {19: ("referral", "refusal", "return"), 1: ("referral",),
                                    7: ("return",)}
REGION_USER = "region"


def fill_regional_demo(
    engine: Any,
    catalog: Any,
    clock: Any,
    key_folder: Path,
    *,
    seed: int = 2026,
    tz: str = "Asia/Almaty",
) -> dict[str, Any]:
    """Fill an empty database as the regional desk; returns what it holds."""
    from mss_desk.demo import CLERKS, DEMO_PASSWORD, fill_demo
    from mss_desk.errors import ValidationError
    from mss_desk.exchange.region import RegionService
    from mss_desk.exchange.service import ExchangeService
    from mss_desk.services import Services
    from mss_desk.store.engine import open_store

    hub = Services(engine, clock, catalog, 0)
    if hub.clerks.has_any(anywhere=True):
        raise ValidationError("database not empty", key="cli.demo_not_empty")
    hub.setup.init_department(0, tz=tz)
    head = hub.clerks.create(0, REGION_USER, CLERKS[0][1], CLERKS[0][2], DEMO_PASSWORD, "head")
    region = ExchangeService(hub, key_folder)
    region.make_keys()
    decide = RegionService(hub)
    decided: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="mss-desk-demo-") as tmp:
        work = Path(tmp)
        desks: dict[int, Any] = {}
        engines = []
        try:
            for i, code in enumerate(DEPARTMENTS):
                dept_engine = open_store(f"sqlite:///{work / f'desk{code}.sqlite3'}")
                engines.append(dept_engine)
                fill_demo(dept_engine, catalog, clock, department=code, seed=seed + i, tz=tz)
                desk = ExchangeService(
                    Services(dept_engine, clock, catalog, code), work / f"keys{code}"
                )
                # the demo Department decided some files from paper, before it had the
                # exchange: only the files still waiting travel (else the region would list
                # them as waiting, and its answers would be problems at the Department)
                desk.withdraw_decided_on_paper()
                desk.make_keys()
                desk.trust(0, region.keys().public.text)
                region.trust(code, desk.keys().public.text)
                desks[code] = desk
                _carry(desk, region, code, 0, work)
            freed = _free_a_place(hub, head.id, desks)
            at_region = {case_no: status for _, case_no, status in decide.cases()}
            for code, desk in desks.items():
                waiting = [r.case_no for r in desk.hub.cases.list(status="forwarded")
                           if at_region.get(r.case_no) == "forwarded"]  # not the freed place's
                waiting.sort()
                for case_no, how in zip(waiting, PLAN[code], strict=False):
                    if how == "referral":
                        decide.decide(case_no, referral_no=f"R-{code:02d}-{decided[how] + 1:03d}",
                                      institution="Көкшетау медициналық-әлеуметтік мекемесі",
                                      clerk_id=head.id)  # fmt: skip
                    elif how == "refusal":
                        decide.decide(case_no, refusal="incomplete", clerk_id=head.id,
                                      reason="Медициналық карта толтырылмаған")  # fmt: skip
                    else:
                        note = "Медициналық картаға дәрігер қол қоймаған"
                        decide.decide(case_no, clerk_id=head.id, return_note=note)
                    decided[how] += 1
            for code in ANSWERED:
                desk = desks[code]
                _carry(region, desk, 0, code, work)
                if code == DEPARTMENTS[0]:  # the returned file, corrected and sent again
                    hub_d = desk.hub
                    returned = [
                        r.case_no for r in hub_d.cases.list(status="accepted")
                        if hub_d.cases.get(r.case_no).returned_by_region_on is not None
                    ]
                    clerk = hub_d.clerks.authenticate(CLERKS[0][0], DEMO_PASSWORD)
                    if returned:
                        hub_d.lifecycle.forward(returned, clerk.id)
                _carry(desk, region, code, 0, work)  # the acknowledgement (and the re-sent file)
        finally:
            for e in engines:
                e.dispose()
    rows = decide.cases()
    overview = region.overview()
    from mss_desk.exchange.summary import RegionReportService

    summaries = {
        str(code): n for code, n in RegionReportService(hub).months_received().items()
    }
    return {
        "department": 0,
        "departments": list(DEPARTMENTS),
        "cases_by_status": dict(sorted(Counter(s for _, _, s in rows).items())),
        "cases_by_department": {
            str(d): n for d, n in sorted(Counter(d for d, _, _ in rows).items())
        },
        "decided": dict(sorted(decided.items())),
        "freed_places": freed,
        "unacknowledged": {str(p.code): p.unacknowledged for p in overview.partners},
        "received": {str(p.code): p.received for p in overview.partners},
        "summaries": summaries,  # issue 14.5: months summarised per Department
        "user": REGION_USER,
    }


def _free_a_place(hub: Any, head_id: int, desks: dict[int, Any]) -> int:
    """Item 6.1: a place came free in the first line whose first file still waits at its
    own Department too (the demo Departments typed some decisions from paper before the
    exchange: a referral for one of those would be an exchange problem on both desks, not
    a training example); the head issues its referral to the first in line
    (``exchange.places``). Returns how many."""
    from mss_desk.exchange.places import PlacesService

    places = PlacesService(hub)
    for kind, group in places.waiting_list():
        first = group[0] if group else None
        if first is not None and desks[first.department_code].hub.cases.get(
            first.case_no
        ).status == "forwarded":
            places.free_place(kind, institution="Щучинск медициналық-әлеуметтік мекемесі",
                              referral_no="R-BOS-001", head_id=head_id)  # fmt: skip
            return 1
    return 0


def _carry(sender: Any, receiver: Any, from_code: int, to_code: int, work: Path) -> None:
    """One bundle from ``sender`` to ``receiver`` through a file, as on a USB stick."""
    path = work / f"desk-{from_code}-to-{to_code}.mssx"
    sender.export(to_code, path)
    receiver.import_bundle(path)
    path.unlink()
