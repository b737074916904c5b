"""Fetching feeds and pictures from other sites, safely.

Anyone who may add a feed could otherwise make the server read its own
network (cloud metadata, the database, an admin panel on the LAN). So every
hop, redirects included, is http or https only; the host is resolved here and
the connection goes to the very address that was checked, so a second DNS
answer cannot lead elsewhere; loopback, private, link-local, multicast and
reserved addresses are refused unless ARTICLES_WIRE_ALLOW_PRIVATE_ADDRESSES is
on. Answers are read with a timeout, an overall deadline and a size cap, and a
feed that has not changed since last time costs one request (ETag and
Last-Modified are sent back).
"""

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024


class FetchError(Exception):
    """Why an address could not be read, in words for the desk."""


@dataclass(frozen=True)
class Fetched:
    url: str  # where the answer finally came from, after redirects
    content: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False


def user_agent() -> str:
    return f"{settings.SITE_NAME} wire desk (Newsroom CMS)"


def check_address(ip: str) -> None:
    """Refuse addresses inside this machine or its networks (unless allowed)."""
    if settings.ARTICLES_WIRE_ALLOW_PRIVATE_ADDRESSES:
        return
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address inside (mapped, 6to4, Teredo) are judged
        # by that address: 2002:7f00:1:: is 127.0.0.1.
        carried = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if carried is not None:
            address = carried
    if (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    ):
        raise FetchError(
            _(
                "%(address)s is a private or local network address; feeds are only read "
                "from public addresses."
            )
            % {"address": address}
        )


def resolve(host: str, port: int) -> str:
    """The first address of `host`, checked; FetchError when none may be used."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(_("The host %(host)s could not be found.") % {"host": host}) from error
    refusal = None
    for _family, _type, _proto, _name, sockaddr in answers:
        try:
            check_address(sockaddr[0])
        except FetchError as refused:
            refusal = refusal or refused
            continue
        return sockaddr[0]
    raise refusal or FetchError(_("The host %(host)s could not be found.") % {"host": host})


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever the host name resolves to by now."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        # The certificate is checked against the host name, as for any request.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int | None = None,
    accept: str = "application/rss+xml, application/atom+xml, application/xml, text/xml, */*",
) -> Fetched:
    """GET `url` within the limits; FetchError says what went wrong."""
    limit = settings.ARTICLES_WIRE_MAX_BYTES if max_bytes is None else max_bytes
    timeout = settings.ARTICLES_WIRE_TIMEOUT_SECONDS
    deadline = time.monotonic() + timeout * 3
    for _hop in range(settings.ARTICLES_WIRE_MAX_REDIRECTS + 1):
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise FetchError(
                _("The address “%(url)s” is not valid.") % {"url": url[:200]}
            ) from error
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(
                _("Only http and https addresses can be read (not “%(url)s”).") % {"url": url[:200]}
            )
        address = resolve(parts.hostname, port)
        connection_class = (
            _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        )
        connection = connection_class(parts.hostname, port, address=address, timeout=timeout)
        headers = {
            "User-Agent": user_agent(),
            "Accept": accept,
            "Accept-Encoding": "gzip",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        path = parts.path or "/"
        if parts.query:
            path += f"?{parts.query}"
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            if response.status in REDIRECTS and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status == 304:
                return Fetched(url=url, etag=etag, last_modified=last_modified, not_modified=True)
            if response.status != 200:
                raise FetchError(
                    _("The server answered %(status)s %(reason)s.")
                    % {"status": response.status, "reason": response.reason}
                )
            content = _read_capped(response, limit=limit, deadline=deadline)
            return Fetched(
                url=url,
                content=content,
                content_type=response.getheader("Content-Type", ""),
                etag=(response.getheader("ETag") or "")[:500],
                last_modified=(response.getheader("Last-Modified") or "")[:100],
            )
        except TimeoutError as error:
            raise FetchError(_("The server took too long to answer.")) from error
        except ssl.SSLError as error:
            raise FetchError(
                _("The secure connection failed: %(reason)s") % {"reason": error}
            ) from error
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(
                _("The server could not be reached: %(reason)s") % {"reason": error or type(error)}
            ) from error
        finally:
            connection.close()
    raise FetchError(
        _("The address redirected more than %(count)d times.")
        % {"count": settings.ARTICLES_WIRE_MAX_REDIRECTS}
    )


def _too_large(limit: int) -> FetchError:
    return FetchError(
        _("The answer is larger than %(limit)s; nothing was imported.")
        % {"limit": filesizeformat(limit)}
    )


def _read_capped(response: http.client.HTTPResponse, *, limit: int, deadline: float) -> bytes:
    """The body, decompressed, refusing it as soon as it passes `limit` bytes or the
    deadline (a server trickling bytes forever)."""
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    gzipped = (response.getheader("Content-Encoding") or "").lower() == "gzip"
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    body = bytearray()
    # read1: whatever has arrived, so a server trickling a byte at a time is caught by
    # the deadline within a read's timeout, not after a whole chunk.
    while chunk := response.read1(CHUNK):
        if time.monotonic() > deadline:
            raise FetchError(_("The server took too long to answer."))
        if inflate is not None:
            try:
                chunk = inflate.decompress(chunk, limit + 1 - len(body))
            except zlib.error as error:
                raise FetchError(_("The answer's compression is broken.")) from error
        body += chunk
        if len(body) > limit:
            raise _too_large(limit)
    return bytes(body)
