"""Request signing: a canonical string of method, path, timestamp, nonce and body hash, signed
with the application secret. HMAC-SHA256 by default; HMAC-SM3 for provinces that require the
national algorithms; the scheme is looked up by name, so an SM2 signer can be added the same way.

Client and reference server share this module, so both sides agree byte for byte.
"""
from __future__ import annotations

import base64
import hashlib
import hmac as std_hmac
import secrets
from dataclasses import dataclass
from typing import Callable

HEADER_APP_KEY = "X-Houshi-App-Key"
HEADER_TIMESTAMP = "X-Houshi-Timestamp"
HEADER_NONCE = "X-Houshi-Nonce"
HEADER_SIGNATURE = "X-Houshi-Signature"

MAX_SKEW_SECONDS = 300


def canonical_string(method: str, path_and_query: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    body_hash = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path_and_query, timestamp, nonce, body_hash]).encode("utf-8")


@dataclass(frozen=True)
class Signer:
    name: str
    mac: Callable[[bytes, bytes], bytes]

    def sign(self, secret: str, message: bytes) -> str:
        return f"{self.name} " + base64.b64encode(self.mac(secret.encode("utf-8"), message)).decode("ascii")

    def verify(self, secret: str, message: bytes, signature: str) -> bool:
        return std_hmac.compare_digest(self.sign(secret, message), signature.strip())


def _hmac_sha256(key: bytes, msg: bytes) -> bytes:
    return std_hmac.new(key, msg, hashlib.sha256).digest()


def _hmac_sm3(key: bytes, msg: bytes) -> bytes:
    # SM3 is in OpenSSL 1.1.1+ and exposed by cryptography; imported late so SHA-256 users never pay for it.
    from cryptography.hazmat.primitives import hashes, hmac

    h = hmac.HMAC(key, hashes.SM3())
    h.update(msg)
    return h.finalize()


SIGNERS: dict[str, Signer] = {
    "hmac-sha256": Signer("hmac-sha256", _hmac_sha256),
    "sm3": Signer("hmac-sm3", _hmac_sm3),
    "hmac-sm3": Signer("hmac-sm3", _hmac_sm3),
}


def get_signer(name: str) -> Signer:
    try:
        return SIGNERS[name]
    except KeyError:
        raise ValueError(f"unknown signing scheme {name!r}") from None


def sign_headers(signer: Signer, app_key: str, secret: str, method: str, path_and_query: str,
                 body: bytes, timestamp: float) -> dict[str, str]:
    ts = str(int(timestamp))
    nonce = secrets.token_hex(12)
    sig = signer.sign(secret, canonical_string(method, path_and_query, ts, nonce, body))
    return {HEADER_APP_KEY: app_key, HEADER_TIMESTAMP: ts, HEADER_NONCE: nonce, HEADER_SIGNATURE: sig}
