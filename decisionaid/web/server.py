"""Running the app with uvicorn, a production ASGI server, on loopback by default."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import sys
from pathlib import Path

import uvicorn

from .app import create_app
from .guard import Hosts
from .pool import PoolSettings

# Whose X-Forwarded-For (the desk's address, for the access log) is believed: the
# reverse proxy's own address. By default loopback only: a proxy on this machine.
FORWARDED_ALLOW_IPS = "127.0.0.1,::1"
ANY_ADDRESS = ("0.0.0.0", "::", "[::]")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str | None:
    """What a bind beyond this machine exposes, in words for whoever started it."""
    if is_loopback(host):
        return None
    where = (
        f"on every network this computer is on (port {port})"
        if host in ANY_ADDRESS
        else f"on {host}:{port}, not only on this computer"
    )
    return (
        f"warning: serving {where}. Anyone who can "
        "reach this address can open the catalog and print handouts, and what staff type "
        "(patients' names) crosses the network without encryption; and browsers on other "
        "computers, on plain http://, do not say which page sent a form, so the app "
        "refuses their forms. Put it behind the clinic's HTTPS web server, or use "
        "--host 127.0.0.1."
    )


def addresses_to_open(host: str, port: int) -> list[str]:
    """Where staff can open the app: 0.0.0.0 or :: is no address a browser can open,
    so this computer's loopback address and its name on the network instead."""
    if host in ANY_ADDRESS:
        return [f"http://127.0.0.1:{port}/", f"http://{socket.gethostname().lower()}:{port}/"]
    shown = f"[{host}]" if ":" in host else host
    return [f"http://{shown}:{port}/"]


def serve(
    root: Path,
    host: str,
    port: int,
    allowed_hosts: tuple[str, ...] = (),
    pool: PoolSettings | None = None,
    forwarded_allow_ips: str = FORWARDED_ALLOW_IPS,
) -> None:
    """Serve until interrupted, answering only to this server's names (the loopback
    forms, `host`, and `allowed_hosts`, e.g. the name a reverse proxy sends), making
    PDFs in `pool.workers` processes. The access log holds the client address,
    method, path and status: patient fields are POST bodies, never in a path. The
    client address is the desk's, as the proxy says in X-Forwarded-For, when the
    request comes from an address in `forwarded_allow_ips` (uvicorn's rule: the
    header of anyone else is not believed)."""
    config = uvicorn.Config(
        create_app(root, Hosts.bound(host, port, allowed_hosts), pool=pool),
        host=host,
        port=port,
        log_level="info",
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
    )  # sets up uvicorn's loggers: the filter below goes on after
    if host in ANY_ADDRESS:
        logging.getLogger("uvicorn.error").addFilter(_NoAnyAddressToOpen())
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C: stopped, as asked
        server.run()
    if not server.started:  # the port is taken, say: uvicorn has said why
        sys.exit(3)


class _NoAnyAddressToOpen(logging.Filter):
    """Drops uvicorn's "Uvicorn running on http://0.0.0.0:PORT": no browser opens that
    address, and `serve` has already said which ones to open."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Uvicorn running on")
