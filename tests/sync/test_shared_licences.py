"""Issue 15, the electronic licences of the shared records: each kind the reference platform holds
(居民户口簿, 机动车驾驶证, 社保卡, 残疾人证 besides the death and cremation certificates) comes back from
the platform in its own process, is marked 共享获取 (免提交) on the case with its number, and reaches the
platform payload — but only where the region's catalog lets that licence stand for the material
(``shared_basis``, the seed's lines): in NX (NX:83/91/103/113/140) they do; in NM, where NM:231 lists
户口本, 驾驶证 and 社保卡 among the materials and only the death certificates (NM:225) and the 火化证
(NM:227) come from sharing, the same person's 户口簿 licence marks nothing and the family brings it."""
from __future__ import annotations

import secrets
from datetime import date

import pytest

from houshi_desk.services.cases import case_from_dict, create_case, get_case_row, sample_case_dict, synthetic_id_number

DISABLED = 22  # synthetic_id_number(22): records with every licence kind, the 残疾人证 among them


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    from houshi_desk.platform_ref.persons import lookup_key
    from houshi_desk.platform_ref.process import spawn

    data = tmp_path_factory.mktemp("platform")
    key = lookup_key(data)
    secret = secrets.token_urlsafe(24)
    proc = spawn(data, clients={"term-a": secret}, step_seconds=0.2)
    yield proc, key, secret
    proc.stop()


@pytest.fixture
def online(platform, settings):
    from houshi_desk.sync.credentials import save_lookup_key, save_secret

    proc, key, secret = platform
    settings.set("platform.url", proc.url)
    settings.set("platform.app_key", "term-a")
    save_secret("term-a", secret)
    save_lookup_key(key)
    return settings


def _case(store, settings, region: str, seq: int) -> str:
    settings.set("office.region", region)
    data = sample_case_dict(region, deceased_seq=seq)
    if region == "nx":
        data["facts"]["disability_card"] = True  # as the platform's 残联 record says
    return create_case(store, case_from_dict(data), settings=settings, today=date(2026, 2, 2), clerk="测试员")


def _materials(store, number) -> dict:
    from houshi_desk.sync.outbox import case_payload

    with store.session() as s:
        row = get_case_row(s, number)
        return {m["code"]: m for m in case_payload(row)["materials"]}


NX_KINDS = [("household_register", "HJ2026000022", "户籍地公安派出所"),
            ("driving_licence", "JZ2026000022", "公安交通管理部门"),
            ("social_security_card", "SB2026000022", "人力资源社会保障部门"),
            ("disability_card", "CJ2026000022", "残疾人联合会")]


@pytest.mark.parametrize(("material", "number", "issuer"), NX_KINDS, ids=[k[0] for k in NX_KINDS])
def test_each_licence_kind_prefills_its_material_in_nx_with_its_number_in_the_payload(
        sqlite_store, online, material, number, issuer):
    from houshi_desk.services.shared import look_up, record_licences

    settings = online
    settings.set("office.region", "nx")
    found = look_up(sqlite_store, "测试员", settings, synthetic_id_number(DISABLED))
    lic = found.licence_for(material)
    assert lic == {"material": material, "number": number, "issued": lic["issued"], "issuer": issuer}
    assert lic["issued"] and synthetic_id_number(DISABLED) not in lic["number"]  # a serial, never the ID number
    case = _case(sqlite_store, settings, "nx", DISABLED)
    assert _materials(sqlite_store, case)[material]["state"] != "shared"
    marked = record_licences(sqlite_store, case, found.licences, clerk="测试员")
    assert material in marked
    sent = _materials(sqlite_store, case)[material]
    assert sent["state"] == "shared"
    assert sent["licence"] == {"number": number, "issued": lic["issued"], "issuer": issuer}


def test_in_nm_only_the_licences_its_seed_names_stand_for_a_material(sqlite_store, online):
    """NM:231 asks for 户口本, 驾驶证 and 社保卡; NM:225/227 share only the death certificates and the
    火化证: the look-up offers those, and a 户口簿 licence handed to the case marks nothing."""
    from houshi_desk.services.shared import fetch, look_up, record_licences

    settings = online
    settings.set("office.region", "nm")
    number = synthetic_id_number(0)
    everything = fetch(settings, number).licences
    assert {"household_register", "driving_licence", "social_security_card"} <= {x["material"] for x in everything}
    found = look_up(sqlite_store, "测试员", settings, number)
    assert {x["material"] for x in found.licences} == {"death_cert_medical", "cremation_cert"}
    case = _case(sqlite_store, settings, "nm", 0)
    marked = record_licences(sqlite_store, case, everything, clerk="测试员")  # as if handed all of them
    assert set(marked) == {"death_cert_medical", "cremation_cert"}
    sent = _materials(sqlite_store, case)
    for code in ("household_register", "driving_licence", "social_security_card"):
        assert sent[code]["state"] != "shared" and "licence" not in sent[code], code


def test_the_same_person_in_nx_gets_every_licence_its_catalog_accepts(sqlite_store, online):
    from houshi_desk.services.shared import look_up

    online.set("office.region", "nx")
    found = look_up(sqlite_store, "测试员", online, synthetic_id_number(0))
    # the cremation certificate is an information row in NX (NX:89), no material: not offered
    assert {x["material"] for x in found.licences} == {"death_cert_medical", "household_register",
                                                       "driving_licence", "social_security_card"}
