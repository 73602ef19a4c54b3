"""Names for the synthetic children, and the variants and typos a police record carries."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from synthetic.population import Population
from synthetic.reference import draw_index, read_data_csv


def add_names(rng: np.random.Generator, population: Population) -> Population:
    """The population with a forename (by sex) and a surname for every child."""
    n = len(population)
    forename = np.empty(n, dtype=object)
    table = read_data_csv("forenames.csv")
    for sex in ("M", "F"):
        mine = np.flatnonzero(population.sex == sex)
        rows = table[table["sex"] == sex]
        pick = draw_index(rng, rows["weight"].to_numpy(float), mine.size)
        forename[mine] = rows["name"].to_numpy(object)[pick]
    surnames = read_data_csv("surnames.csv")
    pick = draw_index(rng, surnames["weight"].to_numpy(float), n)
    return replace(population, forename=forename, surname=surnames["name"].to_numpy(object)[pick])


def _variant_map() -> dict[str, str]:
    table = read_data_csv("forenames.csv")
    return {n: v for n, v in zip(table["name"], table["variant"], strict=True) if v}


def _typo(name: str, where: float, kind: float) -> str:
    """One keyboard-style slip: swap two letters, drop one or double one."""
    if len(name) < 3:
        return name
    i = 1 + int(where * (len(name) - 2))
    if kind < 0.4:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind < 0.7:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]


def police_names(
    rng: np.random.Generator,
    forename: np.ndarray,
    surname: np.ndarray,
    variant_rate: float,
    typo_rate: float,
    case_rate: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Names as a police officer records them: nicknames, lost accents, typos, capitals."""
    n = forename.size
    fore = forename.astype(object).copy()
    sur = surname.astype(object).copy()
    variants = _variant_map()
    use_variant = np.flatnonzero(rng.random(n) < variant_rate)
    fore[use_variant] = [variants.get(x, x) for x in fore[use_variant]]
    u = rng.random((n, 4))
    for column, values in ((0, fore), (1, sur)):
        hit = np.flatnonzero(u[:, column] < typo_rate)
        values[hit] = [
            _typo(v, a, b) for v, a, b in zip(values[hit], u[hit, 2], u[hit, 3], strict=True)
        ]
    upper = np.flatnonzero(rng.random(n) < case_rate)
    sur[upper] = [s.upper() for s in sur[upper]]
    return fore, sur
