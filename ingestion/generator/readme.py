"""README.md of the truth folder: what each file holds, the rules used, the defect codes."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from . import subsidies
from .defects import DefectRates, describe
from .gov_services import AGENT_SHARE
from .id_numbers import LEGACY_COUNTY_CODES
from .public_security import FULL_EVERY
from .truth_tables import PERSON_COLUMNS

_TEXT = """# Truth behind the generated feeds

Never read by the pipeline. Everything here is UTF-8 CSV with a header row.

## persons.csv

One row per person: everyone in the elder population (`registration` registered, migrant or
non_mainland) and every agent who filed an application for an elder (`is_agent_only` 1,
`registration` agent, `agent_for_person_id` the elder). Columns:

{columns}

- Dates are YYYY-MM-DD, empty when the event does not happen within the month range.
- `id_number` is the true 18-character number (empty for non-mainland people, who carry
  `doc_type`/`doc_number`). Numbers starting {legacy} are former county codes: they were in use
  when elders' numbers were issued, but `stdnum.cn.ric.validate` ties a code to the birth year
  and raises InvalidComponent for holders born before 1982. Checksum and birth date are valid.
- `living_situation`, `hukou_*` and `residence_*` are as of the first day of the range;
  `hukou_transfer_date` moves both the household and the residence to
  `hukou_community_code_after`. Residence is empty for people registered here but living
  outside Tianjin.
- Everyone is in Tianjin from `in_tianjin_from` (the first month); `in_tianjin_until` is the
  month of death or moving out, empty if still here at the end.
- `registry_id_legacy15` 1: the public-security extract shows this person's 15-digit number.
- `paid_after_death_months`: planted payments continue this many months after death.

## records.csv

One row per delivered data row: `source`, `source_file` (relative to the landing root),
`source_row` (1-based data row in CSV without the header; spreadsheet row as Excel shows it,
so the first roster row is 3 and the last is the 合计 row; line number in JSONL), `person_id`
(empty for a 合计 row; the elder in gov_services), `applicant_person_id` (gov_services, when an
agent filed), `defects` (codes applied to that row, semicolon-separated, in the order applied).

## anomalies.csv

Planted subsidy anomalies: `kind` (paid_after_death, paid_in_two_districts), `person_id`,
`month` (YYYY-MM), `source_file`, `source_row`. A paid_in_two_districts row is an extra row
in a second district's roster; the person's own district roster has the regular row.

## monthly_counts.csv

Per month and district: living elders (60 or over at the month's last day) who are registered
in or live in Tianjin at the end of the month. The district is the residence district, or the
registered district for people living outside Tianjin. Agents are not counted.

## Feeds

- public_security: a full extract in the first month and every {full_every} months after it;
  a delta (新增 on reaching the extract age, 变更 household transfer, 死亡, 迁出) in every
  month after the first. One row per person per delta; 死亡 > 迁出 > 新增 > 变更. A full
  extract keeps the registrations cancelled since the first month, with 人员状态 1 or 2.
- civil_affairs: every district's roster every month, sorted by community; the 合计 row always.
- institutions: a file per institution that had a resident during the month. A resident who
  dies is discharged with 死亡 on the day of death and never listed after that month.
- gov_services: one file per month; {agent_share:.0%} of cases filed by an agent.

## Subsidy rules (amounts in yuan per month)

Paid to people registered in Tianjin, not moved out, aged 60+ by the month's end and alive
on its first day (so the month of death is still paid), in the registered district's roster.

{rules}

## Defect codes and the rates of this run

{defects}
- `totals_row`: the 合计 row closing every roster (always).
- public_security: id_legacy15 (per person, sticky across extracts), id_lowercase_x,
  duplicate_row. civil_affairs: names; ID missing, digit typo, transposition, x, spaces, full
  width; the 出生年月 forms; phones; duplicates; both anomalies. institutions: names; ID
  missing, masked, 15-digit, digit typo, x; birth_month_day_swap; contact phone; duplicates.
  gov_services: elder name; resident ID digit typo, transposition, x; applicant phone;
  duplicates.
- Rates are per row, except id_lowercase_x (share of rows whose ID ends in X) and
  paid_after_death (share of deceased people; 1-3 months each).
"""


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


def _rules() -> str:
    tiers = ", ".join(f"{age}+ {_yuan(fen)}" for age, fen in subsidies.OLD_AGE_TIERS)
    home = [_yuan(f) for f in subsidies.HOME_CARE_BY_ABILITY]
    living = [_yuan(f) for f in subsidies.LIVING_BY_HARDSHIP]
    nursing = [_yuan(f) for f in subsidies.NURSING_BY_ABILITY]
    return "\n".join(
        [
            f"- 高龄津贴: aged 80+: {tiers}.",
            "- 居家养老服务补贴 (Tianjin 2017): living at home, 低保/特困/低收入 and disabled: "
            f"轻度 {home[1]}, 中度 {home[2]}, 重度 and 完全 {home[3]}.",
            f"- 经济困难老年人生活补贴: 低保 {living[1]}, 特困 {living[2]}, 低收入 {living[3]}.",
            f"- 失能老年人护理补贴: 重度失能 {nursing[3]}, 完全失能 {nursing[4]} "
            "(any hardship, at home or in an institution).",
        ]
    )


def write_readme(path: Path, rates: DefectRates) -> None:
    """Write the truth README for the rates used."""
    text = _TEXT.format(
        columns=", ".join(f"`{c}`" for c in PERSON_COLUMNS),
        legacy=", ".join(sorted(LEGACY_COUNTY_CODES)),
        full_every=FULL_EVERY,
        agent_share=AGENT_SHARE,
        rules=_rules(),
        defects="\n".join(f"- `{k}` ({v}): {describe(k)}" for k, v in asdict(rates).items()),
    )
    path.write_text(text, encoding="utf-8")
