"""The desk's key pair: an age X25519 identity to open bundles, an Ed25519 key to sign them.

Both private keys live in files (0600, in a 0700 folder of the desk's data dir), never in
the database (a backup of the database copied to a stick would carry them), never printed,
never logged. The public half is one line, ``mss1:<age recipient>:<ed25519 base64url>``,
given to the other desk by hand (``exchange key show``) and trusted there with
``exchange key add``. Its fingerprint is short enough to read out over the phone, so the
two desks can check that the line was not changed on its way.

No cryptography is written here: age (pyrage) and ``cryptography``'s Ed25519 do the work.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mss_desk.errors import ValidationError

PUBLIC_PREFIX = "mss1"
AGE_FILE = "desk-{code}.age"  # the age identity, as `age-keygen` writes it (AGE-SECRET-KEY-1…)
SIGN_FILE = "desk-{code}.ed25519"  # PKCS#8 PEM, unencrypted (the folder is the owner's only)


@dataclass(frozen=True)
class PublicKey:
    """Another desk's (or this desk's) public half: where to seal to, whose signature."""

    recipient: str  # age1…
    verify_raw: bytes  # 32 bytes of Ed25519 public key

    @property
    def text(self) -> str:
        b64 = base64.urlsafe_b64encode(self.verify_raw).decode("ascii").rstrip("=")
        return f"{PUBLIC_PREFIX}:{self.recipient}:{b64}"

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.text)

    def verifier(self) -> Any:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        return Ed25519PublicKey.from_public_bytes(self.verify_raw)

    def age_recipient(self) -> Any:
        from pyrage import x25519

        return x25519.Recipient.from_str(self.recipient)


def fingerprint(public_text: str) -> str:
    """SHA-256 of the public line, 80 bits in base32, four groups of four: ``ABCD-EFGH-…``.

    Base32 has no 0/O or 1/I pairs to confuse on the phone; 80 bits are far beyond what an
    attacker could match by trying keys.
    """
    digest = hashlib.sha256(public_text.encode("ascii")).digest()[:10]
    letters = base64.b32encode(digest).decode("ascii")
    return "-".join(letters[i : i + 4] for i in range(0, 16, 4))


def parse_public_key(text: str) -> PublicKey:
    """The line another desk read out; anything else is refused (``exchange.bad_key``)."""
    parts = text.strip().split(":")
    if len(parts) != 3 or parts[0] != PUBLIC_PREFIX:
        raise ValidationError("bad public key", key="exchange.bad_key")
    _, recipient, b64 = parts
    try:
        from pyrage import x25519

        x25519.Recipient.from_str(recipient)
        raw = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
    except Exception:  # noqa: BLE001 - any malformed half is the same refusal
        raise ValidationError("bad public key", key="exchange.bad_key") from None
    if len(raw) != 32:
        raise ValidationError("bad public key", key="exchange.bad_key")
    return PublicKey(recipient=recipient, verify_raw=raw)


@dataclass(frozen=True)
class KeyPair:
    """This desk's private keys (loaded from their files) and its public half."""

    identity: Any  # pyrage.x25519.Identity
    signing: Any  # Ed25519PrivateKey

    @property
    def public(self) -> PublicKey:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        raw = self.signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return PublicKey(recipient=str(self.identity.to_public()), verify_raw=raw)

    def sign(self, data: bytes) -> bytes:
        return bytes(self.signing.sign(data))

    def __repr__(self) -> str:  # never a private key in a log or a traceback
        return f"KeyPair(public={self.public.fingerprint})"


def key_paths(folder: Path, code: int) -> tuple[Path, Path]:
    return folder / AGE_FILE.format(code=code), folder / SIGN_FILE.format(code=code)


def _write_private(path: Path, data: bytes) -> None:
    """A new file made 0600 at creation (never world-readable, not even for a moment);
    an existing key is never overwritten (O_EXCL): a desk's key changes only by hand."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_keys(folder: Path, code: int) -> tuple[KeyPair, bool]:
    """This desk's keys, made the first time (``init``; ``exchange key make`` for older
    desks). Returns (keys, made now)."""
    from mss_desk.locations import ensure_private_dir

    age_path, sign_path = key_paths(folder, code)
    if age_path.exists() or sign_path.exists():
        return load_keys(folder, code), False
    ensure_private_dir(folder)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )
    from pyrage import x25519

    identity = x25519.Identity.generate()
    signing = Ed25519PrivateKey.generate()
    pem = signing.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    public = str(identity.to_public())
    _write_private(age_path, f"# public key: {public}\n{identity}\n".encode("ascii"))
    _write_private(sign_path, pem)
    return load_keys(folder, code), True


def load_keys(folder: Path, code: int) -> KeyPair:
    """The desk's keys from their files; missing or unreadable: ``exchange.no_keys``."""
    age_path, sign_path = key_paths(folder, code)
    try:
        age_lines = age_path.read_text(encoding="ascii").splitlines()
        pem = sign_path.read_bytes()
    except (OSError, UnicodeDecodeError):
        raise ValidationError(
            "no desk keys", key="exchange.no_keys", folder=str(folder)
        ) from None
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import load_pem_private_key
        from pyrage import x25519

        secret = next(line for line in age_lines if line.startswith("AGE-SECRET-KEY-"))
        identity = x25519.Identity.from_str(secret.strip())
        signing = load_pem_private_key(pem, password=None)
        if not isinstance(signing, Ed25519PrivateKey):
            raise TypeError("not an Ed25519 key")
    except Exception:  # noqa: BLE001 - never the library's text (it could quote the key)
        raise ValidationError(
            "damaged desk keys", key="exchange.bad_keys", folder=str(folder)
        ) from None
    return KeyPair(identity=identity, signing=signing)
