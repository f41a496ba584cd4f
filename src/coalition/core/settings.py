"""Settings, read from the environment with the ``COALITION_`` prefix.

Every field here is documented in ``docs/settings.md``; a test keeps the two in step.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from coalition.core.chain import Keyring, derived_keyring, parse_keyring
from coalition.core.errors import ConfigurationError
from coalition.core.forwarding import Network, parse_networks

DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105 - the default refused outside development


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COALITION_", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        default="development",
        description="Where this instance runs. Outside development a real secret key is required.",
    )
    database_url: str = Field(
        default="sqlite:///coalition.db",
        description="SQLAlchemy URL of the database: a SQLite file (the default, in the "
        "working directory) or postgresql+psycopg://user@host:port/name.",
    )
    secret_key: str = Field(
        default=DEVELOPMENT_SECRET,
        description="Signs session and CSRF cookies. Must be set, at least 32 characters, "
        "outside development.",
    )
    audit_keys: str = Field(
        default="",
        repr=False,
        description="Keys that sign the audit chain, `id:key[,id:key...]` (each key at least "
        "32 characters, the last one signs). Required in production; elsewhere, when unset, "
        "one key is derived from the secret key.",
    )
    host: str = Field(default="127.0.0.1", description="Address `coalition serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `coalition serve` binds to.")
    session_hours: int = Field(
        default=12, ge=1, le=24 * 30, description="How long a web sign-in lasts, in hours."
    )
    token_days: int = Field(
        default=90, ge=1, le=3650, description="How long an API token created by the CLI lasts."
    )
    login_max_failures: int = Field(
        default=5,
        ge=1,
        le=1000,
        description="Failed sign-ins one account may make from one address before each "
        "further attempt from there waits, twice as long each time; an address across "
        "accounts, or an account across addresses, may fail twenty times as often.",
    )
    login_window_minutes: int = Field(
        default=15,
        ge=1,
        le=24 * 60,
        description="The longest wait between sign-in attempts once slowed down, and the "
        "period over which failures per address and per account are counted.",
    )
    trusted_proxies: str = Field(
        default="",
        max_length=10_000,
        description="Comma-separated addresses or networks (CIDR) of the reverse proxies "
        "whose X-Forwarded-For header is believed; empty: none.",
    )
    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Largest request body the API and pages accept; larger bodies get 413.",
    )
    max_upload_bytes: int = Field(
        default=536_870_912,
        ge=1024,
        description="Largest file an import upload accepts (on `/imports/uploads`, "
        "`/api/v1/uploads` and `POST /api/v1/imports`); larger uploads get 413, by their "
        "declared length before any byte is stored, or as they stream.",
    )
    upload_dir: str = Field(
        default="uploads",
        max_length=4096,
        description="Directory uploaded import files are kept in until their run ends "
        "(relative to the working directory unless absolute); created when missing.",
    )
    upload_reserve_bytes: int = Field(
        default=268_435_456,
        ge=0,
        description="Free space an upload must leave on the upload directory's disk; an "
        "upload that would leave less is refused with 507 and nothing of it is kept.",
    )
    upload_keep_days: int = Field(
        default=7,
        ge=1,
        le=3650,
        description="Days an uploaded file no queued or running import reads is kept (for "
        "a preview never started, or a run to resume) before a worker or a starting "
        "server removes it.",
    )
    import_stalled_seconds: int = Field(
        default=60,
        ge=2,
        le=86_400,
        description="A background import whose worker has not reported for this long is "
        "taken as stopped: it may be resumed, and a worker may claim it again.",
    )
    db_pool_size: int = Field(
        default=4,
        ge=1,
        le=500,
        description="Database connections each server process keeps for requests; also how "
        "many requests one process lets work on the database at once (the rest wait in line).",
    )
    db_max_overflow: int = Field(
        default=5,
        ge=0,
        le=500,
        description="Extra connections a process may open beyond the pool, for work outside "
        "requests (health checks, error pages, background jobs).",
    )
    db_wait_seconds: float = Field(
        default=5.0,
        gt=0,
        le=120,
        description="How long a request waits in line for a database connection before it "
        "is answered 503 with `Retry-After`.",
    )
    worker_threads: int = Field(
        default=40,
        ge=2,
        le=1000,
        description="Threads each server process runs requests on; must exceed "
        "`COALITION_DB_POOL_SIZE`, so that requests holding a connection always find a thread.",
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Server processes `coalition serve` starts (overridden by `--workers`); "
        "each has its own pool, so PostgreSQL must allow "
        "workers × (pool size + overflow) connections.",
    )
    secure_cookies: bool = Field(
        default=False,
        description="Mark cookies Secure (sent over HTTPS only). Defaults to true in "
        "production and false elsewhere; a value set explicitly wins.",
    )

    @model_validator(mode="before")
    @classmethod
    def _secure_cookies_in_production(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("secure_cookies") is None:
            return {**data, "secure_cookies": data.get("environment") == "production"}
        return data

    @property
    def trusted_proxy_networks(self) -> tuple[Network, ...]:
        """The parsed :attr:`trusted_proxies`."""
        return parse_networks(self.trusted_proxies)

    @model_validator(mode="after")
    def _refuse_unsafe_defaults(self) -> Settings:
        try:
            parse_networks(self.trusted_proxies)
        except ValueError as exc:
            raise ConfigurationError(f"COALITION_TRUSTED_PROXIES: {exc}") from None
        if self.worker_threads <= self.db_pool_size:
            raise ConfigurationError(
                f"COALITION_WORKER_THREADS ({self.worker_threads}) must exceed "
                f"COALITION_DB_POOL_SIZE ({self.db_pool_size})"
            )
        if self.environment != "development":
            if self.secret_key == DEVELOPMENT_SECRET:
                raise ConfigurationError(
                    "COALITION_SECRET_KEY is left at its development default; "
                    f"set a secret of your own in the {self.environment} environment"
                )
            if len(self.secret_key) < 32:
                raise ConfigurationError("COALITION_SECRET_KEY must be at least 32 characters")
        return self

    @model_validator(mode="after")
    def _require_audit_keys(self) -> Settings:
        if not self.audit_keys:
            if self.environment == "production":
                raise ConfigurationError(
                    "COALITION_AUDIT_KEYS must be set in production (id:key, the key at "
                    "least 32 characters, kept outside the database)"
                )
            return self
        self.audit_keyring()
        return self

    def audit_keyring(self) -> Keyring:
        """The keys that sign and verify the audit chain (see :mod:`coalition.core.chain`).

        Without ``audit_keys`` (never in production) one key is derived from the secret
        key: enough to catch a rewrite by someone who has the database but not the
        settings, but anyone holding the secret key holds this key too.
        """
        if not self.audit_keys:
            return derived_keyring(self.secret_key)
        try:
            return parse_keyring(self.audit_keys, forbidden=self.secret_key)
        except ValueError as exc:
            raise ConfigurationError(f"COALITION_AUDIT_KEYS: {exc}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
