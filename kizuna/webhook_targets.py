"""Where webhooks may go: an absolute http(s) URL, without credentials, whose host resolves to public addresses
only. Otherwise an admin's endpoint could reach this machine, the private network or a cloud metadata service,
and its deliveries' outcomes would tell which ports answer there. KIZUNA_WEBHOOK_ALLOW_PRIVATE lets receivers
on the shop's own network in (the addresses are then not checked).

The check runs when an endpoint is added and again before each delivery, which then connects to the very
address it checked: a name that resolved to a public address for the check cannot point elsewhere a moment
later (DNS rebinding)."""

from __future__ import annotations

import ipaddress
import socket
import unicodedata
from dataclasses import dataclass
from typing import Any, Optional, Union

import httpx

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv6 addresses standing for the IPv4 address in their last 32 bits

IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]


class TargetRefused(ValueError):
    """The URL may not receive webhooks; the message says why."""


class HostUnresolved(TargetRefused):
    """The host does not resolve (perhaps only for now)."""


class TargetNotPublic(TargetRefused):
    """The host is, or resolves to, an address that is not public."""


@dataclass(frozen=True)
class Target:
    url: httpx.URL
    address: Optional[str]  # a checked public address of a host name to connect to; None: connect to the URL's host

    def request_parts(self) -> tuple[httpx.URL, dict[str, str], dict[str, Any]]:
        """The URL, headers and request extensions that reach the checked address: the address in place of the
        name, the name in the Host header and in TLS (SNI and certificate check). The connection is not kept
        for another request, which could be for another name on the same address."""
        if self.address is None:
            return self.url, {}, {}
        return (self.url.copy_with(host=self.address),
                {"Host": self.url.netloc.decode("ascii"), "Connection": "close"},
                {"sni_hostname": self.url.raw_host.decode("ascii")})


def check_target(url: str, *, allow_private: bool) -> Target:
    """The parsed URL and the address to send to; TargetRefused (or one of its kinds) when it may not be used."""
    parsed = parse_url(url)
    if allow_private:
        return Target(parsed, None)
    host = parsed.raw_host.decode("ascii")
    literal = _ip_literal(host)
    if literal is not None:
        if not is_public(literal):
            raise TargetNotPublic(_not_public(parsed.host))
        return Target(parsed, None)
    return Target(parsed, public_addresses(host, parsed.port or DEFAULT_PORTS[parsed.scheme])[0])


def parse_url(url: str) -> httpx.URL:
    """An absolute http(s) URL with a host, a valid port and no user name or password; else TargetRefused."""
    if any(character.isspace() or unicodedata.category(character).startswith("C") for character in url):
        raise TargetRefused("the URL holds a space or a control character")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise TargetRefused("the URL is not valid") from None
    if parsed.scheme not in SCHEMES:
        raise TargetRefused("the URL must start with http:// or https://")
    if not parsed.host:
        raise TargetRefused("the URL has no host")
    if "%" in parsed.host:
        raise TargetRefused("the URL's host is not valid")
    if parsed.userinfo:
        raise TargetRefused("the URL must not carry a user name or password: the signature authenticates each delivery")
    if parsed.port is not None and not 1 <= parsed.port <= 65535:
        raise TargetRefused("the URL's port must be between 1 and 65535")
    return parsed


def public_addresses(host: str, port: int) -> tuple[str, ...]:
    """Every address the host name resolves to (for address families this machine has), if all are public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_ADDRCONFIG)
    except (OSError, UnicodeError):
        raise HostUnresolved(f"the host {host} does not resolve") from None
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in found))
    if not addresses:
        raise HostUnresolved(f"the host {host} does not resolve")
    if not all(is_public(ipaddress.ip_address(address)) for address in addresses):
        raise TargetNotPublic(_not_public(host))
    return addresses


def is_public(address: IPAddress) -> bool:
    """A globally reachable unicast address; an IPv6 address carrying an IPv4 one counts as that one."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        carried = address.sixtofour or (ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) if address in NAT64 else None)
        if carried is not None and not is_public(carried):
            return False
    return address.is_global and not (address.is_private or address.is_loopback or address.is_link_local
                                      or address.is_multicast or address.is_reserved or address.is_unspecified)


def _ip_literal(host: str) -> Optional[IPAddress]:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _not_public(host: str) -> str:
    return (f"the host {host} is not a public address (this machine, a private or link-local network, a cloud "
            "metadata service, multicast or reserved); receivers on the shop's own network need "
            "KIZUNA_WEBHOOK_ALLOW_PRIVATE=1")
