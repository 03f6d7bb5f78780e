"""Who may talk to the app: the Host a request names, and where a form post comes from.

DNS rebinding: a page the receptionist opens at evil.example can make its own name
resolve to 127.0.0.1 and then read the app's pages as if they were its own. The
browser still sends `Host: evil.example`, so a request whose Host is not one of this
server's names at its port is refused (400) before any route sees it. An IP literal
cannot be rebound, so a server bound to every address (0.0.0.0) accepts any. A name
given with `--allowed-host` is a reverse proxy's: the proxy listens on a port of its
own (443, or none written: nginx's `$host` has no port), so that name passes at any
port or none, as a rebinding page cannot send it.

Cross-site form posts: a page elsewhere can make the browser post a form here. For
POST (and other unsafe methods) the rule is the one Go's CrossOriginProtection uses:
 1. `Sec-Fetch-Site` (set by the browser, never by a page) when present: only
    `same-origin` or `none` (typed or bookmarked) pass. It stays right behind a
    reverse proxy, where the Host the app sees is not the one the browser used.
 2. Otherwise the `Origin`, or else the `Referer`'s origin, must be this server's own:
    the Host of the request, or a name given with `--allowed-host` (the proxy's, at
    http or https). `Origin: null` never is: the app's pages say `Referrer-Policy:
    no-referrer`, under which a browser sends `Origin: null` on the app's own posts,
    but so does any page elsewhere that asks for the same policy. Browsers send
    `Sec-Fetch-Site` to every trustworthy address (HTTPS, loopback), so only a desk
    that opens the app over plain http:// from another computer meets this rule, and
    is told to use the clinic's HTTPS address instead (docs/security.md).
 3. A request with none of the three is not from a browser's cross-site form (every
    current browser sends Origin on a cross-site POST) and passes: curl, scripts.
Refused posts get 403. Neither answer echoes anything from the request.

Starlette's TrustedHostMiddleware compares the host name only (no port, no "any IP
literal"), so the Host check is this module's; the body limit is Starlette's own.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
ANY_ADDRESS = ("0.0.0.0", "::", "")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SAME_SITE_FETCHES = frozenset({"same-origin", "none"})
# A host name or a bracketed IPv6 literal, then an optional port; nothing else (no
# user info, path or spaces that a lenient parser would read around).
_HOST = re.compile(r"(?P<name>\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?")


@dataclass(frozen=True)
class Hosts:
    """The Host header values this server answers to."""

    names: frozenset[str]  # lower case, IPv6 without brackets
    port: int
    any_address: bool  # bound to every address: any IP literal is fine too
    home: str  # where to open the app, for the refusal message
    proxied: frozenset[str] = frozenset()  # --allowed-host names: at any port or none

    @classmethod
    def bound(cls, host: str, port: int, extra: Iterable[str] = ()) -> Hosts:
        """The names for `--host HOST --port PORT`: the loopback forms, the host
        itself, and for 0.0.0.0 or :: this machine's own name as well."""
        given = host.strip("[]").lower()
        proxied = {_name_of(name) for name in extra}
        names = {*LOOPBACK_NAMES, given, *proxied}
        any_address = given in ANY_ADDRESS
        if any_address:
            machine = socket.gethostname().lower()
            names |= {machine, f"{machine}.local"}
        shown = "127.0.0.1" if any_address else f"[{given}]" if ":" in given else given
        home = f"http://{shown}:{port}/"
        return cls(frozenset(names - {""}), port, any_address, home, frozenset(proxied - {""}))

    def accepts(self, header: str | None) -> bool:
        match = _HOST.fullmatch((header or "").lower())
        if match is None:
            return False
        name = match["name"].strip("[]")
        if name in self.proxied:
            return True
        port = int(match["port"]) if match["port"] else 80
        return port == self.port and (
            name in self.names or (self.any_address and _is_ip_literal(name))
        )


def _name_of(allowed: str) -> str:
    """The host name of an `--allowed-host` value, a port written after it or not (the
    proxy's name passes at any port)."""
    match = _HOST.fullmatch(allowed.strip().lower())
    return match["name"].strip("[]") if match else allowed.strip("[]").lower()


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of a URL, as a browser writes an Origin header."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin_post(headers: Headers, hosts: Hosts | None = None) -> bool:
    """Whether an unsafe request came from the app's own pages (or not from a browser)."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site.lower() in SAME_SITE_FETCHES
    origin = headers.get("origin")
    if origin is None:
        referer = headers.get("referer")
        if referer is None:
            return True
        origin = origin_of(referer)
    if origin is None or origin.lower() == "null":
        return False
    scheme, _, netloc = origin.lower().partition("://")
    if origin.lower() == f"http://{headers.get('host', '')}".lower():
        return True
    match = _HOST.fullmatch(netloc)
    return (
        hosts is not None
        and scheme in ("http", "https")
        and match is not None
        and match["name"].strip("[]") in hosts.proxied
    )


def origin_unknown(headers: Headers) -> bool:
    """A browser's post that says neither where it comes from nor its fetch site: what
    a desk on plain http:// from another computer sends under `no-referrer`."""
    return headers.get("sec-fetch-site") is None and (headers.get("origin") or "") == "null"


class HostGuard:
    """ASGI middleware: 400 for a Host that is not this server's."""

    def __init__(self, app: ASGIApp, hosts: Hosts) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and not self.hosts.accepts(
            Headers(scope=scope).get("host")
        ):
            message = (
                "Bad request: this address is not the DecisionAid app's own. "
                f"Open {self.hosts.home} instead.\n"
            )
            await PlainTextResponse(message, status_code=400)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class CrossSiteGuard:
    """ASGI middleware: 403 for a form posted from another site."""

    def __init__(self, app: ASGIApp, hosts: Hosts | None = None) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if not same_origin_post(headers, self.hosts):
            message = (
                "Forbidden: this form was sent from another web site. Open the "
                "DecisionAid app and fill in the form there.\n"
            )
            if origin_unknown(headers):
                home = self.hosts.home if self.hosts else "http://127.0.0.1/"
                message = (
                    "Forbidden: the browser did not say which page sent this form, as "
                    "browsers do not over plain http:// from another computer. Open the "
                    "app at the clinic's https:// address, or at "
                    f"{home} on the computer it runs on.\n"
                )
            await PlainTextResponse(message, status_code=403)(scope, receive, send)
            return
        await self.app(scope, receive, send)
