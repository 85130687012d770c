"""A proxy's authorisation period (委托期限, issue 16 item 7): in a case file a proxy's top-level
valid_from/valid_to are the authorisation period; the proxy's ID card validity is under "identity"
(nested) or id_valid_from/id_valid_to (flat). A missing period is the application date .. + setting
proxy.default_validity_days; an impossible one is refused in words. The period is stored on both back
ends, shown by case_to_json (round trip) and carried in the platform payload."""
from __future__ import annotations

from datetime import date

import pytest

from houshi_desk.services import cases as svc

TODAY = date(2026, 1, 23)

PROXY_CARD = {
    "card_type": "resident", "name": "代办人", "id_number": "440524188001010014", "sex": "男",
    "nation": "汉", "birth_date": "1880-01-01", "address": "广东省汕头市潮阳区样例路9号",
}


def proxy_case(proxy: dict) -> dict:
    data = svc.sample_case_dict("nm")
    data["facts"]["sole_relative_incapacitated"] = True
    data["applicant"]["note"] = "脑梗后遗症"
    data["proxy"] = {**proxy, "phone": "13900000000", "relationship": "other", "employer": "呼伦贝尔样例有限公司"}
    return data


def test_flat_proxy_period_and_card_validity_are_told_apart():
    case = svc.case_from_dict(proxy_case({**PROXY_CARD, "valid_from": "2026-01-23", "valid_to": "2026-03-31",
                                          "id_valid_from": "2016-05-01", "id_valid_to": "2036-05-01"}))
    p = case.proxy
    assert (p.authorised_from, p.authorised_to) == (date(2026, 1, 23), date(2026, 3, 31))
    assert (p.identity.valid_from, p.identity.valid_to) == (date(2016, 5, 1), date(2036, 5, 1))
    assert p.employer == "呼伦贝尔样例有限公司"


def test_nested_proxy_identity_keeps_the_card_validity():
    case = svc.case_from_dict(proxy_case({"identity": {**PROXY_CARD, "valid_from": "2016-05-01",
                                                       "valid_to": "2036-05-01"},
                                          "valid_from": "2026-01-20", "valid_to": "2026-02-20"}))
    p = case.proxy
    assert (p.authorised_from, p.authorised_to) == (date(2026, 1, 20), date(2026, 2, 20))
    assert (p.identity.valid_from, p.identity.valid_to) == (date(2016, 5, 1), date(2036, 5, 1))
    assert p.identity.name == "代办人"


def test_applicant_and_deceased_validity_are_unchanged():
    case = svc.case_from_dict(proxy_case(PROXY_CARD))
    assert case.applicant.identity.valid_from == date(2019, 5, 1)
    assert case.applicant.authorised_from is None and case.deceased.authorised_to is None


def test_a_missing_period_defaults_to_the_application_date_and_the_setting():
    case = svc.case_from_dict(proxy_case(PROXY_CARD))
    assert case.proxy.authorised_from is None
    svc.settle_proxy_period(case, TODAY, 90)
    assert (case.proxy.authorised_from, case.proxy.authorised_to) == (TODAY, date(2026, 4, 23))
    case = svc.case_from_dict(proxy_case({**PROXY_CARD, "valid_from": "2026-01-25"}))
    svc.settle_proxy_period(case, TODAY, 30)
    assert case.proxy.authorised_to == date(2026, 2, 24)


@pytest.mark.parametrize("period, words", [
    ({"valid_from": "2026-03-01", "valid_to": "2026-02-01"}, "早于开始日期"),
    ({"valid_from": "2025-06-01", "valid_to": "2026-06-01"}, "早于申请日期"),
    ({"valid_from": "2025-12-30", "valid_to": "2026-01-10"}, "已于 2026-01-10 届满"),
])
def test_an_impossible_period_is_refused_with_the_reason(period, words):
    case = svc.case_from_dict(proxy_case({**PROXY_CARD, **period}))
    with pytest.raises(svc.CaseError, match=words):
        svc.settle_proxy_period(case, TODAY, 90)


def test_a_malformed_period_date_is_refused_in_words():
    with pytest.raises(svc.CaseError, match="委托期限止.*不是有效日期"):
        svc.case_from_dict(proxy_case({**PROXY_CARD, "valid_to": "2026-13-40"}))


def test_the_period_is_stored_shown_and_sent(store, settings):
    from houshi_desk.commands.case import case_to_json
    from houshi_desk.sync.outbox import case_payload

    settings.values["proxy.default_validity_days"] = 60
    number = svc.create_case(store, svc.case_from_dict(proxy_case(dict(PROXY_CARD))), settings=settings,
                             today=TODAY, clerk="clerk01")
    with store.session() as s:
        row = svc.get_case_row(s, number)
        case = svc.case_from_row(row)
        payload = case_payload(row)
    assert (case.proxy.authorised_from, case.proxy.authorised_to) == (TODAY, date(2026, 3, 24))
    assert case.applicant.note == "脑梗后遗症" and case.proxy.employer == "呼伦贝尔样例有限公司"
    sent = next(p for p in payload["parties"] if p["role"] == "proxy")
    assert (sent["valid_from"], sent["valid_to"]) == ("2026-01-23", "2026-03-24")
    assert "valid_from" not in next(p for p in payload["parties"] if p["role"] == "applicant")

    shown = case_to_json(case, full=True)
    assert (shown["proxy"]["valid_from"], shown["proxy"]["valid_to"]) == ("2026-01-23", "2026-03-24")
    assert shown["proxy"]["identity"]["id_number"] == PROXY_CARD["id_number"]
    assert shown["applicant"]["valid_from"] == "2019-05-01"  # the applicant's card, as before
    # what case show --json prints reads back as the same case (round trip)
    again = svc.case_from_dict({**proxy_case({}), "proxy": shown["proxy"], "applicant": shown["applicant"]})
    assert (again.proxy.authorised_from, again.proxy.authorised_to) == (TODAY, date(2026, 3, 24))
    assert again.proxy.identity.id_number == PROXY_CARD["id_number"]
    assert again.applicant.note == "脑梗后遗症"


def test_an_impossible_period_stores_nothing(store, settings):
    from sqlalchemy import func, select

    from houshi_desk.store.models import CaseRow

    data = proxy_case({**PROXY_CARD, "valid_from": "2026-03-01", "valid_to": "2026-02-01"})
    with pytest.raises(svc.CaseError, match="委托期限有误"):
        svc.create_case(store, svc.case_from_dict(data), settings=settings, today=TODAY, clerk="clerk01")
    with store.session() as s:
        assert s.execute(select(func.count()).select_from(CaseRow)).scalar_one() == 0
