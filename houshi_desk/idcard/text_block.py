"""The 256-byte text block of an ID card (UCS-2 little-endian, space padded), both ways.

Four layouts, told apart by the character at byte 248 (IDCARD.md): space = resident ID card,
``J`` = HK/Macao/Taiwan residence permit, ``I`` = foreign permanent residence card 2017,
``Y`` = the 2023 card. Parsing is strict: a block that cannot come from a real card (undecodable
UTF-16, control characters, an impossible date, an unknown 民族 code) raises
:class:`CardDataError` — a corrupt read must be retried, never half-used. Number rules (check
digit, region, consistency) are not judged here: :func:`houshi_desk.domain.identity.check_document`
reports them as problems for the clerk.

Encoding (:func:`encode_text_block`) serves the virtual card and the simulated SAM.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Mapping

from houshi_desk.domain.identity import CardType, IdentityDocument, Sex, Source
from houshi_desk.idcard.errors import CardDataError
from houshi_desk.idcard.nations import nation_code, nation_name

TEXT_BLOCK_SIZE = 256
LONG_TERM = "长期"
TYPE_CHAR_OFFSET = 248  # byte offset of the card type character


@dataclass(frozen=True)
class Field:
    name: str
    offset: int  # bytes
    length: int  # bytes

    @property
    def chars(self) -> slice:
        return slice(self.offset // 2, (self.offset + self.length) // 2)


def _layout(spec: str) -> tuple[Field, ...]:
    return tuple(Field(n, int(o), int(ln)) for n, o, ln in (item.split("/") for item in spec.split()))


# name/offset/length in bytes; a correction from a standard is a one-item change.
_RESIDENT = ("name/0/30 sex/30/2 nation/32/4 birth_date/36/16 address/52/70 id_number/122/36 "
             "authority/158/30 valid_from/188/16 valid_to/204/16")
LAYOUTS: dict[CardType, tuple[Field, ...]] = {
    CardType.RESIDENT: _layout(_RESIDENT),
    CardType.HMT_PERMIT: _layout(_RESIDENT + " pass_number/220/18 issue_count/238/4"),
    CardType.FOREIGN_2017: _layout(
        "name_en/0/120 sex/120/2 id_number/122/30 nationality/152/6 name/158/30 valid_from/188/16 "
        "valid_to/204/16 birth_date/220/16 card_version/236/4 authority_code/240/8"),
    CardType.FOREIGN_2023: _layout(
        "name/0/30 sex/30/2 issue_count/32/4 birth_date/36/16 name_en_1/52/70 id_number/122/36 "
        "valid_from/188/16 valid_to/204/16 name_en_2/220/22 nationality/242/6 old_number_link/250/6"),
}
TYPE_CHARS: dict[str, CardType] = {" ": CardType.RESIDENT, "\x00": CardType.RESIDENT,
                                   "J": CardType.HMT_PERMIT, "I": CardType.FOREIGN_2017,
                                   "Y": CardType.FOREIGN_2023}
_TYPE_CHAR_OUT = {CardType.RESIDENT: " ", CardType.HMT_PERMIT: "J", CardType.FOREIGN_2017: "I",
                  CardType.FOREIGN_2023: "Y"}
FOREIGN_2023_AUTHORITY = "国家移民管理局"  # printed on every 2023 card, not stored in the chip text

_FIELD_LABELS = {
    "name": "姓名", "name_en": "英文姓名", "name_en_1": "英文姓名", "name_en_2": "英文姓名", "sex": "性别",
    "nation": "民族", "birth_date": "出生日期", "address": "住址", "id_number": "证件号码",
    "authority": "签发机关", "authority_code": "签发机关代码", "valid_from": "有效期起始日期",
    "valid_to": "有效期截止日期", "pass_number": "通行证号码", "issue_count": "签发次数",
    "nationality": "国籍", "card_version": "证件版本", "old_number_link": "旧证号码关联",
}
_PAD = " \x00\u3000"
_BAD_CATEGORIES = {"Cc", "Cs", "Co", "Cn", "Cf"}
_ID_CHARS = {
    CardType.RESIDENT: re.compile(r"\d{17}[\dX]"),
    CardType.HMT_PERMIT: re.compile(r"\d{17}[\dX]"),
    CardType.FOREIGN_2023: re.compile(r"\d{17}[\dX]"),
    CardType.FOREIGN_2017: re.compile(r"[A-Z]{3}\d{12}"),
}


def card_type_of(block: bytes) -> CardType:
    ch = bytes(block[TYPE_CHAR_OFFSET:TYPE_CHAR_OFFSET + 2]).decode("utf-16-le", "replace")
    found = TYPE_CHARS.get(ch)
    if found is None:
        raise CardDataError("读到的证件类型无法识别，数据可能没有读对。", code="card_type",
                            detail=f"type char {ch!r}")
    return found


def parse_text_block(block: bytes, photo: bytes | None = None) -> IdentityDocument:
    """The identity in a 256-byte text block; raises :class:`CardDataError` for a corrupt block."""
    block = bytes(block)
    if len(block) != TEXT_BLOCK_SIZE:
        raise CardDataError("读到的文字信息长度不对，数据不完整。", code="text_length",
                            detail=f"{len(block)} bytes")
    card_type = card_type_of(block)
    try:
        text = block.decode("utf-16-le")
    except UnicodeDecodeError as exc:
        raise CardDataError("读到的文字信息无法解码，数据可能没有读对。", code="text_encoding",
                            detail=str(exc)) from None
    raw = {f.name: text[f.chars] for f in LAYOUTS[card_type]}
    bad = [name for name, value in raw.items() if _has_bad_chars(value)]
    if bad:
        raise _corrupt(bad)
    v = {name: value.rstrip(_PAD) for name, value in raw.items()}
    wrong: list[str] = []

    def date_field(name: str, long_term_ok: bool = False) -> date | None:
        s = v[name].strip()
        if long_term_ok and s == LONG_TERM:
            return None
        d = _parse_date(s)
        if d is None:
            wrong.append(name)
        return d

    sex = {s.value: s for s in Sex}.get(v["sex"].strip())
    if sex is None:
        wrong.append("sex")
    birth = date_field("birth_date")
    valid_from = date_field("valid_from")
    valid_to = date_field("valid_to", long_term_ok=True)
    number = v["id_number"].strip()
    if not _ID_CHARS[card_type].fullmatch(number):
        wrong.append("id_number")
    nation = ""
    if card_type is CardType.RESIDENT or (card_type is CardType.HMT_PERMIT and v["nation"].strip()):
        nation = nation_name(v["nation"].strip()) or ""
        if not nation:
            wrong.append("nation")
    nationality = v.get("nationality", "").strip()
    if card_type in (CardType.FOREIGN_2017, CardType.FOREIGN_2023) and not re.fullmatch(r"[A-Z]{3}", nationality):
        wrong.append("nationality")
    if wrong:
        raise _corrupt(wrong)

    if card_type is CardType.FOREIGN_2023:
        name_en = (raw["name_en_1"] + raw["name_en_2"]).rstrip(_PAD)  # part 1 may end in a real space
        authority = FOREIGN_2023_AUTHORITY
    elif card_type is CardType.FOREIGN_2017:
        name_en = v["name_en"]
        code = v["authority_code"].strip()
        authority = f"签发机关代码 {code}" if code else ""
    else:
        name_en = ""
        authority = v["authority"]
    return IdentityDocument(
        card_type=card_type,
        name=v["name"],
        id_number=number,
        sex=sex,
        birth_date=birth,
        nation=nation,
        address=v.get("address", ""),
        authority=authority,
        valid_from=valid_from,
        valid_to=valid_to,
        name_en=name_en,
        nationality=nationality,
        pass_number=v.get("pass_number", "").strip(),
        issue_count=v.get("issue_count", "").strip(),
        source=Source.CARD,
        photo_wlt=photo,
    )


def _has_bad_chars(value: str) -> bool:
    value = value.rstrip(_PAD)
    return any(unicodedata.category(c) in _BAD_CATEGORIES for c in value)


def _parse_date(s: str) -> date | None:
    if len(s) != 8 or not s.isascii() or not s.isdigit():
        return None
    try:
        return date(int(s[:4]), int(s[4:6]), int(s[6:]))
    except ValueError:
        return None


def _corrupt(fields: list[str]) -> CardDataError:
    labels = "、".join(dict.fromkeys(_FIELD_LABELS.get(f, f) for f in fields))
    return CardDataError(f"读到的证件信息有误（{labels}不正确），数据可能没有读对。", code="text_field",
                         detail="bad fields: " + ",".join(fields))


# ---------------------------------------------------------------------------------------------
# Encoding, for the virtual card and the simulated SAM.

def encode_text_block(doc: IdentityDocument, extras: Mapping[str, str] | None = None) -> bytes:
    """The 256-byte block a card would hold for ``doc``; ``ValueError`` when a field does not fit.

    ``extras`` supplies fields the domain does not keep: ``card_version`` and ``authority_code``
    (2017 card), ``old_number_link`` (2023 card).
    """
    extras = dict(extras or {})
    values: dict[str, str] = {
        "name": doc.name,
        "sex": doc.sex.value,
        "birth_date": _fmt(doc.birth_date),
        "id_number": doc.id_number,
        "valid_from": _fmt(doc.valid_from),
        "valid_to": _fmt(doc.valid_to) if doc.valid_to else LONG_TERM,
        "address": doc.address,
        "authority": doc.authority,
        "pass_number": doc.pass_number,
        "issue_count": doc.issue_count,
        "nationality": doc.nationality,
        "name_en": doc.name_en,
    }
    if doc.card_type is CardType.RESIDENT or doc.nation:
        code = nation_code(doc.nation)
        if code is None:
            raise ValueError(f"unknown nation {doc.nation!r}")
        values["nation"] = code
    if doc.card_type is CardType.FOREIGN_2017:
        m = re.search(r"(\S+)$", doc.authority or "")
        values["authority_code"] = extras.get("authority_code", m.group(1) if m else "")
        values["card_version"] = extras.get("card_version", "01")
    if doc.card_type is CardType.FOREIGN_2023:
        values["name_en_1"], values["name_en_2"] = doc.name_en[:35], doc.name_en[35:]
        values["old_number_link"] = extras.get("old_number_link", "")
    chars = [" "] * (TEXT_BLOCK_SIZE // 2)
    for f in LAYOUTS[doc.card_type]:
        value = values.get(f.name, "")
        width = f.length // 2
        if len(value) > width:
            raise ValueError(f"{f.name} longer than {width} characters")
        chars[f.chars] = list(value.ljust(width))
    chars[TYPE_CHAR_OFFSET // 2] = _TYPE_CHAR_OUT[doc.card_type]
    return "".join(chars).encode("utf-16-le")


def _fmt(d: date | None) -> str:
    return d.strftime("%Y%m%d") if d else ""
