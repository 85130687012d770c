"""Identity documents of the people on a case, and the rules that say whether one can be trusted.

Four card types come out of a reader (IDCARD.md): the resident ID card, the HK/Macao/Taiwan
residence permit (``J``), and the foreign permanent residence card in its 2017 (``I``) and 2023
(``Y``) forms; a clerk may also type a document in by hand. Whatever the source, the result is an
:class:`IdentityDocument`; :func:`check_document` lists every problem with it (never raises for a
bad card: the clerk needs to see all problems at once).

Number rules come from python-stdnum (``stdnum.cn.ric``: GB 11643 check digit, region table, birth
date). Pure module: no clock (``today`` is passed in), no I/O.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from datetime import date

from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric

from houshi_desk.errors import HoushiError


class CardType(str, enum.Enum):
    RESIDENT = "resident"  # 居民身份证
    HMT_PERMIT = "hmt_permit"  # 港澳台居民居住证
    FOREIGN_2017 = "foreign_2017"  # 外国人永久居留身份证（2017 版）
    FOREIGN_2023 = "foreign_2023"  # 外国人永久居留身份证（2023 版）

    @property
    def label(self) -> str:
        return CARD_TYPE_LABELS[self]


CARD_TYPE_LABELS = {
    CardType.RESIDENT: "居民身份证",
    CardType.HMT_PERMIT: "港澳台居民居住证",
    CardType.FOREIGN_2017: "外国人永久居留身份证（2017版）",
    CardType.FOREIGN_2023: "外国人永久居留身份证（2023版）",
}


class Source(str, enum.Enum):
    CARD = "card"  # read from a chip through a reader
    MANUAL = "manual"  # typed in by the clerk


class Sex(str, enum.Enum):
    UNKNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    UNSTATED = "9"

    @property
    def label(self) -> str:
        return {"0": "未知", "1": "男", "2": "女", "9": "未说明"}[self.value]


class Severity(str, enum.Enum):
    ERROR = "error"  # the document cannot be used as it is
    WARNING = "warning"  # usable; the clerk should look


@dataclass(frozen=True)
class Problem:
    code: str
    message: str  # Chinese, for the clerk; never contains the full ID number
    severity: Severity = Severity.ERROR


class InvalidIdNumber(HoushiError):
    """An ID number that fails its rules; raised by :func:`normalize_id_number`."""


@dataclass(frozen=True)
class IdentityDocument:
    card_type: CardType
    name: str
    id_number: str
    sex: Sex = Sex.UNKNOWN
    birth_date: date | None = None
    nation: str = ""  # 民族 (Chinese name, e.g. 汉) for resident cards
    address: str = ""
    authority: str = ""  # 签发机关
    valid_from: date | None = None
    valid_to: date | None = None  # None = 长期 (no end date)
    name_en: str = ""
    nationality: str = ""  # ISO 3166 alpha-3 for foreign cards, e.g. CAN
    pass_number: str = ""  # 通行证号码 on an HMT permit
    issue_count: str = ""  # 签发次数 (HMT) or 换证次数 (2023 foreign card)
    source: Source = Source.CARD
    photo_wlt: bytes | None = field(default=None, repr=False)  # raw 1024-byte WLT from the chip

    @property
    def masked_number(self) -> str:
        return mask_id_number(self.id_number)

    def without_photo(self) -> "IdentityDocument":
        return replace(self, photo_wlt=None)

    def to_dict(self, *, full: bool = False) -> dict:
        """Plain JSON-able form; the ID number is masked unless ``full``."""
        return {
            "card_type": self.card_type.value,
            "name": self.name,
            "name_en": self.name_en,
            "sex": self.sex.label,
            "nation": self.nation,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "address": self.address,
            "id_number": self.id_number if full else self.masked_number,
            "authority": self.authority,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "nationality": self.nationality,
            "pass_number": self.pass_number,
            "issue_count": self.issue_count,
            "source": self.source.value,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "IdentityDocument":
        """Inverse of :meth:`to_dict` (with ``full=True``); accepts sex as label or code."""
        sex = parse_sex(data.get("sex"))

        def d(key):
            v = data.get(key)
            return date.fromisoformat(v) if v else None

        return cls(
            card_type=CardType(data.get("card_type", "resident")),
            name=data.get("name", ""),
            id_number=str(data.get("id_number", "")).strip().upper(),
            sex=sex,
            birth_date=d("birth_date"),
            nation=data.get("nation", ""),
            address=data.get("address", ""),
            authority=data.get("authority", ""),
            valid_from=d("valid_from"),
            valid_to=d("valid_to"),
            name_en=data.get("name_en", ""),
            nationality=data.get("nationality", ""),
            pass_number=data.get("pass_number", ""),
            issue_count=data.get("issue_count", ""),
            source=Source(data.get("source", "manual")),
        )


def parse_sex(value) -> Sex:
    """Sex from a code (``1``), a label (``男``) or an English word; anything else is unknown."""
    raw = str(value if value is not None else "0").strip().lower()
    for sex in Sex:
        if raw in (sex.value, sex.label, sex.name.lower()):
            return sex
    return Sex.UNKNOWN


def mask_id_number(number: str | None) -> str:
    """``150702********1234``: enough to tell two people apart in a list, not enough to misuse."""
    if not number:
        return ""
    n = str(number)
    if len(n) <= 10:
        return n[:2] + "*" * max(len(n) - 2, 0)
    return n[:6] + "*" * (len(n) - 10) + n[-4:]


# GB/T 2260 province-level codes (first two digits of a resident ID number).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71".split()
)
HMT_PREFIXES = {"810000": "香港", "820000": "澳门", "830000": "台湾"}
_FOREIGN_2017 = re.compile(r"^[A-Z]{3}\d{12}$")


def convert_legacy_15(number: str) -> str:
    """Turn a 15-digit first-generation number into its 18-digit form (insert 19, add check digit)."""
    n = number.strip()
    if not re.fullmatch(r"\d{15}", n):
        raise InvalidIdNumber("15 位旧身份证号码应为 15 位数字，请核对后重新输入。")
    body = n[:6] + "19" + n[6:]
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last digit


def normalize_id_number(number: str) -> str:
    """Clean a typed number: strip spaces, upper-case x, convert a 15-digit legacy number."""
    n = re.sub(r"\s+", "", str(number or "")).upper()
    if len(n) == 15 and n.isdigit():
        return convert_legacy_15(n)
    return n


def _birth_from_number(n: str) -> date | None:
    try:
        return ric.get_birth_date(n)
    except (stdnum_exc.ValidationError, ValueError):
        return None


def check_id_number(number: str, card_type: CardType = CardType.RESIDENT) -> list[Problem]:
    """The number's own rules for its card type (check digit, region, birth date, format)."""
    n = str(number or "").strip().upper()
    problems: list[Problem] = []
    if not n:
        return [Problem("id_missing", "证件号码为空。")]
    if card_type is CardType.FOREIGN_2017:
        if not _FOREIGN_2017.fullmatch(n):
            problems.append(Problem("id_format", "2017版外国人永久居留身份证号码应为 3 位国籍字母加 12 位数字。"))
        return problems
    if len(n) != 18:
        return [Problem("id_format", f"证件号码应为 18 位（最后一位可为 X），实际为 {len(n)} 位。")]
    if not re.fullmatch(r"[0-9]{17}[0-9X]", n):  # ASCII only: \d would let full-width digits through
        return [Problem("id_format", _not_digits_message(n))]
    if ric.calc_check_digit(n) != n[17]:  # stdnum wants the number with its check digit
        problems.append(Problem("id_checksum", "证件号码校验位不正确，可能读错或输错了一位，请核对。"))
    if _birth_from_number(n) is None:
        problems.append(Problem("id_birth", "证件号码中的出生日期不是有效日期。"))
    if card_type is CardType.RESIDENT:
        if n[:6] in HMT_PREFIXES or n.startswith("9"):
            problems.append(Problem("id_region", "该号码是居住证或外国人永久居留证号码，不是居民身份证号码。"))
        elif n[:2] not in PROVINCE_CODES:
            problems.append(Problem("id_region", "证件号码前 2 位不是有效的省级行政区划代码。"))
        else:
            try:
                ric.get_birth_place(n)
            except stdnum_exc.ValidationError:
                # stdnum's table lacks some historical county codes (GB/T 2260 keeps old ones valid
                # for numbers issued under them), so an unknown county is for the clerk to look at.
                problems.append(Problem(
                    "id_region_unknown",
                    "证件号码前 6 位未在本机行政区划表中找到（可能是历史代码），请核对。",
                    Severity.WARNING))
    elif card_type is CardType.HMT_PERMIT:
        if n[:6] not in HMT_PREFIXES:
            problems.append(Problem("id_region", "港澳台居民居住证号码应以 810000、820000 或 830000 开头。"))
    elif card_type is CardType.FOREIGN_2023:
        if not n.startswith("9"):
            problems.append(Problem("id_region", "2023版外国人永久居留身份证号码应以 9 开头。"))
    return problems


def _not_digits_message(n: str) -> str:
    """Which places of an 18-character number are not digits (the characters themselves are named
    only when printable: never the whole number)."""
    bad = [i for i, ch in enumerate(n) if not (ch.isascii() and ch.isdigit()) and not (i == 17 and ch == "X")]
    places = "、".join(f"第 {i + 1} 位" + (f"“{n[i]}”" if n[i].isprintable() else "") for i in bad[:5])
    more = f"等 {len(bad)} 处" if len(bad) > 5 else ""
    return (f"证件号码位数正确（18 位），但{places}{more}不是半角数字：只有最后一位可以是 X，其余都应为 0–9 的数字。"
            "请核对证件后重新输入。")


def is_valid_id_number(number: str, card_type: CardType = CardType.RESIDENT) -> bool:
    """True when the number has no error (warnings, such as a historical region code, are allowed)."""
    return not any(p.severity is Severity.ERROR for p in check_id_number(number, card_type))


def check_document(doc: IdentityDocument, today: date, *, role: str = "applicant") -> list[Problem]:
    """Every problem with a document, for the given role (``applicant``, ``deceased``, ``proxy``).

    An expired card is normal for the deceased (a warning) and a hard stop for the living unless the
    clerk records a reason (an error the GUI lets the clerk override with a reason).
    """
    problems = list(check_id_number(doc.id_number, doc.card_type))
    if not doc.name.strip():
        problems.append(Problem("name_missing", "姓名为空。"))
    if doc.card_type is not CardType.FOREIGN_2017 and len(doc.id_number) == 18:
        from_number = _birth_from_number(doc.id_number)
        if doc.birth_date and from_number and from_number != doc.birth_date:
            problems.append(Problem("birth_mismatch", "证件上的出生日期与证件号码中的出生日期不一致。"))
        digit = doc.id_number[16]
        if digit.isdigit() and doc.sex in (Sex.MALE, Sex.FEMALE):
            expected = Sex.MALE if int(digit) % 2 else Sex.FEMALE
            if expected is not doc.sex:
                problems.append(Problem("sex_mismatch", "证件上的性别与证件号码（第 17 位奇数为男）不一致。"))
    if doc.birth_date and doc.birth_date > today:
        problems.append(Problem("birth_future", "出生日期晚于今天。"))
    if doc.valid_from and doc.valid_to and doc.valid_to < doc.valid_from:
        problems.append(Problem("validity_order", "证件有效期的截止日期早于起始日期。"))
    if doc.valid_from and doc.valid_from > today:
        problems.append(Problem("not_yet_valid", "证件有效期尚未开始。"))
    if doc.valid_to and doc.valid_to < today:
        if role == "deceased":
            problems.append(Problem("expired", "逝者证件已过有效期（逝者证件过期属正常情况）。", Severity.WARNING))
        else:
            problems.append(Problem("expired", "证件已过有效期，请申请人出示有效证件，或由窗口人员登记原因后继续。"))
    return problems
