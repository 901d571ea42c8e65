"""RFC 9162 Merkle tree: published vectors, an independent recursive oracle, proofs failing on any change."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handoff.ledger import merkle

# transparency-dev/merkle testonly/constants.go, as copied into shared/reference/ledger.md
LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                     "606162636465666768696a6b6c6d6e6f")]  # fmt: skip
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
LEAF_HASHES = [
    ("6e340b9c", "a01d"),
    ("96a296d2", "cfc7"),
    ("0298d122", "7fe7"),
    ("07506a85", "87e7"),
    ("bc1a0643", "9e6b"),
    ("4271a26b", "b658"),
    ("b08693ec", "1a5f"),
    ("46f6ffad", "8eb1"),
]
MAX = 64


# --- an oracle written straight from the RFC 9162 text (recursive, no shared code) ---------------------
def _h(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def rfc_mth(d: list[bytes]) -> bytes:
    if not d:
        return _h(b"")
    if len(d) == 1:
        return _h(b"\x00" + d[0])
    k = _k(len(d))
    return _h(b"\x01" + rfc_mth(d[:k]) + rfc_mth(d[k:]))


def rfc_path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return [*rfc_path(m, d[:k]), rfc_mth(d[k:])]
    return [*rfc_path(m - k, d[k:]), rfc_mth(d[:k])]


def rfc_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [rfc_mth(d)]
    k = _k(len(d))
    if m <= k:
        return [*rfc_subproof(m, d[:k], b), rfc_mth(d[k:])]
    return [*rfc_subproof(m - k, d[k:], False), rfc_mth(d[:k])]


ENTRIES = [f"entry-{i}".encode() for i in range(MAX)]


def _flip(b: bytes, pos: int) -> bytes:
    pos %= len(b)
    return b[:pos] + bytes([b[pos] ^ 0x01]) + b[pos + 1 :]


# --- vectors ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", range(len(ROOTS)))
def test_root_matches_rfc9162_vector(size: int) -> None:
    """root_hash of the first ``size`` reference leaves equals the published root."""
    assert merkle.root_hash(LEAVES[:size]).hex() == ROOTS[size]


def test_leaf_hashes_match_vectors() -> None:
    """Leaf hashes are SHA-256(0x00 || entry), as listed in the reference."""
    for leaf, (head, tail) in zip(LEAVES, LEAF_HASHES, strict=True):
        h = merkle.leaf_hash(leaf).hex()
        assert h.startswith(head) and h.endswith(tail)


def test_frontier_root_equals_mth_at_every_size() -> None:
    """The incremental frontier gives the RFC MTH after every append (single appends stay O(log n))."""
    f = merkle.Frontier()
    assert f.root() == rfc_mth([])
    for n, e in enumerate(ENTRIES, 1):
        f.append(merkle.leaf_hash(e))
        assert f.root() == rfc_mth(ENTRIES[:n])


# --- proofs for every pair of sizes up to 64 ------------------------------------------------------------
def test_inclusion_proofs_for_every_leaf_of_every_size() -> None:
    """PATH equals the RFC oracle and verifies for every leaf of every tree size 1..64."""
    for n in range(1, MAX + 1):
        root = rfc_mth(ENTRIES[:n])
        for i in range(n):
            path = merkle.inclusion_proof(i, ENTRIES[:n])
            assert path == rfc_path(i, ENTRIES[:n])
            assert merkle.verify_inclusion(i, n, merkle.leaf_hash(ENTRIES[i]), path, root)


def test_consistency_proofs_for_every_pair_of_sizes() -> None:
    """PROOF equals the RFC oracle and verifies for every 0 <= m <= n <= 64."""
    for n in range(1, MAX + 1):
        second = rfc_mth(ENTRIES[:n])
        for m in range(0, n + 1):
            path = merkle.consistency_proof(m, ENTRIES[:n])
            assert path == (rfc_subproof(m, ENTRIES[:n], True) if 0 < m < n else [])
            assert merkle.verify_consistency(m, n, rfc_mth(ENTRIES[:m]), second, path)


def test_proofs_of_wrong_length_or_position_fail() -> None:
    """A path with an element added or removed, or checked for another index or size, never verifies."""
    for n in range(2, MAX + 1):
        root = rfc_mth(ENTRIES[:n])
        for i in range(n):
            path = merkle.inclusion_proof(i, ENTRIES[:n])
            lh = merkle.leaf_hash(ENTRIES[i])
            assert not merkle.verify_inclusion(i, n, lh, [*path, path[0]], root)
            assert not merkle.verify_inclusion(i, n, lh, path[:-1], root)
            assert not merkle.verify_inclusion((i + 1) % n, n, lh, path, root)
            assert not merkle.verify_inclusion(i, n, lh, path, rfc_mth(ENTRIES[: n - 1]))
        for m in range(1, n):
            path = merkle.consistency_proof(m, ENTRIES[:n])
            first = rfc_mth(ENTRIES[:m])
            assert not merkle.verify_consistency(m, n, first, root, [*path, path[0]])
            assert not merkle.verify_consistency(m, n, first, root, path[:-1])


def test_edge_cases_of_verification() -> None:
    """Out-of-range indices, shrinking trees and the empty tree are handled as documented."""
    root = rfc_mth(ENTRIES[:4])
    lh = merkle.leaf_hash(ENTRIES[0])
    assert not merkle.verify_inclusion(4, 4, lh, [], root)
    assert not merkle.verify_inclusion(-1, 4, lh, [], root)
    assert not merkle.verify_inclusion(0, 0, lh, [], merkle.EMPTY_ROOT)
    assert merkle.verify_inclusion(0, 1, lh, [], lh)
    assert not merkle.verify_consistency(5, 4, root, root, [])
    assert merkle.verify_consistency(4, 4, root, root, [])
    assert not merkle.verify_consistency(4, 4, root, root, [root])
    assert merkle.verify_consistency(0, 4, merkle.EMPTY_ROOT, root, [])
    assert not merkle.verify_consistency(0, 4, root, root, [])
    assert not merkle.verify_consistency(2, 4, rfc_mth(ENTRIES[:2]), root, [])


# --- any changed byte fails (property tests) ------------------------------------------------------------
sizes = st.integers(min_value=1, max_value=MAX)


@settings(max_examples=400, deadline=None)
@given(n=sizes, data=st.data())
def test_inclusion_fails_when_any_byte_changes(n: int, data: st.DataObject) -> None:
    """Flipping one bit of a path element, the root or the entry makes the inclusion proof fail."""
    i = data.draw(st.integers(0, n - 1))
    entries = ENTRIES[:n]
    path = merkle.inclusion_proof(i, entries)
    root = merkle.root_hash(entries)
    pos = data.draw(st.integers(0, 10_000))
    lh = merkle.leaf_hash(entries[i])
    assert not merkle.verify_inclusion(i, n, lh, path, _flip(root, pos))
    assert not merkle.verify_inclusion(i, n, merkle.leaf_hash(_flip(entries[i], pos)), path, root)
    if path:
        j = data.draw(st.integers(0, len(path) - 1))
        bad = [*path[:j], _flip(path[j], pos), *path[j + 1 :]]
        assert not merkle.verify_inclusion(i, n, lh, bad, root)


@settings(max_examples=400, deadline=None)
@given(n=sizes, data=st.data())
def test_consistency_fails_when_any_byte_changes(n: int, data: st.DataObject) -> None:
    """Flipping one bit of a path element or of either root makes the consistency proof fail."""
    m = data.draw(st.integers(1, n))
    path = merkle.consistency_proof(m, ENTRIES[:n])
    first, second = merkle.root_hash(ENTRIES[:m]), merkle.root_hash(ENTRIES[:n])
    pos = data.draw(st.integers(0, 10_000))
    assert not merkle.verify_consistency(m, n, _flip(first, pos), second, path)
    assert not merkle.verify_consistency(m, n, first, _flip(second, pos), path)
    if path:
        j = data.draw(st.integers(0, len(path) - 1))
        bad = [*path[:j], _flip(path[j], pos), *path[j + 1 :]]
        assert not merkle.verify_consistency(m, n, first, second, bad)
