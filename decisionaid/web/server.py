"""Running the app with uvicorn, a production ASGI server, on loopback by default."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import uvicorn

from .app import create_app
from .guard import Hosts
from .pool import PoolSettings


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
    return (
        f"warning: serving on {host}:{port}, not only on this computer. Anyone who can "
        "reach this address can open the catalog and print handouts, and what staff type "
        "(patients' names) crosses the network without encryption. Put it behind the "
        "clinic's HTTPS web server, or use --host 127.0.0.1."
    )


def serve(
    root: Path,
    host: str,
    port: int,
    allowed_hosts: tuple[str, ...] = (),
    pool: PoolSettings | None = None,
) -> None:
    """Serve until interrupted, answering only to this server's names (the loopback
    forms, `host`, and `allowed_hosts`, e.g. the name a reverse proxy sends), making
    PDFs in `pool.workers` processes. The access log holds the client address,
    method, path and status: patient fields are POST bodies, never in a path."""
    uvicorn.run(
        create_app(root, Hosts.bound(host, port, allowed_hosts), pool=pool),
        host=host,
        port=port,
        log_level="info",
        server_header=False,
        proxy_headers=False,
    )
