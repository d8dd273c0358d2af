"""Cell key perturbation (the ONS method of Census 2021): the same cell, the same noise.

Every response carries a random record key (0-255) given at submit and never
changed. A cell's key is the sum of its records' keys modulo 256, so the tallies
can keep it beside each count. The published count is the true count plus the
value the perturbation table (ptable) gives for (count, cell key).

Our ptable rounds every count to a multiple of 5 at random, up or down with the
probabilities that keep the expected value equal to the true count (unbiased
random rounding, base 5). The cell key draws the direction, so one cell always
rounds the same way however often, and in whatever table, it is asked for. Any
sum or difference of published counts is then a multiple of 5: no subtraction
of tables can give a group of 1 to 4 people. See docs/adr/0007.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

KEY_RANGE = 256
ROUNDING_BASE = 5
# The ONS layout: counts above 750 reuse the rows 501-750 of the table.
PTABLE_ROWS = 750


def perturbation_cell_value(count: int) -> int:
    """The ptable row for a count (pcv), as the ONS package computes it."""
    return count if count <= PTABLE_ROWS else (count - 1) % 250 + 501


def cell_key(key_sum: int) -> int:
    return key_sum % KEY_RANGE


def _pvalue(pcv: int, ckey: int) -> int:
    below = pcv % ROUNDING_BASE
    if below == 0:
        return 0
    # Round up with probability below/5: the expected published count is the true one.
    keys_rounding_down = KEY_RANGE * (ROUNDING_BASE - below) // ROUNDING_BASE
    return -below if ckey < keys_rounding_down else ROUNDING_BASE - below


@lru_cache(maxsize=1)
def _ptable() -> tuple[tuple[int, ...], ...]:
    return tuple(
        tuple(_pvalue(pcv, key) for key in range(KEY_RANGE)) for pcv in range(PTABLE_ROWS + 1)
    )


def published_count(count: int, key_sum: int) -> int:
    """The count as it may be published: perturbed, consistently, by the cell key."""
    if count <= 0:
        return 0
    return count + _ptable()[perturbation_cell_value(count)][cell_key(key_sum)]


def ptable_frame() -> pd.DataFrame:
    """The ptable in the ONS package's format (columns pcv, ckey, pvalue), for notebooks."""
    import pandas as pd

    table = _ptable()
    rows = [
        (pcv, key, table[pcv][key]) for pcv in range(1, PTABLE_ROWS + 1) for key in range(KEY_RANGE)
    ]
    return pd.DataFrame(rows, columns=["pcv", "ckey", "pvalue"])
