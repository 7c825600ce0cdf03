"""Build typed pandas frames from plain column lists.

Readers and extractors produce columns as Python lists (``{"para_id": ["1", "1.1"], ...}``):
cheap to make and to concatenate across reports. :func:`build_frame` turns them into a frame
of nullable columns once, for one report or for a whole batch of them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Columns", "DtypeSpec", "build_frame", "empty_columns"]

# A column's dtype: "string", "Int64", "boolean", "datetime64[us]", or a vocabulary (a tuple of
# the allowed values, stored as a categorical).
DtypeSpec = str | tuple[str, ...]
Columns = dict[str, list[Any]]


def empty_columns(dtypes: Mapping[str, DtypeSpec]) -> Columns:
    """Return one empty list per column of a table."""
    return {name: [] for name in dtypes}


@functools.cache
def _categorical(categories: tuple[str, ...]) -> tuple[Any, dict[str, int]]:
    """Return the dtype of a vocabulary and the code of each value (built once)."""
    import pandas as pd

    return pd.CategoricalDtype(list(categories)), {
        value: code for code, value in enumerate(categories)
    }


_ARROW_TYPES = {"Int64": "int64", "boolean": "bool"}  # built through pyarrow


def _column(name: str, values: Sequence[Any], dtype: DtypeSpec) -> Any:
    """Return one column as a pandas extension array, built directly (no dtype inference)."""
    import numpy as np
    import pandas as pd

    if isinstance(dtype, tuple):
        categorical, codes = _categorical(dtype)
        try:
            numbers = [-1 if value is None else codes[value] for value in values]
        except KeyError as exc:
            raise ValueError(f"column {name}: not in the vocabulary: {exc.args[0]!r}") from exc
        return pd.Categorical.from_codes(np.array(numbers, dtype=np.int8), dtype=categorical)
    if dtype == "string":
        return pd.array(values, dtype=pd.StringDtype())  # None, pd.NA and NaN become <NA>
    if dtype == "datetime64[us]":
        return pd.array(values, dtype=dtype)  # dates; None becomes NaT
    if dtype in _ARROW_TYPES:  # pyarrow converts the list in C: None, pd.NA and NaN are nulls
        import pyarrow as pa

        try:
            array = pa.array(values, type=pa.type_for_alias(_ARROW_TYPES[dtype]), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise ValueError(f"column {name}: not {dtype}: {exc}") from exc
        mask = array.is_null().to_numpy(zero_copy_only=False)
        data = array.fill_null(False if dtype == "boolean" else 0).to_numpy(zero_copy_only=False)
        return (pd.arrays.BooleanArray if dtype == "boolean" else pd.arrays.IntegerArray)(
            data, mask
        )
    raise ValueError(f"column {name}: unsupported dtype: {dtype!r}")


def build_frame(
    columns: Mapping[str, Sequence[Any]], dtypes: Mapping[str, DtypeSpec]
) -> pd.DataFrame:
    """Return a frame with the columns of ``dtypes``, in its order, each of its dtype.

    A value outside a vocabulary is an error; so is a column missing from ``columns`` or of
    another length than the others.
    """
    import pandas as pd

    missing = [name for name in dtypes if name not in columns]
    if missing:
        raise ValueError(f"columns missing: {', '.join(missing)}")
    lengths = {len(columns[name]) for name in dtypes}
    if len(lengths) > 1:
        raise ValueError(f"columns of different lengths: {sorted(lengths)}")
    size = lengths.pop() if lengths else 0
    data = {name: _column(name, columns[name], dtype) for name, dtype in dtypes.items()}
    return pd.DataFrame(data, index=pd.RangeIndex(size), copy=False)
