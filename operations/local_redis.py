"""`kizuna run` with several rasa workers (KIZUNA_RASA_WORKERS) uses the Redis of this machine when one
answers, as the lock store the workers share. KIZUNA_REDIS_URL, when set, decides instead; set it empty
to run without Redis."""

from __future__ import annotations

from typing import MutableMapping, Optional

LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"
VARIABLE = "KIZUNA_REDIS_URL"


def answers(url: str, timeout: float = 0.5) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def use_local_redis(environ: MutableMapping[str, str], url: str = LOCAL_REDIS_URL) -> Optional[str]:
    """Sets KIZUNA_REDIS_URL to the local Redis if the operator has not chosen and it answers; the URL used, if so."""
    if VARIABLE in environ or not answers(url):
        return None
    environ[VARIABLE] = url
    return url
