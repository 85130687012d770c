"""Issue 14, the platform contract against a hostile terminal — run against the reference platform
in its own process (``spawn``), each attack from another terminal signing with its own key:

* ownership: terminal B (another office) cannot read A's results, withdraw A's case, create or
  submit another version of it, re-create version 1, attach or feed an upload, watch A's upload
  progress, send a supplement, or reuse A's idempotency key — each is refused with 403
  ``not_owner`` and nothing of A's changes; a terminal of A's own office may act on A's case;
* a captured signed request replayed after a platform restart is refused;
* the headers that carry meaning are signed (every scheme): a changed Upload-Metadata,
  Upload-Length, Upload-Offset or Idempotency-Key is refused with 401;
* bodies are size-limited before they are read: a 256 MB body (declared or streamed) is refused
  with 413 while the platform's memory stays flat.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time

import httpx
import pytest

from houshi_desk.platform_ref.process import spawn
from houshi_desk.sync import errors as E
from houshi_desk.sync import signing
from houshi_desk.sync.client import PlatformClient, canonical_json

OFFICE_A, OFFICE_B = "150702-01", "150702-02"
KEYS = {"term-a": OFFICE_A, "term-a2": OFFICE_A, "term-b": OFFICE_B, "term-solo": None}


def _payload(case_id: str, version: int = 1, applicant: str = "测试申请人") -> dict:
    # synthetic people only; the platform stores what it is given
    return {"case_id": case_id, "version": version, "office": OFFICE_A, "parties": [
        {"role": "deceased", "name": "测试逝者", "id_number": "150702190001010000"},
        {"role": "applicant", "name": applicant, "id_number": "150702190001020000"}],
        "matters": [{"code": "hukou_cancel", "department": "公安局"}, {"code": "pension_stop", "department": "人社局"}]}


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


class Platform:
    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.secrets = {k: secrets.token_urlsafe(24) for k in KEYS}
        self.sm2_private, sm2_public = signing.generate_sm2_keypair()
        from houshi_desk.platform_ref.store import PlatformStore

        store = PlatformStore(data_dir)
        try:
            store.add_client("term-sm2", sm2_public, scheme="sm2", office=OFFICE_A)
        finally:
            store.close()
        self.proc = None
        self.start()

    def start(self):
        self.proc = spawn(self.data_dir, clients=self.secrets, step_seconds=0.2,
                          offices={k: v for k, v in KEYS.items() if v})
        self.url = self.proc.url

    def restart(self):
        self.proc.stop()
        self.start()

    def client(self, key: str, **kw) -> PlatformClient:
        if key == "term-sm2":
            return PlatformClient(self.url, key, self.sm2_private, signer="sm2", **kw)
        return PlatformClient(self.url, key, self.secrets[key], **kw)


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    p = Platform(tmp_path_factory.mktemp("hostile") / "platform")
    yield p
    p.proc.stop()


def _case_of_a(platform, case_id: str) -> dict:
    """A's case, created, with one complete upload, submitted: returns what an attacker would aim at."""
    a = platform.client("term-a")
    try:
        a.create_case(secrets.token_hex(8), _payload(case_id))
        data = b"%PDF-1.4\n" + secrets.token_bytes(3000)
        digest = hashlib.sha256(data).hexdigest()
        key = secrets.token_hex(8)
        location, _ = a.create_upload(key, case_id=case_id, size=len(data), sha256=digest, material="death_cert",
                                      filename="death_cert.pdf")
        assert a.upload_chunk(location, 0, data, key) == len(data)
        submit_key = secrets.token_hex(8)
        submit_body = {"case_id": case_id, "version": 1, "matters": ["hukou_cancel", "pension_stop"],
                       "attachments": [{"upload_id": location.rsplit("/", 1)[-1], "sha256": digest,
                                        "material": "death_cert", "size": len(data)}]}
        a.submit(submit_key, case_id, submit_body)
        return {"location": location, "sha256": digest, "size": len(data), "submit_key": submit_key,
                "submit_body": submit_body}
    finally:
        a.close()


def _events(client, case_id: str) -> list[dict]:
    return [e for e in client.changes("0", limit=500)["events"] if e["case_id"] == case_id]


def _wait_events(client, case_id: str, n: int, timeout: float = 20.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        events = _events(client, case_id)
        if len(events) >= n or time.monotonic() > deadline:
            return events
        time.sleep(0.2)


def _refused_not_owner(call) -> E.RejectedError:
    with pytest.raises(E.RejectedError) as info:
        call()
    assert info.value.code == "not_owner" and info.value.status == 403, info.value.detail
    assert "其他受理点" in info.value.message
    return info.value


# ---------------------------------------------------------------- ownership


def test_another_offices_terminal_is_refused_everything_on_a_case(platform):
    case_id = "150702-W01-20260122-0001"
    a_case = _case_of_a(platform, case_id)
    a, b = platform.client("term-a"), platform.client("term-b")
    try:
        a_events = _wait_events(a, case_id, 2)
        assert a_events, "A's own results never came"
        # read: B's feed holds none of A's results
        assert _events(b, case_id) == []
        assert all(e["case_id"] != case_id for e in b.changes("0")["events"])
        # withdraw
        _refused_not_owner(lambda: b.withdraw(secrets.token_hex(8), case_id, {"case_id": case_id, "version": 1,
                                                                             "reason": "恶意撤回"}))
        # a new version with other people, and its submit
        _refused_not_owner(lambda: b.create_case(secrets.token_hex(8), _payload(case_id, 2, applicant="冒名者")))
        _refused_not_owner(lambda: b.submit(secrets.token_hex(8), case_id, dict(a_case["submit_body"], version=2)))
        # re-creating version 1 (today: 201 "created", storing nothing)
        _refused_not_owner(lambda: b.create_case(secrets.token_hex(8), _payload(case_id)))
        # an upload attached to A's case, a chunk into A's upload, A's upload progress
        _refused_not_owner(lambda: b.create_upload(secrets.token_hex(8), case_id=case_id, size=10, sha256="0" * 64,
                                                   material="x", filename="x.pdf"))
        _refused_not_owner(lambda: b.upload_offset(a_case["location"]))
        _refused_not_owner(lambda: b.upload_chunk(a_case["location"], a_case["size"], b"x", secrets.token_hex(8)))
        # a supplement, and A's own submit key replayed (its stored reply is A's)
        _refused_not_owner(lambda: b.supplement(secrets.token_hex(8), case_id, {
            "case_id": case_id, "version": 1, "matter": "hukou_cancel", "attachments": []}))
        _refused_not_owner(lambda: b.submit(a_case["submit_key"], case_id, a_case["submit_body"]))
        # a terminal registered without an office is on its own too
        solo = platform.client("term-solo")
        try:
            _refused_not_owner(lambda: solo.withdraw(secrets.token_hex(8), case_id, {"case_id": case_id, "version": 1}))
            assert _events(solo, case_id) == []
        finally:
            solo.close()
        # nothing of A's changed: still one version, no withdrawal, A's results never say 已撤回
        assert a.upload_offset(a_case["location"]) == (a_case["size"], a_case["size"])
        time.sleep(1.0)
        kinds = {e["kind"] for e in _events(a, case_id)}
        assert "withdrawn" not in kinds and "done" in kinds
    finally:
        a.close()
        b.close()
    state = httpx.get(f"{platform.url}/api/v1/health").json()  # the platform is still up and answering
    assert state["ok"]


def test_terminals_of_one_office_share_its_cases_and_see_each_others_results(platform):
    case_id = "150702-W01-20260122-0002"
    a_case = _case_of_a(platform, case_id)
    a, a2, sm2 = platform.client("term-a"), platform.client("term-a2"), platform.client("term-sm2")
    try:
        assert _wait_events(a2, case_id, 2)  # the colleague's terminal reads the office's results
        assert a2.upload_offset(a_case["location"])[0] == a_case["size"]
        assert sm2.upload_offset(a_case["location"])[0] == a_case["size"]  # an SM2 terminal of the office too
        a2.create_case(secrets.token_hex(8), _payload(case_id, 2))  # a new version from the same hall
        a2.withdraw(secrets.token_hex(8), case_id, {"case_id": case_id, "version": 1, "reason": "家属撤回"})
        deadline = time.monotonic() + 10
        while "withdrawn" not in {e["kind"] for e in _events(a, case_id)}:
            assert time.monotonic() < deadline, "the office's withdrawal did not reach A's feed"
            time.sleep(0.2)
    finally:
        a.close()
        a2.close()
        sm2.close()


def test_add_client_records_the_office(tmp_path):
    import subprocess
    import sys

    data = tmp_path / "p"
    r = subprocess.run([sys.executable, "-m", "houshi_desk", "platform", "add-client", "--data", str(data),
                        "w09", "--office", "150702-09"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.strip()) >= 32  # the secret, shown once
    bad = subprocess.run([sys.executable, "-m", "houshi_desk", "platform", "add-client", "--data", str(data),
                          "w10", "--office", "受理点 一"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "受理点代码" in bad.stderr
    from houshi_desk.platform_ref.store import PlatformStore

    store = PlatformStore(data)
    try:
        assert store.principal("w09").office == "150702-09"
        assert store.client("w10")[0] is None
    finally:
        store.close()


# ---------------------------------------------------------------- replay across a restart


def _signed_changes_request(platform, key: str) -> tuple[str, dict]:
    path = "/api/v1/changes?since=0&limit=5"
    headers = signing.sign_headers(signing.get_signer("hmac-sha256"), key, platform.secrets[key], "GET", path, b"",
                                   time.time())
    return path, headers


def test_a_captured_request_replayed_after_a_restart_is_refused(platform):
    path, captured = _signed_changes_request(platform, "term-a")
    first = httpx.get(platform.url + path, headers=captured)
    assert first.status_code == 200, first.text
    again = httpx.get(platform.url + path, headers=captured)
    assert again.status_code == 401 and again.json()["code"] == "replayed"
    platform.restart()
    after = httpx.get(platform.url + path, headers=captured)
    assert after.status_code == 401 and after.json()["code"] == "replayed", after.text
    _, fresh = _signed_changes_request(platform, "term-a")  # a new signature still passes after the restart
    assert httpx.get(platform.url + path, headers=fresh).status_code == 200


# ---------------------------------------------------------------- signed headers


def _tus_meta(case_id: str, sha: str, filename: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}"
                    for k, v in {"case_id": case_id, "sha256": sha, "material": "m1", "filename": filename}.items())


def _signed(client: PlatformClient, method: str, path: str, headers: dict, body: bytes = b"") -> httpx.Request:
    """A request signed exactly as the client signs it, not yet sent (so it can be changed in transit)."""
    req = client._http.build_request(method, path, content=body, headers=headers)
    req.headers.update(signing.sign_headers(client.signer, client.app_key, client._secret, method,
                                            req.url.raw_path.decode("ascii"), body, time.time(), headers=headers))
    return req


@pytest.mark.parametrize("key,scheme", [("term-a", "hmac-sha256"), ("term-a2", "hmac-sm3"), ("term-sm2", "sm2")])
def test_a_changed_meaningful_header_breaks_the_signature(platform, key, scheme):
    case_id = f"150702-W01-20260122-01{len(scheme):02d}"
    secret = platform.sm2_private if key == "term-sm2" else platform.secrets[key]
    client = PlatformClient(platform.url, key, secret, signer=scheme)
    try:
        client.create_case(secrets.token_hex(8), _payload(case_id))
        data = secrets.token_bytes(2000)
        sha = hashlib.sha256(data).hexdigest()

        def upload_headers(**over):
            h = {"Tus-Resumable": "1.0.0", "Upload-Length": str(len(data)), "Idempotency-Key": secrets.token_hex(8),
                 "Upload-Metadata": _tus_meta(case_id, sha, "death_cert.pdf")}
            h.update(over)
            return h

        tampered = {
            "Upload-Metadata": _tus_meta(case_id, "f" * 64, "death_cert.pdf"),  # another file's hash
            "Upload-Length": str(len(data) + 1),
            "Idempotency-Key": secrets.token_hex(8),
        }
        for name, value in tampered.items():
            req = _signed(client, "POST", "/api/v1/uploads", upload_headers())
            req.headers[name] = value
            resp = client._http.send(req)
            assert resp.status_code == 401 and resp.json()["code"] == "bad_signature", (name, resp.text)
        resp = client._http.send(_signed(client, "POST", "/api/v1/uploads", upload_headers()))  # untouched: accepted
        assert resp.status_code == 201, resp.text
        location = resp.headers["Location"]
        digest = base64.b64encode(hashlib.sha256(data[:1000]).digest()).decode()
        patch = {"Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream",
                 "Upload-Checksum": f"sha256 {digest}", "Idempotency-Key": secrets.token_hex(8)}
        req = _signed(client, "PATCH", location, patch, data[:1000])
        req.headers["Upload-Offset"] = "1000"
        assert client._http.send(req).status_code == 401
        extra = _signed(client, "POST", "/api/v1/uploads", upload_headers())  # a second copy of a signed header
        extra.headers = httpx.Headers(list(extra.headers.multi_items())
                                      + [("Upload-Metadata", _tus_meta(case_id, "f" * 64, "x.pdf"))])
        assert client._http.send(extra).status_code == 401
        assert client.upload_chunk(location, 0, data[:1000], secrets.token_hex(8)) == 1000
    finally:
        client.close()


def test_signed_string_names_every_meaningful_header():
    base = dict(method="POST", path_and_query="/api/v1/uploads", timestamp="1767225600", nonce="n" * 24, body=b"")
    plain = signing.canonical_string(**base)
    for name in ("Upload-Metadata", "Upload-Length", "Upload-Offset", "Upload-Checksum", "Idempotency-Key"):
        assert signing.canonical_string(**base, headers={name: "1"}) != plain, name
    assert signing.canonical_string(**base, headers={"User-Agent": "x"}) == plain


# ---------------------------------------------------------------- size limits before reading


def _raw_request(url: str, head: bytes, body_iter, read_first: float = 3.0) -> tuple[int, int]:
    """Send ``head`` then the body pieces from another thread; returns (status, body bytes the
    socket took). The status line is read as soon as the server answers."""
    host, port = url.split("//", 1)[1].split(":")
    sock = socket.create_connection((host, int(port)), timeout=60)
    sock.sendall(head)
    sent = [0]

    def pump():
        try:
            for piece in body_iter:
                sock.sendall(piece)
                sent[0] += len(piece)
        except OSError:
            pass  # the server hung up: what it was meant to do

    t = threading.Thread(target=pump, daemon=True)
    t.start()
    reply = b""
    sock.settimeout(120)
    try:
        while b"\r\n" not in reply:
            part = sock.recv(4096)
            if not part:
                break
            reply += part
    finally:
        t.join(120)
        sock.close()
    assert reply.startswith(b"HTTP/1.1 "), reply[:200]
    return int(reply.split()[1]), sent[0]


def _pieces(total: int, size: int = 1024 * 1024):
    piece = b"A" * size
    for _ in range(total // size):
        yield piece


def test_a_256_mb_body_is_refused_before_it_is_read(platform):
    import os

    if not os.path.exists("/proc/self/status"):
        pytest.skip("not on this OS: the platform's memory is read from /proc/<pid>/status (Linux)")
    pid = platform.proc.proc.pid
    for _ in range(3):  # warm up: the first requests load code the later ones use
        httpx.post(f"{platform.url}/api/v1/cases", content=b"{}")
    before = _rss_kib(pid)
    total = 256 * 1024 * 1024
    head = (b"POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(total).encode() + b"\r\n\r\n")
    status, sent = _raw_request(platform.url, head, _pieces(total))
    declared_growth = _rss_kib(pid) - before
    assert status == 413, status
    # and streamed, with no length announced: read only up to the limit
    head = b"POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunk = b"A" * (1024 * 1024)
    framed = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    status2, sent2 = _raw_request(platform.url, head, (framed for _ in range(256)))
    growth = _rss_kib(pid) - before
    assert status2 == 413, status2
    assert declared_growth < 20 * 1024 and growth < 20 * 1024, (declared_growth, growth)
    assert sent < total and sent2 < total, (sent, sent2)  # the server hung up long before the end
    assert platform.proc.running


def test_size_limits_per_kind_of_request(platform):
    client = platform.client("term-a")
    try:
        big = _payload("150702-W01-20260122-0300")
        big["facts"] = {"note": "测" * (400 * 1024)}  # a 1.2 MB case body, signed
        with pytest.raises(E.RejectedError) as info:
            client.create_case(secrets.token_hex(8), big)
        assert info.value.status == 413 and "平台允许的大小" in info.value.message
        near = _payload("150702-W01-20260122-0301")
        near["facts"] = {"note": "测" * (300 * 1024)}  # 0.9 MB: a case body may be up to 1 MiB
        assert client.create_case(secrets.token_hex(8), near)["case_id"] == near["case_id"]
        body = canonical_json({"x": "y" * 70_000})  # anything else: 64 KiB
        resp = client._http.send(_signed(client, "POST", "/api/v1/cases/150702-W01-20260122-0301/withdraw",
                                         {"Idempotency-Key": "k" * 20}, body))
        assert resp.status_code == 413
        resp = client._http.send(_signed(client, "POST", "/api/v1/uploads", {
            "Tus-Resumable": "1.0.0", "Upload-Length": str(512 * 1024 * 1024 + 1), "Idempotency-Key": "k" * 21,
            "Upload-Metadata": _tus_meta(near["case_id"], "0" * 64, "a.pdf")}))
        assert resp.status_code == 413
        data = secrets.token_bytes(2 * 1024 * 1024)  # a chunk far over the platform's chunk limit
        location, _ = client.create_upload(secrets.token_hex(8), case_id=near["case_id"], size=len(data),
                                           sha256=hashlib.sha256(data).hexdigest(), material="m", filename="m.pdf")
        with pytest.raises(E.RejectedError) as info:
            client.upload_chunk(location, 0, data, secrets.token_hex(8))
        assert info.value.status == 413
        assert client.upload_chunk(location, 0, data[:256 * 1024], secrets.token_hex(8)) == 256 * 1024
    finally:
        client.close()


# ---------------------------------------------------------------- the terminal's side


def test_not_owner_puts_the_item_in_needs_attention_and_the_queue_keeps_going(terminal):
    """Another terminal already holds this case number on the platform: the item needs a person,
    the credential is fine, so the queue does not pause and the next case drains."""
    from houshi_desk.sync.outbox import get_state
    from tests.sync.conftest import drain, outbox_rows

    ref = terminal.ref
    taken = terminal.new_case([4000], seed=1)
    free = terminal.new_case([4000], seed=2)
    intruder_secret = secrets.token_urlsafe(24)
    ref.platform.store.add_client("terminal-other-office", intruder_secret, office="150799-01")
    other = PlatformClient(ref.url, "terminal-other-office", intruder_secret)
    try:
        other.create_case(secrets.token_hex(8), _payload(taken))
    finally:
        other.close()
    up = terminal.uploader()
    drain(up)
    assert up.paused is None
    with terminal.store.session() as s:
        assert get_state(s, "paused") == ""
    states = {(r.case_number, r.kind): r for r in outbox_rows(terminal.store)}
    item = states[(taken, "create_case")]
    assert item.state == "needs_attention" and item.last_error_code == "not_owner"
    assert "其他受理点" in item.last_error and "信息科" in item.last_error
    assert item.attempts == 1  # a permanent refusal is not retried
    assert states[(free, "submit")].state == "acked"
    assert [s["case_id"] for s in ref.dump()["submissions"]] == [free]


def test_hostile_json_and_cursors_are_refused_not_crashed(platform):
    client = platform.client("term-a")
    try:
        deep = b"[" * 200_000 + b"]" * 200_000  # 400 KB, nested 200,000 deep: under the size limit
        resp = client._http.send(_signed(client, "POST", "/api/v1/cases", {"Idempotency-Key": "d" * 20}, deep))
        assert resp.status_code == 422 and resp.json()["code"] == "invalid_case", resp.text
        resp = client._http.send(_signed(client, "GET", "/api/v1/changes?since=" + "9" * 40, {}))
        assert resp.status_code == 400 and resp.json()["code"] == "bad_cursor"
    finally:
        client.close()


def test_the_uploader_never_sends_a_chunk_bigger_than_the_platform_takes(terminal):
    """A PC set to 2 MiB chunks against a platform that takes 1 MiB: the platform announces its
    limit, the uploader keeps under it, nothing is refused with 413."""
    from tests.sync.conftest import drain, outbox_rows

    number = terminal.new_case([3 * 1024 * 1024], seed=3)
    drain(terminal.uploader(chunk_size=2 * 1024 * 1024))
    assert {r.state for r in outbox_rows(terminal.store, number)} == {"acked"}
    c = terminal.ref.dump()["counters"]
    assert c["patches"] == 3 and c["bytes_received"] == 3 * 1024 * 1024, c
