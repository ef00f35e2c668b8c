"""The exchange as one service: keys, trusted desks, export and import of bundles.

``ExchangeService(hub, key_folder)``: ``hub`` is the desk's :class:`~mss_desk.services.Services`
(engine, clock, catalog, the Department), ``key_folder`` holds the private keys
(``exchange.keys``; the CLI uses ``keys/`` in the data dir).

Import is one transaction: every message of the bundle, the inbox rows that make it
"applied once", the acknowledgements that let this desk's outbox forget, the audit event.
Killed halfway, none of it is written. The bundle is opened and checked before the
transaction begins (a refused bundle writes nothing at all).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from mss_desk.errors import NotFound, StorageError, ValidationError
from mss_desk.exchange import apply as applying
from mss_desk.exchange import bundle as bundles
from mss_desk.exchange.keys import KeyPair, PublicKey, ensure_keys, load_keys, parse_public_key
from mss_desk.exchange.messages import PROBLEM as PROBLEM_KIND
from mss_desk.exchange.messages import REGION
from mss_desk.exchange.outbox import enqueue_many
from mss_desk.services import audit
from mss_desk.services.base import ServiceBase
from mss_desk.store.models import ExchangeInbox, ExchangeOutbox, ExchangePeer


@dataclass(frozen=True)
class ExportResult:
    messages: int
    bytes: int
    path: Path


@dataclass(frozen=True)
class ImportResult:
    applied: int
    already_had: int
    problems: list[dict[str, Any]] = field(default_factory=list)
    from_code: int = 0


@dataclass(frozen=True)
class Counts:
    """What the desk shows: sent and not yet acknowledged, received, problems."""

    unacknowledged: int
    received: int
    problems: int


@dataclass(frozen=True)
class PartnerView:
    """One partner desk as the exchange screen shows it."""

    code: int
    trusted: bool
    fingerprint: str
    unacknowledged: int  # sent to it, not yet acknowledged
    waiting_since: datetime | None  # the oldest of those
    received: int  # messages received from it (applied or kept as problems)
    problems: int


@dataclass(frozen=True)
class ProblemView:
    """A received message not applied (``exchange.problem.*``: what happened and what to do)."""

    from_code: int
    kind: str
    case_no: str | None
    problem: str
    received_at: datetime
    id: str = ""  # the message's id (``resolve`` marks it dealt with)
    # the other desk reports that a message of ours was not applied there (``exchange.
    # problem``): the problem is listed on both desks, with what to do on each (point 6)
    reported: bool = False
    about_kind: str = ""  # reported: the kind of our message that was not applied


@dataclass(frozen=True)
class Overview:
    code: int
    partners: tuple[PartnerView, ...]
    problems: tuple[ProblemView, ...]

    @property
    def counts(self) -> Counts:
        return Counts(
            sum(p.unacknowledged for p in self.partners),
            sum(p.received for p in self.partners),
            sum(p.problems for p in self.partners),
        )


PROBLEMS_SHOWN = 50  # the newest problems listed on the screen (each stays until IT acts)
DEALT_WITH = "dealt_with"  # the inbox outcome of a problem someone has dealt with


class ExchangeService(ServiceBase):
    def __init__(self, hub: Any, key_folder: Path) -> None:
        super().__init__(hub)
        self.key_folder = Path(key_folder)

    # --- keys -------------------------------------------------------------------------

    def make_keys(self) -> tuple[PublicKey, bool]:
        """This desk's keys, made if missing (``init``; older desks: ``exchange key make``)."""
        keys, made = ensure_keys(self.key_folder, self.department_code())
        if made:
            self.write(
                lambda s: audit.record(
                    s, self.now(), None, "exchange.keys_made", "desk", self.department_code(),
                    keys.public.fingerprint,
                )
            )  # fmt: skip
        return keys.public, made

    def keys(self) -> KeyPair:
        return load_keys(self.key_folder, self.department_code())

    def trust(self, code: int, public_text: str) -> PublicKey:
        """Trust another desk's public key (read out by phone: compare the fingerprint)."""
        public = parse_public_key(public_text)
        try:
            self.catalog.department(code)
        except (KeyError, LookupError, NotFound):
            raise ValidationError("unknown desk", key="exchange.unknown_code", code=code) from None
        if code == self.department_code():
            raise ValidationError("own code", key="exchange.own_code", code=code)

        def _trust(session: Session) -> None:
            peer = session.get(ExchangePeer, code)
            action = "exchange.key_added"
            if peer is None:
                peer = ExchangePeer(
                    code=code,
                    public_key=public.text,
                    fingerprint=public.fingerprint,
                    added_at=self.now(),
                )
            elif peer.public_key != public.text:
                action = "exchange.key_replaced"
                peer.public_key, peer.fingerprint = public.text, public.fingerprint
                peer.added_at = self.now()
            else:
                return
            session.add(peer)
            session.flush()
            audit.record(session, self.now(), None, action, "desk", code, public.fingerprint)

        self.write(_trust)
        return public

    def _peer_key(self, code: int) -> PublicKey | None:
        with self.read_session() as session:
            peer = session.get(ExchangePeer, code)
            return parse_public_key(peer.public_key) if peer is not None else None

    # --- export -----------------------------------------------------------------------

    def export(self, to_code: int, out: Path) -> ExportResult:
        """Every message to ``to_code`` not yet acknowledged, and the acknowledgement of
        what arrived from it: a lost stick is fixed by exporting again."""
        recipient = self._peer_key(to_code)
        if recipient is None:
            raise ValidationError("unknown desk", key="exchange.not_trusted", code=to_code)
        keys = self.keys()
        own = self.department_code()
        if own != REGION and to_code == REGION:
            # issue 14.5: the month summaries (Annex 2 counts) go with the bundle to the
            # region: counted first (a read), then added in the transaction that reads the
            # outbox, so the bundle carries every summary its export added
            from mss_desk.exchange.summary import department_months, queue_summaries

            months = department_months(self.hub.reports, self.today())

            def _summarise(session: Session) -> tuple[list[dict[str, Any]], int]:
                queue_summaries(session, own, months, self.today(), self.now())
                return self._pending(session, to_code)

            msgs, ack_upto = self.write(_summarise)
        else:
            with self.read_session() as session:
                msgs, ack_upto = self._pending(session, to_code)
        bundle_id = str(uuid.uuid4())
        body = {
            "format": bundles.FORMAT,
            "version": bundles.VERSION,
            "bundle_id": bundle_id,
            "from": own,
            "to": to_code,
            "created_at": self.now().isoformat(),
            "ack_upto": ack_upto,
            "messages": msgs,
        }
        data = bundles.seal(body, keys, own, recipient)
        _write_file(Path(out), data)
        self.write(
            lambda s: audit.record(
                s, self.now(), None, "exchange.export", "desk", to_code,
                f"bundle={bundle_id} messages={len(msgs)} ack_upto={ack_upto}",
            )
        )  # fmt: skip
        return ExportResult(messages=len(msgs), bytes=len(data), path=Path(out))

    def withdraw_decided_on_paper(self) -> int:
        """Forget the unsent messages of files this Department no longer has as forwarded
        (decided from the region's paper before the desk had the exchange): training data
        (``demo --regional``) only. Returns how many."""
        from mss_desk.store.models import Case

        outbox, cases = ExchangeOutbox.__table__, Case.__table__  # type: ignore[attr-defined]
        waiting = sa.select(cases.c.case_no).where(cases.c.status == "forwarded")

        def _withdraw(session: Session) -> int:
            result = session.connection().execute(
                sa.delete(outbox).where(
                    outbox.c.acked.is_(False), outbox.c.case_no.not_in(waiting)
                )
            )
            return int(result.rowcount or 0)

        return self.write(_withdraw)

    def _pending(self, session: Session, to_code: int) -> tuple[list[dict[str, Any]], int]:
        """Every message to ``to_code`` not yet acknowledged, and how far its own arrived."""
        rows = session.exec(
            select(ExchangeOutbox)
            .where(ExchangeOutbox.to_code == to_code, col(ExchangeOutbox.acked).is_(False))
            .order_by(col(ExchangeOutbox.seq))
        ).all()
        peer = session.get(ExchangePeer, to_code)
        ack_upto = peer.received_upto if peer is not None else 0
        msgs = [
            {
                "id": r.id,
                "seq": r.seq,
                "kind": r.kind,
                "case_no": r.case_no,
                "created_at": r.created_at.isoformat(),
                "payload": json.loads(r.payload),
            }
            for r in rows
        ]
        return msgs, ack_upto

    # --- import -----------------------------------------------------------------------

    def import_bundle(self, path: Path, clerk_id: int | None = None) -> ImportResult:
        """Apply a bundle in one transaction. ``clerk_id``: who imported it (the exchange
        screen's signed-in clerk; the command line has none) — at the region the import is
        also the recorded receipt of every file in it (issue 14.1), audited with that clerk.
        """
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ValidationError(
                "cannot read", key="exchange.cannot_read", path=str(path), reason=exc.strerror
            ) from None
        own = self.department_code()
        body = bundles.open_bundle(data, self.keys(), own, self._peer_key)
        sender: int = body["from"]
        msgs = sorted(body["messages"], key=lambda m: m["seq"])

        def _import(session: Session) -> ImportResult:
            applied = had = 0
            problems: list[dict[str, Any]] = []
            session.info.pop("exchange_receipts", None)
            notices: list[tuple[str | None, dict[str, Any]]] = []  # problems, sent back
            conn = session.connection()
            known, used = _inbox_seen(conn, sender, msgs)
            applying.prefetch(session, own, [m for m in msgs if m["id"] not in known])
            inbox = ExchangeInbox.__table__  # type: ignore[attr-defined]
            received: list[dict[str, Any]] = []  # the inbox rows, written in one statement
            for m in msgs:
                if m["id"] in known:
                    had += 1  # applied once: a replayed or older bundle changes nothing
                    continue
                seq = m["seq"]
                problem: str | None
                if seq in used:
                    # the same number, another message: the sender's database was put back
                    # from a backup and numbers again. Never applied, never dropped: kept
                    # with its payload as a problem, under the number negated (outside the
                    # acknowledged run), and listed, until IT sorts the two desks out.
                    problem, seq = "exchange.problem.seq_reused", -seq
                    if seq in used:
                        problems.append(
                            {"message": m["id"], "kind": m["kind"],
                             "case_no": m.get("case_no"), "problem": problem}
                        )  # fmt: skip
                        continue
                else:
                    problem = self._apply(session, own, sender, m)
                received.append(
                    {
                        "id": m["id"],
                        "from_code": sender,
                        "seq": seq,
                        "kind": m["kind"],
                        "case_no": m.get("case_no") or None,
                        "received_at": self.now(),
                        "outcome": "problem" if problem else "applied",
                        "problem": problem or "",
                        "payload": json.dumps(m["payload"], ensure_ascii=False)
                        if problem
                        else None,
                    }
                )
                known.add(m["id"])
                used.add(seq)
                if problem:
                    listed = {"message": m["id"], "kind": m["kind"],
                              "case_no": m.get("case_no"), "problem": problem}  # fmt: skip
                    if m["kind"] == PROBLEM_KIND:
                        listed["reported"] = True  # the sender's word about our message
                    else:
                        # point 6: the problem is listed on both desks: the sender hears of
                        # it in this desk's next bundle (never a notice about a notice)
                        notices.append((m.get("case_no") or None, _notice(m, problem)))
                    problems.append(listed)
                else:
                    applied += 1
            if received:
                conn.execute(sa.insert(inbox), received)
            applying.record_receipts(session, self)
            enqueue_many(
                session, sender=own, to_code=sender, kind=PROBLEM_KIND, items=notices,
                now=self.now(),
            )  # fmt: skip
            self._advance(session, sender)
            acked, resent = self._acknowledged(
                session, sender, body["ack_upto"], _made_at(body.get("created_at"))
            )
            audit.record(
                session, self.now(), clerk_id, "exchange.import", "desk", sender,
                f"bundle={str(body.get('bundle_id'))[:36]} applied={applied} had={had} "
                f"problems={len(problems)} acked={acked}"
                + (f" lost_at_peer={resent}" if resent else ""),
            )  # fmt: skip
            return ImportResult(applied, had, problems, sender)

        try:
            return self.write(_import)
        except StorageError as exc:
            if not isinstance(exc.__cause__, sa.exc.IntegrityError):
                raise
            # the same bundle imported at the same time on another desk of the region (two
            # clerks, one stick; PostgreSQL) committed first: once more, its messages are
            # "already had" (else "not saved, try again", though nothing was wrong)
            return self.write(_import)

    def _apply(
        self, session: Session, own: int, sender: int, message: dict[str, Any]
    ) -> str | None:
        """One message (a seam for tests: a failure here rolls the whole import back)."""
        return applying.apply_message(session, self, own, sender, message)

    def _advance(self, session: Session, sender: int) -> None:
        """How far ``sender``'s messages arrived without a gap: the acknowledgement sent back."""
        peer = session.get(ExchangePeer, sender)
        assert peer is not None  # the bundle was verified with its key
        seqs = set(
            session.exec(
                select(ExchangeInbox.seq).where(
                    ExchangeInbox.from_code == sender, ExchangeInbox.seq > peer.received_upto
                )
            ).all()
        )
        upto = peer.received_upto
        while upto + 1 in seqs:
            upto += 1
        if upto != peer.received_upto:
            peer.received_upto = upto
            session.add(peer)
            session.flush()

    def _acknowledged(
        self, session: Session, sender: int, ack_upto: int, made_at: datetime | None
    ) -> tuple[int, int]:
        """The sender has everything up to ``ack_upto``: those messages are forgotten (an
        older bundle — made before the newest one seen from that desk — forgets nothing and
        brings nothing back).

        But a bundle made *after* the newest one seen from that desk, acknowledging less
        than was acknowledged before, says the desk was put back from a backup and lost
        what came after it (acknowledgements only grow on a desk that keeps its data): the
        messages above its number are not forgotten any more, and the next export sends
        them again — applied once there, since its inbox went back too. Returns
        (forgotten now, to be sent again)."""
        peer = session.get(ExchangePeer, sender)
        resent = 0
        newest = peer.newest_bundle_at if peer is not None else None
        if newest is not None and made_at is not None and made_at < newest:
            # an old bundle (a stick that came late): what it acknowledges is old news, and
            # after a restore over there it would forget what the desk lost again
            return 0, 0
        if peer is not None and made_at is not None and (
            peer.newest_bundle_at is None or made_at > peer.newest_bundle_at
        ):
            peer.newest_bundle_at = made_at
            session.add(peer)
            lost = session.exec(
                select(ExchangeOutbox)
                .where(
                    ExchangeOutbox.to_code == sender,
                    col(ExchangeOutbox.acked).is_(True),
                    ExchangeOutbox.seq > ack_upto,
                )
                .with_for_update()
            ).all()
            for r in lost:
                r.acked, r.acked_at = False, None
                session.add(r)
            resent = len(lost)
            session.flush()
        rows = session.exec(
            select(ExchangeOutbox)
            .where(
                ExchangeOutbox.to_code == sender,
                col(ExchangeOutbox.acked).is_(False),
                ExchangeOutbox.seq <= ack_upto,
            )
            .with_for_update()
        ).all()
        for r in rows:
            r.acked, r.acked_at = True, self.now()
            session.add(r)
        session.flush()
        return len(rows), resent

    # --- problems dealt with ----------------------------------------------------------

    def resolve(self, message_id: str, clerk_id: int | None = None) -> ProblemView:
        """Point 6: someone has dealt with an exchange problem (phoned the other desk, put
        the file right): it leaves the list. The message stays in the inbox (applied once;
        nothing received is lost); the audit says who and when."""
        self.require_active_clerk(clerk_id)

        def _resolve(session: Session) -> ProblemView:
            row = session.exec(
                select(ExchangeInbox)
                .where(ExchangeInbox.id == message_id, ExchangeInbox.outcome == "problem")
                .with_for_update()
            ).first()
            if row is None:
                raise NotFound("no such problem", key="exchange.problems.not_found", id=message_id)
            view = _problem_view(row)
            row.outcome = DEALT_WITH
            session.add(row)
            session.flush()
            audit.record(
                session, self.now(), clerk_id, "exchange.problem_dealt_with", "desk",
                row.from_code, f"message={row.id} kind={row.kind} problem={row.problem}",
            )  # fmt: skip
            return view

        return self.write(_resolve)

    # --- what the desk shows ----------------------------------------------------------

    def counts(self) -> Counts:
        with self.read_session() as session:
            unacked = session.exec(
                select(func.count())
                .select_from(ExchangeOutbox)
                .where(col(ExchangeOutbox.acked).is_(False))
            ).one()
            received = session.exec(select(func.count()).select_from(ExchangeInbox)).one()
            problems = session.exec(
                select(func.count())
                .select_from(ExchangeInbox)
                .where(ExchangeInbox.outcome == "problem")
            ).one()
        return Counts(int(unacked), int(received), int(problems))


    def overview(self) -> Overview:
        """Per partner desk: sent and not yet acknowledged (and since when), received,
        problems; and the newest problems. Three grouped reads, one read transaction."""
        own = self.department_code()
        with self.read_session() as session:
            peers = {p.code: p for p in session.exec(select(ExchangePeer)).all()}
            out = {
                int(code): (int(n), since)
                for code, n, since in session.exec(
                    select(
                        ExchangeOutbox.to_code, func.count(), func.min(ExchangeOutbox.created_at)
                    )
                    .where(col(ExchangeOutbox.acked).is_(False))
                    .group_by(col(ExchangeOutbox.to_code))
                ).all()
            }
            problem = sa.case((col(ExchangeInbox.outcome) == "problem", 1), else_=0)
            inn = {
                int(code): (int(n), int(bad or 0))
                for code, n, bad in session.exec(
                    select(ExchangeInbox.from_code, func.count(), func.sum(problem)).group_by(
                        col(ExchangeInbox.from_code)
                    )
                ).all()
            }
            problems = session.exec(
                select(ExchangeInbox)
                .where(ExchangeInbox.outcome == "problem")
                .order_by(col(ExchangeInbox.received_at).desc(), col(ExchangeInbox.seq).desc())
                .limit(PROBLEMS_SHOWN)
            ).all()
            listed = tuple(_problem_view(p) for p in problems)
        partners = []
        for code in sorted(set(peers) | set(out) | set(inn)):
            peer = peers.get(code)
            sent, since = out.get(code, (0, None))
            got, bad = inn.get(code, (0, 0))
            partners.append(
                PartnerView(
                    code=code, trusted=peer is not None,
                    fingerprint=peer.fingerprint if peer is not None else "",
                    unacknowledged=sent, waiting_since=since, received=got, problems=bad,
                )
            )  # fmt: skip
        return Overview(own, tuple(partners), listed)


def _notice(message: dict[str, Any], problem: str) -> dict[str, Any]:
    """What the sender is told of its message not applied here: ids and keys only."""
    return {"message": message["id"], "kind": message["kind"],
            "case_no": message.get("case_no"), "problem": problem}  # fmt: skip


def _problem_view(row: ExchangeInbox) -> ProblemView:
    reported = row.kind == PROBLEM_KIND
    about = ""
    if reported and row.payload:
        try:
            about = str(json.loads(row.payload).get("kind") or "")
        except (ValueError, AttributeError):
            about = ""
    return ProblemView(
        row.from_code, row.kind, row.case_no, row.problem, row.received_at,
        id=row.id, reported=reported, about_kind=about,
    )  # fmt: skip


REPORTED_KEYS = frozenset({
    "case_changed", "already_decided", "unknown_case", "not_senders_file", "bad_payload",
    "seq_reused", "not_supported",
})  # fmt: skip


def problem_text_key(problem: ProblemView) -> str:
    """The i18n key of what happened and what to do: this desk's own problem
    (``exchange.problem.*``), or the sender's side of one the other desk reports
    (``exchange.reported.*``: the problem is listed on both desks, point 6)."""
    if not problem.reported:
        return problem.problem
    name = problem.problem.removeprefix("exchange.problem.")
    return f"exchange.reported.{name if name in REPORTED_KEYS else 'unknown'}"


def _inbox_seen(
    conn: sa.Connection, sender: int, msgs: list[dict[str, Any]]
) -> tuple[set[str], set[int]]:
    """The bundle's message ids already received, and the numbers (and negated numbers)
    of ``sender`` already used: two queries per 500 messages, not two per message."""
    inbox = ExchangeInbox.__table__  # type: ignore[attr-defined]
    known: set[str] = set()
    used: set[int] = set()
    for i in range(0, len(msgs), 500):
        part = msgs[i : i + 500]
        ids = [m["id"] for m in part]
        seqs = [m["seq"] for m in part] + [-m["seq"] for m in part]
        known.update(conn.execute(sa.select(inbox.c.id).where(inbox.c.id.in_(ids))).scalars())
        used.update(
            conn.execute(
                sa.select(inbox.c.seq).where(inbox.c.from_code == sender, inbox.c.seq.in_(seqs))
            ).scalars()
        )
    return known, used


def _write_file(path: Path, data: bytes) -> None:
    """The bundle written whole or not at all (a temporary file renamed), 0600: sealed, but
    still nobody else's business."""
    path = path.absolute()
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise ValidationError(
            "cannot write", key="exchange.cannot_write", path=str(path), reason=exc.strerror
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError(
            "cannot write", key="exchange.cannot_write", path=str(path), reason=exc.strerror
        ) from None


def _made_at(value: Any) -> datetime | None:
    """A bundle's ``created_at`` (ISO 8601, aware); None when missing or not a time."""
    try:
        made = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return made if made.tzinfo is not None else None
