"""Records assembled from columns of encoded cells (Arrow large_binary), without a Python object per cell.

Delimited records are joined by Arrow's element-wise join; fixed-width records are block copies of equally
wide cells into one (rows × record) byte grid. The caller decides the layout (quote, separator, widths, line
ending); the result is one buffer of all the records, handed on as a view.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from handoff.kernels.buffers import has_byte, utf8_buffer


def _bin(value: bytes) -> Any:
    import pyarrow as pa

    return pa.scalar(value, pa.large_binary())


def padded(cells: Any, lengths: npt.NDArray[np.int64], width: int, right: bool) -> Any:
    """Each cell (``lengths``: their byte lengths, none over ``width``) filled with spaces to ``width`` bytes,
    on the left (``right``: right-aligned) or on the right. Cells already ``width`` wide are returned as they
    are."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pad = width - lengths
    if not pad.any():
        return cells
    spaces = pa.array([b" " * k for k in range(width + 1)], pa.large_binary())
    fill = pc.take(spaces, pa.array(pad))
    parts = (fill, cells) if right else (cells, fill)
    return pc.binary_join_element_wise(*parts, _bin(b""))


def doubled(cells: Any, byte: bytes) -> Any:
    """Every occurrence of the single byte ``byte`` in the cells written twice (no pass when none holds it).

    Exact only where ``byte`` cannot be part of another character's bytes in the cells' encoding.
    """
    if has_byte(cells, byte[0]):
        import pyarrow.compute as pc

        return pc.replace_substring(cells, byte, byte * 2)
    return cells


def delimited(cells: list[Any], opening: bytes, separator: bytes, closing: bytes) -> memoryview:
    """One record per row: ``opening``, the row's cells with ``separator`` between them, ``closing``."""
    import pyarrow.compute as pc

    inner = pc.binary_join_element_wise(*cells, _bin(separator))
    lines = pc.binary_join_element_wise(_bin(opening), inner, _bin(closing), _bin(b""))
    return utf8_buffer(lines).data


def fixed_width(cells: list[Any], widths: list[int], n: int, ending: bytes) -> memoryview:
    """One record per row of ``n``: the row's cells (every cell of column ``k`` exactly ``widths[k]`` bytes)
    side by side, then ``ending``; each column is an (n × width) block copied into one (n × record) grid."""
    grid = np.empty((n, sum(widths) + len(ending)), dtype=np.uint8)
    at = 0
    for cell, width in zip(cells, widths, strict=True):
        grid[:, at : at + width] = utf8_buffer(cell).reshape(n, width)
        at += width
    grid[:, at:] = np.frombuffer(ending, dtype=np.uint8)
    return grid.reshape(-1).data
