"""RFC 7239 `Forwarded`: the strict parser, its rewriting as the X-Forwarded-* uvicorn reads,
and, over real HTTP, the scheme a trusted proxy names (the client's address is checked where
it is used, by the sign-in limits: tests/service/test_accounts.py)."""

from __future__ import annotations

import httpx
import pytest

from backstride.web.proxy import as_x_forwarded, parse_forwarded, valid_node
from backstride.web.settings import Settings
from tests.web.conftest import LiveServer


def test_the_rfc_examples_parse() -> None:
    # RFC 7239 sections 4 and 7.1-7.4
    assert parse_forwarded('for="_gazonk"') == [{"for": "_gazonk"}]
    assert parse_forwarded('For="[2001:db8:cafe::17]:4711"') == [
        {"for": "[2001:db8:cafe::17]:4711"}
    ]
    assert parse_forwarded("for=192.0.2.60;proto=http;by=203.0.113.43") == [
        {"for": "192.0.2.60", "proto": "http", "by": "203.0.113.43"}
    ]
    assert parse_forwarded("for=192.0.2.43, for=198.51.100.17") == [
        {"for": "192.0.2.43"},
        {"for": "198.51.100.17"},
    ]
    assert parse_forwarded('for=192.0.2.43,for="[2001:db8:cafe::17]",for=unknown') == [
        {"for": "192.0.2.43"},
        {"for": "[2001:db8:cafe::17]"},
        {"for": "unknown"},
    ]


def test_lists_may_have_empty_members_and_pairs_and_whitespace() -> None:
    assert parse_forwarded(" , for=192.0.2.1 ;; proto=https ,, ") == [
        {"for": "192.0.2.1", "proto": "https"}
    ]
    assert parse_forwarded('for="a\\"b"') == [{"for": 'a"b'}]  # a quoted pair
    assert parse_forwarded("") == [] and parse_forwarded(" , ; ,") == []


@pytest.mark.parametrize(
    "header",
    [
        "for",  # no value
        "for=",  # an empty value
        "for =192.0.2.1",  # no whitespace around "="
        "for= 192.0.2.1",
        "for=192.0.2.1 proto=https",  # no ";" between pairs
        'for="192.0.2.1',  # an unterminated quoted string
        'for="192.0.2.1"x',  # something after a quoted string
        "for=192.0.2.1;for=192.0.2.2",  # a parameter twice in one element
        "for=2001:db8::1",  # an IPv6 address must be quoted (":" is not a token character)
        "for=[2001:db8::1]",
        "pro to=https",
        'for="a\nb"',  # a control character
    ],
)
def test_a_malformed_header_does_not_parse(header: str) -> None:
    assert parse_forwarded(header) is None
    assert as_x_forwarded(header) == (None, None)


def test_nodes_are_addresses_unknown_or_obfuscated() -> None:
    for node in [
        "192.0.2.1",
        "192.0.2.1:8080",
        "[2001:db8::1]",
        "[2001:db8::1]:4711",
        "unknown",
        "UNKNOWN",
        "_hidden",
        "_hidden:_port",
        "192.0.2.1:_port",
    ]:
        assert valid_node(node), node
    for node in [
        "example.org",  # a host name is not a node
        "192.0.2.256",
        "192.0.2",
        "[192.0.2.1]",
        "2001:db8::1",  # not bracketed
        "[2001:db8::g]",
        "192.0.2.1:123456",
        "_",
        "",
        "192.0.2.1, 10.0.0.1",
    ]:
        assert not valid_node(node), node


def test_the_header_becomes_x_forwarded_for_and_proto() -> None:
    assert as_x_forwarded(None) == (None, None)
    assert as_x_forwarded("for=203.0.113.9;proto=https") == ("203.0.113.9", "https")
    # every hop in order, the scheme of the nearest proxy's element (the last one)
    assert as_x_forwarded('for=198.51.100.7;proto=http, for="[2001:db8::5]:443";proto=HTTPS') == (
        "198.51.100.7, [2001:db8::5]:443",
        "https",
    )
    # a hop that does not say whom it forwarded for keeps its place, as "unknown"
    assert as_x_forwarded("for=198.51.100.7, proto=https") == ("198.51.100.7, unknown", "https")
    # no "for" anywhere: the client stays the peer; an odd scheme is not passed on
    assert as_x_forwarded("proto=https;by=10.0.0.1") == (None, "https")
    assert as_x_forwarded("for=203.0.113.9;proto=gopher") == ("203.0.113.9", None)
    # a node that is no address, unknown or obfuscated name spoils the whole header
    assert as_x_forwarded("for=203.0.113.9, for=evil") == (None, None)


def test_a_client_cannot_swallow_the_proxys_entry() -> None:
    # The client sends an open quoted string; the proxy appends its own element. Read as one
    # header, the client's string would run into the proxy's entry: the header is refused.
    for sent in ['for="198.51.100.7', 'for="1.2.3.4, for="', 'for=1.2.3.4;by="\\']:
        combined = f'{sent}, for="[2001:db8::9]";proto=https'
        assert as_x_forwarded(combined) == (None, None), sent
        assert as_x_forwarded(f"{sent}, for=203.0.113.9;proto=https") == (None, None), sent


def redirect_scheme(settings: Settings, headers: dict[str, str]) -> str:
    """The scheme of the app's own redirect (a trailing slash dropped), which it builds from
    the request's scheme as the trusted proxy names it."""
    with LiveServer(settings) as live, httpx.Client(base_url=live.url) as http:
        got = http.get("/api/v1/health/", headers=headers)
    assert got.status_code == 307, got.text
    return got.headers["location"].split("://")[0]


def test_the_scheme_is_believed_from_the_header_chosen_and_a_trusted_proxy_only() -> None:
    def local(allow: str, header: str) -> Settings:
        return Settings(
            mode="local", preload=False, forwarded_allow_ips=allow, forwarded_header=header
        )

    forwarded = {"Forwarded": "for=203.0.113.9;proto=https"}
    both = {**forwarded, "X-Forwarded-Proto": "https"}
    # RFC 7239 chosen, from the trusted proxy: its scheme
    assert redirect_scheme(local("127.0.0.1", "forwarded"), forwarded) == "https"
    # another peer's header is ignored
    assert redirect_scheme(local("10.0.0.0/8", "forwarded"), forwarded) == "http"
    # X-Forwarded-Proto is ignored when Forwarded is the header chosen (the proxy passes it
    # through from the client), and Forwarded when it is not
    assert redirect_scheme(local("127.0.0.1", "forwarded"), {"X-Forwarded-Proto": "https"}) == (
        "http"
    )
    assert redirect_scheme(local("127.0.0.1", "x-forwarded"), forwarded) == "http"
    assert redirect_scheme(local("127.0.0.1", "x-forwarded"), both) == "https"
    # a malformed Forwarded is ignored whole, and a forged X-Forwarded-Proto with it too
    broken = {"Forwarded": 'for="203.0.113.9;proto=https', "X-Forwarded-Proto": "https"}
    assert redirect_scheme(local("127.0.0.1", "forwarded"), broken) == "http"
