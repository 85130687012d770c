"""The hall database is reached over TLS with a password (SCRAM-SHA-256), never in plain text:
the test cluster (tests/hall/conftest.py) is set up the way a hall's server must be, and these
tests prove it refuses what it must refuse and that the program's own connections are encrypted."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError


def _connect(url: str):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).one()
    finally:
        engine.dispose()


def test_a_connection_without_tls_is_refused(hall_cluster, hall_url):
    name = hall_url.rsplit("/", 1)[1].split("?")[0]
    with pytest.raises(OperationalError) as err:
        _connect(hall_cluster.url(name, sslmode="disable"))
    assert "no encryption" in str(err.value) or "pg_hba.conf" in str(err.value)


def test_a_wrong_password_is_refused_even_over_tls(hall_cluster, hall_url):
    name = hall_url.rsplit("/", 1)[1].split("?")[0]
    with pytest.raises(OperationalError) as err:
        _connect(hall_cluster.url(name, password="not-the-password"))
    assert "password authentication failed" in str(err.value)


def test_the_servers_certificate_is_checked(hall_cluster, hall_url, tmp_path):
    from tests.hall.conftest import make_certificates

    other_ca, _, _ = make_certificates(tmp_path)  # a CA that did not sign the server's certificate
    with pytest.raises(OperationalError) as err:
        _connect(hall_url.replace(str(hall_cluster.ca), str(other_ca)))
    assert "SSL error" in str(err.value) or "certificate verify failed" in str(err.value)


def test_the_program_talks_to_the_hall_over_tls_with_a_scram_password(hall_cluster, hall_url, settings):
    from houshi_desk.store.db import open_store

    store = open_store(settings, url=hall_url)
    try:
        assert store.is_hall_mode and "not-shown" not in store.description
        assert hall_cluster.password not in store.description  # the description never shows the password
        with store.engine.connect() as conn:
            ssl, version = conn.execute(text("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).one()
        assert ssl is True and version.startswith("TLSv1.")
    finally:
        store.close()
    stored = hall_cluster.admin("SELECT rolpassword FROM pg_authid WHERE rolname = 'hall'")
    assert stored.startswith("SCRAM-SHA-256$")  # the server keeps a SCRAM verifier, not an MD5 hash
    assert "hostssl" in (hall_cluster.data / "pg_hba.conf").read_text() and "\nhost " not in (
        hall_cluster.data / "pg_hba.conf").read_text()
