"""Merkle proofs at their edges: indices just outside the tree, shrinking trees, and crafted paths that must fail."""

from __future__ import annotations

import pytest

from handoff.ledger import merkle

ENTRIES = [f"entry {i}".encode() for i in range(9)]
LEAVES = [merkle.leaf_hash(e) for e in ENTRIES]


@pytest.mark.parametrize("n", [1, 2, 3, 8])
def test_inclusion_path_refuses_an_index_outside_the_tree(n: int) -> None:
    """PATH(m, D[n]) exists for 0 <= m < n only: m = n and m = -1 are refused, naming the argument."""
    for m in (n, -1):
        with pytest.raises(ValueError, match=r"^leaf_index out of range$"):
            merkle.inclusion_path(m, LEAVES[:n])
    root = merkle.root_from_leaf_hashes(LEAVES[:n])
    assert merkle.verify_inclusion(n - 1, n, LEAVES[n - 1], merkle.inclusion_path(n - 1, LEAVES[:n]), root)


@pytest.mark.parametrize("n", [1, 2, 5])
def test_consistency_path_refuses_a_first_size_outside_the_tree(n: int) -> None:
    """PROOF(m, D[n]) exists for 0 <= m <= n only: m = n + 1 and m = -1 are refused, naming the argument."""
    for m in (n + 1, -1):
        with pytest.raises(ValueError, match=r"^first out of range$"):
            merkle.consistency_path(m, LEAVES[:n])
    assert merkle.consistency_path(n, LEAVES[:n]) == merkle.consistency_path(0, LEAVES[:n]) == []


def test_a_one_leaf_tree_proves_nothing_about_index_one() -> None:
    """In a tree of one leaf its hash is the root: index 1 (or -1) with an empty path still does not verify."""
    lh = LEAVES[0]
    assert merkle.verify_inclusion(0, 1, lh, [], lh)
    assert not merkle.verify_inclusion(1, 1, lh, [], lh)
    assert not merkle.verify_inclusion(-1, 1, lh, [], lh)


def test_a_crafted_proof_for_a_shrinking_tree_fails() -> None:
    """A "proof" that tree 2 extends tree 3 fails, though the same hashes would close the RFC's loop."""
    a, c = LEAVES[0], LEAVES[1]
    second = merkle.node_hash(a, c)
    assert not merkle.verify_consistency(3, 2, a, second, [a, c])
    assert not merkle.verify_consistency(-1, 2, a, second, [a, c])
    assert not merkle.verify_consistency(-1, -1, a, a, [])
