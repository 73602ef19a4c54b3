"""The strongest attacker on published totals: every equation a reader can write down
(a total is the sum of its parts), all at once, solved by linear algebra. A hidden cell is
given back exactly when every solution of the system agrees on it."""

from collections.abc import Callable, Hashable, Iterable

import numpy as np

Equation = tuple[Hashable, Iterable[Hashable]]


def determined(
    equations: Iterable[Equation],
    is_hidden: Callable[[Hashable], bool],
    component: Callable[[Hashable], Hashable] = lambda key: None,
) -> set[Hashable]:
    """Hidden cells fixed by the equations (total = sum of parts). Equations are solved per
    component (cells that never share an equation are independent), which keeps each
    system small."""
    systems: dict[Hashable, list[Equation]] = {}
    for total, parts in equations:
        systems.setdefault(component(total), []).append((total, tuple(parts)))
    found = set()
    for system in systems.values():
        unknowns = sorted(
            {key for total, parts in system for key in (total, *parts) if is_hidden(key)},
            key=repr,
        )
        index = {key: number for number, key in enumerate(unknowns)}
        rows = []
        for total, parts in system:
            row = np.zeros(len(unknowns))
            for key, sign in [(total, -1.0), *((part, 1.0) for part in parts)]:
                if key in index:
                    row[index[key]] += sign
            if row.any():
                rows.append(row)
        if not rows:
            continue
        _, singular, basis = np.linalg.svd(np.array(rows))
        null = basis[int((singular > 1e-9).sum()) :]
        found |= {key for key, i in index.items() if np.abs(null[:, i]).max(initial=0) < 1e-9}
    return found
