"""Sons and daughters who file applications for their parents: persons of their own."""

from __future__ import annotations

import numpy as np

from . import id_numbers, names
from .context import AGENTS, Context
from .months import components, same_month_years_before


class Agents:
    """At most one agent per elder, created the first time the elder needs one."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.of_elder = np.full(len(ctx.pop), -1, dtype=np.int64)
        self.elder = np.empty(0, dtype=np.int64)
        self.sex = np.empty(0, dtype=np.int8)
        self.birth = np.empty(0, dtype=np.int32)
        self.name_first = np.empty(0, dtype=np.int16)
        self.name_second = np.empty(0, dtype=np.int16)
        self.id18 = np.empty(0, dtype="S18")
        self._taken = np.sort(id_numbers.id17_of(ctx.pop.id18))
        # Agents are born after this day, so no extract lists them (59 and older).
        self._latest = same_month_years_before(ctx.months[-1], 59)

    def __len__(self) -> int:
        return len(self.elder)

    def for_elders(self, elders: np.ndarray) -> np.ndarray:
        """Agent index for each elder, creating agents where there are none yet."""
        new = np.unique(elders[self.of_elder[elders] < 0])
        if new.size:
            self._create(new)
        return self.of_elder[elders]

    def _create(self, elders: np.ndarray) -> None:
        ctx, pop = self._ctx, self._ctx.pop
        rng = ctx.rng(AGENTS, len(self.elder))
        n = elders.size
        sex = rng.integers(1, 3, n).astype(np.int8)
        gap = (rng.uniform(22, 38, n) * 365.25).astype(np.int32)
        birth = pop.birth[elders] + gap
        too_old = birth <= self._latest
        birth[too_old] = self._latest + rng.integers(1, 3650, int(too_old.sum()))
        first = names.surnames(rng, n)
        fathers = pop.sex[elders] == 1
        first[fathers] = pop.name_first[elders[fathers]]
        dotted = first >= len(names.SURNAMES)  # a minority father's name is not a surname
        first[dotted] = names.surnames(rng, int(dotted.sum()))
        home = np.where(pop.hukou_comm[elders] >= 0, pop.hukou_comm[elders], pop.res_comm[elders])
        district = ctx.regions.district_of(home)
        prefix = id_numbers.issuer_codes(rng, district, components(birth)[0])
        ids = id_numbers.build_ids(rng, prefix, birth, sex, taken=self._taken)
        self._taken = np.sort(np.concatenate([self._taken, id_numbers.id17_of(ids)]))
        self.of_elder[elders] = len(self.elder) + np.arange(n)
        self.elder = np.concatenate([self.elder, elders])
        self.sex = np.concatenate([self.sex, sex])
        self.birth = np.concatenate([self.birth, birth])
        self.name_first = np.concatenate([self.name_first, first])
        given = names.given_names(rng, sex, np.full(n, 1975), young=True)
        self.name_second = np.concatenate([self.name_second, given])
        self.id18 = np.concatenate([self.id18, ids])

    def names(self, idx: np.ndarray) -> np.ndarray:
        """Agent names."""
        return names.render(self.name_first[idx], self.name_second[idx])

    def person_ids(self, idx: np.ndarray) -> np.ndarray:
        """Agents' person_id: numbered after the whole population."""
        return len(self._ctx.pop) + 1 + np.asarray(idx, dtype=np.int64)

    def phones(self, idx: np.ndarray) -> np.ndarray:
        """An agent's phone is the family contact phone the elder's records carry."""
        return self._ctx.pop.family_phone[self.elder[idx]]
