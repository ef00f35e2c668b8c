"""The desk's keys (files 0600, never printed, never overwritten) and migration 0010."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from mss_desk.errors import DeskError
from mss_desk.exchange.keys import ensure_keys, fingerprint, load_keys, parse_public_key


def test_keys_are_made_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        keys, made = ensure_keys(tmp_path / "keys", 19)
    finally:
        os.umask(old)
    assert made
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    files = sorted((tmp_path / "keys").iterdir())
    assert [f.name for f in files] == ["desk-19.age", "desk-19.ed25519"]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert "SECRET" not in repr(keys) and "PRIVATE" not in repr(keys)


def test_keys_are_never_overwritten(tmp_path: Path) -> None:
    first, _ = ensure_keys(tmp_path, 19)
    again, made = ensure_keys(tmp_path, 19)
    assert not made and again.public == first.public
    assert ensure_keys(tmp_path, 0)[0].public != first.public  # another desk, other keys


def test_the_age_key_file_is_what_the_age_tool_reads(tmp_path: Path) -> None:
    """`age -d -i desk-0.age bundle`: the identity file is age-keygen's format."""
    import pyrage
    from pyrage import x25519

    keys, _ = ensure_keys(tmp_path, 0)
    lines = (tmp_path / "desk-0.age").read_text().splitlines()
    assert lines[0] == f"# public key: {keys.public.recipient}"
    identity = x25519.Identity.from_str(lines[1])
    sealed = pyrage.encrypt(b"x", [keys.public.age_recipient()])
    assert pyrage.decrypt(sealed, [identity]) == b"x"


def test_missing_or_damaged_keys_are_named(tmp_path: Path) -> None:
    with pytest.raises(DeskError) as info:
        load_keys(tmp_path, 19)
    assert info.value.key == "exchange.no_keys"
    ensure_keys(tmp_path, 19)
    (tmp_path / "desk-19.ed25519").write_text("garbage")
    with pytest.raises(DeskError) as info:
        load_keys(tmp_path, 19)
    assert info.value.key == "exchange.bad_keys"


def test_public_key_line_round_trips_and_bad_lines_are_refused(tmp_path: Path) -> None:
    keys, _ = ensure_keys(tmp_path, 19)
    text = keys.public.text
    assert parse_public_key(f"  {text}\n") == keys.public
    assert fingerprint(text) == keys.public.fingerprint
    for bad in ("", "age1abc", text.replace("mss1", "mss2"), text[:-4], text + ":x",
                text.split(":")[0] + ":age1zzz:" + text.split(":")[2]):  # fmt: skip
        with pytest.raises(DeskError) as info:
            parse_public_key(bad)
        assert info.value.key == "exchange.bad_key"


def test_a_changed_public_key_has_another_fingerprint(tmp_path: Path) -> None:
    a, _ = ensure_keys(tmp_path, 19)
    b, _ = ensure_keys(tmp_path, 7)
    mixed = f"mss1:{a.public.recipient}:{b.public.text.split(':')[2]}"
    assert fingerprint(mixed) not in (a.public.fingerprint, b.public.fingerprint)
    assert len(a.public.fingerprint) == 19 and a.public.fingerprint.count("-") == 3


def test_trusting_a_key_is_audited_and_a_replacement_too(tmp_path: Path, services: object) -> None:
    from mss_desk.exchange.service import ExchangeService
    from mss_desk.store.models import AuditEvent

    svc = ExchangeService(services, tmp_path)
    other, _ = ensure_keys(tmp_path / "other", 0)
    newer, _ = ensure_keys(tmp_path / "newer", 0)
    svc.trust(0, other.public.text)
    svc.trust(0, other.public.text)  # the same key again: nothing new
    svc.trust(0, newer.public.text)
    engine = services.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        table = AuditEvent.__table__  # type: ignore[attr-defined]
        rows = conn.execute(
            sa.select(table.c.action, table.c.detail)
            .where(table.c.action.like("exchange.%"))
            .order_by(table.c.id)
        ).all()
    assert [r[0] for r in rows] == ["exchange.key_added", "exchange.key_replaced"]
    assert rows[1][1] == newer.public.fingerprint
    with pytest.raises(DeskError):
        svc.trust(19, other.public.text)  # its own code
    with pytest.raises(DeskError):
        svc.trust(42, other.public.text)  # no such desk


def test_migration_0010_adds_the_exchange_tables_and_goes_back(db_url: str) -> None:
    from alembic import command

    from mss_desk.store.engine import make_engine, open_store
    from mss_desk.store.revisions import alembic_config, migrate

    eng = make_engine(db_url)
    migrate(eng, "0009")
    eng.dispose()
    eng = open_store(db_url)
    try:
        names = set(sa.inspect(eng).get_table_names())
        assert {"exchange_outbox", "exchange_inbox", "exchange_peers"} <= names
        command.downgrade(alembic_config(eng), "0009")
        names = set(sa.inspect(eng).get_table_names())
        assert not {"exchange_outbox", "exchange_inbox", "exchange_peers"} & names
        assert "cases" in names
    finally:
        eng.dispose()
