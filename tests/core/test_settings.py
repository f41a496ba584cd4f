"""Settings refuse unsafe defaults, and every one of them is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coalition.core.errors import ConfigurationError
from coalition.core.settings import DEVELOPMENT_SECRET, Settings

DOC = Path(__file__).parents[2] / "docs" / "settings.md"


def test_default_secret_is_refused_outside_development() -> None:
    for environment in ("production", "test"):
        with pytest.raises(ConfigurationError, match="COALITION_SECRET_KEY"):
            Settings(environment=environment, secret_key=DEVELOPMENT_SECRET)
    with pytest.raises(ConfigurationError, match="32 characters"):
        Settings(environment="production", secret_key="short")
    assert (
        Settings(environment="development", secret_key=DEVELOPMENT_SECRET).environment
        == "development"
    )


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COALITION_PORT", "9123")
    monkeypatch.setenv("COALITION_DATABASE_URL", "postgresql+psycopg://x@y/z")
    settings = Settings()
    assert settings.port == 9123
    assert settings.database_url == "postgresql+psycopg://x@y/z"


def test_every_setting_is_documented() -> None:
    documented = set(re.findall(r"^\| `(\w+)` \| `(COALITION_\w+)`", DOC.read_text(), re.M))
    expected = {(name, f"COALITION_{name.upper()}") for name in Settings.model_fields}
    assert documented == expected


PRODUCTION = {"environment": "production", "secret_key": "s" * 40, "audit_keys": "k:" + "a" * 40}


def test_cookies_are_secure_by_default_in_production_only(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(**PRODUCTION).secure_cookies is True
    assert Settings(**{**PRODUCTION, "secure_cookies": False}).secure_cookies is False
    assert Settings(environment="test", secret_key="s" * 40).secure_cookies is False
    assert Settings(environment="development").secure_cookies is False
    monkeypatch.setenv("COALITION_ENVIRONMENT", "production")
    monkeypatch.setenv("COALITION_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("COALITION_AUDIT_KEYS", "k:" + "a" * 40)
    assert Settings().secure_cookies is True
    monkeypatch.setenv("COALITION_SECURE_COOKIES", "false")  # an explicit value wins
    assert Settings().secure_cookies is False


def test_trusted_proxies_are_parsed_or_refused_at_start_up() -> None:
    assert Settings().trusted_proxy_networks == ()
    networks = Settings(trusted_proxies=" 192.0.2.10 , 10.0.0.0/8,::1").trusted_proxy_networks
    assert [str(n) for n in networks] == ["192.0.2.10/32", "10.0.0.0/8", "::1/128"]
    with pytest.raises(ConfigurationError, match=r"COALITION_TRUSTED_PROXIES.*'proxy.internal'"):
        Settings(trusted_proxies="192.0.2.10, proxy.internal")


def test_audit_keys_are_required_in_production_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COALITION_AUDIT_KEYS", raising=False)
    secret = "s" * 40
    with pytest.raises(ConfigurationError, match="COALITION_AUDIT_KEYS must be set in production"):
        Settings(environment="production", secret_key=secret)
    for keys, message in [
        ("k1", "item 1 is not id:key"),
        ("k1:short", "shorter than 32 characters"),
        ("k1:" + secret, "is the secret key"),
        ("bad id:" + "x" * 32, "a key id is"),
    ]:
        with pytest.raises(ConfigurationError, match=message) as caught:
            Settings(environment="production", secret_key=secret, audit_keys=keys)
        assert secret not in str(caught.value)
    ring = Settings(
        environment="production", secret_key=secret, audit_keys="a:" + "x" * 32 + ",b:" + "y" * 32
    ).audit_keyring()
    assert (sorted(ring.keys), ring.signing) == (["a", "b"], "b")
    # Outside production, one key derived from the secret key, never the secret itself.
    derived = Settings(environment="test", secret_key=secret).audit_keyring()
    assert derived.signing == "derived" and derived.keys["derived"] != secret.encode()
    assert "x" * 32 not in repr(Settings(secret_key=secret, audit_keys="a:" + "x" * 32))
