"""The case store on both back ends: migrations, encryption at rest, bad keys, round trips, search."""
from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from houshi_desk.domain.case import CaseStatus, MaterialState, MatterStatus
from houshi_desk.services import cases as svc
from houshi_desk.store.db import StoreError, open_store
from houshi_desk.store.keys import KeyMissing, KeyringUnavailable, export_recovery, import_recovery

TODAY = date(2026, 1, 21)  # a Wednesday


def _new(store, settings, region="nm", *, seq=None, **changes):
    data = svc.sample_case_dict(region, deceased_seq=seq)
    for key, value in changes.items():
        section, _, field = key.partition("__")
        data[section][field] = value
    return svc.create_case(store, svc.case_from_dict(data), settings=settings, today=TODAY, clerk="clerk1")


def test_migrations_reach_every_head_on_both_backends(store):
    from alembic.script import ScriptDirectory
    from alembic.config import Config
    from houshi_desk.store.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    with store.engine.connect() as conn:
        applied = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        tables = set(inspect(conn).get_table_names())
    assert applied == heads
    assert {"cases", "parties", "case_matters", "matter_status_history", "case_materials",
            "material_files", "print_log", "case_number_sequences"} <= tables


def test_migrating_twice_changes_nothing(store):
    """A second upgrade finds the heads reached and changes neither the schema nor the data."""
    from houshi_desk.store.db import MIGRATION_HEADS

    def snapshot():
        with store.engine.connect() as conn:
            insp = inspect(conn)
            tables = {t: sorted((c["name"], str(c["type"])) for c in insp.get_columns(t))
                      for t in insp.get_table_names()}
            versions = sorted(r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version")))
        return tables, versions

    store.migrate()
    first = snapshot()
    store.migrate()
    assert snapshot() == first
    assert first[1] == sorted(MIGRATION_HEADS)  # exactly the heads, once each
    assert {"cases", "parties", "sync_outbox"} <= set(first[0])


def test_case_round_trip_keeps_parties_matters_and_materials(store, settings):
    number = _new(store, settings)
    assert number.startswith("150702-W01-20260121-")
    with store.session() as s:
        case = svc.load_case(s, number)
    assert case.deceased.identity.name == "测试"
    assert case.deceased.identity.id_number == "11010519491231002X"
    assert case.applicant.identity.birth_date == date(1991, 1, 1)
    assert case.death.died_at == datetime(2026, 1, 20, 8, 30)
    assert case.status is CaseStatus.DRAFT
    hukou = case.matter("hukou_cancel")
    assert hukou.chosen and hukou.mandatory and hukou.status is MatterStatus.PENDING
    assert case.matter("housing_fund_withdraw").status is MatterStatus.NOT_APPLICABLE
    codes = [m.code for m in case.materials]
    assert len(codes) == len(set(codes)), "one set of materials, each once"
    assert "death_cert_medical" in codes and "driving_licence" in codes
    assert all(m.state is MaterialState.MISSING for m in case.materials)


def test_a_due_date_past_the_known_calendar_stays_marked_uncertain(store, settings):
    """The receipt marks such a date; the mark must survive saving and loading the case."""
    # NX: 户口/驾驶证 within 1 working day (NX:91); on 31 December that runs into next year
    data = svc.sample_case_dict("nx")
    december = date(2026, 12, 31)
    data["death"]["died_at"] = "2026-12-30T08:30:00"
    data["death"]["disposal_date"] = "2026-12-31"
    settings.values["office.region"] = "nx"
    number = svc.create_case(store, svc.case_from_dict(data), settings=settings, today=december, clerk="c")
    settings.values["office.region"] = "nm"
    with store.session() as s:
        case = svc.load_case(s, number)
    late = [m for m in case.matters if m.chosen and m.due_date]
    assert late and all(m.due_date_uncertain == (m.due_date.year > 2026) for m in late)
    assert any(m.due_date_uncertain for m in late)
    number = _new(store, settings, seq=7)  # another deceased
    with store.session() as s:
        assert not any(m.due_date_uncertain for m in svc.load_case(s, number).matters)


def test_unchosen_optional_matter_drops_its_own_materials(store, settings):
    data = svc.sample_case_dict()
    case = svc.case_from_dict({**data, "chosen": ["hukou_cancel"]})
    number = svc.create_case(store, case, settings=settings, today=TODAY, clerk="c")
    with store.session() as s:
        loaded = svc.load_case(s, number)
    assert loaded.matter("household_head_change").status is MatterStatus.NOT_CHOSEN
    assert loaded.matter("driving_licence_cancel").chosen, "mandatory matters cannot be unchosen"
    assert "household_head_statement" not in {m.code for m in loaded.materials}


def test_case_numbers_count_up_per_terminal_and_day(store, settings):
    numbers = [_new(store, settings, seq=i) for i in range(3)]  # three deceased: one case each
    assert [n.rsplit("-", 1)[1] for n in numbers] == ["0001", "0002", "0003"]


def test_search_by_number_id_number_and_name_prefix(store, settings):
    number = _new(store, settings)
    _new(store, settings, deceased__name="王小明", deceased__id_number="360426199101010039",
         deceased__birth_date="1991-01-01", deceased__sex="男")
    with store.session() as s:
        assert [c.number for c in svc.search_cases(s, number)] == [number]
        by_id = svc.search_cases(s, "11010519491231002X")
        assert [c.number for c in by_id] == [number]
        assert by_id[0].deceased_id_masked == "110105********002X"
        assert [c.deceased_name for c in svc.search_cases(s, "王小")] == ["王小明"]
        assert svc.search_cases(s, "不存在的人") == []


def test_unknown_case_number_is_a_clear_error(store):
    with store.session() as s, pytest.raises(svc.CaseNotFound, match="找不到受理编号"):
        svc.load_case(s, "150702-W01-20260121-9999")
    with store.session() as s, pytest.raises(Exception, match="不是有效的受理编号"):
        svc.load_case(s, "garbage")


def test_wrong_check_digit_refuses_the_case_and_saves_nothing(store, settings):
    with pytest.raises(svc.CaseError, match="校验位"):
        _new(store, settings, deceased__id_number="11010519491231003X")
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM cases")).scalar() == 0


def test_expired_applicant_card_needs_a_recorded_reason(store, settings):
    data = svc.sample_case_dict()
    data["applicant"]["valid_to"] = "2025-01-01"
    with pytest.raises(svc.CaseError, match="过有效期"):
        svc.create_case(store, svc.case_from_dict(data), settings=settings, today=TODAY, clerk="c")
    number = svc.create_case(store, svc.case_from_dict(data), settings=settings, today=TODAY, clerk="c",
                             override_reason="新证办理中，持临时身份证明")
    assert number


def test_expired_deceased_card_is_normal(store, settings):
    assert _new(store, settings, deceased__valid_from="2000-01-01", deceased__valid_to="2010-01-01")


# ---------------------------------------------------------------- encryption at rest


def test_database_file_is_unreadable_without_the_key(settings, sqlite_store):
    rare_name = "甄试样"
    _new(sqlite_store, settings, deceased__name=rare_name)
    sqlite_store.close()
    db = settings.paths.database_file
    raw = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    assert rare_name.encode("utf-8") not in raw
    assert rare_name.encode("utf-16-le") not in raw
    assert b"11010519491231002X" not in raw
    assert b"SQLite format 3" not in raw[:16]
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT count(*) FROM sqlite_master").fetchall()


def test_wrong_key_is_refused_and_the_file_is_untouched(settings, sqlite_store):
    from houshi_desk.store.db import sqlite_store as open_sqlite

    _new(sqlite_store, settings)
    sqlite_store.close()
    db = settings.paths.database_file
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(StoreError, match="密钥不正确或文件已损坏"):
        open_sqlite(db, "00" * 32)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_corrupted_file_is_refused_and_kept(settings, sqlite_store):
    sqlite_store.close()
    db = settings.paths.database_file
    data = bytearray(db.read_bytes())
    data[:4096] = b"\x00" * 4096
    db.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="文件未作任何改动"):
        open_store(settings)
    assert db.read_bytes() == bytes(data)


def test_empty_keyring_with_an_existing_database_does_not_create_a_new_one(settings, sqlite_store, monkeypatch, tmp_path):
    _new(sqlite_store, settings)
    sqlite_store.close()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "other-keyring"))
    before = settings.paths.database_file.read_bytes()
    with pytest.raises(KeyMissing, match="key import"):
        open_store(settings)
    assert settings.paths.database_file.read_bytes() == before


def test_unavailable_keyring_is_a_clear_message(settings):
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # what a headless PC without any keyring service gives
    with pytest.raises(KeyringUnavailable, match="钥匙串"):
        open_store(settings)


def test_a_file_keyring_nobody_chose_is_refused_and_nothing_is_written(settings, monkeypatch):
    """keyrings.alt ships with the app for the demo; on a PC whose keyring service is down keyring
    would pick it by itself and the database key would land in a file (or wait for a console
    password). The store refuses; no database, no key file appear."""
    import keyring
    from keyrings.alt import file as alt

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")  # nobody chose a backend (and no keyringrc.cfg)
    kr = alt.PlaintextKeyring()
    keyring.set_keyring(kr)
    with pytest.raises(KeyringUnavailable, match="明文") as err:
        open_store(settings)
    assert "信息科" in err.value.message
    assert not settings.paths.database_file.exists()
    assert not Path(kr.file_path).exists()


def test_a_chosen_file_keyring_is_accepted(settings, monkeypatch, tmp_path):
    """Provincial IT may choose one on purpose (keyringrc.cfg), as the demo does for itself."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    rc = tmp_path / "xdg-config" / "python_keyring" / "keyringrc.cfg"
    rc.parent.mkdir(parents=True, exist_ok=True)
    rc.write_text("[backend]\ndefault-keyring=keyrings.alt.file.PlaintextKeyring\n", encoding="utf-8")
    keyring.set_keyring(PlaintextKeyring())
    open_store(settings).close()
    assert settings.paths.database_file.exists()


def test_recovery_file_restores_a_lost_keyring(settings, sqlite_store, monkeypatch, tmp_path):
    number = _new(sqlite_store, settings)
    sqlite_store.close()
    p = settings.paths
    recovery = tmp_path / "recovery.json"
    export_recovery(p.data_dir, p.database_file, recovery, "正确的口令123")
    key_hex = __import__("houshi_desk.store.keys", fromlist=["x"]).database_key(p.data_dir, p.database_file)
    assert key_hex not in recovery.read_text(), "the recovery file holds the key sealed, never in clear"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "new-pc-keyring"))
    with pytest.raises(Exception, match="口令不正确"):
        import_recovery(p.data_dir, recovery, "错误的口令456")
    import_recovery(p.data_dir, recovery, "正确的口令123")
    store = open_store(settings)
    with store.session() as s:
        assert svc.load_case(s, number).number == number
    store.close()


def test_postgres_down_is_a_clear_message(settings):
    with pytest.raises(StoreError, match="无法连接大厅数据库"):
        open_store(settings, url="postgresql+psycopg://postgres@/postgres?host=/nonexistent&port=1")
