"""The RFC 7239 `Forwarded` header, for a reverse proxy that sends it instead of
`X-Forwarded-For` and `X-Forwarded-Proto` (``BACKSTRIDE_FORWARDED_HEADER=forwarded``).

Which proxies are believed, and which address in a chain of them is the client's, stays with
uvicorn's ProxyHeadersMiddleware and ``BACKSTRIDE_FORWARDED_ALLOW_IPS``: this middleware, just
outside it, only rewrites the request's `Forwarded` header as the `X-Forwarded-For` and
`X-Forwarded-Proto` that uvicorn reads. The ones the request brought are dropped first: a
proxy that writes `Forwarded` passes the client's own `X-Forwarded-For` through untouched, so
it would be a forgery. For the same reason only one of the two kinds is ever read.

The header is parsed strictly (RFC 7239 section 4, with RFC 9110's tokens, quoted strings and
lists). One that does not parse, or whose `for` is not an address, `unknown` or an obfuscated
name, is ignored as a whole: the request then comes from the proxy's own address, so a client
cannot slip an address past the proxy's entry by breaking the syntax.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

# RFC 9110: token and quoted-string (qdtext and quoted-pair; obs-text is allowed).
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED = r'"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"'
_PAIR = re.compile(rf"({_TOKEN})=({_TOKEN}|{_QUOTED})")
# RFC 7239 section 6: a node is an IPv4 address, a bracketed IPv6 one, "unknown" or an
# obfuscated name, each with an optional port (a number or an obfuscated port).
_OBFUSCATED = r"_[A-Za-z0-9._-]+"
_NODE = re.compile(
    rf"(?:(?P<v4>[0-9.]+)|\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?i:unknown)|{_OBFUSCATED})"
    rf"(?::(?:[0-9]{{1,5}}|{_OBFUSCATED}))?"
)
SCHEMES = {"http", "https"}


def parse_forwarded(value: str) -> list[dict[str, str]] | None:
    """A `Forwarded` header's elements, nearest proxy last, each as its parameters (names in
    lower case, values unquoted); None when it does not parse: a malformed pair or list, or a
    parameter twice in one element. Empty list members are skipped, as RFC 9110 allows."""
    elements: list[dict[str, str]] = []
    element: dict[str, str] = {}
    pos, end = 0, len(value)
    while True:
        pos = _skip_ows(value, pos)
        if pos < end and value[pos] not in ",;":
            pair = _PAIR.match(value, pos)
            if pair is None:
                return None
            name = pair.group(1).lower()
            if name in element:
                return None
            element[name] = _unquote(pair.group(2))
            pos = _skip_ows(value, pair.end())
        if pos == end:
            break
        if value[pos] == ",":
            if element:
                elements.append(element)
            element = {}
        elif value[pos] != ";":
            return None  # something after a value other than ";" or ","
        pos += 1
    if element:
        elements.append(element)
    return elements


def _skip_ows(value: str, pos: int) -> int:
    while pos < len(value) and value[pos] in " \t":
        pos += 1
    return pos


def _unquote(value: str) -> str:
    if not value.startswith('"'):
        return value
    return re.sub(r"\\(.)", r"\1", value[1:-1])


def valid_node(node: str) -> bool:
    """Whether a `for` value is a node RFC 7239 allows, with a real IP address if it is one."""
    found = _NODE.fullmatch(node)
    if found is None:
        return False
    try:
        if found.group("v4") is not None:
            ipaddress.IPv4Address(found.group("v4"))
        elif found.group("v6") is not None:
            ipaddress.IPv6Address(found.group("v6"))
    except ValueError:
        return False
    return True


def as_x_forwarded(value: str | None) -> tuple[str | None, str | None]:
    """The `X-Forwarded-For` and `X-Forwarded-Proto` a `Forwarded` header says, each None when
    it says nothing of it: every element's `for` in order (``unknown`` for an element without
    one, so that the hops stay in place), and the scheme of the nearest proxy's element. Both
    None for a header that does not parse or names an invalid node."""
    elements = parse_forwarded(value) if value else None
    if not elements:
        return None, None
    nodes = [e.get("for", "unknown") for e in elements]
    if not all(valid_node(n) for n in nodes):
        return None, None
    proto = elements[-1].get("proto", "").lower()
    named = any("for" in e for e in elements)
    return (", ".join(nodes) if named else None), (proto if proto in SCHEMES else None)


class ForwardedHeader:
    """ASGI middleware: the request's `Forwarded` header rewritten as the `X-Forwarded-For`
    and `X-Forwarded-Proto` that uvicorn's ProxyHeadersMiddleware (inside this one) reads from
    a trusted proxy; any of those the request brought is dropped."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = [
                (name, value)
                for name, value in scope["headers"]
                if name not in (b"x-forwarded-for", b"x-forwarded-proto")
            ]
            said = [value.decode("latin-1") for name, value in headers if name == b"forwarded"]
            client, proto = as_x_forwarded(", ".join(said) or None)
            if client is not None:
                headers.append((b"x-forwarded-for", client.encode("latin-1")))
            if proto is not None:
                headers.append((b"x-forwarded-proto", proto.encode("latin-1")))
            scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)
