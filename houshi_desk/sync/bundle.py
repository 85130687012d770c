"""The offline bundle: the pending outbox as one encrypted, signed file for a USB stick.

Layout: a JSON envelope ``{format, header, ciphertext, signature}``. The ciphertext is a zip
(``items.json`` + ``files/<sha256>``) sealed with AES-256-GCM under a key derived from a passphrase
(scrypt), the header being the associated data. The signature is Ed25519 over header+ciphertext by
the exporting terminal's key (derived from its master key, so nothing new to back up); its
fingerprint is printed on export and shown on import for the clerk to compare.

Items keep their Idempotency-Keys: importing the same bundle twice creates nothing (keys are
unique in the outbox), and sending the same items online later is answered from the platform's
idempotency store.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import secrets
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from houshi_desk.errors import HoushiError
from houshi_desk.store.models_sync import SyncOutboxRow
from houshi_desk.sync.clock import utcnow
from houshi_desk.sync.outbox import ACKED, AUDIT_ANCHOR, BLOCKED, PENDING, QUEUED, promote

FORMAT = "houshi-desk-outbox-bundle/1"
ITEM_FIELDS = ("case_number", "case_version", "seq", "group_order", "kind", "state", "idempotency_key", "payload",
               "payload_sha256", "material_code", "file_sha256", "file_size", "remote_id", "upload_generation",
               "response")


class BundleError(HoushiError):
    pass


def _scrypt(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode("utf-8"))


def signing_key(settings):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from houshi_desk.store.keys import derived_key

    p = settings.paths
    return Ed25519PrivateKey.from_private_bytes(derived_key(p.data_dir, p.database_file, "bundle-signing"))


def fingerprint(public_raw: bytes) -> str:
    h = hashlib.sha256(public_raw).hexdigest()[:20].upper()
    return "-".join(h[i:i + 4] for i in range(0, 20, 4))


def _public_raw(private) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass
class ExportResult:
    items: int
    cases: int
    files: int
    fingerprint: str


def export_bundle(store, filestore, settings, out: Path, passphrase: str) -> ExportResult:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(passphrase) < 8:
        raise BundleError("离线包的保护口令至少需要 8 个字符。")
    with store.session() as s:
        # not the audit anchors: they vouch for this terminal's own chain, under its own credential
        cases = s.execute(select(SyncOutboxRow.case_number).where(SyncOutboxRow.state.in_(PENDING),
                                                                   SyncOutboxRow.kind != AUDIT_ANCHOR)
                          .group_by(SyncOutboxRow.case_number)).scalars().all()
        rows = s.execute(select(SyncOutboxRow).where(SyncOutboxRow.case_number.in_(cases))
                         .order_by(SyncOutboxRow.group_order, SyncOutboxRow.seq)).scalars().all()
        # pending items, plus acked uploads their submit refers to (with the platform's upload ids)
        items = [{f: getattr(r, f) for f in ITEM_FIELDS} for r in rows
                 if r.state in PENDING or (r.state == ACKED and r.kind == "upload")]
    if not items:
        raise BundleError("没有待发送的案件，无需导出离线包。")
    buf = io.BytesIO()
    shas = sorted({i["file_sha256"] for i in items if i["kind"] == "upload" and i["state"] != ACKED})
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("items.json", json.dumps(items, ensure_ascii=False, default=str))
        for sha in shas:
            z.writestr(f"files/{sha}", filestore.get(sha))
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    private = signing_key(settings)
    pub = _public_raw(private)
    header = {"format": FORMAT, "created_at": utcnow().isoformat(timespec="seconds"),
              "terminal": settings.office_terminal_id, "items": len(items), "cases": len(cases),
              "files": len(shas), "kdf": "scrypt-n32768-r8-p1", "salt": base64.b64encode(salt).decode(),
              "nonce": base64.b64encode(nonce).decode(), "signer": base64.b64encode(pub).decode()}
    header_bytes = json.dumps(header, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ciphertext = AESGCM(_scrypt(passphrase, salt)).encrypt(nonce, buf.getvalue(), header_bytes)
    signature = private.sign(header_bytes + ciphertext)
    doc = {"format": FORMAT, "header": header_bytes.decode("utf-8"),
           "ciphertext": base64.b64encode(ciphertext).decode(), "signature": base64.b64encode(signature).decode()}
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(doc), encoding="utf-8")
    tmp.replace(out)
    return ExportResult(len(items), len(cases), len(shas), fingerprint(pub))


@dataclass
class ImportResult:
    created: int
    skipped: int
    files: int
    fingerprint: str
    terminal: str


def import_bundle(store, filestore, path: Path, passphrase: str, *, expect_signer: str | None = None) -> ImportResult:
    from cryptography.exceptions import InvalidSignature, InvalidTag
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        header_bytes = doc["header"].encode("utf-8")
        header = json.loads(header_bytes)
        ciphertext, signature = base64.b64decode(doc["ciphertext"]), base64.b64decode(doc["signature"])
        pub = base64.b64decode(header["signer"])
        salt, nonce = base64.b64decode(header["salt"]), base64.b64decode(header["nonce"])
        if doc.get("format") != FORMAT or header.get("format") != FORMAT:
            raise ValueError("format")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BundleError(f"离线包无法读取或不是本程序导出的文件：{path}") from exc
    fpr = fingerprint(pub)
    try:
        Ed25519PublicKey.from_public_bytes(pub).verify(signature, header_bytes + ciphertext)
    except (InvalidSignature, ValueError) as exc:
        raise BundleError("离线包的签名校验失败：文件在传递中被改动或已损坏，未导入任何内容。") from exc
    if expect_signer and expect_signer.replace("-", "").upper() != fpr.replace("-", ""):
        raise BundleError(f"离线包不是由指定终端导出的（签名指纹 {fpr}），未导入任何内容。")
    try:
        plain = AESGCM(_scrypt(passphrase, salt)).decrypt(nonce, ciphertext, header_bytes)
    except InvalidTag as exc:
        raise BundleError("离线包的保护口令不正确，未导入任何内容。") from exc
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        items = json.loads(z.read("items.json"))
        names = [n for n in z.namelist() if n.startswith("files/")]
        for name in names:  # files first: an item never points at a file that is not here
            data = z.read(name)
            if hashlib.sha256(data).hexdigest() != name[len("files/"):]:
                raise BundleError("离线包中的附件校验失败，未导入任何内容。")
            filestore.put(data)
    created = skipped = 0
    now = utcnow()
    with store.session() as s:
        keys = set(s.execute(select(SyncOutboxRow.idempotency_key).where(
            SyncOutboxRow.idempotency_key.in_([i["idempotency_key"] for i in items]))).scalars())
        touched = set()
        for i in items:
            if i["idempotency_key"] in keys:
                skipped += 1
                continue
            clash = s.execute(select(SyncOutboxRow.id).where(SyncOutboxRow.case_number == i["case_number"],
                                                             SyncOutboxRow.seq == i["seq"])).first()
            if clash:
                skipped += 1
                continue
            state = ACKED if i["state"] == ACKED else BLOCKED
            s.add(SyncOutboxRow(**{f: i[f] for f in ITEM_FIELDS if f != "state"}, state=state, remote_offset=0,
                                bytes_sent=0, attempts=0, last_error="", last_error_code="", origin="bundle",
                                created_at=now, updated_at=now,
                                acked_at=now if state == ACKED else None))
            touched.add(i["case_number"])
            created += 1
        s.flush()
        for number in touched:
            promote(s, number, now)
    return ImportResult(created, skipped, len(names), fpr, str(header.get("terminal", "")))
