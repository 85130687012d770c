"""Synthetic people for the virtual card, the simulated SAM and the demo.

A person file is JSON: either one person (the keys of ``IdentityDocument.to_dict`` plus optional
``extras`` and ``photo``) or ``{"persons": {key: person, …}}``. The shipped sample set is
``resources/idcard/persons.json`` (applicant, deceased, HMT permit holders, foreign residents
2017/2023); ``load_person("deceased")`` picks one of it by key.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from houshi_desk.domain.identity import IdentityDocument, Source
from houshi_desk.idcard.errors import CardError
from houshi_desk.idcard.text_block import encode_text_block

WLT_MAGIC = bytes.fromhex("574C66007E003200")  # how every chip photo (102×126 WLT) begins
PHOTO_SIZE = 1024


def synthetic_wlt(seed: str) -> bytes:
    """1024 bytes that start like a chip photo; not an image (no open WLT encoder exists)."""
    out = bytearray(WLT_MAGIC)
    block = hashlib.sha256(seed.encode()).digest()
    while len(out) < PHOTO_SIZE:
        out += block
        block = hashlib.sha256(block).digest()
    return bytes(out[:PHOTO_SIZE])


@dataclass(frozen=True)
class SyntheticPerson:
    key: str
    document: IdentityDocument
    extras: Mapping[str, str] = field(default_factory=dict)
    photo: bytes = b""

    def text_block(self) -> bytes:
        return encode_text_block(self.document, self.extras)


def sample_file() -> Path:
    from houshi_desk.resources import resource_path

    return resource_path("resources", "idcard", "persons.json")


def person_from_dict(key: str, data: Mapping) -> SyntheticPerson:
    data = dict(data)
    extras = data.pop("extras", {}) or {}
    photo_spec = data.pop("photo", "synthetic")
    data.setdefault("source", Source.CARD.value)
    doc = IdentityDocument.from_dict(data)
    if photo_spec == "zeros":
        photo = bytes(PHOTO_SIZE)
    elif photo_spec in (None, "none"):
        photo = b""
    else:
        photo = synthetic_wlt(key + doc.id_number)
    return SyntheticPerson(key, doc, extras, photo)


def load_persons(path: str | Path | None = None) -> dict[str, SyntheticPerson]:
    p = Path(path) if path else sample_file()
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CardError(f"无法读取样例人员文件 {p}。", hint="请检查文件是否存在、是否为 UTF-8 编码的 JSON。",
                        detail=str(exc), code="person_file", retryable=False) from None
    try:
        if isinstance(data, dict) and isinstance(data.get("persons"), dict):
            return {k: person_from_dict(k, v) for k, v in data["persons"].items()}
        if isinstance(data, dict):
            return {p.stem: person_from_dict(p.stem, data)}
    except (ValueError, TypeError, KeyError) as exc:
        raise CardError(f"样例人员文件 {p} 的内容不对。", hint="字段见 resources/idcard/persons.json。",
                        detail=str(exc), code="person_file", retryable=False) from None
    raise CardError(f"样例人员文件 {p} 的内容不对。", code="person_file", retryable=False)


def load_person(spec: str) -> SyntheticPerson:
    """A person from ``FILE``, ``FILE#key`` or a key of the shipped sample set (e.g. ``deceased``)."""
    path, _, key = spec.partition("#")
    if Path(path).is_file():
        persons = load_persons(path)
        if key:
            if key not in persons:
                raise CardError(f"文件 {path} 中没有“{key}”。", hint=f"可选：{'、'.join(persons)}",
                                code="person_file", retryable=False)
            return persons[key]
        return next(iter(persons.values()))
    persons = load_persons()
    if spec in persons:
        return persons[spec]
    raise CardError(f"找不到样例人员“{spec}”：既不是文件，也不是样例名。", hint=f"样例名：{'、'.join(persons)}",
                    code="person_file", retryable=False)


def as_person(person: "SyntheticPerson | IdentityDocument | str") -> SyntheticPerson:
    if isinstance(person, SyntheticPerson):
        return person
    if isinstance(person, IdentityDocument):
        photo = person.photo_wlt if person.photo_wlt is not None else synthetic_wlt(person.id_number)
        return SyntheticPerson(person.card_type.value, person.without_photo(), {}, photo)
    return load_person(str(person))
