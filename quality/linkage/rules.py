"""Hard rules that overrule the score.

- Two valid resident ID numbers decide: equal links, different never links (only a steward
  can merge two valid numbers).
- Two non-ID documents (passport, 通行证, 永久居留证) of one type decide the same way.
- An agent who filed a service-platform case is a record of role 'applicant': it never
  enters the elder pairs, so it cannot join the elder it filed for (see records.py).
"""

from __future__ import annotations

import numpy as np

from quality.linkage.compare import Arrays

NONE, SAME_ID, DIFFERENT_IDS, SAME_DOCUMENT, DIFFERENT_DOCUMENTS = range(5)
RULE_NAMES = {
    NONE: None,
    SAME_ID: "rule:same_id_number",
    DIFFERENT_IDS: "rule:different_id_numbers",
    SAME_DOCUMENT: "rule:same_document",
    DIFFERENT_DOCUMENTS: "rule:different_documents",
}
LINKING = (SAME_ID, SAME_DOCUMENT)
SEPARATING = (DIFFERENT_IDS, DIFFERENT_DOCUMENTS)


def apply(a: Arrays, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The rule deciding each pair (NONE where the score decides), int8."""
    rule = np.zeros(len(left), dtype=np.int8)
    docs = (a.doc[left] > 0) & (a.doc[right] > 0)
    rule[docs] = DIFFERENT_DOCUMENTS
    rule[docs & (a.doc[left] == a.doc[right])] = SAME_DOCUMENT
    valid = a.id_valid[left] & a.id_valid[right]
    rule[valid] = DIFFERENT_IDS
    rule[valid & (a.id_code[left] == a.id_code[right])] = SAME_ID
    return rule


def overrule(probability: np.ndarray, rule: np.ndarray) -> np.ndarray:
    """Probabilities with the rules' verdicts: 1 where a rule links, 0 where one separates."""
    out = probability.copy()
    out[np.isin(rule, LINKING)] = 1.0
    out[np.isin(rule, SEPARATING)] = 0.0
    return out
