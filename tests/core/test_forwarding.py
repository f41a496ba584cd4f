"""The client's address behind proxies: believed only from trusted ones, read from the right."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.core.forwarding import client_address, is_trusted, normalise, parse_networks

PROXIES = parse_networks("192.0.2.10, 192.0.2.128/25, 2001:db8::/32")


def test_without_trusted_proxies_the_peer_is_the_client() -> None:
    assert client_address("203.0.113.7", ["198.51.100.1"], ()) == "203.0.113.7"


def test_an_untrusted_peer_cannot_name_another_address() -> None:
    assert client_address("203.0.113.7", ["198.51.100.1"], PROXIES) == "203.0.113.7"


def test_a_trusted_proxy_is_read_from_the_right() -> None:
    # The client wrote "1.1.1.1" itself; the proxy appended what it saw.
    chain = ["1.1.1.1, 198.51.100.4, 192.0.2.200"]
    assert client_address("192.0.2.10", chain, PROXIES) == "198.51.100.4"


def test_several_headers_are_one_chain() -> None:
    chain = ["1.1.1.1", "198.51.100.4"]
    assert client_address("192.0.2.10", chain, PROXIES) == "198.51.100.4"


def test_a_chain_of_trusted_hops_gives_the_left_most() -> None:
    assert client_address("192.0.2.10", ["192.0.2.130, 192.0.2.200"], PROXIES) == "192.0.2.130"
    assert client_address("192.0.2.10", [], PROXIES) == "192.0.2.10"


def test_addresses_are_spelled_one_way() -> None:
    assert normalise("::ffff:198.51.100.4") == "198.51.100.4"
    assert normalise("[2001:DB8::1]") == "2001:db8::1"
    assert normalise("x" * 300) == "x" * 64
    assert is_trusted("::ffff:192.0.2.10", PROXIES)
    assert not is_trusted("not an address", PROXIES)


@pytest.mark.parametrize("text", ["10.0.0.0/33", "proxy.example", "10.0.0.1/8/8", "::g"])
def test_bad_proxy_lists_name_the_bad_entry(text: str) -> None:
    with pytest.raises(ValueError, match="not an address or network"):
        parse_networks(f"192.0.2.1, {text}")


public = st.ip_addresses(v=4, network="198.51.100.0/24").map(str)
anything = st.text(alphabet=st.characters(blacklist_characters=","), max_size=40)


@given(
    st.lists(anything, max_size=5),
    public,
    st.lists(st.sampled_from(["192.0.2.10", "192.0.2.200"]), max_size=3),
)
def test_whatever_a_client_prepends_the_address_a_proxy_saw_wins(
    spoofed: list[str], real: str, hops: list[str]
) -> None:
    chain = ", ".join([*spoofed, real, *hops])
    assert client_address("192.0.2.10", [chain], PROXIES) == real


@given(st.lists(anything, max_size=6), st.ip_addresses().map(str))
def test_the_answer_is_a_trusted_proxy_only_when_every_hop_is_one(
    chain: list[str], peer: str
) -> None:
    answer = client_address(peer, [", ".join(chain)], PROXIES)
    if is_trusted(answer, PROXIES):
        hops = [h.strip() for h in chain if h.strip()]
        assert is_trusted(peer, PROXIES)
        assert all(is_trusted(h, PROXIES) for h in hops)
    if not is_trusted(peer, PROXIES):
        assert answer == normalise(peer)
    assert len(answer) <= 64
