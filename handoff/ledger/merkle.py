"""RFC 9162 Merkle tree hash, inclusion and consistency proofs, and an incremental frontier.

Argument order follows the RFC text so that anyone holding the RFC can check a call site:
``verify_inclusion(leaf_index, tree_size, leaf_hash, inclusion_path, root_hash)`` (§2.1.3.2, where the "hash"
being proved is the leaf hash ``SHA-256(0x00 || entry)``) and
``verify_consistency(first, second, first_hash, second_hash, consistency_path)`` (§2.1.4.2).
Proof generation follows PATH (§2.1.3.1) and PROOF/SUBPROOF (§2.1.4.1).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    """``SHA-256(0x00 || entry)``: the 0x00 prefix keeps a leaf from posing as an interior node."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class Frontier:
    """The right edge of the tree: hashes of the perfect subtrees, largest first.

    Appending is O(log n) amortised and the root is O(log n), so a single append never rereads the ledger.
    """

    __slots__ = ("_hashes", "_heights", "size")

    def __init__(self) -> None:
        self._heights: list[int] = []
        self._hashes: list[bytes] = []
        self.size = 0

    def append(self, leaf: bytes) -> None:
        """Add one *leaf hash*."""
        height, h = 0, leaf
        while self._heights and self._heights[-1] == height:
            self._heights.pop()
            h = node_hash(self._hashes.pop(), h)
            height += 1
        self._heights.append(height)
        self._hashes.append(h)
        self.size += 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        for leaf in leaves:
            self.append(leaf)

    def root(self) -> bytes:
        if not self._hashes:
            return EMPTY_ROOT
        r = self._hashes[-1]
        for h in reversed(self._hashes[:-1]):
            r = node_hash(h, r)
        return r

    def copy(self) -> Frontier:
        other = Frontier()
        other._heights = list(self._heights)
        other._hashes = list(self._hashes)
        other.size = self.size
        return other


def root_from_leaf_hashes(leaves: Iterable[bytes]) -> bytes:
    f = Frontier()
    f.extend(leaves)
    return f.root()


def root_hash(entries: Sequence[bytes]) -> bytes:
    """MTH (RFC 9162 §2.1.1) of the raw entry bytes."""
    return root_from_leaf_hashes(leaf_hash(e) for e in entries)


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _mth(leaves: Sequence[bytes]) -> bytes:
    return root_from_leaf_hashes(leaves)


def inclusion_path(leaf_index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) over *leaf hashes* (RFC 9162 §2.1.3.1)."""
    if not 0 <= leaf_index < len(leaves):
        raise ValueError("leaf_index out of range")
    path: list[bytes] = []
    lo, hi, m = 0, len(leaves), leaf_index
    while hi - lo > 1:
        k = _split(hi - lo)
        if m < k:
            path.append(_mth(leaves[lo + k : hi]))
            hi = lo + k
        else:
            path.append(_mth(leaves[lo : lo + k]))
            lo, m = lo + k, m - k
    path.reverse()  # collected root-down; the RFC lists it leaf-up
    return path


def consistency_path(first: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) over *leaf hashes* (RFC 9162 §2.1.4.1); empty when m is 0 or n."""
    n = len(leaves)
    if not 0 <= first <= n:
        raise ValueError("first out of range")
    if first in (0, n):
        return []
    return _subproof(first, leaves, True)


def _subproof(m: int, leaves: Sequence[bytes], complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [_mth(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], complete), _mth(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), _mth(leaves[:k])]


def inclusion_proof(leaf_index: int, entries: Sequence[bytes]) -> list[bytes]:
    """Inclusion path for the raw entry at ``leaf_index`` in the tree of ``entries``."""
    return inclusion_path(leaf_index, [leaf_hash(e) for e in entries])


def consistency_proof(first: int, entries: Sequence[bytes]) -> list[bytes]:
    """Consistency path from the tree of ``entries[:first]`` to the tree of ``entries``."""
    return consistency_path(first, [leaf_hash(e) for e in entries])


def _lsb(x: int) -> bool:
    return bool(x & 1)


def verify_inclusion(
    leaf_index: int, tree_size: int, leaf_hash: bytes, inclusion_path: Sequence[bytes], root_hash: bytes
) -> bool:
    """RFC 9162 §2.1.3.2 step by step. ``leaf_hash`` = ``SHA-256(0x00 || entry)``; path length is exact."""
    if leaf_index < 0 or leaf_index >= tree_size:
        return False
    fn, sn, r = leaf_index, tree_size - 1, leaf_hash
    for p in inclusion_path:
        if sn == 0:
            return False
        if _lsb(fn) or fn == sn:
            r = node_hash(p, r)
            while not _lsb(fn) and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


def verify_consistency(
    first: int, second: int, first_hash: bytes, second_hash: bytes, consistency_path: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2, plus the edge cases the RFC leaves to the caller (as transparency-dev does):
    ``first == second`` needs an empty path and equal hashes; ``first == 0`` needs an empty path and
    ``first_hash`` equal to the empty-tree hash.
    """
    if first < 0 or second < first:
        return False
    if first == second:
        return not consistency_path and first_hash == second_hash
    if first == 0:
        return not consistency_path and first_hash == EMPTY_ROOT
    if not consistency_path:
        return False
    path = list(consistency_path)
    if first & (first - 1) == 0:  # an exact power of two: the old root is itself a node of the new tree
        path.insert(0, first_hash)
    fn, sn = first - 1, second - 1
    while _lsb(fn):
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if _lsb(fn) or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not _lsb(fn) and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0
