"""Fast column helpers on pandas' Arrow-backed strings (pyarrow compute runs in C++ without Python per cell)."""

from __future__ import annotations

import numpy as np
import pandas as pd

STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas 3's default "str" dtype


def as_str(values: pd.Series) -> pd.Series:
    return values if values.dtype == STR else values.astype(STR)


def nfkc(values: pd.Series) -> pd.Series:
    """NFKC in Arrow (pandas' own .str.normalize calls Python once per value)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = as_str(values).array
    normalised = pc.utf8_normalize(arr._pa_array, "NFKC")
    out = normalised.to_pandas(types_mapper={pa.string(): STR, pa.large_string(): STR}.get)
    return pd.Series(out.to_numpy() if not isinstance(out, pd.Series) else out.array, index=values.index,
                     dtype=STR)
