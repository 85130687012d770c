"""Request signing: a canonical string of method, path with query, timestamp, nonce, the headers
that carry meaning (``SIGNED_HEADERS``: the app key, Idempotency-Key and the tus Upload-* headers)
and the body hash, signed with the application's credential. HMAC-SHA256 by default; HMAC-SM3, or SM2 signatures
(SM3withSM2, GB/T 32918, user ID 1234567812345678, DER-encoded as OpenSSL and BouncyCastle write
them), for provinces that require the national algorithms. The scheme is looked up by name.

With SM2 the terminal's keyring holds its private key (64 hex digits) and the platform only the
public key, so the platform cannot sign in a terminal's name. SM2 comes from gmssl; its own nonce
generator uses ``random``, so the nonce is drawn here from ``secrets`` (a predictable nonce would
give the private key away), and r and s are range-checked before verifying.

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

# Every header whose value changes what the platform does (issue 14): each is signed as
# "name:value" in this order, an absent header as "name:" — so adding, removing or changing any of
# them in transit breaks the signature. Timestamp and nonce have their own lines.
SIGNED_HEADERS = ("x-houshi-app-key", "idempotency-key", "upload-length", "upload-metadata", "upload-offset",
                  "upload-checksum")


def _header(headers, name: str) -> str:
    if headers is None:
        return ""
    value = headers.get(name)
    if value is None:  # a plain dict with the header spelt another way
        lowered = {str(k).lower(): v for k, v in headers.items()}
        value = lowered.get(name)
    return str(value if value is not None else "").strip()


def canonical_string(method: str, path_and_query: str, timestamp: str, nonce: str, body: bytes,
                     headers=None) -> bytes:
    """``headers``: any mapping (a dict, httpx or Starlette headers); only ``SIGNED_HEADERS`` count."""
    body_hash = hashlib.sha256(body).hexdigest()
    lines = [method.upper(), path_and_query, timestamp, nonce]
    lines += [f"{name}:{_header(headers, name)}" for name in SIGNED_HEADERS]
    lines.append(body_hash)
    return "\n".join(lines).encode("utf-8")


@dataclass(frozen=True)
class Signer:
    """An HMAC scheme: the terminal and the platform share the secret."""

    name: str
    mac: Callable[[bytes, bytes], bytes]
    symmetric = True

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


class Sm2Signer:
    """SM3withSM2: ``sign(private_key_hex, …)``, ``verify(public_key_hex, …)``."""

    name = "sm2"
    symmetric = False
    USER_ID = b"1234567812345678"  # the default distinguishing identifier (GM/T 0009)

    @staticmethod
    def _curve():
        from gmssl import sm2

        return sm2.default_ecc_table

    @classmethod
    def order(cls) -> int:
        return int(cls._curve()["n"], 16)

    @classmethod
    def public_key(cls, private_key: str) -> str:
        """The public key (x‖y, 128 hex digits) of a private key; raises ValueError for a bad one."""
        return _sm2_public_key(normalise_sm2_private_key(private_key))

    def sign(self, secret: str, message: bytes) -> str:
        from gmssl import sm2

        private = normalise_sm2_private_key(secret)
        public = _sm2_public_key(private)
        crypt = sm2.CryptSM2(private_key=private, public_key=public, asn1=True)
        crypt.public_key = public  # gmssl lstrip("04")s a key that starts with 04: every 256th key broke
        n = self.order()
        while True:  # sign() gives None in the (astronomically rare) degenerate cases: draw again
            k = "%064x" % (secrets.randbelow(n - 1) + 1)
            der_hex = crypt.sign_with_sm3(message, k)
            if der_hex:
                return f"{self.name} " + base64.b64encode(bytes.fromhex(der_hex)).decode("ascii")

    def verify(self, secret: str, message: bytes, signature: str) -> bool:
        from gmssl import sm2

        scheme, _, b64 = signature.strip().partition(" ")
        if scheme != self.name:
            return False
        try:
            r, s = _der_pair(base64.b64decode(b64, validate=True))
            public = normalise_sm2_public_key(secret)
        except (ValueError, TypeError):
            return False
        n = self.order()
        if not (0 < r < n and 0 < s < n):
            return False
        crypt = sm2.CryptSM2(private_key=None, public_key=public, asn1=False)
        crypt.public_key = public  # see sign(): gmssl would strip a leading 04 of x
        try:
            return bool(crypt.verify_with_sm3("%064x%064x" % (r, s), message))
        except Exception:  # noqa: BLE001 - a malformed key or point is a failed check, not a crash
            return False


def normalise_sm2_private_key(text: str) -> str:
    key = (text or "").strip().lower()
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        raise ValueError("SM2 私钥应为 64 位十六进制数字")
    d = int(key, 16)
    if not 0 < d < Sm2Signer.order() - 1:
        raise ValueError("SM2 私钥不在曲线阶的有效范围内")
    return key


def normalise_sm2_public_key(text: str) -> str:
    key = (text or "").strip().lower()
    if len(key) == 130 and key.startswith("04"):
        key = key[2:]  # uncompressed point as OpenSSL prints it
    if len(key) != 128 or any(c not in "0123456789abcdef" for c in key):
        raise ValueError("SM2 公钥应为 128 位十六进制数字（x‖y）")
    return key


_public_cache: dict[str, str] = {}


def _sm2_public_key(private: str) -> str:
    public = _public_cache.get(private)
    if public is None:
        from gmssl import sm2

        curve = sm2.default_ecc_table
        public = sm2.CryptSM2(private_key=private, public_key="", ecc_table=curve)._kg(int(private, 16), curve["g"])
        if len(_public_cache) > 16:
            _public_cache.clear()
        _public_cache[private] = public
    return public


def _der_pair(der: bytes) -> tuple[int, int]:
    """r and s from a DER SEQUENCE of two INTEGERs, strictly (no trailing bytes, short forms)."""
    def take(buf: bytes, i: int, tag: int) -> tuple[bytes, int]:
        if i + 2 > len(buf) or buf[i] != tag:
            raise ValueError("bad DER")
        length = buf[i + 1]
        i += 2
        if length & 0x80:
            nbytes = length & 0x7F
            if nbytes != 1 or i >= len(buf):
                raise ValueError("bad DER length")
            length = buf[i]
            i += 1
        if i + length > len(buf):
            raise ValueError("truncated DER")
        return buf[i:i + length], i + length

    body, end = take(der, 0, 0x30)
    if end != len(der):
        raise ValueError("trailing bytes")
    r_bytes, i = take(body, 0, 0x02)
    s_bytes, j = take(body, i, 0x02)
    if j != len(body) or not r_bytes or not s_bytes or r_bytes[0] & 0x80 or s_bytes[0] & 0x80:
        raise ValueError("bad DER integers")
    return int.from_bytes(r_bytes, "big"), int.from_bytes(s_bytes, "big")


def generate_sm2_keypair() -> tuple[str, str]:
    """(private key, public key) as hex: 64 and 128 digits."""
    d = secrets.randbelow(Sm2Signer.order() - 2) + 1
    private = "%064x" % d
    return private, _sm2_public_key(private)


SIGNERS["sm2"] = Sm2Signer()  # type: ignore[assignment]


def get_signer(name: str) -> Signer:
    try:
        return SIGNERS[name]
    except KeyError:
        raise ValueError(f"unknown signing scheme {name!r}") from None


def sign_headers(signer: Signer, app_key: str, secret: str, method: str, path_and_query: str,
                 body: bytes, timestamp: float, headers=None) -> dict[str, str]:
    """The four X-Houshi-* headers; ``headers`` are the request's other headers (the signed ones
    among them are covered)."""
    ts = str(int(timestamp))
    nonce = secrets.token_hex(12)
    signed = {k.lower(): v for k, v in dict(headers or {}).items()}
    signed["x-houshi-app-key"] = app_key
    sig = signer.sign(secret, canonical_string(method, path_and_query, ts, nonce, body, signed))
    return {HEADER_APP_KEY: app_key, HEADER_TIMESTAMP: ts, HEADER_NONCE: nonce, HEADER_SIGNATURE: sig}
