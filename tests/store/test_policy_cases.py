"""Cases follow their region's seed (issue 12), saved for real on both back ends: out-of-scope deaths
and other regions' cases are refused with nothing stored; a 特定关系人 applies in NX only; 勾选 matters are
applied for only when chosen; NM's 核实停发 matters always go; the case keeps the catalog version, the
checklist the family was told and how results are delivered; the platform payload says where each
deadline comes from."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from houshi_desk.services import cases as svc
from houshi_desk.store.models import CaseRow

TODAY = date(2026, 1, 23)


def _count(store) -> int:
    with store.session() as s:
        return s.execute(select(func.count()).select_from(CaseRow)).scalar_one()


def _create(store, settings, data, region=None):
    if region:
        settings.values["office.region"] = region
    return svc.create_case(store, svc.case_from_dict(data), settings=settings, today=TODAY, clerk="clerk01")


def _nx(data=None):
    data = data or svc.sample_case_dict("nx")
    data["region"] = "nx"
    return data


@pytest.mark.parametrize("region, change, reason", [
    ("nm", lambda d: d["death"].update(kind="abroad"), "国（境）外"),
    ("nm", lambda d: d["death"].update(kind="declared"), "宣告死亡"),
    ("nx", lambda d: d["death"].update(kind="abroad"), "国（境）外"),
    ("nx", lambda d: d["facts"].update(died_in_region=False), "不是在宁夏境内死亡"),
    ("nx", lambda d: d["facts"].update(deceased_local_household=False), "不是宁夏户籍人员"),
])
def test_out_of_scope_is_refused_with_the_reason_and_nothing_is_stored(store, settings, region, change, reason):
    data = svc.sample_case_dict(region)
    change(data)
    with pytest.raises(svc.OutOfScope) as info:
        _create(store, settings, data, region)
    assert reason in info.value.message and "不在联办范围" in info.value.message
    assert info.value.scope.referral  # the departments to visit one by one
    assert _count(store) == 0


def test_an_office_opens_only_its_own_regions_cases(store, settings):
    settings.values["office.region"] = "nm"
    with pytest.raises(svc.CaseError, match="不能受理或打开“nx”地区的案件"):
        _create(store, settings, _nx())
    assert _count(store) == 0


def test_nx_accepts_a_specific_relationship_person_nm_refuses(store, settings):
    data = _nx()
    data["applicant"].update(relationship="specific", relationship_note="受遗赠人")
    number = _create(store, settings, data, "nx")
    with store.session() as s:
        case = svc.load_case(s, number)
    assert case.applicant.relationship.value == "specific" and case.applicant.relationship_note == "受遗赠人"
    assert case.material("relationship_proof") is not None
    nm = svc.sample_case_dict("nm")
    nm["applicant"].update(relationship="specific", relationship_note="受遗赠人")
    with pytest.raises(svc.CaseError, match="申请人不符合申请条件"):
        _create(store, settings, nm, "nm")


def test_optional_matters_only_when_chosen_and_nm_stop_matters_always(store, settings):
    data = svc.sample_case_dict("nm")
    data["facts"].update(social_assistance=False, entitled_group=False)
    data["chosen"] = []
    number = _create(store, settings, data, "nm")
    with store.session() as s:
        case = svc.load_case(s, number)
    chosen = {m.code for m in case.matters if m.chosen}
    assert "household_head_change" not in chosen and "rural_pension_funeral" not in chosen
    assert {"assistance_stop", "veteran_benefit_stop", "hukou_cancel"} <= chosen  # NM:185, NM:195 必选
    data = svc.sample_case_dict("nm", deceased_seq=3)  # another deceased: one case each
    data["chosen"] = ["household_head_change"]
    with store.session() as s:
        case = svc.load_case(s, _create(store, settings, data, "nm"))
    assert {m.code for m in case.matters if m.chosen} == chosen | {"household_head_change"}


def test_the_case_keeps_what_the_family_was_told_and_how_results_are_delivered(store, settings):
    data = svc.sample_case_dict("nm")
    data["delivery"] = {"method": "post", "address": "海拉尔区样例街3号", "postcode": "021000",
                        "recipient": "样例", "phone": "13800000000"}
    number = _create(store, settings, data, "nm")
    with store.session() as s:
        case = svc.load_case(s, number)
        row = svc.get_case_row(s, number)
        from houshi_desk.sync.outbox import case_payload

        payload = case_payload(row)
    assert case.catalog_version == "2022.3" and case.checklist["catalog_version"] == "2022.3"
    assert {m["code"] for m in case.checklist["matters"]} >= {"hukou_cancel", "assistance_stop"}
    assert case.delivery.method == "post" and case.delivery.postcode == "021000"
    assert payload["delivery"]["method"] == "post" and payload["catalog_version"] == "2022.3"
    assert all(m["deadline_source"] == "none" and m["due_date"] is None for m in payload["matters"])


def test_nx_payload_dates_only_policy_deadlines(store, settings):
    number = _create(store, settings, _nx(), "nx")
    with store.session() as s:
        from houshi_desk.sync.outbox import case_payload

        payload = case_payload(svc.get_case_row(s, number))
    by_code = {m["code"]: m for m in payload["matters"]}
    assert by_code["hukou_cancel"]["deadline_source"] == "policy" and by_code["hukou_cancel"]["due_date"] == "2026-01-26"
    assert by_code["employee_pension_end"]["deadline_source"] == "none" if "employee_pension_end" in by_code else True
    assert all(m["due_date"] is None for m in payload["matters"] if m["deadline_source"] == "none")


@pytest.mark.parametrize("delivery, text", [
    ({"method": "post", "address": "某地", "postcode": "0210", "recipient": "样例", "phone": "13800000000"}, "邮政编码"),
    ({"method": "post", "postcode": "021000", "recipient": "样例", "phone": "13800000000"}, "邮寄地址"),
    ({"method": "courier"}, "送达方式"),
])
def test_bad_delivery_is_refused(store, settings, delivery, text):
    data = svc.sample_case_dict("nm")
    data["delivery"] = delivery
    with pytest.raises(svc.CaseError, match=text):
        _create(store, settings, data, "nm")
    assert _count(store) == 0


def test_an_office_does_not_open_another_regions_case(store, settings):
    number = _create(store, settings, _nx(), "nx")
    with store.session() as s:
        assert svc.load_case(s, number, region="nx").region == "nx"
    with store.session() as s, pytest.raises(svc.CaseError, match="不能打开"):
        svc.load_case(s, number, region="nm")


def test_the_readme_case_file_is_accepted_as_written(store, settings):
    import json
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"A case file for `case new`.*?```json\n(.*?)```", readme, re.S).group(1)
    data = json.loads(block)
    number = _create(store, settings, data, "nm")
    with store.session() as s:
        case = svc.load_case(s, number)
    assert {"household_head_change", "rural_pension_funeral"} <= {m.code for m in case.matters if m.chosen}
    assert case.delivery.method == "post"


def test_case_show_json_carries_delivery_relationship_note_and_catalog_version(sqlite_store, settings, logged_in,
                                                                              capsys, tmp_path):
    import json

    from houshi_desk.cli import main

    data = _nx()
    data["applicant"].update(relationship="specific", relationship_note="监护人")
    data["delivery"] = {"method": "post", "address": "银川市样例路1号", "postcode": "750001",
                        "recipient": "样例", "phone": "13800000000"}
    settings.set("office.region", "nx")
    f = tmp_path / "case.json"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["case", "new", "--from", str(f)]) == 0
    number = capsys.readouterr().out.strip().splitlines()[-1]
    assert main(["case", "show", number, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["delivery"]["method"] == "post" and shown["delivery"]["postcode"] == "750001"
    assert shown["applicant"]["relationship"] == "specific" and shown["applicant"]["relationship_note"] == "监护人"
    assert shown["catalog_version"] == "2025.3"
    assert main(["case", "new", "--from", str(f)]) == 2  # the same deceased again: refused, naming the case
    assert number in capsys.readouterr().err
    out_of_scope = dict(data, deceased=dict(data["deceased"], id_number=svc.synthetic_id_number(9)))
    out_of_scope["facts"] = dict(data["facts"], died_in_region=False)
    f.write_text(json.dumps(out_of_scope, ensure_ascii=False), encoding="utf-8")
    assert main(["case", "new", "--from", str(f)]) == 2
    assert "不在联办范围" in capsys.readouterr().err
