"""Handing e-mail to the SMTP server of the settings (host, port, STARTTLS or SMTPS, credentials): one
connection for a batch, opened when the first message goes and opened again after it broke. A failure says
whether trying later can help: the server unreachable or a 4xx answer can; a 5xx refusal of the recipient or
the message cannot. Each message goes to the one plain address of its To header and nowhere else, and the
password never travels without TLS except to a server on this machine."""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from types import TracebackType
from typing import Optional

from kizuna.db.outbound_emails import EmailToSend
from kizuna.email_address import address_problem
from kizuna.settings import Settings

SMTP_TIMEOUT_SECONDS = 30.0
# Headers folded only past RFC 5322's line limit: a folded List-Unsubscribe link reaches some clients broken.
MESSAGE_POLICY = policy.SMTP.clone(max_line_length=998)


class SendFailed(Exception):
    """`permanent`: trying again cannot help. `server_failed`: the server could not be reached or the connection
    to it failed, so the next e-mail would fail alike (rather than this one message being refused)."""

    def __init__(self, reason: str, *, permanent: bool, server_failed: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.server_failed = server_failed


def build_message(email: EmailToSend, mail_from: str, now: datetime) -> EmailMessage:
    """Raises SendFailed (permanent) for what no server would take, e.g. a header with a line break, or for a
    recipient that is not exactly one plain address."""
    recipient_problem = address_problem(email.to_address)
    if recipient_problem is not None:
        raise SendFailed(f"the recipient is not one plain e-mail address: {recipient_problem}", permanent=True)
    try:
        return _message(email, mail_from, now)
    except (ValueError, TypeError) as malformed:
        raise SendFailed(f"the message cannot be built: {malformed}", permanent=True) from malformed


def _message(email: EmailToSend, mail_from: str, now: datetime) -> EmailMessage:
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["From"] = mail_from
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = email.message_id or make_msgid()
    for name, value in email.headers.items():
        message[name] = value
    message.set_content(email.text_body)
    message.add_alternative(email.html_body, subtype="html")
    return message


class Mailer:
    """Use as a context manager: `with Mailer(settings) as mailer: mailer.send(message)`."""

    def __init__(self, settings: Settings, timeout: float = SMTP_TIMEOUT_SECONDS) -> None:
        self._settings = settings
        self._timeout = timeout
        self._smtp: Optional[smtplib.SMTP] = None

    def __enter__(self) -> "Mailer":
        return self

    def __exit__(self, kind: Optional[type[BaseException]], error: Optional[BaseException],
                 traceback: Optional[TracebackType]) -> None:
        self.close()

    def send(self, message: EmailMessage) -> None:
        """Raises SendFailed; the connection is dropped after anything but a refusal of this one message."""
        recipient = one_recipient(message)
        try:
            self._connection().send_message(message, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _ in refused.recipients.values()]
            raise SendFailed(_describe(refused), permanent=all(code >= 500 for code in codes)) from refused
        except smtplib.SMTPDataError as refused:
            raise SendFailed(_describe(refused), permanent=refused.smtp_code >= 500) from refused
        except (smtplib.SMTPException, OSError) as failure:
            self.close()
            raise SendFailed(_describe(failure), permanent=False, server_failed=True) from failure

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            settings = self._settings
            refuse_password_in_clear(settings)
            if settings.smtp_tls:
                smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=self._timeout,
                                        context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=self._timeout)
            try:
                if settings.smtp_starttls and not settings.smtp_tls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.smtp_username:
                    smtp.login(settings.smtp_username, settings.smtp_password)
            except BaseException:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp


def refuse_password_in_clear(settings: Settings) -> None:
    """A log-in goes over TLS (STARTTLS or SMTPS), except to a server on this machine; else SendFailed, tried
    again later like any other problem with the server, so the e-mail waits until the settings are fixed."""
    if settings.smtp_username and not (settings.smtp_tls or settings.smtp_starttls) and not is_loopback(settings.smtp_host):
        raise SendFailed(f"the SMTP password is not sent to {settings.smtp_host} without TLS: set KIZUNA_SMTP_STARTTLS=1, "
                         "or KIZUNA_SMTP_TLS=1 for a server that speaks TLS from the start (port 465)",
                         permanent=False, server_failed=True)


def is_loopback(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def one_recipient(message: EmailMessage) -> str:
    """The To header's one plain address: smtplib would otherwise send to every address of To, Cc and Bcc."""
    values = message.get_all("To") or []
    problem = "there is no To header or more than one" if len(values) != 1 else address_problem(str(values[0]))
    if problem is not None:
        raise SendFailed(f"the recipient is not one plain e-mail address: {problem}", permanent=True)
    return str(values[0])


def _describe(failure: BaseException) -> str:
    if isinstance(failure, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"recipient refused: {code} {_text(reply)}" for code, reply in failure.recipients.values())
    if isinstance(failure, smtplib.SMTPResponseException):
        return f"{type(failure).__name__}: {failure.smtp_code} {_text(failure.smtp_error)}"
    return f"{type(failure).__name__}: {failure}"


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
