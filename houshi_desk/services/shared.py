"""Shared data at the counter (issue 15): look a deceased up on the platform, and use what comes back.

``look_up`` asks the platform (persons endpoints, by HMAC reference — never the number) for the
person's department facts and electronic licences, and optionally their open cases anywhere in the
province; it is audited as 共享查询 with the number masked. Nothing is cached: the answer lives in
the caller (the open case in the window, or one CLI run).

Only licences the region's catalog accepts count (``Material.licence_accepted``: source 共享获取, or a
``shared_basis`` citing the seed lines that let that material come from shared data): the platform's
records are the province's, and a licence the region's seed does not let stand for the paper (e.g. a
户口簿 licence in NM, where NM:231 asks for the 户口本) is not offered, so the family still brings it.

``record_licences`` marks the materials that came as electronic licences 共享获取 (免提交) with the
licence on the case (the material's note, which ``sync.outbox.case_payload`` sends as ``licence``);
``record_fact_override`` puts the clerk's change of a shared fact, with its reason, on the audit trail.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from houshi_desk.domain.identity import mask_id_number
from houshi_desk.errors import HoushiError
from houshi_desk.sync.lookup import licence_from_note, licence_note  # noqa: F401 - part of this API

log = logging.getLogger(__name__)

MSG_UNAVAILABLE = "共享数据暂不可用，按询问办理"


class SharedUnavailable(HoushiError):
    """The platform could not be asked (down, not configured, no look-up key): ask as before."""


@dataclass
class SharedRecords:
    facts: dict = field(default_factory=dict)  # name → {"value", "source", "as_of"}
    licences: list = field(default_factory=list)  # [{"material", "number", "issued", "issuer"}]
    cases: list | None = None  # [{"case_id", "office", "date"}] when asked for

    @property
    def empty(self) -> bool:
        return not self.facts and not self.licences

    def licence_for(self, material: str) -> dict | None:
        return next((x for x in self.licences if x.get("material") == material), None)

    def to_json(self) -> dict:
        out = {"facts": self.facts, "licences": self.licences}
        if self.cases is not None:
            out["cases"] = self.cases
        return out


def provenance(item: dict) -> str:
    """“人社 · 共享 2026-11-30”."""
    return f"{item.get('source') or '平台'} · 共享 {item.get('as_of') or ''}".rstrip()


def _client_and_key(settings):
    from houshi_desk.sync import errors as E
    from houshi_desk.sync.credentials import load_lookup_key
    from houshi_desk.sync.service import client_from_settings

    try:
        key = load_lookup_key()
        return client_from_settings(settings), key
    except (E.SyncError, HoushiError) as exc:
        raise SharedUnavailable(f"{MSG_UNAVAILABLE}（{exc.message}）", detail=getattr(exc, "code", "")) from None


def fetch(settings, id_number: str, *, with_cases: bool = False, timeout: float | None = None) -> SharedRecords:
    """Ask the platform; no audit (the caller records it). Raises SharedUnavailable."""
    from houshi_desk.sync import errors as E
    from houshi_desk.sync.lookup import fetch_cases, fetch_records, normalise_id_number

    number = normalise_id_number(id_number)  # BadIdNumber (a HoushiError) for a malformed number
    client, key = _client_and_key(settings)
    if timeout is not None:
        import httpx

        client._http.timeout = httpx.Timeout(timeout, connect=min(timeout, 5.0))
    try:
        data = fetch_records(client, key, number)
        cases = fetch_cases(client, key, number) if with_cases else None
    except E.SyncError as exc:
        log.info("shared look-up: platform unavailable (%s)", getattr(exc, "code", type(exc).__name__))
        raise SharedUnavailable(f"{MSG_UNAVAILABLE}（{exc.message}）", detail=getattr(exc, "code", "")) from None
    finally:
        client.close()
    return SharedRecords(data["facts"], data["licences"], cases)


def audit_lookup(store, actor: str, id_number: str, *, outcome: str, case_number: str | None = None) -> None:
    from houshi_desk import audit

    with store.session(write=True) as s:
        audit.record(s, actor=actor, action="shared_lookup", case_number=case_number,
                     detail=f"共享查询：逝者 {mask_id_number(id_number)}；{outcome}")


def accepted_licences(region: str, licences: list[dict]) -> list[dict]:
    """The licences that stand for a material of ``region``'s catalog (``Material.licence_accepted``)."""
    from houshi_desk.domain.catalog import load_catalog

    materials = load_catalog(region).materials
    return [lic for lic in licences
            if lic.get("material") in materials and materials[lic["material"]].licence_accepted]


def look_up(store, user, settings, id_number: str, *, with_cases: bool = False,
            case_number: str | None = None, region: str | None = None) -> SharedRecords:
    """The use case: ask the platform and record the look-up (共享查询) on the audit trail, whether or
    not the platform answered. ``user`` is the logged-in account (or its name). Only the licences
    the region's catalog accepts (``region``, by default the office's) are returned."""
    actor = getattr(user, "username", None) or str(user)
    try:
        found = fetch(settings, id_number, with_cases=with_cases)
    except SharedUnavailable:
        audit_lookup(store, actor, id_number, outcome="平台不可用", case_number=case_number)
        raise
    found.licences = accepted_licences(region or settings.office_region, found.licences)
    what = f"{len(found.facts)} 项事实、{len(found.licences)} 份电子证照"
    if found.cases is not None:
        what += f"、{len(found.cases)} 件受理中的案件"
    audit_lookup(store, actor, id_number, outcome=what, case_number=case_number)
    return found


def platform_duplicates(settings, id_number: str) -> list[dict] | None:
    """Open cases of this deceased anywhere in the province, or None when the platform cannot be
    asked (the platform checks again when the case is submitted)."""
    try:
        return fetch(settings, id_number, with_cases=True, timeout=5.0).cases or []
    except SharedUnavailable:
        return None


def record_licences(store, number: str, licences: list[dict], *, clerk: str) -> list[str]:
    """Mark the case's materials that the platform holds as electronic licences 共享获取 (免提交), with
    the licence number on the material; returns the codes marked. A material already collected on
    paper or scanned keeps its state; a licence the case's region does not accept marks nothing."""
    from houshi_desk.services.cases import get_case_row

    with store.session(write=True) as s:
        return mark_licences(s, get_case_row(s, number), licences, clerk=clerk)


def mark_licences(s, row, licences: list[dict], *, clerk: str) -> list[str]:
    """``record_licences`` inside the caller's transaction (``services.accept.accept_case``'s ``within``)."""
    from houshi_desk import audit
    from houshi_desk.domain.case import MaterialState

    marked = []
    by_code = {lic.get("material"): lic for lic in accepted_licences(row.region, licences)}
    now = datetime.now()
    for m in row.materials:
        lic = by_code.get(m.code)
        if lic is None or m.state in (MaterialState.PAPER.value, MaterialState.SCANNED.value):
            continue
        m.state = MaterialState.SHARED.value
        m.note = licence_note(lic)
        m.updated_at = now
        marked.append(m.code)
        audit.record(s, actor=clerk, action="change", case_number=row.number,
                     detail=f"材料 {m.code} → 共享获取（免提交）：{licence_note(lic)}")
    return marked


def record_fact_override(store, number: str, *, clerk: str, fact: str, shared: dict, value, reason: str) -> None:
    """The clerk changed a fact the platform had shared: the shared value, its source and the reason
    go to the case's audit trail."""
    from houshi_desk import audit

    with store.session(write=True) as s:
        audit_fact_override(s, number, clerk=clerk, fact=fact, shared=shared, value=value, reason=reason)


def audit_fact_override(s, number: str, *, clerk: str, fact: str, shared: dict, value, reason: str) -> None:
    """``record_fact_override`` inside the caller's transaction."""
    from houshi_desk import audit

    audit.record(s, actor=clerk, action="change", case_number=number,
                 detail=f"改动共享数据 {fact}：共享值 {shared.get('value')!r}（{provenance(shared)}）"
                        f"→ {value!r}；原因：{reason.strip()}")


def platform_duplicate_cases(settings, id_number: str) -> list[dict]:
    """Before acceptance: this deceased's open cases elsewhere in the province, in ``DuplicateCase``'s
    form (number, office, application_date). Empty when there are none — or when no platform or
    look-up key is set or the platform does not answer: the platform checks again at submit."""
    if not settings.platform_url:
        return []
    found = platform_duplicates(settings, id_number) or []
    return [{"number": c["case_id"], "office": c["office"] or "其他受理点", "application_date": c["date"]}
            for c in found]


def record_duplicate_override(store, number: str, override, existing: list[dict]) -> None:
    """A supervisor accepted ``number`` although the platform named other open cases of the deceased:
    the same audit entry ``create_case`` writes for a local duplicate, so the payload carries the
    override (``sync.outbox.case_payload``)."""
    from houshi_desk import audit

    with store.session(write=True) as s:
        audit_duplicate_override(s, number, override, existing)


def audit_duplicate_override(s, number: str, override, existing: list[dict]) -> None:
    """``record_duplicate_override`` inside the caller's transaction."""
    from houshi_desk import audit

    audit.record(s, actor=override.supervisor, action="change", case_number=number,
                 detail=f"主管同意重复受理（已有案件 {'、'.join(e['number'] for e in existing)}）："
                        f"{override.reason.strip()}")
