"""Downloading a catalog: HTTPS (plain HTTP only on loopback), ``file:`` URLs, bounded and timed.

Proxies come from the environment (``https_proxy``, ``no_proxy``…), as
urllib reads them. Every failure is one ``CatalogError`` line that says what
went wrong (the name lookup, the connection, TLS, the HTTP status, a timeout,
a size over the limit), never a traceback.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from .. import __version__
from .archive import CatalogError

CHUNK = 64 * 1024
Progress = Callable[[int, int | None], None]  # bytes so far, bytes in all (None: the server did not say)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """``url`` if filmguide may download from it; ``CatalogError`` otherwise."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "https" and parts.hostname:
        return url
    if scheme == "http" and parts.hostname and _loopback(parts.hostname):
        return url
    if scheme == "file":
        return url
    if scheme == "http":
        raise CatalogError(f"{_shown(url)}: only https:// addresses are allowed (plain http only on this machine)")
    raise CatalogError(f"{_shown(url)}: not an https:// or file: address")


def _shown(url: str) -> str:
    """The URL as it may appear in a message: no user or password, bounded, no control characters."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    shown = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    shown = "".join(c if c.isprintable() else "?" for c in shown)
    return shown if len(shown) <= 200 else shown[:199] + "…"


def _reason(err: BaseException) -> str:
    if isinstance(err, urllib.error.HTTPError):
        return f"the server answered HTTP {err.code}"
    if isinstance(err, TimeoutError | socket.timeout):
        return "timed out"
    reason = err.reason if isinstance(err, urllib.error.URLError) else err
    if isinstance(reason, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(reason, socket.gaierror):
        return "the host name could not be looked up (DNS)"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return "the server's TLS certificate could not be verified"
    if isinstance(reason, ssl.SSLError):
        return "the TLS handshake failed"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused (is the server running?)"
    if isinstance(reason, ConnectionError):
        return "the connection was lost"
    if isinstance(reason, FileNotFoundError):
        return "no such file"
    if isinstance(reason, OSError):
        return f"cannot connect: {reason.strerror or type(reason).__name__}"
    return "the download failed"


def download(url: str, max_bytes: int, timeout: float = 20.0, progress: Progress | None = None) -> bytes:
    """The bytes at ``url``, at most ``max_bytes`` of them; ``CatalogError`` on any failure.

    ``progress`` is told how far the download is after each chunk."""
    check_url(url)
    if urllib.parse.urlsplit(url).scheme.lower() == "file":
        return _read_file(url, max_bytes)
    request = urllib.request.Request(url, headers={"User-Agent": f"filmguide/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            final = response.geturl()
            if final != url:
                check_url(final)  # a redirect may not lead off HTTPS
            data = bytearray()
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            while chunk := response.read(CHUNK):
                data += chunk
                if progress is not None:
                    progress(len(data), total)
                if len(data) > max_bytes:
                    raise CatalogError(f"{_shown(url)}: larger than {max_bytes // (1024 * 1024)} MiB; refused")
            return bytes(data)
    except CatalogError:
        raise
    except (urllib.error.URLError, OSError, ValueError, http_errors()) as err:
        raise CatalogError(f"{_shown(url)}: {_reason(err)}") from None


def http_errors() -> type[Exception]:
    import http.client

    return http.client.HTTPException


def _read_file(url: str, max_bytes: int) -> bytes:
    path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path))
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as err:
        raise CatalogError(f"{_shown(url)}: {_reason(err)}") from None
    if len(data) > max_bytes:
        raise CatalogError(f"{_shown(url)}: larger than {max_bytes // (1024 * 1024)} MiB; refused")
    return data
