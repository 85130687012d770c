"""The hall's PostgreSQL as a hall should run it: TLS on, password (SCRAM-SHA-256) authentication,
no plain-text TCP access at all. One private cluster per test session (initdb in a temp folder, a
self-signed CA and server certificate made with ``cryptography``, a free port on loopback); each test
gets a fresh database in it, owned by the password role the terminals log in with.

As root the server runs as ``postgres`` (``setpriv``), like packaging/services.sh starts the shared one.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

ROLE = "hall"


def _bindir() -> str | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[-3]))
    if found:
        return str(found[-1].parent)
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        if out and Path(out, "postgres").exists():
            return out
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1/localhost signed by it: (ca.crt, server.crt, server.key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "houshi-desk test hall CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
          .not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.crt", folder / "server.crt", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    os.chmod(paths[2], 0o600)
    return paths


class HallCluster:
    def __init__(self, root: Path, bindir: str, as_postgres: list[str]):
        self.root, self.bindir, self.as_postgres = root, bindir, as_postgres
        self.port = _free_port()
        self.password = secrets.token_urlsafe(18)
        self.data, self.sock, self.log = root / "data", root / "sock", root / "log"

    def _run(self, *args: str, timeout: float = 120) -> str:
        r = subprocess.run(self.as_postgres + [f"{self.bindir}/{args[0]}", *args[1:]], capture_output=True,
                           text=True, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({r.returncode}): {r.stderr[-2000:]}")
        return r.stdout

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth-local=trust",
                  "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        ca, crt, key = make_certificates(self.root)
        for p in (crt, key):
            target = self.data / p.name
            shutil.copy(p, target)
            if self.as_postgres:
                shutil.chown(target, "postgres", "postgres")
        os.chmod(self.data / "server.key", 0o600)
        self.ca = ca
        # TLS only: the socket (the fixture's own administration) and TLS+SCRAM on loopback, nothing else.
        (self.data / "pg_hba.conf").write_text(
            "local   all  postgres                 trust\n"
            "hostssl all  all       127.0.0.1/32   scram-sha-256\n", encoding="utf-8")
        self.sock.mkdir()
        if self.as_postgres:
            shutil.chown(self.sock, "postgres", "postgres")
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sock} -c ssl=on "
                "-c ssl_cert_file=server.crt -c ssl_key_file=server.key -c password_encryption=scram-sha-256 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=120")
        self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.log), "-w", "start")
        self.admin(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{self.password}'")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        except Exception:  # noqa: BLE001 - best effort at the end of the session
            pass

    def admin(self, sql: str) -> str:
        """Run SQL as the superuser over the private socket; returns psql's unaligned output."""
        return self._run("psql", "-h", str(self.sock), "-p", str(self.port), "-U", "postgres", "-d", "postgres",
                         "-v", "ON_ERROR_STOP=1", "-XAtc", sql)

    def url(self, database: str, *, password: str | None = None, sslmode: str = "verify-full") -> str:
        pw = self.password if password is None else password
        tail = f"?sslmode={sslmode}" + (f"&sslrootcert={self.ca}" if sslmode.startswith("verify") else "")
        return f"postgresql+psycopg://{ROLE}:{pw}@127.0.0.1:{self.port}/{database}{tail}"

    def new_database(self) -> tuple[str, str]:
        name = f"h_{uuid.uuid4().hex[:12]}"
        self.admin(f'CREATE DATABASE "{name}" OWNER {ROLE}')
        return name, self.url(name)

    def drop_database(self, name: str) -> None:
        try:
            self.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            self.admin(f'DROP DATABASE IF EXISTS "{name}"')
        except Exception:  # noqa: BLE001
            pass


@pytest.fixture(scope="session")
def hall_cluster():
    bindir = _bindir()
    if not bindir:
        pytest.skip(reason="PostgreSQL server binaries not installed (/usr/lib/postgresql/*/bin): no TLS hall cluster")
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip(reason="running as root without setpriv: cannot start PostgreSQL as user postgres")
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip(reason="running as root and there is no postgres user to run the server as")
        as_postgres = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]
    # Not under pytest's tmp_path: that is private to root, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="houshi-hall-pg-"))
    os.chmod(root, 0o755)
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    cluster = HallCluster(root, bindir, as_postgres)
    try:
        cluster.start()
    except Exception:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
        raise
    yield cluster
    cluster.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def hall_url(hall_cluster):
    """A fresh, empty database of the TLS hall cluster; the URL logs in with a password over TLS."""
    name, url = hall_cluster.new_database()
    yield url
    from houshi_desk.store.hallstore import dispose_engines

    dispose_engines()
    hall_cluster.drop_database(name)


@pytest.fixture
def hall(settings, hall_url, monkeypatch):
    """This test's terminal in hall mode: settings on the TLS hall database, migrated, hall key made
    and recorded (as ``hall key create`` does). Yields (settings, store, key)."""
    from houshi_desk.store import hallstore as hs
    from houshi_desk.store.db import open_store

    monkeypatch.setenv("HOUSHI_DESK_DATABASE_URL", hall_url)
    store = open_store(settings)
    assert store.is_hall_mode
    key = enroll_new_key(store)
    yield settings, store, key
    store.close()


def enroll_new_key(store, actor: str = "test") -> bytes:
    from houshi_desk.store import hallstore as hs

    key = hs.new_key()
    with store.session(write=True) as s:
        hs.record_fingerprint(s, hs.fingerprint(key), actor=actor)
    hs.save_keyring_key(key)
    return key


@pytest.fixture
def light_argon2(monkeypatch):
    """Same argon2id code path with smaller costs (the shipped cost is in tests/bench)."""
    from argon2 import PasswordHasher

    from houshi_desk.users import passwords

    light = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    monkeypatch.setattr(passwords, "hasher", lambda: light)
    passwords.dummy_hash.cache_clear()
    yield
    passwords.dummy_hash.cache_clear()
