"""overlapped(): two pieces of work at once, errors as if run in order."""

from __future__ import annotations

import threading

import pytest

from handoff.kernels.threads import overlapped


def test_results_in_order_and_first_runs_on_another_thread() -> None:
    """Both results come back in argument order; the first piece runs on a worker thread."""
    here = threading.get_ident()
    (a, a_thread), (b, b_thread) = overlapped(lambda: ("a", threading.get_ident()),
                                              lambda: ("b", threading.get_ident()))
    assert (a, b) == ("a", "b")
    assert a_thread != here and b_thread == here


def test_the_first_pieces_error_wins() -> None:
    """When both fail the first piece's error is raised; when one fails, that one, after the other finished."""
    finished: list[str] = []

    def fail(name: str) -> None:
        raise ValueError(name)

    def slow_ok() -> str:
        threading.Event().wait(0.05)
        finished.append("first")
        return "ok"

    with pytest.raises(ValueError, match="first"):
        overlapped(lambda: fail("first"), lambda: fail("second"))
    with pytest.raises(ValueError, match="second"):
        overlapped(slow_ok, lambda: fail("second"))
    assert finished == ["first"]
    with pytest.raises(ValueError, match="first"):
        overlapped(lambda: fail("first"), lambda: "fine")
