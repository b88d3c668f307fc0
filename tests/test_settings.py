"""Production settings: fail loudly without secrets, pass `check --deploy` with them."""

import os
import subprocess
import sys
from pathlib import Path

from certificates.signing import new_private_key_pem

ROOT = Path(__file__).resolve().parent.parent
# A valid certificate signing key for every run below that does not test that key.
SIGNING_KEY = new_private_key_pem()


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "CACHE_URL",
            "WEB_CONCURRENCY",
            "TRUSTED_PROXY_COUNT",
            "CERTIFICATE_SIGNING_KEY",
        }
    }
    environment["CERTIFICATE_SIGNING_KEY"] = SIGNING_KEY
    environment.update(env, DJANGO_SETTINGS_MODULE="portal.settings.production")
    if environment["CERTIFICATE_SIGNING_KEY"] is None:
        del environment["CERTIFICATE_SIGNING_KEY"]
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required" in result.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k3y-" + "Zq8#pL2@vN5!xR7$" * 4,
        ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_URL=f"filecache://{tmp_path / 'cache'}",
        TRUSTED_PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_no_proxy_is_trusted_behind_a_proxy(tmp_path):
    """Without TRUSTED_PROXY_COUNT every client would share the proxy's address, and one
    lockout would lock out everybody."""
    result = manage(
        "check",
        "--deploy",
        SECRET_KEY="k3y-" + "Zq8#pL2@vN5!xR7$" * 4,
        ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_URL=f"filecache://{tmp_path / 'cache'}",
    )
    assert "portal.W010" in result.stderr + result.stdout


SECRETS = {"SECRET_KEY": "k3y-" + "Zq8#pL2@vN5!xR7$" * 4, "ALLOWED_HOSTS": "portal.example.org"}


def test_production_refuses_a_cache_its_processes_cannot_share():
    result = manage("check", **SECRETS)
    assert result.returncode != 0
    assert "CACHE_URL gives a per-process cache" in result.stderr
    # Declaring one worker, or a shared cache, is accepted.
    assert manage("check", WEB_CONCURRENCY="1", **SECRETS).returncode == 0
    shared = manage("check", CACHE_URL="redis://127.0.0.1:6399/1", **SECRETS)
    assert shared.returncode == 0, shared.stderr


def test_frontend_cache_url_configures_the_varnish_purges(tmp_path):
    show = (
        "from django.conf import settings; print(getattr(settings, 'WAGTAILFRONTENDCACHE', None))"
    )
    common = {
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "portal.example.org",
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    configured = manage("shell", "-c", show, FRONTEND_CACHE_URL="http://127.0.0.1:6081", **common)
    assert configured.returncode == 0, configured.stderr
    assert "portal.frontcache.VarnishBackend" in configured.stdout
    assert "'LOCATION': 'http://127.0.0.1:6081'" in configured.stdout
    unset = manage("shell", "-c", show, FRONTEND_CACHE_URL="", **common)
    assert unset.stdout.strip().splitlines()[-1] == "None"  # control: nothing is purged without it


def test_production_refuses_to_start_without_a_valid_certificate_signing_key():
    settings = {**SECRETS, "WEB_CONCURRENCY": "1"}
    missing = manage("check", CERTIFICATE_SIGNING_KEY=None, **settings)
    assert missing.returncode != 0
    assert "CERTIFICATE_SIGNING_KEY is required" in missing.stderr
    garbled = manage("check", CERTIFICATE_SIGNING_KEY="-----BEGIN PRIVATE KEY-----x", **settings)
    assert garbled.returncode != 0
    assert "CERTIFICATE_SIGNING_KEY is not a PEM private key" in garbled.stderr
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    other_curve = (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    wrong = manage("check", CERTIFICATE_SIGNING_KEY=other_curve, **settings)
    assert wrong.returncode != 0
    assert "must be an EC P-256 key" in wrong.stderr
    # Control: the key every other test passes is accepted, also with escaped newlines.
    escaped = SIGNING_KEY.replace("\n", "\\n")
    assert manage("check", CERTIFICATE_SIGNING_KEY=escaped, **settings).returncode == 0
