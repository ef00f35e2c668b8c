"""A bundle file: sealed with age to the receiving desk, signed inside with the sender's key.

Layout (docs/exchange.md is the reference for IT staff)::

    age ciphertext (binary, X25519 recipient = the receiving desk)
      └─ envelope, UTF-8 JSON:
         {"format": "mss-desk-bundle", "version": "1.0", "from": 19,
          "signature": "<base64 Ed25519 over SIGN_CONTEXT + body>", "body": "<JSON text>"}
           └─ body, JSON text: {"format", "version", "bundle_id", "from", "to", "created_at",
                                "ack_upto", "messages": [{"id", "seq", "kind", "case_no",
                                "created_at", "payload"}, ...]}

Sign, then encrypt (why, in short): age is anonymous — anyone who knows a desk's public key
can seal a file to it — so who sent a bundle must be proved inside, by a signature over the
plaintext. Signing the plaintext (which names ``to``) binds the signature to the receiving
desk: a desk cannot re-seal a bundle it received to a third desk as if it were meant for
it. Encrypt-then-sign would show who sent the file to whoever finds the stick, and a
signature over ciphertext says nothing about what the sender meant to say. age's own
authentication (ChaCha20-Poly1305 per chunk, a MAC over the header) already refuses a
changed file before the signature is looked at.

Refusals are whole and have their own words (``exchange.*`` DeskErrors): not a bundle, not
for this desk (or changed in its header), changed, signed by an unknown desk, a newer
major version, for another desk.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from mss_desk.errors import ValidationError
from mss_desk.exchange.keys import KeyPair, PublicKey

FORMAT = "mss-desk-bundle"
VERSION = "1.0"  # major.minor: a newer minor adds fields an older desk may ignore
MAJOR = 1
SIGN_CONTEXT = b"mss-desk-bundle/1\n"  # domain separation: this key's signatures mean bundles
AGE_MAGIC = b"age-encryption.org/v1\n"
MAX_BUNDLE = 512 * 1024 * 1024  # far above 1,000 files; a stick's random file is not read whole


def canonical(data: Any) -> str:
    """The body's one spelling: sorted keys, no spaces, letters as they are."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def seal(body: dict[str, Any], keys: KeyPair, sender: int, recipient: PublicKey) -> bytes:
    """The bundle's bytes: the body signed by this desk, sealed to the receiving desk."""
    import pyrage

    body_text = canonical(body)
    signature = keys.sign(SIGN_CONTEXT + body_text.encode("utf-8"))
    envelope = {
        "format": FORMAT,
        "version": VERSION,
        "from": sender,
        "signature": base64.b64encode(signature).decode("ascii"),
        "body": body_text,
    }
    plain = json.dumps(envelope, ensure_ascii=False, indent=1).encode("utf-8")
    return bytes(pyrage.encrypt(plain, [recipient.age_recipient()]))


def _refuse(key: str, **params: Any) -> ValidationError:
    return ValidationError(key, key=key, **params)


def _check_version(version: Any) -> None:
    try:
        major = int(str(version).split(".", 1)[0])
    except ValueError:
        raise _refuse("exchange.not_a_bundle") from None
    if major > MAJOR:
        raise _refuse("exchange.newer_version", version=str(version), ours=VERSION)
    if major < MAJOR:
        raise _refuse("exchange.not_a_bundle")


def open_bundle(
    data: bytes, keys: KeyPair, own_code: int, peer_key: Callable[[int], PublicKey | None]
) -> dict[str, Any]:
    """The body of a bundle meant for this desk and signed by a desk it trusts, else a
    refusal (nothing of the bundle is used)."""
    import pyrage

    if len(data) > MAX_BUNDLE or not data.startswith(AGE_MAGIC):
        raise _refuse("exchange.not_a_bundle")
    try:
        plain = pyrage.decrypt(data, [keys.identity])
    except pyrage.DecryptError as exc:
        # age cannot tell "sealed to another key" from "header changed": one message for both
        if "no matching keys" in str(exc).lower():
            raise _refuse("exchange.not_for_this_desk", code=own_code) from None
        raise _refuse("exchange.changed") from None
    try:
        envelope = json.loads(plain.decode("utf-8"))
        if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
            raise ValueError
        _check_version(envelope.get("version"))
        sender = envelope["from"]
        signature = base64.b64decode(envelope["signature"], validate=True)
        body_text = envelope["body"]
        if type(sender) is not int or not isinstance(body_text, str):
            raise ValueError
    except ValidationError:
        raise
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise _refuse("exchange.not_a_bundle") from None
    public = peer_key(sender)
    if public is None:
        raise _refuse("exchange.unknown_signer", code=sender)
    from cryptography.exceptions import InvalidSignature

    try:
        public.verifier().verify(signature, SIGN_CONTEXT + body_text.encode("utf-8"))
    except InvalidSignature:
        raise _refuse("exchange.changed") from None
    body = json.loads(body_text)
    if not isinstance(body, dict) or body.get("from") != sender:
        raise _refuse("exchange.changed")
    _check_version(body.get("version"))
    if body.get("to") != own_code:
        raise _refuse("exchange.other_desk", to=str(body.get("to")), code=own_code)
    messages = body.get("messages")
    if not isinstance(messages, list) or type(body.get("ack_upto")) is not int:
        raise _refuse("exchange.not_a_bundle")
    if not 0 <= body["ack_upto"] < 2**31:
        raise _refuse("exchange.not_a_bundle")
    for m in messages:
        if not (
            isinstance(m, dict)
            and isinstance(m.get("id"), str)
            and 0 < len(m["id"]) <= 36
            and type(m.get("seq")) is int
            and 0 < m["seq"] < 2**31
            and isinstance(m.get("kind"), str)
            and len(m["kind"]) <= 32
            and (m.get("case_no") is None or (isinstance(m["case_no"], str)
                                               and len(m["case_no"]) <= 16))
            and isinstance(m.get("payload"), dict)
        ):
            raise _refuse("exchange.not_a_bundle")
    return body
