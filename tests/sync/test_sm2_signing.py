"""SM2 request signatures (SM3withSM2): interoperable with OpenSSL in both directions, a whole case
sent to the reference platform by a terminal holding only its private key, and the refusals that
matter — tampering, the public key used as an HMAC secret, a malformed key at login."""
from __future__ import annotations

import base64
import re
import shutil
import subprocess
import sys

import pytest

from houshi_desk.sync import signing
from houshi_desk.sync.clock import FakeClock
from tests.sync.conftest import drain

DISTID = "distid:1234567812345678"


@pytest.fixture
def openssl_key(tmp_path):
    """An SM2 key made by OpenSSL: (folder, private hex, public hex)."""
    if not shutil.which("openssl"):
        pytest.skip("openssl command not found: cannot cross-check SM2 with OpenSSL")
    key = tmp_path / "k.pem"
    r = subprocess.run(["openssl", "genpkey", "-algorithm", "SM2", "-out", str(key)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"this OpenSSL cannot make SM2 keys: {r.stderr.strip()[:200]}")
    subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(tmp_path / "pub.pem")], check=True)
    text = subprocess.run(["openssl", "pkey", "-in", str(key), "-text", "-noout"], capture_output=True, text=True,
                          check=True).stdout

    def block(name):
        m = re.search(name + r":\s*\n((?:\s+[0-9a-f:]+\n)+)", text)
        return re.sub(r"[\s:]", "", m.group(1))

    return tmp_path, block("priv")[-64:].rjust(64, "0"), block("pub")


MESSAGE = signing.canonical_string("POST", "/v1/cases?x=1", "1767225600", "ab12", "逝者 测试".encode())


def test_openssl_verifies_our_signature(openssl_key):
    folder, private, _public = openssl_key
    sig = signing.get_signer("sm2").sign(private, MESSAGE)
    assert sig.startswith("sm2 ")
    (folder / "msg").write_bytes(MESSAGE)
    (folder / "sig.der").write_bytes(base64.b64decode(sig.split(" ", 1)[1]))
    r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(folder / "pub.pem"), "-rawin",
                        "-digest", "sm3", "-in", str(folder / "msg"), "-sigfile", str(folder / "sig.der"),
                        "-pkeyopt", DISTID], capture_output=True, text=True)
    assert "Verified Successfully" in r.stdout, r.stdout + r.stderr


def test_we_verify_openssls_signature_and_refuse_a_changed_message(openssl_key):
    folder, private, public = openssl_key
    (folder / "msg").write_bytes(MESSAGE)
    subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", str(folder / "k.pem"), "-rawin", "-digest", "sm3",
                    "-in", str(folder / "msg"), "-out", str(folder / "sig.der"), "-pkeyopt", DISTID], check=True)
    sig = "sm2 " + base64.b64encode((folder / "sig.der").read_bytes()).decode()
    sm2 = signing.get_signer("sm2")
    assert signing.Sm2Signer.public_key(private) == public[2:]  # OpenSSL prints the 04 prefix
    assert sm2.verify(public, MESSAGE, sig)
    assert not sm2.verify(public, MESSAGE + b" ", sig)


def test_signatures_use_a_fresh_secret_nonce(monkeypatch):
    """gmssl's own nonce comes from ``random``: ours must not (a guessable nonce gives the key away)."""
    import random

    def refuse(*_a, **_k):
        raise AssertionError("random module used for an SM2 nonce")

    monkeypatch.setattr(random, "choice", refuse)
    private, public = signing.generate_sm2_keypair()
    sm2 = signing.get_signer("sm2")
    a, b = sm2.sign(private, MESSAGE), sm2.sign(private, MESSAGE)
    assert a != b and sm2.verify(public, MESSAGE, a) and sm2.verify(public, MESSAGE, b)


@pytest.mark.parametrize("bad", ["sm2 ", "sm2 !!!", "sm2 " + base64.b64encode(b"\x30\x00").decode(),
                                 "hmac-sha256 AAAA", "sm2 " + base64.b64encode(b"\x30\x06\x02\x01\x00\x02\x01\x01").decode()])
def test_garbage_signatures_are_refused_not_crashed(bad):
    _private, public = signing.generate_sm2_keypair()
    assert signing.get_signer("sm2").verify(public, MESSAGE, bad) is False


def test_a_terminal_holding_only_its_private_key_sends_a_whole_case(terminal):
    """Registered with ``platform add-client --scheme sm2`` (the platform keeps the public key),
    logged in with ``platform login --signing sm2``: a case with a scan goes through the uploader."""
    from houshi_desk.sync.service import build_uploader

    secret = _cli("platform", "add-client", "--data", str(terminal.ref.data_dir), "--scheme", "sm2", "w-sm2").strip()
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    _private, _revoked, scheme = terminal.ref.platform.store.client("w-sm2")
    assert scheme == "sm2" and _private != secret  # the platform holds the public key only
    r = _run_cli(["platform", "login", "--url", terminal.ref.url, "--app-key", "w-sm2", "--signing", "sm2",
                  "--secret-stdin"], stdin=secret + "\n")
    assert r.returncode == 0 and "已登录" in r.stdout, r.stdout + r.stderr
    from houshi_desk.config import load_settings

    settings = load_settings()
    assert settings.get("platform.signing") == "sm2" and settings.get("platform.app_key") == "w-sm2"
    number = terminal.new_case([200_000])
    up = build_uploader(settings, terminal.store, filestore=terminal.filestore, clock=FakeClock(), start_delay=0.0,
                        link_return_delay=0.0)
    drain(up)
    dump = terminal.ref.dump()
    assert [s["case_id"] for s in dump["submissions"]] == [number]
    assert all(u["complete"] for u in dump["uploads"]) and len(dump["uploads"]) == 1


def test_login_with_a_malformed_sm2_key_changes_nothing(terminal):
    from houshi_desk.config import load_settings

    before = load_settings().get("platform.app_key")
    r = _run_cli(["platform", "login", "--url", terminal.ref.url, "--app-key", "w-bad", "--signing", "sm2",
                  "--secret-stdin", "--no-check"], stdin="not-a-key\n")
    assert r.returncode == 2 and "SM2 私钥不正确" in r.stderr
    assert load_settings().get("platform.app_key") == before


def _run_cli(args, stdin=""):
    return subprocess.run([sys.executable, "-m", "houshi_desk", *args], input=stdin, capture_output=True, text=True,
                          timeout=120)


def _cli(*args) -> str:
    r = _run_cli(list(args))
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def test_platform_accepts_sm2_only_from_an_sm2_terminal(terminal):
    from houshi_desk.sync.client import PlatformClient
    from houshi_desk.sync.errors import AuthError

    store = terminal.ref.platform.store
    private, public = signing.generate_sm2_keypair()
    store.add_client("w-sm2", public, scheme="sm2")
    assert PlatformClient(terminal.ref.url, "w-sm2", private, signer="sm2").session_info()["app_key"] == "w-sm2"
    # the platform's copy is public: used as an HMAC secret it must get nobody in
    with pytest.raises(AuthError):
        PlatformClient(terminal.ref.url, "w-sm2", public, signer="hmac-sha256").session_info()
    # another key pair is not this terminal
    other, _ = signing.generate_sm2_keypair()
    with pytest.raises(AuthError):
        PlatformClient(terminal.ref.url, "w-sm2", other, signer="sm2").session_info()
    # and an HMAC terminal cannot switch to SM2 by itself
    with pytest.raises(AuthError):
        PlatformClient(terminal.ref.url, "terminal-w01", private, signer="sm2").session_info()


def test_a_key_whose_public_half_starts_with_04_signs_and_verifies():
    """gmssl strips a leading "04" (meant for the uncompressed-point prefix) off any public key, also off
    an x coordinate that happens to start with 04: one key in 256 failed with "Odd-length string"."""
    import secrets

    from houshi_desk.sync.signing import Sm2Signer, _sm2_public_key

    signer = signing.get_signer("sm2")
    n = Sm2Signer.order()
    for _ in range(20_000):  # find such a key (expected within ~256 draws)
        private = "%064x" % (secrets.randbelow(n - 2) + 1)
        if _sm2_public_key(private).startswith("04"):
            break
    else:
        raise AssertionError("no key with a public half starting 04 in 20,000 draws")
    sig = signer.sign(private, MESSAGE)
    assert signer.verify(_sm2_public_key(private), MESSAGE, sig)
