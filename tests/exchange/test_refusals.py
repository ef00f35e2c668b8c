"""A bundle that was changed, sealed for another desk, addressed to another desk, signed by
a desk nobody trusts, or written by a newer major version is refused whole: nothing of it
is applied, the clerk reads why (kk/ru/en)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mss_desk.errors import DeskError
from tests.conftest import DEPT
from tests.exchange.conftest import OTHER, Desk, forwarded, introduce


def _refused(desk: Desk, path: Path, key: str) -> DeskError:
    with pytest.raises(DeskError) as info:
        desk.exchange.import_bundle(path)
    assert info.value.key == key
    # refused whole: nothing received, no file, no acknowledgement
    assert desk.exchange.counts().received == 0
    return info.value


def _export(desk: Desk, to: int, path: Path) -> Path:
    desk.exchange.export(to, path)
    return path


def _reseal(
    path: Path, opener: Desk, recipient: Desk, change: Callable[[dict[str, Any]], None]
) -> None:
    """Open a bundle with ``opener``'s key, change its body, seal it again to ``recipient``
    (anyone can seal to a public key): the signature no longer fits."""
    import pyrage

    envelope = json.loads(pyrage.decrypt(path.read_bytes(), [opener.exchange.keys().identity]))
    body = json.loads(envelope["body"])
    change(body)
    envelope["body"] = json.dumps(body)
    sealed = pyrage.encrypt(
        json.dumps(envelope).encode(), [recipient.exchange.keys().public.age_recipient()]
    )
    path.write_bytes(sealed)


def test_a_byte_changed_in_the_file_is_refused_whole(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    forwarded(dept, 2)
    path = _export(dept, 0, tmp_path / "b.mssx")
    data = bytearray(path.read_bytes())
    data[-40] ^= 0x01  # inside the sealed payload
    path.write_bytes(bytes(data))
    _refused(region, path, "exchange.changed")
    assert region.region.cases() == []


def test_a_changed_body_sealed_again_fails_the_signature(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    [a] = forwarded(dept)
    path = _export(dept, 0, tmp_path / "b.mssx")

    def wwii(body: dict[str, Any]) -> None:  # someone moves the file up the waiting list
        body["messages"][0]["payload"]["case"]["wwii"] = True

    _reseal(path, region, region, wwii)
    _refused(region, path, "exchange.changed")
    assert region.region.cases() == []


def test_a_bundle_sealed_for_another_desk_is_refused(
    desk_factory: Callable[..., Desk], dept: Desk, region: Desk, tmp_path: Path
) -> None:
    other = desk_factory(OTHER)
    introduce(other, region)
    introduce(dept, other)
    forwarded(dept)
    path = _export(dept, OTHER, tmp_path / "for-7.mssx")  # sealed to desk 7
    err = _refused(region, path, "exchange.not_for_this_desk")
    assert err.params == {"code": 0}


def test_a_bundle_addressed_to_another_desk_inside_is_refused(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    """Sealed to this desk's key, signed, but the signed body names desk 7 (a desk that
    re-seals what it received to a third desk)."""
    from mss_desk.exchange import bundle

    forwarded(dept)
    body = {
        "format": bundle.FORMAT, "version": bundle.VERSION, "bundle_id": "x", "from": DEPT,
        "to": OTHER, "created_at": "2026-03-02T05:00:00+00:00", "ack_upto": 0, "messages": [],
    }  # fmt: skip
    data = bundle.seal(body, dept.exchange.keys(), DEPT, region.exchange.keys().public)
    path = tmp_path / "b.mssx"
    path.write_bytes(data)
    err = _refused(region, path, "exchange.other_desk")
    assert err.params["to"] == str(OTHER)


def test_a_bundle_signed_by_an_unknown_desk_is_refused(
    desk_factory: Callable[..., Desk], region: Desk, tmp_path: Path
) -> None:
    stranger = desk_factory(OTHER)
    # the stranger knows the region's public key (it is no secret); the region never
    # trusted the stranger's
    stranger.exchange.trust(0, region.exchange.keys().public.text)
    forwarded(stranger)
    path = _export(stranger, 0, tmp_path / "b.mssx")
    err = _refused(region, path, "exchange.unknown_signer")
    assert err.params["code"] == OTHER


def test_a_desk_signing_as_another_desk_is_refused(
    desk_factory: Callable[..., Desk], dept: Desk, region: Desk, tmp_path: Path
) -> None:
    """Desk 7 is trusted, but a bundle it signs claiming to come from 19 does not verify."""
    from mss_desk.exchange import bundle

    other = desk_factory(OTHER)
    introduce(other, region)
    body = {
        "format": bundle.FORMAT, "version": bundle.VERSION, "bundle_id": "x", "from": DEPT,
        "to": 0, "created_at": "2026-03-02T05:00:00+00:00", "ack_upto": 0, "messages": [],
    }  # fmt: skip
    data = bundle.seal(body, other.exchange.keys(), DEPT, region.exchange.keys().public)
    path = tmp_path / "b.mssx"
    path.write_bytes(data)
    _refused(region, path, "exchange.changed")


def test_a_newer_major_version_is_refused_with_both_versions_named(
    dept: Desk, region: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mss_desk.exchange import bundle
    from mss_desk.i18n import t

    forwarded(dept)
    monkeypatch.setattr(bundle, "VERSION", "2.0")
    path = _export(dept, 0, tmp_path / "b.mssx")
    monkeypatch.setattr(bundle, "VERSION", "1.0")
    err = _refused(region, path, "exchange.newer_version")
    text = t(err.key, "kk", **err.params)
    assert "2.0" in text and "1.0" in text


def test_a_newer_minor_version_is_read(
    dept: Desk, region: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mss_desk.exchange import bundle

    forwarded(dept)
    monkeypatch.setattr(bundle, "VERSION", "1.7")
    path = _export(dept, 0, tmp_path / "b.mssx")
    monkeypatch.setattr(bundle, "VERSION", "1.0")
    assert region.exchange.import_bundle(path).applied == 1


def test_a_file_that_is_no_bundle_is_refused(region: Desk, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello")
    _refused(region, path, "exchange.not_a_bundle")


def test_it_staff_open_a_bundle_with_the_age_tool(
    dept: Desk, region: Desk, tmp_path: Path
) -> None:
    """docs/exchange.md: `age -d -i keys/desk-0.age FILE`, then the body is plain JSON."""
    import shutil
    import subprocess

    age = shutil.which("age")
    if age is None:
        pytest.skip("the age tool is not installed")
    [a] = forwarded(dept)
    path = _export(dept, 0, tmp_path / "b.mssx")
    done = subprocess.run(
        [age, "-d", "-i", str(region.folder / "desk-0.age"), str(path)],
        capture_output=True,
        timeout=60,
        check=True,
    )
    envelope = json.loads(done.stdout)
    assert (envelope["format"], envelope["version"], envelope["from"]) == (
        "mss-desk-bundle", "1.0", DEPT,
    )  # fmt: skip
    body = json.loads(envelope["body"])
    assert [(m["seq"], m["kind"], m["case_no"]) for m in body["messages"]] == [
        (1, "case.forwarded", a)
    ]
    wrong = subprocess.run(
        [age, "-d", "-i", str(dept.folder / "desk-19.age"), str(path)],
        capture_output=True,
        timeout=60,
    )
    assert wrong.returncode != 0  # the Department cannot read what it sealed for the region
