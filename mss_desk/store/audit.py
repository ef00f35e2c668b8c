"""The append-only, hash-chained audit table (item 18.5: protection of information).

Every change of a case, ticket, complaint or account writes one ``AuditEvent`` in the same
transaction as the change (``services/audit.record`` calls :func:`chain` here). Each row
carries ``prev_hash`` (the previous row's ``hash``, or :data:`GENESIS` for the first) and
``hash`` = sha256 over a canonical JSON of its own fields and ``prev_hash``. Database
triggers (migration ``0004``) refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), so the
table only grows; someone who bypasses the triggers and edits, deletes or reorders a row
breaks the chain, and :func:`verify` names the first broken row.

Writers are serialised while they read the previous hash: SQLite by ``BEGIN IMMEDIATE``
(every write transaction already holds the write lock), PostgreSQL by a transaction-level
advisory lock taken here. Rows are chained in ``id`` order.

Never personal data in ``detail``: ids, numbers and status words only.

A chain alone cannot show that it was cut at the end or recomputed after an edit (issue 15,
item 6): what is left is a valid chain. Its head is therefore written down outside the
database (:class:`Anchor`: on the day's register and report, beside every backup), and
:func:`check_anchor` tells whether the chain still passes through a head written earlier.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from mss_desk.store.models import AuditEvent

if TYPE_CHECKING:
    from sqlmodel import Session

GENESIS = "0" * 64
# pg_advisory_xact_lock key: "MSSAUDIT" in ASCII, as a signed 64-bit integer.
PG_LOCK_KEY = int.from_bytes(b"MSSAUDIT", "big", signed=True)
SYSTEM = "system"


def _at_text(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(
    *,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    detail: str,
    prev_hash: str,
) -> bytes:
    """The bytes that are hashed: sorted-key compact JSON, UTF-8, times as UTC ISO-8601."""
    doc = {
        "action": action,
        "actor": actor,
        "at": _at_text(at),
        "detail": detail,
        "entity": entity,
        "entity_id": entity_id,
        "prev_hash": prev_hash,
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: Any, prev_hash: str) -> str:
    """sha256 (hex) of an event row (anything with the AuditEvent fields) after ``prev_hash``."""
    return hashlib.sha256(
        canonical(
            at=event.at,
            actor=event.actor or "",
            action=event.action or "",
            entity=event.entity or "",
            entity_id=event.entity_id or "",
            detail=event.detail or "",
            prev_hash=prev_hash,
        )
    ).hexdigest()


def _lock(db: Session | sa.Connection) -> None:
    bind = db if isinstance(db, sa.Connection) else db.get_bind()
    if bind.dialect.name == "postgresql":
        db.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})
    # SQLite: the transaction began with BEGIN IMMEDIATE and holds the write lock already.


@cache
def _statements() -> tuple[Any, Any]:
    """SELECT the last hash, INSERT an event: built once."""
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    return sa.select(table.c.hash).order_by(table.c.id.desc()).limit(1), sa.insert(table)


def last_hash(db: Session | sa.Connection) -> str:
    got = db.execute(_statements()[0]).scalar_one_or_none()
    return got or GENESIS


def fields(
    at: datetime,
    actor: int | str | None,
    action: str,
    entity: str,
    entity_id: int | str | None = None,
    detail: str = "",
) -> dict[str, Any]:
    """The stored fields of a new event, before its link (``actor`` None is :data:`SYSTEM`)."""
    return {
        "at": at,
        "actor": SYSTEM if actor is None else str(actor),
        "action": action,
        "entity": entity,
        "entity_id": "" if entity_id is None else str(entity_id),
        "detail": detail,
    }


def chain(session: Session, event: AuditEvent) -> AuditEvent:
    """Fill ``prev_hash``/``hash`` of a new event and insert it (flushed, in the caller's tx)."""
    _lock(session)
    session.flush()  # earlier events of this transaction get their ids first
    prev = last_hash(session)
    event.prev_hash = prev
    event.hash = event_hash(event, prev)
    session.add(event)
    session.flush()
    return event


def record(
    db: Session | sa.Connection,
    at: datetime,
    actor: int | str | None,
    action: str,
    entity: str,
    entity_id: int | str | None = None,
    detail: str = "",
) -> AuditEvent | None:
    """Write one chained audit event in the caller's transaction.

    ``db`` is an ORM session (the event is returned) or a Core connection
    (``ServiceBase.tx_core``): the same row, the same chain, under the same lock, so
    :func:`verify` cannot tell the two writers apart.
    """
    row = fields(at, actor, action, entity, entity_id, detail)
    if not isinstance(db, sa.Connection):
        return chain(db, AuditEvent(**row))
    _lock(db)
    prev = last_hash(db)
    row["prev_hash"] = prev
    row["hash"] = event_hash(SimpleNamespace(**row), prev)
    db.execute(_statements()[1], row)
    return None


@dataclass(frozen=True)
class ChainReport:
    count: int  # rows checked
    first_broken: int | None  # id of the first row whose link or hash is wrong
    reason: str  # "", "prev_hash" (a row missing, inserted or moved before it) or "hash"
    head: str  # the last good hash (write it down: it anchors the chain outside the DB)


@dataclass(frozen=True)
class Anchor:
    """The chain's head written down outside the database (issue 15, item 6): on the day's
    register and report, beside every backup. ``events`` rows end in ``head``."""

    events: int
    head: str

    def as_json(self) -> dict[str, Any]:
        return {"events": self.events, "head": self.head}


@dataclass(frozen=True)
class AnchorCheck:
    """The chain walked against an expected head: ``reached`` when a row of the intact part
    of the chain has that hash (at ``events`` rows, when the anchor gave a count)."""

    report: ChainReport
    expected: str
    reached: bool
    at_events: int | None  # how many rows end in the expected head, when found


def normalise_head(text: str) -> str | None:
    """A head as typed or read off paper (spaces, case) → 64 lowercase hex digits, or None."""
    head = "".join(text.split()).lower()
    if len(head) != 64 or any(ch not in "0123456789abcdef" for ch in head):
        return None
    return head


def check_chain(engine: sa.Engine, batch: int = 1000) -> ChainReport:
    """Walk the whole table in id order; stop at the first broken row."""
    return _walk(engine, batch)[0]


def anchor(engine: sa.Engine) -> Anchor | None:
    """The verified head to write down, or None when the chain is broken (a broken chain
    is never anchored: the paper says so instead)."""
    report = check_chain(engine)
    if report.first_broken is not None:
        return None
    return Anchor(report.count, report.head)


def check_anchor(
    engine: sa.Engine, expected: str, events: int | None = None, batch: int = 1000
) -> AnchorCheck:
    """Does the chain still reach ``expected`` (after ``events`` rows, when given)?

    A chain that only grew since the anchor was written still holds the anchored row with
    the same hash; a chain cut after it (rows deleted at the end, or every row), or
    recomputed after an edit before it, does not — the hash of a row covers every row
    before it. Only the intact part of the chain counts.
    """
    report, found = _walk(engine, batch, expected)
    reached = found is not None and (events is None or found == events)
    return AnchorCheck(report, expected, reached, found)


def _walk(
    engine: sa.Engine, batch: int = 1000, expected: str | None = None
) -> tuple[ChainReport, int | None]:
    """The chain report, and after how many good rows the chain ended in ``expected``."""
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    cols = [
        table.c.id,
        table.c.at,
        table.c.actor,
        table.c.action,
        table.c.entity,
        table.c.entity_id,
        table.c.detail,
        table.c.prev_hash,
        table.c.hash,
    ]
    prev = GENESIS
    count = 0
    found: int | None = 0 if expected == GENESIS else None
    last_id: int | None = None
    with engine.connect() as conn:
        while True:
            query = sa.select(*cols).order_by(table.c.id).limit(batch)
            if last_id is not None:
                query = query.where(table.c.id > last_id)
            rows = conn.execute(query).all()
            if not rows:
                break
            for row in rows:
                count += 1
                if row.prev_hash != prev:
                    return ChainReport(count, row.id, "prev_hash", prev), found
                if row.hash != event_hash(row, prev):
                    return ChainReport(count, row.id, "hash", prev), found
                prev = row.hash
                last_id = row.id
                if found is None and prev == expected:
                    found = count
        conn.rollback()
    return ChainReport(count, None, "", prev), found


def verify(engine: sa.Engine) -> int | None:
    """The id of the first broken row of the audit chain, or None when it is intact."""
    return check_chain(engine).first_broken


# --- the anchor beside a backup (issue 15, item 6) ------------------------------------------

SIDE_SUFFIX = ".audit.json"


def side_file(backup: Path) -> Path:
    """``mss-desk-….sqlite3.audit.json`` beside the backup (not a backup name: rotation and
    restore lists never take it for one; rotation deletes it with its backup)."""
    return backup.with_name(backup.name + SIDE_SUFFIX)


def file_anchor(db_file: Path) -> dict[str, Any]:
    """The chain of a SQLite file read through a read-only connection (never migrated,
    never written): ``{"ok", "events", "head", "first_broken"}``."""
    from mss_desk.store.sqlite_file import ro_connect

    engine = sa.create_engine("sqlite://", creator=lambda: ro_connect(db_file))
    try:
        report = check_chain(engine)
    except sa.exc.OperationalError:  # no audit table: not a desk database (yet)
        return {"ok": False, "events": 0, "head": None, "first_broken": None}
    finally:
        engine.dispose()
    intact = report.first_broken is None
    return {
        "ok": intact,
        "events": report.count if intact else report.count - 1,
        "head": report.head,
        "first_broken": report.first_broken,
    }


def write_backup_anchor(copy: Path, backup: Path, mode: int = 0o600) -> dict[str, Any]:
    """Write the anchor of ``copy`` (the checked backup, maybe still under its temporary
    name) to ``backup``'s side file, whole or not at all; return what was written.

    The side file is what a later ``audit verify --expect-head`` or a restore compares
    against: an old backup's head must still be in the live chain, and a backup whose own
    chain no longer reaches its side file's head was cut or recomputed after it was taken.
    """
    import json
    import os

    doc = {"backup": backup.name, **file_anchor(copy)}
    final = side_file(backup)
    tmp = final.with_name(f".{final.name}.partial-{os.getpid()}")
    fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(doc, out, sort_keys=True)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return doc


def read_backup_anchor(backup: Path) -> Anchor | None:
    """The anchor written beside ``backup``, or None (no side file, unreadable, or the chain
    was already broken when the backup was taken)."""
    import json

    try:
        doc = json.loads(side_file(backup).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    head = normalise_head(str(doc.get("head", ""))) if isinstance(doc, dict) else None
    events = doc.get("events") if isinstance(doc, dict) else None
    if head is None or not doc.get("ok") or not isinstance(events, int) or events < 0:
        return None
    return Anchor(events, head)
