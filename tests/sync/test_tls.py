"""TLS with a configurable CA: the client trusts the province's CA file and refuses a platform
whose certificate it cannot verify, with a clear Chinese message (and the queue pauses)."""
from __future__ import annotations

import datetime
import ipaddress

import pytest

from houshi_desk.sync.client import PlatformClient
from houshi_desk.sync.errors import AuthError
from tests.sync.conftest import APP_KEY


def _pki(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试省 政务 CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp_path / "server.pem").write_bytes(cert.public_bytes(pem))
    (tmp_path / "server.key").write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                            serialization.NoEncryption()))
    return tmp_path / "ca.pem", tmp_path / "server.pem", tmp_path / "server.key"


def test_tls_with_configured_ca(tmp_path):
    from houshi_desk.platform_ref.server import run_in_thread

    ca, cert, key = _pki(tmp_path)
    url, stop = run_in_thread(tmp_path / "p", clients={APP_KEY: "s3cret-tls"}, tls=(str(cert), str(key)))
    try:
        assert url.startswith("https://")
        good = PlatformClient(url, APP_KEY, "s3cret-tls", ca_file=str(ca))
        bad = PlatformClient(url, APP_KEY, "s3cret-tls")  # the system CAs do not know the province's CA
        try:
            assert good.session_info()["app_key"] == APP_KEY
            with pytest.raises(AuthError) as exc:
                bad.session_info()
            assert exc.value.code == "tls" and "证书" in exc.value.message
        finally:
            good.close()
            bad.close()
    finally:
        stop()
