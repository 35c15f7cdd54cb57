"""Clusters of profiles that respect the hard rules and the stewards' decisions.

Links are taken strongest first; a link that would put two different valid ID numbers (or
two different documents of one type) into one cluster is refused, as is one a steward has
said joins different people. A steward's "same person" is applied first and always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from quality.linkage.compare import Arrays


@dataclass
class Clusters:
    """Union-find over profile ids with the identities each cluster holds."""

    parent: np.ndarray
    ids: dict[int, frozenset] = field(default_factory=dict)
    docs: dict[int, frozenset] = field(default_factory=dict)
    apart: dict[int, set] = field(default_factory=dict)
    refused: int = 0

    @classmethod
    def start(cls, arrays: Arrays, members: np.ndarray | None = None) -> Clusters:
        """Every profile alone; the identities only of `members` (all if None), the only
        profiles that links will join."""
        n = len(arrays.id_code)
        among = np.ones(n, dtype=bool) if members is None else np.isin(np.arange(n), members)
        valid, documented = arrays.id_valid & among, (arrays.doc > 0) & among
        ids = {i: frozenset([int(arrays.id_code[i])]) for i in np.flatnonzero(valid)}
        docs = {i: frozenset([int(arrays.doc[i])]) for i in np.flatnonzero(documented)}
        return cls(
            np.arange(n),
            {int(k): v for k, v in ids.items()},
            {int(k): v for k, v in docs.items()},
        )

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return int(root)

    def _conflict(self, a: int, b: int) -> bool:
        for held in (self.ids, self.docs):
            left, right = held.get(a, frozenset()), held.get(b, frozenset())
            if left and right and not (left <= right or right <= left):
                return True
        if any(self.find(x) == b for x in self.apart.get(a, ())):
            return True
        return any(self.find(x) == a for x in self.apart.get(b, ()))

    def union(self, x: int, y: int, forced: bool = False) -> bool:
        """Join the clusters of x and y unless a rule forbids it (forced: a steward merged)."""
        a, b = self.find(x), self.find(y)
        if a == b:
            return True
        if not forced and self._conflict(a, b):
            self.refused += 1
            return False
        self.parent[b] = a
        for held in (self.ids, self.docs):
            merged = held.pop(a, frozenset()) | held.pop(b, frozenset())
            if merged:
                held[a] = merged
        self.apart[a] = self.apart.pop(a, set()) | self.apart.pop(b, set())
        return True

    def keep_apart(self, x: int, y: int) -> None:
        """A steward said these two profiles are different people."""
        self.apart.setdefault(self.find(x), set()).add(y)
        self.apart.setdefault(self.find(y), set()).add(x)

    def roots(self, members: np.ndarray | None = None) -> np.ndarray:
        """The root of every profile; only `members` are looked up (the others are alone)."""
        roots = np.arange(len(self.parent), dtype=np.int64)
        for i in range(len(self.parent)) if members is None else members:
            roots[i] = self.find(int(i))
        return roots


def cluster(
    arrays: Arrays,
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    threshold: float,
    same: list[tuple[int, int]],
    different: list[tuple[int, int]],
    members: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """(root of every profile, which links were used, links refused by a rule). members: the
    profiles the links and `same` join, if not all (a new month's components)."""
    clusters = Clusters.start(arrays, members)
    for x, y in same:
        clusters.union(x, y, forced=True)
    for x, y in different:
        clusters.keep_apart(x, y)
    used = np.zeros(len(left), dtype=bool)
    strong = np.flatnonzero(probability >= threshold)
    for i in strong[np.argsort(-probability[strong], kind="stable")]:
        used[i] = clusters.union(int(left[i]), int(right[i]))
    return clusters.roots(members), used, clusters.refused


def components(size: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per profile id (0..size-1): the smallest profile id of its connected component in the
    graph of these links (minimum labels spread along the links, with pointer jumping)."""
    label = np.arange(size, dtype=np.int64)
    while True:
        low = np.minimum(label[left], label[right])
        spread = label.copy()
        np.minimum.at(spread, left, low)
        np.minimum.at(spread, right, low)
        spread = spread[spread]
        if np.array_equal(spread, label):
            return label
        label = spread
