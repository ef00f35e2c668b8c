"""``mss-desk info`` (items 21-25, issue 11 point 10): the Department's and the Regional
Department's contacts, as printed in the standard, in the configured language."""

from __future__ import annotations

from pathlib import Path

KEYS = {"code", "name", "address", "phones", "email", "website", "reception"}


def test_item_24_info_json_for_a_department_in_english(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("info", "--department", "19", "--json", "--lang", "en")
    assert r.code == 0, r.err
    data = r.json
    assert set(data) == {"department", "regional"}
    dept, regional = data["department"], data["regional"]
    assert set(dept) == KEYS and set(regional) == KEYS
    assert dept["code"] == 19
    assert dept["address"] == "Kokshetau city, Lokomotivnaya street 9a"
    assert dept["phones"] == ["8-(7162)-31-92-76", "31-92-81"]
    assert dept["email"] == "Sobes_kokshe@kokshetau.online.kz"
    assert dept["website"] == "http://www.zakupki.akmol.kz"
    assert dept["reception"] == "every day 09:00-18:00, break 13:00-14:00"
    # item 24.2, as printed
    assert regional["code"] == 0
    assert "Akmola Region Department for Coordination" in regional["name"]
    assert regional["address"] == (
        "020000, Republic of Kazakhstan, Akmola region, Kokshetau, A. S. Pushkin street 23, "
        "office 301"
    )
    assert regional["phones"] == ["8(7162)763690"]
    assert regional["email"] == "akmout@mail.online.kz"
    assert regional["website"] == "www.akmo.kz"
    assert regional["reception"].startswith("head of the Regional Department: Monday and Thursday")


def test_item_24_info_follows_the_language(cli) -> None:  # type: ignore[no-untyped-def]
    ru = cli("info", "--department", "2", "--json", "--lang", "ru").json
    assert ru["department"]["address"] == "Аршалынский район, с. Аршалы, ул. Ташенова, 47"
    assert ru["department"]["email"] == "Arshaly_rotz@rjrshetau.online.kz"  # as printed
    assert ru["regional"]["reception"].startswith("начальник управления")
    kk = cli("info", "--department", "2", "--json", "--lang", "kk").json
    assert kk["regional"]["address"].startswith("020000, Қазақстан Республикасы")


def test_item_24_info_defaults_to_the_database_department(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "desk.sqlite")
    assert cli("init", "--department", "5", "--db", db, "--json").code == 0
    data = cli("info", "--db", db, "--json", "--lang", "en").json
    assert data["department"]["code"] == 5
    assert data["department"]["phones"] == ["8(71646)-2-21-38"]


def test_item_24_info_human_text_and_bad_department(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("info", "--department", "19", "--lang", "en")
    assert r.code == 0 and "Akimat of Akmola region" in r.out and "item 22" in r.out
    assert cli("info", "--department", "77", "--json").code == 1
