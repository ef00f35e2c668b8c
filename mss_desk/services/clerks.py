"""Clerks: accounts, passwords (a slow KDF), lockout after repeated failures.

Item 11 of issue 15: user names are lowercase ASCII (``admin`` and ``аdmin`` with a Cyrillic
``а`` must not both exist); a password has at least ``MIN_PASSWORD`` characters, does not
contain the user name and is not in the common-password list shipped in ``data/``; the
lockout runs on real elapsed time (``lockout_clock``), not on the desk's business clock,
which ``MSS_DESK_NOW`` may stop (item 12).

Every write (create, password, enable/disable, unlock, the login bookkeeping) runs through
``ServiceBase.write``: one that found the database busy was rolled back whole and is run
again from the start, reading the row afresh — a failed login is counted once, a clerk
created once, one audit event each. The slow KDF is never run under the write lock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlmodel import Session, select

from mss_desk.clock import Clock, SystemClock
from mss_desk.errors import AuthError, NotFound, RuleViolation, ValidationError
from mss_desk.i18n import LANGS
from mss_desk.services import audit
from mss_desk.services.base import ServiceBase, kazakh_sort_key
from mss_desk.services.views import ClerkView
from mss_desk.store.models import Clerk, Department
from mss_desk.text import clean_line
from mss_desk.vocabulary import ROLES

if TYPE_CHECKING:
    from mss_desk.services import Services

MANAGERS = ("head", "admin")  # who manages accounts (create, disable, unlock, reset)

# scrypt (RFC 7914) from hashlib: memory-hard, no extra dependency. N=2**15, r=8 costs
# ~32 MiB and ~0.1 s per check: slow for a guesser, fine for a login. The parameters are
# stored in each hash, so raising them later keeps old hashes valid.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 10  # issue 15, item 11
MAX_PASSWORD = 256  # the KDF reads all of it: a megabyte "password" is not one
COMMON_PASSWORDS = "common-passwords.txt"  # in the reference data folder (data/)
# lowercase ASCII letters, digits, '.', '_', '-'; first a letter or digit (never an option)
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    n, r, p = SCRYPT_N, SCRYPT_R, SCRYPT_P
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=256 * n * r + 2**20
    )
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n_s, r_s, p_s, salt_s, digest_s = stored.split("$")
        if kind != "scrypt":
            return False
        n, r, p = int(n_s), int(r_s), int(p_s)
        salt, digest = base64.b64decode(salt_s), base64.b64decode(digest_s)
    except ValueError:
        return False
    got = hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, dklen=len(digest), maxmem=256 * n * r + 2**20
    )
    return hmac.compare_digest(got, digest)


_DUMMY_HASH: str | None = None


def _burn_time(password: str) -> None:
    """Same work for an unknown user as for a wrong password (no user enumeration by time)."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None or f"${SCRYPT_N}$" not in _DUMMY_HASH:
        _DUMMY_HASH = hash_password("not a password")
    verify_password(password, _DUMMY_HASH)


def _view(c: Clerk) -> ClerkView:
    assert c.id is not None
    return ClerkView(
        id=c.id,
        department_code=c.department_code,
        username=c.username,
        surname=c.surname,
        name=c.name,
        role=c.role,
        active=c.active,
        locked_until=c.locked_until,
        language=c.language,
    )


def _username(text: str) -> str:
    """The stored form of a user name: lowercase. A login looks names up in this form (an
    account made before the ASCII rule keeps logging in); :func:`_new_username` checks."""
    return clean_line(text).lower()


def _new_username(text: str) -> str:
    """A user name for a new account: lowercase ASCII letters, digits, ``.``, ``_``, ``-``.

    Checked on the text as typed (``isascii`` before lowering: ``str.lower`` maps the
    Kelvin sign K to an ASCII k), so a look-alike from another script never gets in.
    """
    user = text.strip()
    if not user.isascii() or not _USERNAME.fullmatch(user.lower()):
        raise ValidationError("bad user name", key="clerks.bad_username")
    return user.lower()


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lowercase), read once, when first needed."""
    from mss_desk.locations import reference_data_dir

    path = reference_data_dir() / COMMON_PASSWORDS
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def check_password(password: str, username: str = "") -> None:
    """Item 11: at least ``MIN_PASSWORD`` characters, without the user name, not a common one.

    Raises :class:`ValidationError` with the reason's key. Compared lowercase: ``Qwerty12345``
    is as guessable as ``qwerty12345``.
    """
    if len(password) < MIN_PASSWORD:
        raise ValidationError("short", key="clerks.password_short", min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise ValidationError("long", key="clerks.password_long", max=MAX_PASSWORD)
    lowered = password.lower()
    user = username.lower()
    # contained, forwards or backwards; a name of one or two letters only when it is all
    if user and (
        lowered in (user, user[::-1])
        or (len(user) >= 3 and (user in lowered or user[::-1] in lowered))
    ):
        raise ValidationError("user name", key="clerks.password_username")
    if lowered in common_passwords() or lowered.strip() in common_passwords():
        raise ValidationError("common", key="clerks.password_common")


class ClerkService(ServiceBase):
    def __init__(self, hub: Services, lockout_clock: Clock | None = None) -> None:
        super().__init__(hub)
        # item 12 (issue 15): the lockout runs on real elapsed time. The business clock
        # (``self.clock``) may be a FixedClock (``MSS_DESK_NOW``, training): on it a
        # 15-minute lockout would never end. Tests inject their own clock here.
        self.lockout_clock: Clock = lockout_clock or SystemClock()

    def has_any(self, *, anywhere: bool = False) -> bool:
        """This desk's Department has an account (else first-run setup makes its head);
        ``anywhere``: the database has any account at all (``demo`` fills only a new one).
        A desk whose Department is not set up yet has none."""
        stmt = select(Clerk.id)
        if not anywhere:
            try:
                stmt = stmt.where(self.in_department(Clerk.department_code))
            except NotFound:
                return False
        with self.read_session() as session:
            return session.exec(stmt.limit(1)).first() is not None

    def create(
        self,
        department_code: int,
        username: str,
        surname: str,
        name: str,
        password: str,
        role: str = "clerk",
        actor: int | None = None,
    ) -> ClerkView:
        user = _new_username(username)
        surname, name = clean_line(surname), clean_line(name)  # user text is data
        if not surname or not name:
            raise ValidationError("name required", key="clerks.name_required")
        if role not in ROLES:
            raise ValidationError(f"bad role {role!r}", key="clerks.bad_role", role=role)
        check_password(password, user)
        hashed = hash_password(password)
        now = self.now()

        def _create(session: Session) -> ClerkView:
            if session.get(Department, department_code) is None:
                raise NotFound("department", key="setup.unknown_department", code=department_code)
            if not self.owns(department_code):  # issue 15, item 2: this desk's accounts only
                raise NotFound("department", key="setup.unknown_department", code=department_code)
            self._check_manager(session, actor, department_code, role)
            if session.exec(select(Clerk.id).where(Clerk.username == user)).first():
                raise ValidationError("taken", key="clerks.username_taken", username=user)
            clerk = Clerk(
                department_code=department_code,
                username=user,
                surname=surname,
                name=name,
                role=role,
                password_hash=hashed,
                created_at=now,
            )
            session.add(clerk)
            try:
                session.flush()
            except sa.exc.IntegrityError as exc:  # another desk created it since the check
                raise ValidationError("taken", key="clerks.username_taken", username=user) from exc
            audit.record(session, now, actor, "clerk.create", "clerk", clerk.id, role)
            return _view(clerk)

        return self.write(_create)  # the hash was made once, before any attempt

    def authenticate(self, username: str, password: str) -> ClerkView:
        """The clerk, or ``AuthError``: wrong name/password (one message), locked, disabled.

        After ``MAX_FAILURES`` wrong passwords in a row the account is locked for
        ``LOCKOUT`` of real time (``lockout_clock``, item 12: whatever the desk's date); a
        success resets the count. The audit trail keeps the business clock's time.

        The stored hash is read first without the write lock and checked (the slow KDF)
        outside any write; the bookkeeping is then one write, retried whole when busy.
        Each attempt reads the clerk afresh, so a failed login is counted once.
        """
        user = _username(username)
        now = self.now()
        real = self.lockout_clock.now()  # item 12: the lockout's own, real clock
        table = Clerk.__table__  # type: ignore[attr-defined]
        # Issue 15, item 2: only this desk's Department's accounts sign in here. Another
        # Department's account is looked up as no account at all: the same words, the same
        # work (``_burn_time``), no count, no lock — whether it exists elsewhere never shows.
        mine = self.in_department(table.c.department_code)
        rows = self.read(
            sa.select(table.c.password_hash, table.c.locked_until).where(
                table.c.username == user, mine
            )
        )
        if not rows:
            _burn_time(password)
            raise AuthError("wrong user or password", key="error.auth")
        stored, locked_until = rows[0]
        if locked_until is not None and real < locked_until:
            raise AuthError("locked", key="clerks.locked", until=locked_until)
        # verify_password is pure: its answer per stored hash is kept across attempts; a
        # hash changed meanwhile (a reset between the read and the write) is checked again
        verdicts = {stored: verify_password(password, stored)}

        def _login(session: Session) -> ClerkView | AuthError:
            clerk = session.exec(
                select(Clerk).where(Clerk.username == user, mine)
            ).first()
            if clerk is None:
                return AuthError("wrong user or password", key="error.auth")
            if clerk.locked_until is not None and real < clerk.locked_until:
                return AuthError("locked", key="clerks.locked", until=clerk.locked_until)
            if clerk.password_hash not in verdicts:
                verdicts[clerk.password_hash] = verify_password(password, clerk.password_hash)
            if not verdicts[clerk.password_hash]:
                clerk.failed_attempts += 1  # the count as read in this attempt
                if clerk.failed_attempts >= MAX_FAILURES:
                    clerk.locked_until = real + LOCKOUT
                    clerk.failed_attempts = 0
                    audit.record(session, now, clerk.id, "clerk.locked", "clerk", clerk.id)
                    return AuthError("locked", key="clerks.locked", until=clerk.locked_until)
                audit.record(session, now, clerk.id, "clerk.login_failed", "clerk", clerk.id)
                return AuthError("wrong user or password", key="error.auth")
            if not clerk.active:
                return AuthError("disabled", key="clerks.disabled")
            clerk.failed_attempts = 0
            clerk.locked_until = None
            audit.record(session, now, clerk.id, "clerk.login", "clerk", clerk.id)
            return _view(clerk)

        result = self.write(_login)
        if isinstance(result, AuthError):
            raise result  # after the commit: the failure count is kept
        return result

    def get(self, clerk_id: int) -> ClerkView:
        with self.read_session() as session:
            return _view(self._get(session, clerk_id))

    def list(self, department_code: int | None = None) -> list[ClerkView]:
        """This desk's Department's clerks (``department_code``, if given, must be it: the
        accounts of another Department are not listed here)."""
        with self.read_session() as session:
            stmt = select(Clerk).where(self.in_department(Clerk.department_code))
            if department_code is not None:
                stmt = stmt.where(Clerk.department_code == department_code)
            views = [_view(c) for c in session.exec(stmt)]
        return sorted(
            views, key=lambda v: (kazakh_sort_key(v.surname), kazakh_sort_key(v.name), v.id)
        )

    def set_password(self, clerk_id: int, password: str, actor: int | None = None) -> None:
        """A clerk's own new password, or a reset by a head/admin (item 11; audited)."""
        with self.read_session() as session:
            username = self._get(session, clerk_id).username
        check_password(password, username)
        hashed = hash_password(password)  # once, before any attempt (the slow KDF)
        now = self.now()

        def _set_password(session: Session) -> None:
            clerk = self._get(session, clerk_id)
            if clerk.username != username:  # renamed meanwhile: check against the new name
                check_password(password, clerk.username)
            self.require_active_clerk(actor, session)  # a disabled clerk changes nothing
            if actor != clerk_id:
                self._check_manager(session, actor, clerk.department_code, clerk.role)
            clerk.password_hash = hashed
            clerk.failed_attempts = 0
            clerk.locked_until = None
            audit.record(session, now, actor, "clerk.password", "clerk", clerk_id)

        self.write(_set_password)

    def set_language(self, clerk_id: int, language: str) -> ClerkView:
        """Remember the language the clerk chose (F12) for their next login (issue 12.12).

        A preference, not an act on the files: not audited. Unchanged: nothing written.
        """
        if language not in LANGS:
            raise ValidationError(
                f"bad language {language!r}", key="clerks.bad_language", language=language
            )

        def _set_language(session: Session) -> ClerkView:
            clerk = self._get(session, clerk_id)
            if clerk.language != language:
                clerk.language = language
                session.add(clerk)
            return _view(clerk)

        return self.write(_set_language)

    def set_active(self, clerk_id: int, active: bool, actor: int | None = None) -> ClerkView:
        now = self.now()

        def _set_active(session: Session) -> ClerkView:
            clerk = self._get(session, clerk_id)
            self._check_manager(session, actor, clerk.department_code, clerk.role)
            clerk.active = active
            action = "clerk.enable" if active else "clerk.disable"
            audit.record(session, now, actor, action, "clerk", clerk_id)
            return _view(clerk)

        return self.write(_set_active)

    def unlock(self, clerk_id: int, actor: int | None = None) -> ClerkView:
        now = self.now()

        def _unlock(session: Session) -> ClerkView:
            clerk = self._get(session, clerk_id)
            self._check_manager(session, actor, clerk.department_code, clerk.role)
            clerk.locked_until = None
            clerk.failed_attempts = 0
            audit.record(session, now, actor, "clerk.unlock", "clerk", clerk_id)
            return _view(clerk)

        return self.write(_unlock)

    @staticmethod
    def _check_manager(
        session: Session, actor: int | None, department_code: int, role: str
    ) -> None:
        """Item 18.5: only an active head of that Department (or an administrator) manages
        accounts; an administrator's account (``role``) only an administrator — a head who
        could reset an admin's password could sign in as one. ``actor=None`` is the
        machine's owner: first-run setup and the CLI."""
        if actor is None:
            return
        who = session.get(Clerk, actor)
        if (
            who is None
            or not who.active
            or who.role not in MANAGERS
            or (who.role == "head" and who.department_code != department_code)
        ):
            raise RuleViolation("accounts: head or admin only", key="safety.accounts_head_only")
        if role == "admin" and who.role != "admin":
            raise RuleViolation("accounts: admin only", key="clerks.admin_only")

    def _get(self, session: Session, clerk_id: int) -> Clerk:
        clerk = session.get(Clerk, clerk_id)
        if clerk is None or not self.owns(clerk.department_code):
            raise NotFound("clerk", key="clerks.not_found")
        return clerk
