"""All runtime configuration in one place, read from KIZUNA_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _env(name: str, default: str) -> str:
    return os.environ.get(f"KIZUNA_{name}", default)


@dataclass(frozen=True)
class Settings:
    var_dir: Path = field(default_factory=lambda: Path(_env("VAR_DIR", str(PROJECT_ROOT / "var"))))
    models_dir: Path = field(default_factory=lambda: Path(_env("MODELS_DIR", str(PROJECT_ROOT / "models"))))
    data_dir: Path = field(default_factory=lambda: Path(_env("DATA_DIR", str(PROJECT_ROOT / "data"))))
    bot_dir: Path = field(default_factory=lambda: Path(_env("BOT_DIR", str(PROJECT_ROOT / "bot"))))
    database_url: str = field(default_factory=lambda: _env("DATABASE_URL", ""))
    rasa_url: str = field(default_factory=lambda: _env("RASA_URL", "http://127.0.0.1:5005"))
    rasa_token: str = field(default_factory=lambda: _env("RASA_TOKEN", ""))
    # The only token rasa's conversation channel accepts (bot/kizuna_channel.py): the console's, not its HTTP API's.
    channel_token: str = field(default_factory=lambda: _env("CHANNEL_TOKEN", ""), repr=False)
    action_server_port: int = field(default_factory=lambda: int(_env("ACTION_PORT", "5055")))
    # Where rasa reaches the action server (default: this machine's, on KIZUNA_ACTION_PORT) and the token it sends.
    action_url: str = field(default_factory=lambda: _env("ACTION_URL", ""))
    action_token: str = field(default_factory=lambda: _env("ACTION_TOKEN", ""), repr=False)
    # Rasa's tracker store (an SQLAlchemy URL); by default a SQLite file beside the app database.
    tracker_store_url: str = field(default_factory=lambda: _env("TRACKER_STORE_URL", ""))
    # Redis, for several replicas: rasa's lock store, live delivery between consoles, shared rate-limit counts.
    redis_url: str = field(default_factory=lambda: _env("REDIS_URL", ""))
    # Processes of one rasa server (Sanic workers, e.g. one per core). Several need a lock store they share,
    # so without Redis the rasa server runs one.
    rasa_workers: int = field(default_factory=lambda: int(_env("RASA_WORKERS", "1")))
    console_host: str = field(default_factory=lambda: _env("CONSOLE_HOST", "127.0.0.1"))
    console_port: int = field(default_factory=lambda: int(_env("CONSOLE_PORT", "8000")))
    # Past this the customer gets an apology (their message is kept and analysed later): a reply within 5 s.
    rasa_timeout_seconds: float = field(default_factory=lambda: float(_env("RASA_TIMEOUT", "4.5")))
    # Turns a console has with Rasa at once; more wait in the console (within the timeout above), so an
    # overloaded Rasa never works on turns whose customer already got the apology.
    rasa_max_in_flight: int = field(default_factory=lambda: int(_env("RASA_MAX_IN_FLIGHT", "8")))
    max_message_chars: int = 2000
    sentiment_model: str = field(default_factory=lambda: _env("SENTIMENT_MODEL", ""))
    # How a configured model's labels read in ours, e.g. "LABEL_0=negative,LABEL_1=neutral,LABEL_2=positive".
    sentiment_labels: str = field(default_factory=lambda: _env("SENTIMENT_LABELS", ""))
    # How fast customers may write (limits' notation); a redis:// storage shares counts between console replicas.
    rate_limit_per_conversation: str = field(default_factory=lambda: _env("RATE_LIMIT_CONVERSATION", "30/minute"))
    rate_limit_per_address: str = field(default_factory=lambda: _env("RATE_LIMIT_ADDRESS", "600/minute"))
    rate_limit_storage: str = field(default_factory=lambda: _env("RATE_LIMIT_STORAGE", ""))
    # Customer messages below this NLU confidence (or that fell back) go to the trainers' review inbox.
    review_below_confidence: float = field(default_factory=lambda: float(_env("REVIEW_BELOW_CONFIDENCE", "0.6")))
    # Customer text is stored with personal data masked; with this on, the original is also kept, encrypted
    # with KIZUNA_PERSONAL_DATA_KEY (a Fernet key, see README "Personal data").
    keep_original_text: bool = field(default_factory=lambda: _env("KEEP_ORIGINAL_TEXT", "0") == "1")
    personal_data_key: str = field(default_factory=lambda: _env("PERSONAL_DATA_KEY", ""), repr=False)

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
        from kizuna.secrets import load_secrets

        return self.action_token or load_secrets(self.var_dir).get("action_token", "")

    @property
    def effective_rasa_token(self) -> str:
        from kizuna.secrets import load_secrets

        return self.rasa_token or load_secrets(self.var_dir).get("rasa_token", "")

    @property
    def effective_channel_token(self) -> str:
        from kizuna.secrets import load_secrets

        return self.channel_token or load_secrets(self.var_dir).get("channel_token", "")

    @property
    def effective_admin_password(self) -> str:
        """Password of the `admin` user of the staff pages (KIZUNA_ADMIN_PASSWORD, else var/secrets.json)."""
        from kizuna.secrets import load_secrets

        return _env("ADMIN_PASSWORD", "") or load_secrets(self.var_dir).get("admin_password", "")

    @property
    def effective_widget_secret(self) -> str:
        """Key the shop's backend signs customer tokens with (KIZUNA_WIDGET_SECRET, else var/secrets.json)."""
        from kizuna.secrets import load_secrets

        return _env("WIDGET_SECRET", "") or load_secrets(self.var_dir).get("widget_secret", "")

    @property
    def widget_origins(self) -> list[str]:
        """Origins of the shop pages allowed to embed the widget (KIZUNA_WIDGET_ORIGINS, comma-separated; * = any)."""
        return [o.strip() for o in _env("WIDGET_ORIGINS", "*").split(",") if o.strip()]

    @property
    def demo_sign_in(self) -> bool:
        """Let the demo storefront sign visitors in as demo customers (only for the demo; off by default)."""
        return _env("DEMO_SIGN_IN", "0") == "1"

    @property
    def rasa_venv(self) -> Path:
        return Path(_env("RASA_VENV", str(PROJECT_ROOT / ".venv-rasa")))

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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
