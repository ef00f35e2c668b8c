"""Safety checks: network filesystems refused, damaged files never written, pragmas read back,
storage failures turned into "not saved"."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from mss_desk.clock import FixedClock
from mss_desk.errors import StorageError
from mss_desk.i18n import LANGS, t
from mss_desk.store import backups as bk
from mss_desk.store import recovery, safety, sqlite_file
from mss_desk.store.engine import make_engine, open_store

from .helpers import T0, add_cases, damage_header, damage_pages, db_path

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
23 22 0:21 / /proc rw,nosuid shared:12 - proc proc rw
40 22 0:35 / /srv/office rw,relatime shared:20 - nfs4 fs1:/export/office rw,vers=4.2
41 40 8:2 / /srv/office/local rw,relatime shared:21 - xfs /dev/sdb1 rw
42 22 0:40 / /mnt/share rw - cifs //fs2/share rw,vers=3.0
43 22 0:41 / /home/clerk/remote rw,nosuid master:3 - fuse.sshfs clerk@fs3:/data rw
44 22 0:42 / /mnt/with\\040space rw - 9p host0 rw
45 22 0:43 / /mnt/ceph rw - ceph 10.0.0.1:/ rw
46 22 0:44 / /mnt/gluster rw - fuse.glusterfs fs4:/vol rw
47 22 0:45 / /tmp rw - tmpfs tmpfs rw
48 22 0:46 / /mnt/over rw - nfs fs5:/x rw
49 22 8:3 / /mnt/over rw - ext4 /dev/sdc1 rw
50 22 0:47 / /media/usb rw - fuse.ntfs-3g /dev/sdd1 rw
"""


# --- network filesystems --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fstype"),
    [
        ("/srv/office/desk.sqlite3", "nfs4"),
        ("/srv/office/sub/dir/desk.sqlite3", "nfs4"),
        ("/srv/office/local/desk.sqlite3", None),  # a local disk mounted inside the NFS tree
        ("/srv/officer/desk.sqlite3", None),  # a prefix of the name is not the mount
        ("/mnt/share/desk.sqlite3", "cifs"),
        ("/home/clerk/remote/desk.sqlite3", "fuse.sshfs"),
        ("/mnt/with space/desk.sqlite3", "9p"),
        ("/mnt/ceph/desk.sqlite3", "ceph"),
        ("/mnt/gluster/desk.sqlite3", "fuse.glusterfs"),
        ("/mnt/over/desk.sqlite3", None),  # the later (local) mount hides the NFS one
        ("/media/usb/desk.sqlite3", None),  # FUSE but local
        ("/var/lib/mss-desk/desk.sqlite3", None),
    ],
)
def test_network_filesystems_are_recognised_from_mountinfo(path: str, fstype: str | None) -> None:
    assert safety.network_fstype(Path(path), MOUNTINFO) == fstype


def test_parse_mountinfo_decodes_escapes_and_skips_junk() -> None:
    mounts = safety.parse_mountinfo(MOUNTINFO + "garbage line\n\n")
    assert safety.Mount("/mnt/with space", "9p", "host0") in mounts
    assert len(mounts) == 13


@pytest.mark.parametrize(
    "fstype",
    [
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "fuse.sshfs",
        "sshfs",
        "9p",
        "ceph",
        "glusterfs",
        "fuse.rclone",
        "NFS4",
    ],
)
def test_network_fstypes(fstype: str) -> None:
    assert safety.is_network_fstype(fstype)


@pytest.mark.parametrize(
    "fstype", ["ext4", "xfs", "btrfs", "zfs", "tmpfs", "overlay", "fuse.ntfs-3g", "f2fs", "apfs"]
)
def test_local_fstypes(fstype: str) -> None:
    assert not safety.is_network_fstype(fstype)


def test_a_database_on_nfs_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    url = "sqlite:////srv/office/desk.sqlite3"
    with pytest.raises(StorageError) as err:
        safety.preflight(url, mountinfo=MOUNTINFO)
    assert err.value.key == "safety.network_fs"
    assert err.value.params == {"path": "/srv/office/desk.sqlite3", "fstype": "nfs4"}
    for lang in LANGS:
        text = t(err.value.key, lang, **err.value.params)
        assert "nfs4" in text and "/srv/office/desk.sqlite3" in text and "SSH" in text


def test_open_store_refuses_a_network_filesystem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "mountinfo"
    fake.write_text(
        f"22 1 8:1 / / rw - ext4 /dev/sda1 rw\n30 22 0:9 / {tmp_path} rw - nfs4 s:/x rw\n"
    )
    monkeypatch.setattr(safety, "MOUNTINFO", fake)
    with pytest.raises(StorageError) as err:
        open_store(f"sqlite:///{tmp_path / 'desk.sqlite3'}")
    assert err.value.key == "safety.network_fs"
    assert not (tmp_path / "desk.sqlite3").exists()  # refused before anything was created


def test_a_missing_mount_table_is_not_a_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safety, "MOUNTINFO", tmp_path / "no-such-file")
    assert safety.network_fstype(tmp_path / "desk.sqlite3") is None


def test_this_machines_temp_dir_is_local(tmp_path: Path) -> None:
    safety.refuse_network_fs(tmp_path / "desk.sqlite3")  # the real /proc/self/mountinfo


def test_postgresql_and_memory_urls_skip_the_file_checks() -> None:
    safety.preflight("postgresql+psycopg://u@h/db", mountinfo=MOUNTINFO)
    safety.preflight("sqlite://", mountinfo=MOUNTINFO)
    safety.preflight("sqlite:///:memory:", mountinfo=MOUNTINFO)


# --- quick_check at start -------------------------------------------------------------------


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_damaged_database_is_not_opened_and_not_written(sqlite_url: str) -> None:
    eng = open_store(sqlite_url)
    add_cases(eng, [1, 2])
    eng.dispose()
    live = db_path(sqlite_url)
    damage_pages(live)
    before = _sha(live)
    with pytest.raises(StorageError) as err:
        open_store(sqlite_url)
    assert err.value.key == "safety.damaged_no_backup"
    assert err.value.params["problems"]
    assert _sha(live) == before  # never written to


def test_a_damaged_database_offers_the_last_good_backup(sqlite_url: str) -> None:
    eng = open_store(sqlite_url)
    add_cases(eng, [1, 2])
    clock = FixedClock(T0)
    older = bk.backup(sqlite_url, clock=clock, kind="auto")
    clock.advance(days=1)
    newer = bk.backup(sqlite_url, clock=clock, kind="manual")
    eng.dispose()
    damage_pages(newer)
    damage_header(db_path(sqlite_url))
    with pytest.raises(StorageError) as err:
        open_store(sqlite_url)
    assert err.value.key == "safety.damaged"
    assert err.value.params["backup"] == str(older)  # the newest *good* one
    for lang in LANGS:
        assert older.name in t(err.value.key, lang, **err.value.params)
    # the offer taken: restore, then the desk opens again with the backup's cases
    result = recovery.restore_last_good(sqlite_url, clock=clock)
    assert result.restored_from == older
    eng = open_store(sqlite_url)
    try:
        with eng.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM cases").scalar() == 2
    finally:
        eng.dispose()


def test_restore_last_good_without_any_backup(sqlite_url: str) -> None:
    open_store(sqlite_url).dispose()
    with pytest.raises(StorageError) as err:
        recovery.restore_last_good(sqlite_url)
    assert err.value.key == "safety.damaged_no_backup"


def test_a_sound_database_passes_preflight(sqlite_url: str) -> None:
    open_store(sqlite_url).dispose()
    safety.preflight(sqlite_url)
    assert sqlite_file.is_sound(db_path(sqlite_url), quick=False)


def test_an_empty_new_file_passes_preflight(tmp_path: Path) -> None:
    (tmp_path / "new.sqlite3").write_bytes(b"")
    safety.preflight(f"sqlite:///{tmp_path / 'new.sqlite3'}")


# --- pragmas read back ----------------------------------------------------------------------


def test_the_desk_engine_passes_the_pragma_check(sqlite_url: str) -> None:
    eng = make_engine(sqlite_url)
    try:
        safety.verify_pragmas(eng)
    finally:
        eng.dispose()


def test_an_engine_without_the_pragmas_is_refused(tmp_path: Path) -> None:
    eng = sa.create_engine(f"sqlite:///{tmp_path / 'plain.sqlite3'}")
    try:
        with pytest.raises(StorageError) as err:
            safety.verify_pragmas(eng)
        assert err.value.key == "safety.pragma"
        assert err.value.params["pragma"] == "journal_mode"
    finally:
        eng.dispose()


def test_a_synchronous_setting_that_did_not_take_is_refused(tmp_path: Path) -> None:
    eng = sa.create_engine(f"sqlite:///{tmp_path / 'plain.sqlite3'}")

    @sa.event.listens_for(eng, "connect")
    def _almost(dbapi_conn, _rec) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.execute("PRAGMA journal_mode=WAL")
        dbapi_conn.execute("PRAGMA foreign_keys=ON")
        dbapi_conn.execute("PRAGMA synchronous=NORMAL")

    try:
        with pytest.raises(StorageError) as err:
            safety.verify_pragmas(eng)
        assert (err.value.params["pragma"], err.value.params["value"]) == ("synchronous", "1")
    finally:
        eng.dispose()


# --- failed writes become "not saved" -------------------------------------------------------


def _dbapi(message: str, code: int | None = None) -> sa.exc.OperationalError:
    orig = sqlite3.OperationalError(message)
    if code is not None:
        orig.sqlite_errorcode = code  # type: ignore[attr-defined]
    return sa.exc.OperationalError("INSERT ...", {}, orig)


@pytest.mark.parametrize(
    ("message", "code", "key"),
    [
        ("database or disk is full", 13, "safety.disk_full"),
        ("database or disk is full", None, "safety.disk_full"),
        ("disk I/O error", 10 | (3 << 8), "safety.io_error"),  # SQLITE_IOERR_WRITE
        ("database is locked", 5, "safety.busy"),
        ("database table is locked", 6, "safety.busy"),
        ("database disk image is malformed", 11, "safety.damaged_write"),
        ("attempt to write a readonly database", 8, "safety.readonly"),
        ("unable to open database file", 14, "safety.io_error"),
    ],
)
def test_sqlite_failures_become_not_saved(message: str, code: int | None, key: str) -> None:
    err = safety.storage_error(_dbapi(message, code))
    assert err is not None and err.key == key
    assert message not in str(err) or "INSERT" not in str(err)  # no SQL in the message
    for lang in LANGS:
        assert t(key, lang) != key


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "key"),
    [
        ("53100", "safety.disk_full"),
        ("40001", "safety.busy"),
        ("40P01", "safety.busy"),
        ("08006", "safety.io_error"),
        ("58030", "safety.io_error"),
        ("23505", None),
    ],
)
def test_postgresql_failures_become_not_saved(sqlstate: str, key: str | None) -> None:
    err = safety.storage_error(sa.exc.OperationalError("x", {}, _PgError(sqlstate)))
    assert (err.key if err else None) == key


def test_a_constraint_violation_is_not_a_storage_error() -> None:
    exc = sa.exc.IntegrityError("x", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert safety.storage_error(exc) is None


def test_run_write_retries_a_busy_write_then_succeeds(sqlite_url: str) -> None:
    eng = open_store(sqlite_url)
    calls = []

    def action(session):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) < 3:
            raise _dbapi("database is locked", 5)
        session.exec(sa.text("INSERT INTO settings (key, value) VALUES ('k', 'v')"))
        return "done"

    try:
        assert safety.run_write(eng, action) == "done"
        assert len(calls) == 3
        with eng.connect() as c:
            assert c.exec_driver_sql("SELECT value FROM settings WHERE key='k'").scalar() == "v"
    finally:
        eng.dispose()


def test_run_write_gives_up_after_the_attempts_and_leaves_nothing(sqlite_url: str) -> None:
    eng = open_store(sqlite_url)
    calls = []

    def action(session):  # type: ignore[no-untyped-def]
        calls.append(1)
        session.exec(sa.text("INSERT INTO settings (key, value) VALUES ('k', 'v')"))
        raise _dbapi("database is locked", 5)

    try:
        with pytest.raises(StorageError) as err:
            safety.run_write(eng, action, attempts=2)
        assert err.value.key == "safety.busy" and len(calls) == 2
        with eng.connect() as c:
            assert c.exec_driver_sql("SELECT count(*) FROM settings").scalar() == 0
    finally:
        eng.dispose()


def test_write_session_does_not_retry_and_passes_other_errors_through(sqlite_url: str) -> None:
    eng = open_store(sqlite_url)
    try:
        with pytest.raises(StorageError) as err:
            with safety.write_session(eng):
                raise _dbapi("database or disk is full", 13)
        assert err.value.key == "safety.disk_full"
        with pytest.raises(ValueError):
            with safety.write_session(eng):
                raise ValueError("a bug, not a storage failure")
    finally:
        eng.dispose()


def test_a_real_lock_held_past_the_busy_timeout_is_retried_then_not_saved(sqlite_url: str) -> None:
    """Another process holds the write lock; the busy timeout (shortened here) runs out."""
    eng = open_store(sqlite_url)
    eng.dispose()
    short = sa.create_engine(sqlite_url, connect_args={"timeout": 0.05, "isolation_level": None})

    @sa.event.listens_for(short, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    holder = sqlite3.connect(db_path(sqlite_url), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    calls = []

    def action(session):  # type: ignore[no-untyped-def]
        calls.append(1)
        session.exec(sa.text("INSERT INTO settings (key, value) VALUES ('k', 'v')"))

    try:
        with pytest.raises(StorageError) as err:
            safety.run_write(short, action, attempts=3)
        assert err.value.key == "safety.busy"
        assert len(calls) <= 3
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        short.dispose()
