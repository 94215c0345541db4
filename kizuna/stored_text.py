"""What is stored of a customer's words: the text with personal data masked and, only when configured
(KIZUNA_KEEP_ORIGINAL_TEXT=1 with a Fernet key in KIZUNA_PERSONAL_DATA_KEY), the original, encrypted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from cryptography.fernet import Fernet, InvalidToken

from kizuna.personal_data import mask_personal_data
from kizuna.settings import Settings, get_settings

class PersonalDataKeyError(RuntimeError):
    pass


@dataclass(frozen=True)
class StoredText:
    text: str  # personal data masked
    original_encrypted: Optional[str]  # only when keeping originals is configured and masking changed something


def protect(text: str, settings: Optional[Settings] = None) -> StoredText:
    masked = mask_personal_data(text)
    cipher = original_text_cipher(settings or get_settings())
    if cipher is None or masked == text:
        return StoredText(masked, None)
    return StoredText(masked, cipher.encrypt(text.encode("utf-8")).decode("ascii"))


def masked_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entities the NLU found, their text values masked like the text (an `email` entity holds the address)."""
    return [{**e, "value": mask_personal_data(e["value"])} if isinstance(e.get("value"), str) else e for e in entities]


def reveal(text: str, original_encrypted: Optional[str], settings: Optional[Settings] = None) -> str:
    """The customer's own words when the original was kept (and the key is at hand), else the stored text."""
    cipher = original_text_cipher(settings or get_settings()) if original_encrypted else None
    if cipher is None:
        return text
    try:
        return cipher.decrypt(original_encrypted.encode("ascii")).decode("utf-8")  # type: ignore[union-attr]
    except InvalidToken as error:
        raise PersonalDataKeyError("the stored original does not open with KIZUNA_PERSONAL_DATA_KEY") from error


def original_text_cipher(settings: Settings) -> Optional[Fernet]:
    """None unless originals are to be kept; a missing or malformed key is an error, not a silent fallback."""
    if not settings.keep_original_text:
        return None
    if not settings.personal_data_key:
        raise PersonalDataKeyError("KIZUNA_KEEP_ORIGINAL_TEXT=1 needs a Fernet key in KIZUNA_PERSONAL_DATA_KEY")
    try:
        return Fernet(settings.personal_data_key.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise PersonalDataKeyError("KIZUNA_PERSONAL_DATA_KEY is not a Fernet key (32 url-safe base64-encoded bytes)") from error
