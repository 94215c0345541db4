"""Campaign e-mail from the Jinja2 templates in data/campaigns/templates: a subject, a plain-text part and an
HTML part (autoescaped, so a customer's name or an offer's text can never add markup). The templates are
compiled once per directory; rendering is a dictionary lookup and three template calls."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape

SUBJECT_TEMPLATE = "offer_email.subject.j2"
TEXT_TEMPLATE = "offer_email.txt.j2"
HTML_TEMPLATE = "offer_email.html.j2"
MAX_SUBJECT_CHARS = 200  # outbound_emails.subject
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class _OfferTemplates:
    subject: Template
    text: Template
    html: Template


def render_offer_email(templates_dir: Path, **context: Any) -> RenderedEmail:
    """The offer e-mail for one customer. Context: first_name, shop_name, offer_text, code, expiry,
    click_url, open_url, unsubscribe_url (a missing one is an error, never an empty gap)."""
    templates = _compiled(Path(templates_dir))
    subject = _WHITESPACE.sub(" ", templates.subject.render(context)).strip()[:MAX_SUBJECT_CHARS]
    return RenderedEmail(subject=subject, text=templates.text.render(context), html=templates.html.render(context))


@lru_cache(maxsize=8)
def _compiled(templates_dir: Path) -> _OfferTemplates:
    environment = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    return _OfferTemplates(subject=environment.get_template(SUBJECT_TEMPLATE),
                           text=environment.get_template(TEXT_TEMPLATE),
                           html=environment.get_template(HTML_TEMPLATE))
