"""Issue 14, "Done when": two Department desks (SQLite) and the regional desk (SQLite and, with
MSS_DESK_TEST_POSTGRES, PostgreSQL), each with its own database and key folder, driven
through the real command line (``main(argv)`` in-process with ``--json``; one import in a
real process, killed halfway).

The Department clerk's own steps (accept at intake, forward, result ready, deliver) are the
services the screens call: the command line has no commands for them. Every exchange step is
a command: ``init``, ``exchange key show|add``, ``exchange export|import|status``,
``cases`` and ``decide``.

After every hostile bundle (one byte changed, sealed for another desk, signed by a desk the
region does not know, replayed, out of order, an old one after a newer, killed mid-import)
the test checks that nothing was lost and nothing applied twice: the rows of every table
the import writes, the inbox and outbox, and ``exchange status --json``.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.cli.conftest import ROOT
from tests.conftest import CLERK_PASSWORD, ELDERLY_DOCS
from tests.exchange.conftest import Result

Cli = Callable[..., Result]

A, B, STRANGER = 19, 7, 5  # two Department desks and one the region has never trusted

# the tables an import writes at the region, and the outbox/inbox of every desk
COUNTED = ("cases", "applicants", "case_documents", "exchange_inbox", "departments")


class Network:
    """The desks of a region: each its own database and data dir (its key folder)."""

    def __init__(
        self,
        cli: Cli,
        tmp: Path,
        mp: pytest.MonkeyPatch,
        clock: Any,
        catalog: Any,
        region_url: str,
    ) -> None:
        self.cli, self.tmp, self.mp, self.clock, self.catalog = cli, tmp, mp, clock, catalog
        self.urls = {0: region_url}
        self.engines: dict[int, Any] = {}
        self.clerks: dict[int, Any] = {}
        self.n = 0

    # -- the command line -------------------------------------------------------------

    def env(self, code: int) -> dict[str, str]:
        return {
            "MSS_DESK_DATA_DIR": str(self.tmp / f"data{code}"),
            "MSS_DESK_NOW": self.clock.now().isoformat(),
        }

    def at(self, code: int, *args: str) -> Result:
        for k, v in self.env(code).items():
            self.mp.setenv(k, v)
        r = self.cli("--db", self.urls[code], *args)
        assert "Traceback" not in r.out + r.err, r.err
        return r

    def ok(self, code: int, *args: str) -> Any:
        r = self.at(code, *args, "--json")
        assert r.code == 0, (args, r.out, r.err)
        return r.json

    def refused(self, code: int, *args: str) -> str:
        r = self.at(code, *args, "--json")
        assert r.code == 1, (args, r.out, r.err)
        data = r.json
        assert set(data) == {"error"}
        return str(data["error"])

    # -- the desks --------------------------------------------------------------------

    def add_department(self, code: int) -> None:
        self.urls[code] = f"sqlite:///{self.tmp / f'desk{code}.sqlite3'}"
        assert self.ok(code, "init", "--department", str(code))["department"] == code
        engine = self.engine(code)
        from mss_desk.services import Services

        services = Services(engine, self.clock, self.catalog)
        self.clerks[code] = services.clerks.create(
            code, f"clerk{code}", "Сейітова", "Әйгерім", CLERK_PASSWORD, "clerk"
        )

    def engine(self, code: int) -> Any:
        if code not in self.engines:
            from mss_desk.store.engine import open_store

            self.engines[code] = open_store(self.urls[code])
        return self.engines[code]

    def services(self, code: int) -> Any:
        from mss_desk.services import Services

        return Services(self.engine(code), self.clock, self.catalog)

    def introduce(self, dept: int, *, region_trusts: bool = True) -> None:
        """Key show on each side, read out by phone, key add on the other."""
        rk = self.ok(0, "exchange", "key", "show")
        dk = self.ok(dept, "exchange", "key", "show")
        assert self.ok(dept, "exchange", "key", "add", "0", rk["public_key"]) == {
            "code": 0, "fingerprint": rk["fingerprint"],
        }  # fmt: skip
        if region_trusts:
            assert self.ok(0, "exchange", "key", "add", str(dept), dk["public_key"]) == {
                "code": dept, "fingerprint": dk["fingerprint"],
            }  # fmt: skip

    # -- the clerk's steps at a Department (the services its screens call) -------------

    def accept(self, code: int, surname: str = "Әлиев") -> str:
        """Item 12: a complete file accepted at intake."""
        from mss_desk.rules.iin import make_iin
        from mss_desk.services.views import IntakeForm

        self.n += 1
        born = date(1940, 1, 1 + self.n % 28)
        form = IntakeForm(
            iin=make_iin(born, "male", 100 + self.n),  # type: ignore[arg-type]
            surname=surname, name="Марат", birth_date=born, sex="male",
            institution="elderly_general", relatives="no_relatives", address="Көкшетау",
        )  # fmt: skip
        result = self.services(code).intake.submit(form, set(ELDERLY_DOCS), self.clerks[code].id)
        assert result.outcome == "accepted" and result.case_no
        return str(result.case_no)

    def forward(self, code: int, *case_nos: str) -> None:
        from mss_desk.services.lifecycle import LifecycleService

        LifecycleService(self.services(code)).forward(list(case_nos), self.clerks[code].id)

    def lifecycle(self, code: int) -> Any:
        from mss_desk.services.lifecycle import LifecycleService

        return LifecycleService(self.services(code))

    # -- bundles ----------------------------------------------------------------------

    def export(self, frm: int, to: int, name: str) -> tuple[Path, int]:
        path = self.tmp / f"{name}.mssx"
        got = self.ok(frm, "exchange", "export", "--to", str(to), "--out", str(path))
        assert got["bytes"] == path.stat().st_size
        return path, int(got["messages"])

    def imported(self, code: int, path: Path) -> dict[str, Any]:
        data: dict[str, Any] = self.ok(code, "exchange", "import", str(path))
        return data

    # -- what is in the databases -----------------------------------------------------

    def rows(self, code: int) -> dict[str, Any]:
        """Every table the exchange writes, counted; the outbox split by acknowledged."""
        with self.engine(code).connect() as conn:
            counts: dict[str, Any] = {
                t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED
            }
            counts["outbox"] = sorted(
                (int(to), bool(acked), int(n))
                for to, acked, n in conn.execute(
                    sa.text(
                        "SELECT to_code, acked, count(*) FROM exchange_outbox "
                        "GROUP BY to_code, acked"
                    )
                )
            )
            counts["received"] = conn.execute(
                sa.text("SELECT count(*) FROM audit_events WHERE action = 'exchange.file_received'")
            ).scalar_one()
            counts["statuses"] = sorted(
                (str(n), str(s))
                for n, s in conn.execute(
                    sa.text("SELECT case_no, status FROM cases WHERE case_no IS NOT NULL")
                )
            )
            # nothing applied twice: one row per file, one applicant per IIN
            assert (
                conn.execute(
                    sa.text("SELECT count(case_no) - count(DISTINCT case_no) FROM cases")
                ).scalar_one()
                == 0
            )
            assert (
                conn.execute(
                    sa.text("SELECT count(*) - count(DISTINCT iin) FROM applicants")
                ).scalar_one()
                == 0
            )
        counts["status"] = self.ok(code, "exchange", "status")
        return counts

    def close(self) -> None:
        for engine in self.engines.values():
            engine.dispose()


@pytest.fixture
def net(
    cli: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clock: Any,
    catalog: Any,
    db_url: str,
) -> Iterator[Network]:
    """The regional desk on ``db_url`` (SQLite, PostgreSQL) and Departments A and B."""
    n = Network(cli, tmp_path, monkeypatch, clock, catalog, db_url)
    try:
        assert n.ok(0, "init", "--regional")["department"] == 0
        for code in (A, B):
            n.add_department(code)
            n.introduce(code)
        yield n
    finally:
        n.close()


def _region_cases(net: Network) -> list[tuple[int, str, str]]:
    return [(c["department_code"], c["case_no"], c["status"]) for c in net.ok(0, "cases")]


def _desk_cases(net: Network, code: int) -> dict[str, str]:
    return {c["case_no"]: c["status"] for c in net.ok(code, "cases")}


def _status(unacked: int, received: int, desks: list[tuple[int, int, int]]) -> dict[str, Any]:
    return {
        "unacknowledged": unacked, "received": received, "problems": 0, "problem_list": [],
        "desks": [{"code": c, "unacknowledged": u, "received": r, "problems": 0,
                   "trusted": True} for c, u, r in desks],
    }  # fmt: skip


# ----------------------------------------------------------------------------- the round


def test_the_round_two_departments_a_return_and_the_resent_file(net: Network) -> None:
    """accept → forward → export → import at the region → decide → export → import at the
    Department → result ready → deliver, for two Departments; and a file returned for
    correction, corrected, re-sent and decided afterwards."""
    a1, a2 = net.accept(A, "Сәрсенов"), net.accept(A, "Жұмабаев")
    [b1] = [net.accept(B, "Ғабитов")]
    net.forward(A, a1, a2)
    net.forward(B, b1)
    up_a, n = net.export(A, 0, "a-up-1")
    assert n == 2
    up_b, n = net.export(B, 0, "b-up-1")
    assert n == 1
    assert net.ok(A, "exchange", "status")["unacknowledged"] == 2

    assert net.imported(0, up_a) == {"applied": 2, "already_had": 0, "problems": []}
    assert net.imported(0, up_b) == {"applied": 1, "already_had": 0, "problems": []}
    assert _region_cases(net) == [
        (B, b1, "forwarded"), (A, a1, "forwarded"), (A, a2, "forwarded"),
    ]  # fmt: skip
    # the region recorded receipt of each file: a case.received for its Department (issue 14.1)
    assert net.ok(0, "exchange", "status") == _status(3, 3, [(B, 1, 1), (A, 2, 2)])

    net.clock.advance(days=2)  # Wednesday: the region decides
    got = net.ok(0, "decide", a1, "--referral", "R-17", "--institution", "Көкшетау МӘМ")
    assert (got["status"], got["department_code"]) == ("decided", A)
    got = net.ok(0, "decide", b1, "--refusal", "untrue", "--reason", "мекенжай сәйкес емес")
    assert (got["status"], got["department_code"]) == ("decided", B)
    got = net.ok(0, "decide", a2, "--return", "медициналық карта қол қойылмаған")
    assert got["status"] == "accepted"
    # decided once: a second decision is refused and changes nothing
    decided = net.rows(0)
    assert net.refused(0, "decide", a1, "--refusal", "incomplete")
    assert net.refused(0, "decide", a2, "--return", "тағы да")  # already back at A
    assert net.rows(0) == decided
    assert decided["status"]["unacknowledged"] == 6  # three receipts, three answers

    down_a, n = net.export(0, A, "a-down-1")
    assert n == 4
    down_b, n = net.export(0, B, "b-down-1")
    assert n == 2
    assert net.imported(A, down_a) == {"applied": 4, "already_had": 0, "problems": []}
    assert net.imported(B, down_b) == {"applied": 2, "already_had": 0, "problems": []}
    assert _desk_cases(net, A) == {a1: "decided", a2: "accepted"}
    assert _desk_cases(net, B) == {b1: "decided"}
    # the region's bundles acknowledged the files: the Departments' outboxes forgot them
    assert net.ok(A, "exchange", "status") == _status(0, 4, [(0, 0, 4)])
    assert net.ok(B, "exchange", "status") == _status(0, 2, [(0, 0, 2)])
    returned = net.lifecycle(A).get(a2)
    assert returned.status == "accepted"

    # Thursday: result ready and delivered at each Department
    net.clock.advance(days=1)
    net.lifecycle(A).result_ready(a1, net.clerks[A].id)
    desk_a = net.services(A)
    desk_a.queue.issue("collect")
    called = desk_a.queue.call_next("collect", net.clerks[A].id)
    assert called is not None
    net.lifecycle(A).deliver(a1, net.clerks[A].id, "in_person", ticket_id=called.id)
    net.lifecycle(B).result_ready(b1, net.clerks[B].id)
    net.lifecycle(B).deliver(b1, net.clerks[B].id, "post", postal_address="Степногорск")
    assert _desk_cases(net, B) == {b1: "delivered"}

    # the returned file, corrected and sent again (case.resent), then decided
    net.forward(A, a2)
    up_a2, n = net.export(A, 0, "a-up-2")
    assert n == 1  # only the re-sent file: the first two were acknowledged
    assert net.imported(0, up_a2) == {"applied": 1, "already_had": 0, "problems": []}
    assert (A, a2, "forwarded") in _region_cases(net)
    net.ok(0, "decide", a2, "--referral", "R-18", "--institution", "Щучинск МӘМ")
    down_a2, n = net.export(0, A, "a-down-2")
    assert n == 2  # its receipt and decision: A's bundle acknowledged the rest
    assert net.imported(A, down_a2)["applied"] == 2
    assert _desk_cases(net, A) == {a1: "delivered", a2: "decided"}
    a2_row = net.lifecycle(A).get(a2)
    assert a2_row.status == "decided"

    # the last acknowledgements: every outbox empty, every desk's counts agree
    ack_a, n = net.export(A, 0, "a-ack")
    ack_b, n2 = net.export(B, 0, "b-ack")
    assert (n, n2) == (0, 0)
    net.imported(0, ack_a)
    net.imported(0, ack_b)
    assert net.ok(0, "exchange", "status") == _status(0, 4, [(B, 0, 1), (A, 0, 3)])
    assert net.ok(A, "exchange", "status") == _status(0, 6, [(0, 0, 6)])
    assert _region_cases(net) == [
        (B, b1, "decided"), (A, a1, "decided"), (A, a2, "decided"),
    ]  # fmt: skip


# ----------------------------------------------------------------------- hostile bundles


def _flip(path: Path, where: int, out: Path) -> Path:
    data = bytearray(path.read_bytes())
    data[where] ^= 0x01
    out.write_bytes(bytes(data))
    return out


def test_hostile_bundles_are_refused_whole_or_change_nothing_twice(net: Network) -> None:
    """A tampered bundle, one for another desk, one signed by a desk the region does not
    know, a replayed one, bundles out of order and an old one after a newer."""
    a1 = net.accept(A)
    net.forward(A, a1)
    first, _ = net.export(A, 0, "first")  # carries a1
    a2 = net.accept(A)
    net.forward(A, a2)
    second, n = net.export(A, 0, "second")  # nothing acknowledged yet: a1 and a2
    assert n == 2
    region0, dept0 = net.rows(0), net.rows(A)

    # one byte changed: in the body, in the header, the last byte (age's tag)
    size = second.stat().st_size
    for i, where in enumerate((size // 2, 30, size - 1)):
        bad = _flip(second, where, net.tmp / f"tampered{i}.mssx")
        error = net.refused(0, "exchange", "import", str(bad))
        assert "Nothing was applied" in error, error
    # a bundle sealed for Department B, brought to the region and to Department A
    for_b, _ = net.export(0, B, "for-b")
    assert "sealed for another desk" in net.refused(0, "exchange", "import", str(for_b))
    assert "sealed for another desk" in net.refused(A, "exchange", "import", str(for_b))
    # signed by a desk the region never trusted (it trusts the region's key)
    net.add_department(STRANGER)
    net.introduce(STRANGER, region_trusts=False)
    s1 = net.accept(STRANGER)
    net.forward(STRANGER, s1)
    unknown, _ = net.export(STRANGER, 0, "stranger")
    error = net.refused(0, "exchange", "import", str(unknown))
    assert f"signed by desk {STRANGER}" in error and "key add" in error
    assert net.rows(0) == region0 and net.rows(A) == dept0  # nothing of any of them

    # out of order: the newer bundle first, then the older one, then both again
    assert net.imported(0, second) == {"applied": 2, "already_had": 0, "problems": []}
    region1 = net.rows(0)
    assert net.imported(0, first) == {"applied": 0, "already_had": 1, "problems": []}
    assert net.imported(0, second) == {"applied": 0, "already_had": 2, "problems": []}
    assert net.rows(0) == region1
    assert region1["received"] == region0["received"] + 2
    assert sorted(c[1] for c in _region_cases(net)) == sorted([a1, a2])

    # the region decides a1 and acknowledges; an old stick with a1 on it comes again
    net.ok(0, "decide", a1, "--referral", "R-1", "--institution", "Көкшетау МӘМ")
    down, n = net.export(0, A, "down")
    assert n == 3  # the receipts of a1 and a2, and a1's decision
    assert net.imported(A, down)["applied"] == 3
    assert net.imported(0, first) == {"applied": 0, "already_had": 1, "problems": []}
    assert (A, a1, "decided") in _region_cases(net)
    # ... and at the Department: the decision replayed, and exported again by the region
    # (A has not acknowledged it yet: the same message, a new bundle)
    dept1 = net.rows(A)
    assert net.imported(A, down) == {"applied": 0, "already_had": 3, "problems": []}
    down_again, n = net.export(0, A, "down-again")
    assert n == 3
    assert net.imported(A, down_again) == {"applied": 0, "already_had": 3, "problems": []}
    assert net.rows(A) == dept1
    assert dept1["outbox"] == [(0, True, 2)]  # a1 and a2 acknowledged by the region
    assert _desk_cases(net, A) == {a1: "decided", a2: "forwarded"}


# ----------------------------------------------------------------- killed mid-import (real)

BIG = 120  # files in the bundle
KILL_AFTER = 70  # applied inside the transaction when the process is killed


def _run_until_stopped(net: Network, code: int, bundle: Path) -> subprocess.Popen[bytes]:
    """``python -m mss_desk --db URL exchange import FILE --json`` in a real process, stopped
    after KILL_AFTER messages inside the import's transaction (tests/exchange/killed_import.py)."""
    r, w = os.pipe()
    env = {**os.environ, **net.env(code), "PYTHONPATH": str(ROOT)}
    env.pop("MSS_DESK_DEBUG", None)
    helper = Path(__file__).with_name("killed_import.py")
    child = subprocess.Popen(
        [sys.executable, str(helper), str(w), str(KILL_AFTER),
         "--db", net.urls[code], "exchange", "import", str(bundle), "--json"],
        cwd=ROOT, env=env, pass_fds=(w,), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    os.close(w)
    try:
        ready, _, _ = select.select([r], [], [], 120)
        said = os.read(r, 64) if ready else b""
    finally:
        os.close(r)
    if said.strip() != str(KILL_AFTER).encode():
        child.kill()
        out, err = child.communicate()
        pytest.fail(f"the import did not stop where asked: {said!r} {out!r} {err!r}")
    return child


def _peek_cases(url: str) -> int:
    """The cases a reader sees now (SQLite: a read-only connection, WAL lets it read beside
    the writer; the desk's own engine begins every transaction IMMEDIATE and would wait)."""
    if url.startswith("sqlite:///"):
        import sqlite3

        conn = sqlite3.connect(f"file:{url.removeprefix('sqlite:///')}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
        finally:
            conn.close()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM cases")).scalar_one())
    finally:
        engine.dispose()


def test_an_import_killed_halfway_by_sigkill_applies_nothing(net: Network) -> None:
    """A real process, a real SIGKILL in the middle of the import's transaction: the
    database has none of the bundle; the next import applies all of it, once."""
    from tests.lifecycle.conftest import CaseFactory

    factory = CaseFactory(net.services(A))
    case_nos = [str(factory.case("2026-03-02 09:00")) for _ in range(BIG)]
    net.forward(A, *case_nos)
    bundle, n = net.export(A, 0, "big")
    assert n == BIG
    before = net.rows(0)
    child = _run_until_stopped(net, 0, bundle)
    # while it waits inside its transaction, holding the write lock: a reader sees none of it
    assert _peek_cases(net.urls[0]) == before["cases"]
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    net.engine(0).dispose()  # a fresh connection, as the next desk start would have
    assert net.rows(0) == before  # none of the 70 applied messages stayed
    if net.urls[0].startswith("sqlite"):
        with net.engine(0).connect() as conn:
            assert conn.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
    got = net.imported(0, bundle)
    assert (got["applied"], got["already_had"], got["problems"]) == (BIG, 0, [])
    after = net.rows(0)
    assert after["cases"] == before["cases"] + BIG
    assert after["exchange_inbox"] == before["exchange_inbox"] + BIG
    assert after["received"] == before["received"] + BIG
    assert after["status"]["received"] == before["status"]["received"] + BIG
    again = net.imported(0, bundle)
    assert (again["applied"], again["already_had"]) == (0, BIG)
    assert net.rows(0) == after
    # the acknowledgement goes home: the Department's outbox forgets all of them
    ack, _ = net.export(0, A, "ack")
    net.imported(A, ack)
    assert net.rows(A)["outbox"] == [(0, True, BIG)]
    assert net.ok(A, "exchange", "status")["unacknowledged"] == 0


# ------------------------------------------------------------------ a restored receiver


def test_a_region_restored_from_a_backup_gets_the_files_it_lost(
    net: Network, tmp_path: Path
) -> None:
    """The regional database is put back from last night's backup (``mss-desk backup`` /
    ``restore``) after it had imported, and acknowledged, Department A's bundle: A sends
    the file again (a later bundle acknowledging less says the region lost it)."""
    if not net.urls[0].startswith("sqlite"):
        pytest.skip("mss-desk backup / restore are for the SQLite file")
    backups = tmp_path / "backups"
    night = net.ok(0, "backup", "--dir", str(backups))["backup"]
    [a1] = [net.accept(A)]
    net.forward(A, a1)
    up, _ = net.export(A, 0, "up")
    net.imported(0, up)
    down, _ = net.export(0, A, "down")  # acknowledges a1
    net.imported(A, down)
    assert net.rows(A)["outbox"] == [(0, True, 1)]  # A's outbox forgot it
    net.clock.advance(hours=1)
    net.ok(0, "restore", night, "--dir", str(backups), "--force", "disk failed")
    assert _region_cases(net) == []
    net.clock.advance(hours=1)
    # the restored region's next bundle, made later, acknowledges less than A saw
    # acknowledged: A's outbox takes a1 back, to send again (migration 0017)
    net.imported(A, net.export(0, A, "down-after-restore")[0])
    assert net.rows(A)["outbox"] == [(0, False, 1)]
    # the old stick again (made before the restore, it acknowledges a1): older than the
    # newest bundle seen, it forgets nothing
    net.imported(A, down)
    assert net.rows(A)["outbox"] == [(0, False, 1)]
    again, n = net.export(A, 0, "up-again")
    assert n == 1  # a1 travels again: nothing lost
    assert net.imported(0, again)["applied"] == 1
    assert _region_cases(net) == [(A, a1, "forwarded")]
    # and once the region has it, its next bundle acknowledges it for good
    net.clock.advance(hours=1)
    net.imported(A, net.export(0, A, "down-2")[0])
    assert net.rows(A)["outbox"] == [(0, True, 1)]


def test_a_restored_region_imports_the_kept_bundles_again(net: Network, tmp_path: Path) -> None:
    """The regional desk's backup from before a Department's first bundle can be restored
    (the Departments rows its imports added are received data, not another desk: the
    restore used to refuse it as "of Department 0, this database of 0, 19"), and the
    bundle files kept since that backup, imported again, bring back what it lost, once.
    A Department's backup is still refused over the region's database."""
    if not net.urls[0].startswith("sqlite"):
        pytest.skip("mss-desk backup / restore are for the SQLite file")
    backups = tmp_path / "backups"
    night = net.ok(0, "backup", "--dir", str(backups))["backup"]
    dept_backup = net.ok(A, "backup", "--dir", str(tmp_path / "dept-backups"))["backup"]
    a1 = net.accept(A)
    net.forward(A, a1)
    up, _ = net.export(A, 0, "up")
    assert net.imported(0, up)["applied"] == 1
    region1 = net.rows(0)
    error = net.refused(0, "restore", dept_backup, "--dir", str(backups), "--force", "x")
    assert "Nothing was restored" in error
    assert "--force" in net.refused(0, "restore", night, "--dir", str(backups))  # loses a1
    net.ok(0, "restore", night, "--dir", str(backups), "--force", "disk failed")
    net.engine(0).dispose()
    assert _region_cases(net) == []
    assert net.imported(0, up) == {"applied": 1, "already_had": 0, "problems": []}
    assert _region_cases(net) == [(A, a1, "forwarded")]
    again = net.rows(0)
    assert again["exchange_inbox"] == region1["exchange_inbox"]
    assert again["statuses"] == region1["statuses"]
    assert net.imported(0, up)["already_had"] == 1


# ------------------------------------------------------- the same stick at two regional desks


def test_the_same_bundle_imported_twice_at_once_applies_once_and_both_succeed(
    net: Network,
) -> None:
    """Two clerks of the region import the same stick at the same moment (PostgreSQL, two
    desks): the first stops inside its transaction after KILL_AFTER messages; the second
    starts and waits on the first's rows; the first commits. The second then finds every
    message "already had" — exit 0, not "not saved, try again" — and nothing is twice."""
    if not net.urls[0].startswith("postgresql"):
        pytest.skip("SQLite serialises the two imports before either writes")
    import time
    import uuid

    from tests.lifecycle.conftest import CaseFactory

    factory = CaseFactory(net.services(A))
    net.forward(A, *[str(factory.case("2026-03-02 09:00")) for _ in range(BIG)])
    bundle, _ = net.export(A, 0, "big")
    before = net.rows(0)
    first = _run_until_stopped(net, 0, bundle)
    name = f"race-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, **net.env(0)}
    env.pop("MSS_DESK_DEBUG", None)
    second = subprocess.Popen(
        [sys.executable, "-m", "mss_desk", "--db", f"{net.urls[0]}&application_name={name}",
         "exchange", "import", str(bundle), "--json"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        waiting = sa.text(
            "SELECT wait_event_type FROM pg_stat_activity WHERE application_name = :n"
        )
        deadline = time.monotonic() + 60
        with net.engine(0).connect() as conn:
            while conn.execute(waiting, {"n": name}).scalar_one_or_none() != "Lock":
                assert second.poll() is None, second.communicate()
                assert time.monotonic() < deadline, "the second import never waited"
                conn.rollback()
                time.sleep(0.05)  # a condition polled, not a guess at a duration
        out1, err1 = first.communicate(input=b"go\n", timeout=60)
        out2, err2 = second.communicate(timeout=60)
    finally:
        for p in (first, second):
            if p.poll() is None:
                p.kill()
                p.communicate()
    assert (first.returncode, second.returncode) == (0, 0), (out1, err1, out2, err2)
    assert b"Traceback" not in err1 + err2
    got1, got2 = json.loads(out1), json.loads(out2)
    assert (got1["applied"], got1["already_had"]) == (BIG, 0)
    assert (got2["applied"], got2["already_had"]) == (0, BIG)
    after = net.rows(0)
    assert after["cases"] == before["cases"] + BIG
    assert after["exchange_inbox"] == before["exchange_inbox"] + BIG
    assert after["received"] == before["received"] + BIG
