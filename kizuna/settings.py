"""All runtime configuration in one place: one pydantic-settings model read from KIZUNA_* environment
variables when it is made (`get_settings()` makes it once per process)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from kizuna.secrets import load_secrets

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _env(name: str, default: object, *, secret: bool = False) -> object:
    """A setting read from KIZUNA_<name>; keyword arguments may still use the field's own name."""
    return Field(default=default, validation_alias=AliasChoices(f"KIZUNA_{name}"), repr=not secret)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    var_dir: Path = _env("VAR_DIR", PROJECT_ROOT / "var")
    models_dir: Path = _env("MODELS_DIR", PROJECT_ROOT / "models")
    # Every data file (shop facts, policies, offers, trend rules, the sentiment corpus, NLU data) is read from here.
    data_dir: Path = _env("DATA_DIR", PROJECT_ROOT / "data")
    bot_dir: Path = _env("BOT_DIR", PROJECT_ROOT / "bot")
    rasa_venv: Path = _env("RASA_VENV", PROJECT_ROOT / ".venv-rasa")
    database_url: str = _env("DATABASE_URL", "")
    rasa_url: str = _env("RASA_URL", "http://127.0.0.1:5005")
    rasa_token: str = _env("RASA_TOKEN", "", secret=True)
    # The only token rasa's conversation channel accepts (bot/kizuna_channel.py): the console's, not its HTTP API's.
    channel_token: str = _env("CHANNEL_TOKEN", "", secret=True)
    action_server_port: int = _env("ACTION_PORT", 5055)
    # Where rasa reaches the action server (default: this machine's, on KIZUNA_ACTION_PORT) and the token it sends.
    action_url: str = _env("ACTION_URL", "")
    action_token: str = _env("ACTION_TOKEN", "", secret=True)
    # Rasa's tracker store (an SQLAlchemy URL); by default a SQLite file beside the app database.
    tracker_store_url: str = _env("TRACKER_STORE_URL", "")
    # Redis, for several replicas: rasa's lock store, live delivery between consoles, shared rate-limit counts.
    redis_url: str = _env("REDIS_URL", "")
    # Processes of one rasa server (Sanic workers, e.g. one per core). Several need a lock store they share,
    # so without Redis the rasa server runs one.
    rasa_workers: int = _env("RASA_WORKERS", 1)
    console_host: str = _env("CONSOLE_HOST", "127.0.0.1")
    console_port: int = _env("CONSOLE_PORT", 8000)
    # Past this the customer gets an apology (their message is kept and analysed later): a reply within 5 s.
    rasa_timeout_seconds: float = _env("RASA_TIMEOUT", 4.5)
    # Turns a console has with Rasa at once; more wait in the console (within the timeout above), so an
    # overloaded Rasa never works on turns whose customer already got the apology.
    rasa_max_in_flight: int = _env("RASA_MAX_IN_FLIGHT", 8)
    max_message_chars: int = 2000
    sentiment_model: str = _env("SENTIMENT_MODEL", "")
    # How a configured model's labels read in ours, e.g. "LABEL_0=negative,LABEL_1=neutral,LABEL_2=positive".
    sentiment_labels: str = _env("SENTIMENT_LABELS", "")
    # How fast customers may write (limits' notation); a redis:// storage shares counts between console replicas.
    rate_limit_per_conversation: str = _env("RATE_LIMIT_CONVERSATION", "30/minute")
    rate_limit_per_address: str = _env("RATE_LIMIT_ADDRESS", "600/minute")
    rate_limit_storage: str = _env("RATE_LIMIT_STORAGE", "")
    # Customer messages below this NLU confidence (or that fell back) go to the trainers' review inbox.
    review_below_confidence: float = _env("REVIEW_BELOW_CONFIDENCE", 0.6)
    # Customer text is stored with personal data masked; with this on, the original is also kept, encrypted
    # with KIZUNA_PERSONAL_DATA_KEY (a Fernet key, see docs/operators.md "Personal data").
    keep_original_text: bool = _env("KEEP_ORIGINAL_TEXT", False)
    personal_data_key: str = _env("PERSONAL_DATA_KEY", "", secret=True)
    # Password of the `admin` user of the staff pages; else the one `kizuna setup` wrote to var/secrets.json.
    admin_password: str = _env("ADMIN_PASSWORD", "", secret=True)
    # Key the shop's backend signs customer tokens with; else var/secrets.json.
    widget_secret: str = _env("WIDGET_SECRET", "", secret=True)
    # Origins of the shop pages allowed to embed the widget (comma-separated; * = any).
    widget_origins_list: str = _env("WIDGET_ORIGINS", "*")
    # Let the demo storefront sign visitors in as demo customers (only for the demo; off by default).
    demo_sign_in: bool = _env("DEMO_SIGN_IN", False)
    # Where campaign e-mail goes (an SMTP server); no host: e-mail stays queued until one is configured.
    smtp_host: str = _env("SMTP_HOST", "")
    smtp_port: int = _env("SMTP_PORT", 587)
    smtp_starttls: bool = _env("SMTP_STARTTLS", False)
    # SMTPS: TLS from the first byte (usually port 465) instead of upgrading with STARTTLS.
    smtp_tls: bool = _env("SMTP_TLS", False)
    smtp_username: str = _env("SMTP_USERNAME", "")
    smtp_password: str = _env("SMTP_PASSWORD", "", secret=True)
    mail_from: str = _env("MAIL_FROM", "Kizuna Shop <hello@shop.example>")
    # The address customers reach the console at, for the links in e-mail (unsubscribe, clicks, opens);
    # default: http://<console host>:<console port>.
    public_url: str = _env("PUBLIC_URL", "")
    # Key the links in e-mail are signed with; else var/secrets.json.
    link_secret: str = _env("LINK_SECRET", "", secret=True)
    # Key the shop signs its order reports to /api/shop/orders with; else var/secrets.json.
    shop_webhook_secret: str = _env("SHOP_WEBHOOK_SECRET", "", secret=True)
    # Let webhook endpoints be on this machine or a private network (else only public addresses receive them).
    webhook_allow_private_targets: bool = _env("WEBHOOK_ALLOW_PRIVATE", False)

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'kizuna.db'}"

    @property
    def effective_rasa_workers(self) -> int:
        return max(1, self.rasa_workers) if self.redis_url else 1

    @property
    def effective_tracker_store_url(self) -> str:
        return self.tracker_store_url or f"sqlite:///{self.var_dir / 'rasa_tracker.db'}"

    @property
    def effective_action_url(self) -> str:
        return self.action_url or f"http://127.0.0.1:{self.action_server_port}/webhook"

    @property
    def effective_rate_limit_storage(self) -> str:
        return self.rate_limit_storage or self.redis_url or "memory://"

    @property
    def effective_action_token(self) -> str:
        return self.action_token or load_secrets(self.var_dir).get("action_token", "")

    @property
    def effective_rasa_token(self) -> str:
        return self.rasa_token or load_secrets(self.var_dir).get("rasa_token", "")

    @property
    def effective_channel_token(self) -> str:
        return self.channel_token or load_secrets(self.var_dir).get("channel_token", "")

    @property
    def effective_admin_password(self) -> str:
        return self.admin_password or load_secrets(self.var_dir).get("admin_password", "")

    @property
    def effective_widget_secret(self) -> str:
        return self.widget_secret or load_secrets(self.var_dir).get("widget_secret", "")

    @property
    def effective_link_secret(self) -> str:
        return self.link_secret or load_secrets(self.var_dir).get("link_secret", "")

    @property
    def effective_shop_webhook_secret(self) -> str:
        return self.shop_webhook_secret or load_secrets(self.var_dir).get("shop_webhook_secret", "")

    @property
    def effective_public_url(self) -> str:
        return (self.public_url or f"http://{self.console_host}:{self.console_port}").rstrip("/")

    @property
    def campaign_templates_dir(self) -> Path:
        return self.data_dir / "campaigns" / "templates"

    @property
    def widget_origins(self) -> list[str]:
        return [o.strip() for o in self.widget_origins_list.split(",") if o.strip()]

    @property
    def rasa_model_dir(self) -> Path:
        return self.models_dir / "rasa"

    @property
    def sentiment_model_dir(self) -> Path:
        return Path(self.sentiment_model) if self.sentiment_model else self.models_dir / "sentiment"

    @property
    def encoder_dir(self) -> Path:
        """all-MiniLM-L6-v2 exported to ONNX, which the NLU pipeline reads messages with."""
        return self.models_dir / "encoder"

    @property
    def churn_model_dir(self) -> Path:
        return self.models_dir / "churn"

    @property
    def domain_dir(self) -> Path:
        return self.bot_dir / "domain"

    @property
    def training_data_dirs(self) -> tuple[Path, ...]:
        """What the assistant is trained from (besides config and domain)."""
        return tuple(self.data_dir / name for name in ("nlu", "rules", "stories"))

    @property
    def shop_config_path(self) -> Path:
        return self.data_dir / "shop.yml"

    @property
    def sentiment_corpus_dir(self) -> Path:
        """The sentiment corpus: its sources in corpus/ and the train, dev and heldout splits made from them."""
        return self.data_dir / "sentiment"

    @property
    def trend_config_path(self) -> Path:
        return self.data_dir / "sentiment" / "trend.yml"

    @property
    def retention_policy_path(self) -> Path:
        return self.data_dir / "retention" / "policy.yml"

    @property
    def offer_catalog_path(self) -> Path:
        return self.data_dir / "retention" / "offers.yml"

    @property
    def intelligence_config_path(self) -> Path:
        """Churn horizon, tiers and segments."""
        return self.data_dir / "customers" / "intelligence.yml"

    @property
    def canned_replies_path(self) -> Path:
        return self.data_dir / "support" / "canned_replies.yml"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
