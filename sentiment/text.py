"""Making any input safe to tokenise."""

from __future__ import annotations

MAX_CHARS = 2000  # far more than 128 tokens; cuts 100,000-character input before the tokenizer sees it
MAX_TOKENS = 128


def prepare_text(text: object) -> str:
    """A clean string: non-strings converted, control characters dropped, long text cut."""
    value = text if isinstance(text, str) else ("" if text is None else str(text))
    value = value[: MAX_CHARS * 2]
    value = "".join(ch for ch in value if ch.isprintable() or ch in "\n\t")
    return value.strip()[:MAX_CHARS]
