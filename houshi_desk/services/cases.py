"""The case workflow: open a case from the window's data, decide its matters, save, find, submit.

One function per thing a clerk does. Each runs in one transaction: the case, its matters and
materials, its number, its audit entry and (on submit) its outbox items are saved together or not
at all. Facts the parties already tell (death kind and date, relationship, applicant's age) are
derived here so the clerk never types them twice.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from houshi_desk.domain.case import (
    Case,
    CaseMaterial,
    CaseMatter,
    CaseStatus,
    DeathFacts,
    DeathKind,
    Delivery,
    Disposal,
    MaterialState,
    MatterStatus,
    Party,
    PartyRole,
    Relationship,
    derive_facts,
    format_case_number,
    parse_case_number,
)
from houshi_desk.domain.identity import IdentityDocument, Severity, check_document, mask_id_number
from houshi_desk.errors import HoushiError
from houshi_desk.store.models import (
    CaseMaterialRow,
    CaseMatterRow,
    CaseNumberSequenceRow,
    CaseRow,
    MatterStatusRow,
    PartyRow,
)

log = logging.getLogger(__name__)


class CaseError(HoushiError):
    pass


class CaseNotFound(CaseError):
    pass


# ---------------------------------------------------------------- from and to plain data


def _party_from_dict(role: PartyRole, data: dict | None, where: str) -> Party | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise CaseError(f"{where} 应为对象（姓名、证件号码等字段）。")
    ident = data.get("identity", data)
    authorised_from = authorised_to = None
    if role is PartyRole.PROXY:
        # top-level valid_from/valid_to of a proxy are the authorisation period (委托期限); the card's
        # own validity is nested under "identity", or in a flat object id_valid_from/id_valid_to
        if "identity" not in data and isinstance(ident, dict):
            ident = {k: v for k, v in ident.items() if k not in ("valid_from", "valid_to")}
            ident["valid_from"] = data.get("id_valid_from")
            ident["valid_to"] = data.get("id_valid_to")
        authorised_from = _day_or_none(data.get("valid_from"), f"{where}.valid_from（委托期限起）")
        authorised_to = _day_or_none(data.get("valid_to"), f"{where}.valid_to（委托期限止）")
    if not isinstance(ident, dict):
        raise CaseError(f"{where}.identity 应为对象（姓名、证件号码等字段）。")
    try:
        identity = IdentityDocument.from_dict({"source": "manual", **ident})
    except (ValueError, TypeError) as exc:
        raise CaseError(f"{where} 的证件信息格式不对：{exc}", hint="日期请写成 YYYY-MM-DD") from exc
    rel = data.get("relationship")
    try:
        relationship = Relationship(rel) if rel else None
    except ValueError as exc:
        raise CaseError(
            f"{where}.relationship 不认识：{rel!r}；可选：{'、'.join(r.value for r in Relationship)}"
        ) from exc
    return Party(
        role=role,
        identity=identity,
        phone=str(data.get("phone", "")),
        address=str(data.get("contact_address", "")),  # 常住地址; the card's address stays in identity
        employer=str(data.get("employer", "")),
        bank_account=str(data.get("bank_account", "")),
        bank_name=str(data.get("bank_name", "")),
        relationship=relationship,
        note=str(data.get("note", "")),
        relationship_note=str(data.get("relationship_note", "") or ""),
        authorised_from=authorised_from,
        authorised_to=authorised_to,
    )


def _day_or_none(value, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CaseError(f"{where} 不是有效日期：{value!r}。", hint="日期请写成 YYYY-MM-DD，如 2026-01-22") from None


# an authorisation signed at home a few weeks before the family comes to the window is normal;
# one dated further back than this (or ending before it starts, or already over) is refused
PROXY_BACKDATE_DAYS = 30


def settle_proxy_period(case: Case, application_date: date, default_days: int) -> None:
    """Give a proxy without an authorisation period the default one (the application date .. +
    ``default_days``, setting ``proxy.default_validity_days``) and refuse an impossible one
    (CaseError, reason in Chinese). A case without a proxy is left alone."""
    from datetime import timedelta

    p = case.proxy
    if p is None:
        return
    if p.authorised_from is None:
        p.authorised_from = application_date
    if p.authorised_to is None:
        p.authorised_to = max(p.authorised_from, application_date) + timedelta(days=max(int(default_days), 1))
    problem = proxy_period_problem(p.authorised_from, p.authorised_to, application_date)
    if problem:
        raise CaseError(problem[0], hint=problem[1])


def proxy_period_problem(start: date | None, end: date | None, application_date: date) -> tuple[str, str] | None:
    """(reason, hint) in Chinese when an authorisation period cannot be accepted, else None; a missing
    end is fine (it gets the default)."""
    from datetime import timedelta

    if start is not None and end is not None and end < start:
        return (f"委托期限有误：截止日期 {end.isoformat()} 早于开始日期 {start.isoformat()}。",
                "请核对授权委托书上的委托期限")
    if start is not None and start < application_date - timedelta(days=PROXY_BACKDATE_DAYS):
        return (f"委托期限开始日期 {start.isoformat()} 早于申请日期 {application_date.isoformat()} "
                f"{PROXY_BACKDATE_DAYS} 天以上，不能受理。",
                "委托期限一般自申请之日起；请核对日期，或请委托人重新出具授权委托书")
    if end is not None and end < application_date:
        return (f"委托期限已于 {end.isoformat()} 届满，早于申请日期 {application_date.isoformat()}。",
                "请委托人重新出具授权委托书，或由申请人本人办理")
    return None


def _death_from_dict(data: dict) -> DeathFacts:
    if not isinstance(data, dict) or "died_at" not in data:
        raise CaseError("缺少死亡信息（death.died_at：死亡时间，如 2026-01-20T08:30）。")
    try:
        died_at = datetime.fromisoformat(str(data["died_at"]))
        disposal_date = date.fromisoformat(data["disposal_date"]) if data.get("disposal_date") else None
        kind = DeathKind(data.get("kind", "normal"))
        disposal = Disposal(data.get("disposal", "cremation"))
    except ValueError as exc:
        raise CaseError(f"死亡信息有误：{exc}", hint="时间写成 2026-01-20T08:30，死亡类型 normal/abnormal/abroad/declared") from exc
    return DeathFacts(
        kind=kind,
        died_at=died_at,
        place=str(data.get("place", "")),
        proof_number=str(data.get("proof_number", "")),
        proof_issuer=str(data.get("proof_issuer", "")),
        disposal=disposal,
        disposal_proof_number=str(data.get("disposal_proof_number", "")),
        disposal_date=disposal_date,
        housing_fund_centre=str(data.get("housing_fund_centre", "")),
        employer=str(data.get("employer", "")),
        bank_account=str(data.get("bank_account", "")),
        bank_name=str(data.get("bank_name", "")),
    )


def case_from_dict(data: dict, *, region: str | None = None) -> Case:
    """A domain case from the JSON the CLI and the demo use (see ``sample_case_dict``)."""
    if not isinstance(data, dict):
        raise CaseError("案件文件应为 JSON 对象。")
    for key in ("deceased", "applicant", "death"):
        if key not in data:
            raise CaseError(f"案件文件缺少“{key}”部分。")
    case = Case(
        region=data.get("region") or region or "nm",
        deceased=_party_from_dict(PartyRole.DECEASED, data["deceased"], "deceased"),
        applicant=_party_from_dict(PartyRole.APPLICANT, data["applicant"], "applicant"),
        proxy=_party_from_dict(PartyRole.PROXY, data.get("proxy"), "proxy"),
        death=_death_from_dict(data["death"]),
        facts=dict(data.get("facts", {})),
        notes=str(data.get("notes", "")),
    )
    delivery = data.get("delivery")
    if delivery is not None:
        if not isinstance(delivery, dict):
            raise CaseError("delivery 应为对象：{\"method\": \"pickup\" 或 \"post\", \"address\", \"postcode\", \"recipient\", \"phone\"}。")
        case.delivery = Delivery.from_json(delivery)
        problems = case.delivery.problems()
        if problems:
            raise CaseError("送达方式有误：" + "；".join(problems) + "。", hint="自取写 {\"method\": \"pickup\"}")
    # 勾选 matters are the family's choice: only those listed in "chosen" are applied for (必选 ones always).
    chosen = data.get("chosen")
    if chosen is not None and (not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen)):
        raise CaseError("chosen 应为事项代码列表，如 [\"housing_fund_withdraw\"]。")
    case.matters = [CaseMatter(code=c, applicable=True, mandatory=False, chosen=True) for c in chosen or []]
    for code, state in (data.get("materials") or {}).items():
        try:
            case.materials.append(CaseMaterial(code=code, state=MaterialState(state)))
        except ValueError as exc:
            raise CaseError(f"材料“{code}”的状态不认识：{state!r}；可选：{'、'.join(s.value for s in MaterialState)}") from exc
    _check_limits(case)
    return case


def _check_limits(case: Case) -> None:
    """Lengths, control characters, a time without a zone, applicant ≠ deceased (domain/limits.py)."""
    from houshi_desk.domain.limits import LimitError, check_case

    try:
        check_case(case)
    except LimitError as exc:
        raise CaseError(exc.message, hint=exc.hint) from exc


# ---------------------------------------------------------------- case numbers


def allocate_case_number(session: Session, region_code: str, terminal_id: str, day: date) -> str:
    """Next number for this terminal and day; one atomic upsert, safe across processes and terminals."""
    prefix = format_case_number(region_code, terminal_id, day, 0).rsplit("-", 1)[0]
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = (
        insert(CaseNumberSequenceRow)
        .values(prefix=prefix, last=1)
        .on_conflict_do_update(index_elements=["prefix"], set_={"last": CaseNumberSequenceRow.last + 1})
        .returning(CaseNumberSequenceRow.last)
    )
    seq = session.execute(stmt).scalar_one()
    return format_case_number(region_code, terminal_id, day, seq)


def raise_case_sequence(session: Session, prefix: str, at_least: int) -> tuple[int, int]:
    """Make the last sequence of ``prefix`` (``region-terminal-YYYYMMDD``) at least ``at_least``, never
    lower it; returns (before, after). One atomic upsert, like :func:`allocate_case_number`."""
    before = session.execute(select(CaseNumberSequenceRow.last).where(
        CaseNumberSequenceRow.prefix == prefix)).scalar_one_or_none() or 0
    if at_least <= before:
        return before, before
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert

        highest = func.greatest
    else:
        from sqlalchemy.dialects.sqlite import insert

        highest = func.max  # SQLite's two-argument max() is the scalar one
    after = session.execute(
        insert(CaseNumberSequenceRow).values(prefix=prefix, last=at_least)
        .on_conflict_do_update(index_elements=["prefix"], set_={"last": highest(CaseNumberSequenceRow.last, at_least)})
        .returning(CaseNumberSequenceRow.last)).scalar_one()
    return before, after


# ---------------------------------------------------------------- rows


def _party_row(p: Party) -> PartyRow:
    ident = p.identity
    return PartyRow(
        role=p.role.value,
        name=ident.name,
        id_number=ident.id_number,
        card_type=ident.card_type.value,
        identity=ident.to_dict(full=True),
        photo_wlt=ident.photo_wlt,
        phone=p.phone,
        address=p.address,
        employer=p.employer,
        bank_account=p.bank_account,
        bank_name=p.bank_name,
        relation=p.relationship.value if p.relationship else None,
        note=p.note,
        relationship_note=p.relationship_note,
        authorised_from=p.authorised_from,
        authorised_to=p.authorised_to,
    )


def _party_from_row(row: PartyRow) -> Party:
    ident = IdentityDocument.from_dict(row.identity or {"name": row.name, "id_number": row.id_number})
    if row.photo_wlt:
        from dataclasses import replace

        ident = replace(ident, photo_wlt=row.photo_wlt)
    return Party(
        role=PartyRole(row.role),
        identity=ident,
        phone=row.phone,
        address=row.address,
        employer=row.employer,
        bank_account=row.bank_account,
        bank_name=row.bank_name,
        relationship=Relationship(row.relation) if row.relation else None,
        note=row.note,
        relationship_note=row.relationship_note or "",
        authorised_from=row.authorised_from,
        authorised_to=row.authorised_to,
    )


def _death_to_json(d: DeathFacts) -> dict:
    return {
        "kind": d.kind.value,
        "died_at": d.died_at.isoformat(timespec="minutes"),
        "place": d.place,
        "proof_number": d.proof_number,
        "proof_issuer": d.proof_issuer,
        "disposal": d.disposal.value,
        "disposal_proof_number": d.disposal_proof_number,
        "disposal_date": d.disposal_date.isoformat() if d.disposal_date else None,
        "housing_fund_centre": d.housing_fund_centre,
        "employer": d.employer,
        "bank_account": d.bank_account,
        "bank_name": d.bank_name,
    }


def case_from_row(row: CaseRow) -> Case:
    parties = {p.role: _party_from_row(p) for p in row.parties}
    return Case(
        region=row.region,
        deceased=parties.get("deceased"),
        applicant=parties.get("applicant"),
        proxy=parties.get("proxy"),
        death=_death_from_dict(row.death),
        facts=dict(row.facts or {}),
        number=row.number,
        status=CaseStatus(row.status),
        clerk=row.clerk,
        office=row.office,
        created_at=row.created_at,
        application_date=row.application_date,
        matters=[
            CaseMatter(
                code=m.code,
                applicable=m.applicable,
                mandatory=m.mandatory,
                chosen=m.chosen,
                reason=m.reason,
                due_date=m.due_date,
                status=MatterStatus(m.status),
                result=m.result,
                due_date_uncertain=bool(m.due_date_uncertain),
            )
            for m in row.matters
        ],
        materials=[CaseMaterial(code=m.code, state=MaterialState(m.state), note=m.note) for m in row.materials],
        notes=row.notes,
        id_card_surrendered=row.id_card_surrendered,
        delivery=Delivery.from_json(row.delivery),
        catalog_version=row.catalog_version or "",
        checklist=row.checklist,
        ticket=row.ticket,
        called_at=row.called_at,
        served_at=row.served_at,
        finished_at=row.finished_at,
    )


def _audit(session: Session, *, actor: str, action: str, case_number: str, detail: str = "") -> None:
    from houshi_desk import audit

    audit.record(session, actor=actor, action=action, case_number=case_number, detail=detail)


# ---------------------------------------------------------------- workflow


@dataclass(frozen=True)
class DuplicateOverride:
    """A supervisor's decision to accept a second case for the same deceased (e.g. a second applicant
    for a matter the first did not choose); recorded on the case's audit trail."""

    reason: str
    supervisor: str


class DuplicateCase(CaseError):
    """The deceased already has an open case; ``existing`` names it (number, office, date)."""

    def __init__(self, existing: list[dict]):
        first = existing[0]
        super().__init__(
            f"该逝者已有受理中的案件：{first['number']}（{first.get('office') or '本机'}，"
            f"{first.get('application_date') or ''}受理），不能重复受理。",
            hint="请打开已有案件补充办理；确需另行受理（如另一位申请人办理前案未选的事项），须由主管登记原因后继续")
        self.existing = existing


def find_open_cases_of_deceased(session: Session, id_number: str, *, exclude: str | None = None) -> list[dict]:
    """Cases for the same deceased ID number that are not withdrawn (作废), in this database — in hall
    mode that is every window's. Newest first."""
    wanted = (id_number or "").strip().upper()
    if not wanted:
        return []
    rows = session.execute(
        select(CaseRow.number, CaseRow.office, CaseRow.application_date, CaseRow.status)
        .join(PartyRow, (PartyRow.case_id == CaseRow.id) & (PartyRow.role == "deceased"))
        .where(PartyRow.id_number == wanted, CaseRow.status != CaseStatus.CANCELLED.value)
        .order_by(CaseRow.created_at.desc())
    ).all()
    return [{"number": r[0], "office": r[1], "application_date": r[2].isoformat() if r[2] else None, "status": r[3]}
            for r in rows if r[0] != exclude]


def check_parties(case: Case, today: date, *, override_reason: str = "") -> list[str]:
    """Problems that stop a case from being opened; warnings are returned as text for the clerk."""
    warnings: list[str] = []
    for party in case.parties():
        for problem in check_document(party.identity, today, role=party.role.value):
            text = f"{party.role.label}（{party.identity.name or '未填姓名'}）：{problem.message}"
            if problem.severity is Severity.WARNING:
                warnings.append(text)
            elif problem.code == "expired" and override_reason:
                warnings.append(f"{text}（窗口已登记原因：{override_reason}）")
            else:
                raise CaseError(text, hint="请核对证件后重新录入")
    return warnings


def office_catalog(settings, region: str | None = None):
    """The region's catalog with provincial IT's configured deadlines (``<region>-deadlines.toml``
    beside the system settings file) applied."""
    from houshi_desk.domain.catalog import deadlines_file, load_catalog

    region = (region or settings.office_region).strip().lower()
    return load_catalog(region, deadlines_file(region, settings.paths.system_config_file.parent))


class OutOfScope(CaseError):
    """The death is not one the region's joint service covers; ``scope`` carries the referral."""

    def __init__(self, scope):
        super().__init__(f"不在联办范围，未建立案件：{scope.reason}。",
                         hint="请打印分别办理指引，告诉家属到各部门分别办理")
        self.scope = scope


def check_office_region(case_region: str, settings) -> None:
    """An office configured for one region takes and opens only that region's cases."""
    office = (settings.office_region or "").strip().lower()
    if (case_region or "").strip().lower() != office:
        raise CaseError(f"本窗口设置的地区为“{office}”，不能受理或打开“{case_region}”地区的案件。",
                        hint="地区由信息科在设置 office.region 中配置")


def plan_case(case: Case, today: date, settings=None):
    """Run the checklist for a case; returns (validated facts, ChecklistResult). Raises ``OutOfScope``
    for a death outside the region's joint service and ``CaseError`` for an ineligible applicant,
    since the window cannot accept such an application."""
    from houshi_desk.domain.catalog import load_catalog
    from houshi_desk.domain.checklist import evaluate
    from houshi_desk.domain.facts import validate_facts

    catalog = office_catalog(settings, case.region) if settings is not None else load_catalog(case.region)
    facts = validate_facts(derive_facts(case, today), today, read=catalog.facts_read())
    result = evaluate(catalog, facts, today)
    if not result.scope.in_scope:
        raise OutOfScope(result.scope)
    if not result.applicant.eligible:
        raise CaseError(f"申请人不符合申请条件：{result.applicant.reason}")
    return facts, result


def create_case(
    store,
    case: Case,
    *,
    settings,
    today: date,
    clerk: str,
    submit: bool = False,
    override_reason: str = "",
    now: datetime | None = None,
    ticket: str | None = None,
    called_at: datetime | None = None,
    duplicate_override: DuplicateOverride | None = None,
    within=None,
) -> str:
    """Save a new case with its matters and the one set of materials; returns its number.

    A deceased who already has a case that is not withdrawn stops acceptance (``DuplicateCase``,
    naming the existing case) unless ``duplicate_override`` carries a supervisor's reason, which goes
    to the audit trail. ``within(session, row)`` runs inside the same write transaction, before the
    submit (``services.accept.accept_case`` attaches the already processed pages there)."""
    check_office_region(case.region, settings)
    problems = case.delivery.problems()
    if problems:
        raise CaseError("送达方式有误：" + "；".join(problems) + "。")
    _check_limits(case)  # the window builds its Case itself, not through case_from_dict
    check_parties(case, today, override_reason=override_reason)
    from houshi_desk.domain.contact import check_case_contacts

    check_case_contacts(case)  # phone, bank card, date order: refused in words (Luhn: a warning only)
    settle_proxy_period(case, today, settings.proxy_default_validity_days)  # 委托期限: default, or refused
    facts, result = plan_case(case, today, settings)
    chosen_codes = {m.code for m in case.matters if m.chosen}
    material_states = {m.code: m.state for m in case.materials}
    now = now or datetime.now()

    matter_rows = []
    chosen_now: set[str] = set()
    for outcome in result.matters:
        if outcome.kind == "info":
            continue  # done elsewhere (e.g. 火化证 at the funeral home); printed, not tracked
        chosen = outcome.applicable and (outcome.mandatory or outcome.code in chosen_codes)
        if chosen:
            chosen_now.add(outcome.code)
        status = (
            MatterStatus.PENDING if chosen
            else MatterStatus.NOT_CHOSEN if outcome.applicable
            else MatterStatus.NOT_APPLICABLE
        )
        row = CaseMatterRow(
            code=outcome.code,
            department=outcome.department,
            applicable=outcome.applicable,
            mandatory=outcome.mandatory,
            chosen=chosen,
            reason=outcome.reason,
            due_date=outcome.due_date if chosen else None,
            due_date_uncertain=bool(outcome.due_date_uncertain) if chosen else False,
            status=status.value,
            updated_at=now,
        )
        row.history.append(MatterStatusRow(status=status.value, at=now, source="window", actor=clerk))
        matter_rows.append(row)
    unknown = chosen_codes - {o.code for o in result.matters}
    if unknown:
        raise CaseError(f"勾选了本地区目录中没有的事项：{'、'.join(sorted(unknown))}")

    matter_codes = {o.code for o in result.matters}
    material_rows = []
    for need in result.materials:
        # needed_by also names the application itself and preconditions (e.g. the death proof);
        # a material goes only when every matter needing it was left unchosen.
        if not any(code in chosen_now or code not in matter_codes for code in need.needed_by):
            continue
        state = material_states.get(need.code, MaterialState.MISSING)
        material_rows.append(CaseMaterialRow(code=need.code, state=state.value, updated_at=now))

    region_code = settings.office_region_code
    terminal = settings.office_terminal_id
    with store.session(write=True) as s:
        existing = find_open_cases_of_deceased(s, case.deceased.identity.id_number)
        if existing and duplicate_override is None:
            raise DuplicateCase(existing)
        if existing and not (duplicate_override.reason or "").strip():
            raise CaseError("继续受理重复案件须登记原因。", hint="请主管写明为什么另行受理")
        number = allocate_case_number(s, region_code, terminal, today)
        row = CaseRow(
            number=number,
            region=case.region,
            region_code=region_code,
            terminal_id=terminal.upper(),
            office=settings.office_name,
            status=CaseStatus.DRAFT.value,
            clerk=clerk,
            created_at=now,
            updated_at=now,
            application_date=today,
            facts=facts.to_json(),
            death=_death_to_json(case.death),
            death_kind=case.death.kind.value,
            died_at=case.death.died_at,
            notes=case.notes + (f"\n证件过期继续受理原因：{override_reason}" if override_reason else ""),
            catalog_version=result.catalog_version,
            checklist=result.to_json(),  # what the family is told today; reprints render from it
            delivery=case.delivery.to_json(),
            # the queue (issue 17): the ticket and when the family was called; served = accepted now
            ticket=ticket or case.ticket,
            called_at=called_at or case.called_at,
            served_at=now,
        )
        row.parties = [_party_row(p) for p in case.parties()]
        row.matters = matter_rows
        row.materials = material_rows
        s.add(row)
        s.flush()
        _audit(s, actor=clerk, action="create", case_number=number,
               detail=f"新建案件；逝者 {mask_id_number(case.deceased.identity.id_number)}")
        if existing:
            _audit(s, actor=duplicate_override.supervisor, action="change", case_number=number,
                   detail=f"主管同意重复受理（已有案件 {'、'.join(e['number'] for e in existing)}）："
                          f"{duplicate_override.reason.strip()}")
        if within is not None:
            within(s, row)
        if submit:
            _submit(s, row, clerk=clerk, now=now)
    log.info("case %s created by %s (%d matters)", number, clerk, len(chosen_now))
    return number


def get_case_row(session: Session, number: str, *, region: str | None = None) -> CaseRow:
    """The case's row with its parties, matters and materials. With ``region`` (the office's), a case
    of another region is refused: an office configured for one region opens only that region's cases."""
    parse_case_number(number)
    row = session.execute(
        select(CaseRow)
        .where(CaseRow.number == number.strip().upper())
        .options(selectinload(CaseRow.parties), selectinload(CaseRow.matters), selectinload(CaseRow.materials))
    ).scalar_one_or_none()
    if row is None:
        raise CaseNotFound(f"找不到受理编号为 {number} 的案件。", hint="请核对编号，或用姓名、证件号码查找")
    if region is not None and row.region != region.strip().lower():
        raise CaseError(f"案件 {row.number} 属于“{row.region}”地区，本窗口设置的地区为“{region}”，不能打开。",
                        hint="地区由信息科在设置 office.region 中配置")
    return row


def load_case(session: Session, number: str, *, actor: str | None = None, reason: str = "",
              region: str | None = None) -> Case:
    """The case as a domain object; with ``actor`` the look is written to the audit trail; with
    ``region`` (the office's) another region's case is refused."""
    row = get_case_row(session, number, region=region)
    if actor is not None:
        _audit(session, actor=actor, action="view", case_number=row.number, detail=reason)
    return case_from_row(row)


def _submit(session: Session, row: CaseRow, *, clerk: str, now: datetime) -> None:
    from houshi_desk.sync.outbox import enqueue_case

    if row.status != CaseStatus.DRAFT.value:
        raise CaseError(f"案件 {row.number} 当前状态为“{CaseStatus(row.status).label}”，不能再次提交。")
    row.status = CaseStatus.SUBMITTED.value
    row.updated_at = now
    for m in row.matters:
        if m.chosen and m.status == MatterStatus.PENDING.value:
            m.status = MatterStatus.SUBMITTED.value
            m.updated_at = now
            m.history.append(MatterStatusRow(status=m.status, at=now, source="window", actor=clerk))
    session.flush()
    enqueue_case(session, row)  # same transaction: a submitted case is a case that will be sent
    _audit(session, actor=clerk, action="submit", case_number=row.number, detail="提交至省级共享平台")


def submit_case(store, number: str, *, clerk: str, now: datetime | None = None) -> None:
    with store.session(write=True) as s:
        _submit(s, get_case_row(s, number), clerk=clerk, now=now or datetime.now())


def set_material_state(store, number: str, code: str, state: MaterialState, *, clerk: str, note: str = "") -> None:
    with store.session(write=True) as s:
        row = get_case_row(s, number)
        material = next((m for m in row.materials if m.code == code), None)
        if material is None:
            raise CaseError(f"案件 {number} 不需要材料“{code}”。", hint="可用的材料：" + "、".join(m.code for m in row.materials))
        material.state = state.value
        material.note = note or material.note
        material.updated_at = datetime.now()
        _audit(s, actor=clerk, action="change", case_number=row.number, detail=f"材料 {code} → {state.label}")


# ---------------------------------------------------------------- search


@dataclass(frozen=True)
class CaseSummary:
    number: str
    status: str
    application_date: date
    clerk: str
    deceased_name: str
    deceased_id_masked: str


def search_cases(session: Session, text: str, limit: int = 50, *, office: str | None = None) -> list[CaseSummary]:
    """Find cases by case number (or its prefix), ID number or its last digits, or name prefix of any
    party; newest first; with ``office``, only that office's cases (a front-end calls
    ``services.search.find_cases`` / ``case_list``, which take it from the account). Bounded by the
    answer, not the database: see houshi_desk/services/search.py."""
    from houshi_desk.services.search import search_cases as _search

    return _search(session, text, limit, office=office)


def _summaries(session: Session, where: list, limit: int) -> list[CaseSummary]:
    # A plain join on (case_id, role) rather than a subquery: SQLite would materialise a subquery
    # of every deceased party before filtering, which is what made number look-ups slow.
    rows = session.execute(
        select(CaseRow.number, CaseRow.status, CaseRow.application_date, CaseRow.clerk, PartyRow.name, PartyRow.id_number)
        .join(PartyRow, (PartyRow.case_id == CaseRow.id) & (PartyRow.role == "deceased"))
        .where(*where)
        .order_by(CaseRow.created_at.desc())
        .limit(limit)
    ).all()
    return [CaseSummary(r[0], r[1], r[2], r[3], r[4], mask_id_number(r[5])) for r in rows]


def cases_of_day(session: Session, day: date, limit: int = 500, *, office: str | None = None) -> list[CaseSummary]:
    """The cases accepted on ``day``, newest first; with ``office``, only that office's."""
    where = [CaseRow.application_date == day]
    if office is not None:
        where.append(CaseRow.office == office)
    return _summaries(session, where, limit)


# ---------------------------------------------------------------- sample data


def synthetic_id_number(seq: int, *, birth: str = "19491231", area: str = "110105", female: bool = True) -> str:
    """A valid 18-digit ID number for synthetic people (tests, demo, benchmarks): the area and birth
    date of the published sample with a sequence code, and its real check digit; ``seq`` 0–449 are distinct."""
    order = 2 * (int(seq) % 450 + 50) + (0 if female else 1)  # 100–999: never the sample's own 002; parity = sex
    body = f"{area}{birth}{order:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def sample_case_dict(region: str = "nm", *, deceased_seq: int | None = None) -> dict:
    """A complete synthetic case (published sample numbers only), for tests, demo and docs.

    One deceased has one case: a test or demo that needs several cases passes ``deceased_seq`` to get
    another synthetic deceased (a valid ID number of the same sample birth date)."""
    data = _sample_case_dict(region)
    if deceased_seq is not None:
        data["deceased"]["id_number"] = synthetic_id_number(deceased_seq)
    return data


def _sample_case_dict(region: str) -> dict:
    return {
        "region": region,
        "deceased": {
            "card_type": "resident",
            "name": "测试",
            "id_number": "11010519491231002X",
            "sex": "女",
            "nation": "汉",
            "birth_date": "1949-12-31",
            "address": "北京市朝阳区测试路1号",
            "authority": "北京市公安局朝阳分局",
            "valid_from": "2020-01-01",
            "valid_to": None,
            "source": "card",
        },
        "applicant": {
            "card_type": "resident",
            "name": "样例",
            "id_number": "360426199101010071",
            "sex": "男",
            "nation": "汉",
            "birth_date": "1991-01-01",
            "address": "江西省九江市德安县样例路2号",
            "authority": "德安县公安局",
            "valid_from": "2019-05-01",
            "valid_to": "2039-05-01",
            "source": "card",
            "relationship": "child",
            "phone": "13800000000",
            "contact_address": "内蒙古呼伦贝尔市海拉尔区样例街3号",
            "bank_account": "6222000000000000000",
            "bank_name": "中国工商银行海拉尔支行",
        },
        "death": {
            "kind": "normal",
            "died_at": "2026-01-20T08:30",
            "place": "呼伦贝尔市人民医院",
            "proof_number": "Z150702202600001",
            "proof_issuer": "呼伦贝尔市人民医院",
            "disposal": "cremation",
            "disposal_proof_number": "HH2026000123",
            "disposal_date": "2026-01-22",
        },
        "facts": {
            "deceased_is_household_head": True,
            "deceased_has_driving_licence": True,
            "pension_type": "urban_rural",
            "pension_receiving": True,
            "retired": False,
            "unemployment_benefit": False,
            "medical_insurance": "resident",
            "medical_bills_settled": True,
            "housing_fund_account": False,
            "social_assistance": False,
            "entitled_group": False,
            "disability_card": False,
            "applicant_own_income": True,
            "sole_relative_incapacitated": False,
            "died_in_region": True,  # the NX scope facts (NX:83); NM does not read them
            "deceased_local_household": True,
        },
        # 勾选 matters the family chose (必选 ones need no listing)
        "chosen": ["household_head_change", "rural_pension_funeral"] if region == "nm" else ["pension_account_lump"],
        "delivery": {"method": "pickup"},
        "materials": {},
    }
