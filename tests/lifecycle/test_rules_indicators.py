"""Annex 2 indicators on hand-made records with known answers; empty periods give no data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mss_desk.rules import indicators as ind
from mss_desk.rules.indicators import (
    CaseRecord,
    ComplaintRecord,
    IndicatorInputs,
    Period,
    Ratio,
    SubmissionRecord,
    SurveyRecord,
    TicketRecord,
)

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
TODAY = date(2026, 4, 15)


def at(day: int, hh: int = 10, mm: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hh, mm, tzinfo=UTC)


def test_ratio_percent_and_no_data() -> None:
    assert Ratio(1, 4).percent == 25.0
    assert Ratio(0, 0).percent is None
    assert not Ratio(0, 0).has_data
    assert Ratio(0, 0, entered=32.4).percent == 32.4
    assert Ratio(0, 3).percent == 0.0


def test_period_is_inclusive_and_ordered() -> None:
    assert date(2026, 3, 1) in MARCH and date(2026, 3, 31) in MARCH
    assert date(2026, 2, 28) not in MARCH and date(2026, 4, 1) not in MARCH
    with pytest.raises(ValueError):
        Period(date(2026, 3, 2), date(2026, 3, 1))


def test_1_1_served_on_time() -> None:
    d = date
    cases = [
        CaseRecord(d(2026, 3, 1), d(2026, 3, 16), d(2026, 3, 16)),  # on the day: on time
        CaseRecord(d(2026, 3, 1), d(2026, 3, 16), d(2026, 3, 17)),  # a day late
        CaseRecord(d(2026, 3, 5), d(2026, 3, 20), None),  # overdue, never ready: late
        CaseRecord(d(2026, 3, 5), d(2026, 3, 20), d(2026, 3, 10)),  # early
        CaseRecord(d(2026, 2, 1), d(2026, 2, 16), d(2026, 2, 10)),  # due in February
        CaseRecord(d(2026, 3, 20), d(2026, 4, 6), d(2026, 4, 1)),  # due in April
    ]
    r = ind.served_on_time(cases, MARCH, TODAY)
    assert (r.numerator, r.denominator) == (2, 4)
    assert r.percent == 50.0


def test_1_1_pending_cases_are_not_yet_late() -> None:
    cases = [CaseRecord(date(2026, 3, 20), date(2026, 3, 31), None)]
    # today = the due day: still running, left out
    assert ind.served_on_time(cases, MARCH, date(2026, 3, 31)).denominator == 0
    # the day after: late
    r = ind.served_on_time(cases, MARCH, date(2026, 4, 1))
    assert (r.numerator, r.denominator) == (0, 1)


def test_1_2_queue_waits_limit_is_inclusive() -> None:
    def tk(purpose: str, minutes: float | None, day: int = 2) -> TicketRecord:
        issued = at(day, 9, 0)
        called = None if minutes is None else issued + timedelta(minutes=minutes)
        return TicketRecord(date(2026, 3, day), purpose, issued, called)

    tickets = [
        tk("submit", 40),  # exactly 40: fine
        tk("submit", 40 + 1 / 60),  # 40 min 1 s: breach
        tk("collect", 5),
        tk("collect", 55),
        tk("consult", 90),  # no limit: not counted
        tk("submit", None),  # still waiting (before closing today): not known yet
        tk("submit", 1, day=1),
    ]
    r = ind.queue_waits(tickets, MARCH)
    assert (r.numerator, r.denominator) == (3, 5)
    assert ind.queue_waits(tickets, Period(date(2026, 4, 1), date(2026, 4, 30))).percent is None


def test_item_10_1_2_every_ticket_counts_a_never_called_one_waited_until_closing() -> None:
    # issue 11.6 (SPEC "Queue"): half the people went home unserved — not 100 %
    closes = at(2, 13, 0)  # 18:00 in Almaty is 13:00 UTC

    def tk(issued: datetime, called: datetime | None, closed: bool = False) -> TicketRecord:
        return TicketRecord(
            date(2026, 3, 2), "submit", issued, called, closed_at=closes if closed else None
        )

    served = [tk(at(2, 4, 0), at(2, 4, 10)), tk(at(2, 5, 0), at(2, 5, 20))]
    sent_home = [tk(at(2, 6, 0), None, closed=True), tk(at(2, 7, 0), None, closed=True)]
    assert ind.queue_waits(served, MARCH).percent == 100.0
    r = ind.queue_waits(served + sent_home, MARCH)
    assert (r.numerator, r.denominator, r.percent) == (2, 4, 50.0)
    # closed at 18:00 after a wait of exactly 40 minutes: within the limit; 41: a breach
    last_in = tk(closes - timedelta(minutes=40), None, closed=True)
    late = tk(closes - timedelta(minutes=41), None, closed=True)
    assert ind.queue_waits([last_in], MARCH).numerator == 1
    assert ind.queue_waits([late], MARCH).numerator == 0
    # a consultation is never counted, closed or not (items 7.2, 7.3)
    consult = TicketRecord(date(2026, 3, 2), "consult", at(2, 6), None, closed_at=closes)
    assert ind.queue_waits([consult], MARCH).denominator == 0


def test_2_2_forwarded_and_not_returned() -> None:
    d = date
    cases = [
        CaseRecord(d(2026, 3, 1), None, None, first_forwarded_on=d(2026, 3, 3)),
        CaseRecord(d(2026, 3, 1), None, None, d(2026, 3, 4), returned_by_region_on=d(2026, 3, 9)),
        CaseRecord(d(2026, 3, 1), None, None, d(2026, 3, 31)),
        CaseRecord(d(2026, 3, 1), None, None, None),  # never forwarded
        CaseRecord(d(2026, 2, 1), None, None, d(2026, 2, 28)),  # forwarded in February
    ]
    r = ind.processed_correctly(cases, MARCH)
    assert (r.numerator, r.denominator) == (2, 3)


def test_3_2_accepted_at_first_visit() -> None:
    subs = [
        SubmissionRecord(1, "elderly_general", at(2), True),  # first time
        SubmissionRecord(2, "elderly_general", at(2), False),  # returned...
        SubmissionRecord(2, "elderly_general", at(5), True),  # ...then accepted: not first
        SubmissionRecord(3, "elderly_general", at(3), False),  # returned, never back: no case
        SubmissionRecord(4, "adult_psychoneuro", at(3), False),  # returned for another type
        SubmissionRecord(4, "elderly_general", at(6), True),  # first time for this type
        SubmissionRecord(5, "elderly_general", at(10, month=2), False),  # February return
        SubmissionRecord(5, "elderly_general", at(4), True),  # March acceptance: not first
        SubmissionRecord(6, "elderly_general", at(1, month=1), True),  # earlier application
        SubmissionRecord(6, "elderly_general", at(7), True),  # new one, first time
    ]
    r = ind.first_time(subs, MARCH)
    assert (r.numerator, r.denominator) == (3, 5)


def test_3_2_a_file_completed_later_is_not_first_time() -> None:
    subs = [
        SubmissionRecord(1, "elderly_general", at(2), True),
        SubmissionRecord(2, "elderly_general", at(3), True, first_visit=False),
    ]
    r = ind.first_time(subs, MARCH)
    assert (r.numerator, r.denominator) == (1, 2)


def test_3_2_uses_the_local_date() -> None:
    # 31 March 20:00 UTC is 1 April 01:00 in Almaty (UTC+5)
    subs = [SubmissionRecord(1, "elderly_general", datetime(2026, 3, 31, 20, tzinfo=UTC), True)]
    assert ind.first_time(subs, MARCH).denominator == 1
    almaty = ind.first_time(subs, MARCH, tz_date=lambda dt: (dt + timedelta(hours=5)).date())
    assert almaty.denominator == 0


def test_4_1_and_4_2_complaints() -> None:
    d = date
    complaints = [
        # justified, satisfied, answered on the due day: counts for 4.2
        ComplaintRecord(d(2026, 3, 2), True, True, d(2026, 3, 17), d(2026, 3, 17)),
        # justified, satisfied, but late
        ComplaintRecord(d(2026, 3, 2), True, True, d(2026, 3, 18), d(2026, 3, 17)),
        # justified, not satisfied
        ComplaintRecord(d(2026, 3, 3), True, False, d(2026, 3, 4), d(2026, 3, 18)),
        # justified, not answered yet
        ComplaintRecord(d(2026, 3, 30), True, None, None, d(2026, 4, 14)),
        # not justified / not yet reviewed
        ComplaintRecord(d(2026, 3, 3), False, False, d(2026, 3, 4), d(2026, 3, 18)),
        ComplaintRecord(d(2026, 3, 3), None, None, None, d(2026, 3, 18)),
        # February
        ComplaintRecord(d(2026, 2, 3), True, True, d(2026, 2, 4), d(2026, 2, 18)),
    ]
    r41 = ind.justified_share(complaints, served=400, period=MARCH)
    assert (r41.numerator, r41.denominator) == (4, 400)
    assert r41.percent == 1.0
    assert ind.justified_share(complaints, served=0, period=MARCH).percent is None
    r42 = ind.justified_satisfied_on_time(complaints, MARCH)
    assert (r42.numerator, r42.denominator) == (1, 4)


def test_survey_indicators_skip_unanswered() -> None:
    surveys = [
        SurveyRecord(date(2026, 3, 2), {"2.1": True, "3.1": True, "5.1": True}),
        SurveyRecord(date(2026, 3, 3), {"2.1": False, "3.1": None, "5.1": True}),
        SurveyRecord(date(2026, 3, 4), {"2.1": True, "4.3": False}),
        SurveyRecord(date(2026, 2, 4), {"2.1": False, "4.4": True}),
    ]
    assert ind.survey_share(surveys, "2.1", MARCH) == Ratio(2, 3)
    assert ind.survey_share(surveys, "3.1", MARCH) == Ratio(1, 1)
    assert ind.survey_share(surveys, "4.3", MARCH) == Ratio(0, 1)
    assert ind.survey_share(surveys, "4.4", MARCH).percent is None
    assert ind.survey_share(surveys, "5.1", MARCH).percent == 100.0


def test_compute_all_on_empty_inputs_is_no_data_everywhere() -> None:
    out = ind.compute_indicators(IndicatorInputs(), MARCH, TODAY)
    assert list(out) == list(ind.INDICATOR_NOS)
    assert all(r.percent is None for r in out.values())


def test_compute_all_known_history() -> None:
    d = date
    data = IndicatorInputs(
        cases=(
            CaseRecord(d(2026, 3, 2), d(2026, 3, 17), d(2026, 3, 12), d(2026, 3, 4)),
            CaseRecord(d(2026, 3, 3), d(2026, 3, 18), None, d(2026, 3, 5), d(2026, 3, 10)),
        ),
        tickets=(TicketRecord(d(2026, 3, 2), "submit", at(2, 9), at(2, 9, 20)),),
        submissions=(SubmissionRecord(1, "elderly_general", at(2), True),),
        complaints=(ComplaintRecord(d(2026, 3, 5), True, True, d(2026, 3, 6), d(2026, 3, 20)),),
        surveys=(SurveyRecord(d(2026, 3, 12), {"2.1": True, "5.1": False}),),
        entered={"3.3": 40.0},
    )
    out = {no: r.percent for no, r in ind.compute_indicators(data, MARCH, TODAY).items()}
    assert out == {
        "1.1": 50.0,
        "1.2": 100.0,
        "2.1": 100.0,
        "2.2": 50.0,
        "3.1": None,
        "3.2": 100.0,
        "3.3": 40.0,
        "4.1": 50.0,  # 1 justified complaint of 2 consumers served
        "4.2": 100.0,
        "4.3": None,
        "4.4": None,
        "5.1": 0.0,
    }
