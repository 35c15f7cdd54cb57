"""Linkage of generated feeds with every defect frequent, checked against the truth."""

from __future__ import annotations

from datetime import date

import pytest

from quality.linkage import eligibility, golden
from quality.linkage.copying import publish
from quality.linkage.evaluate import evaluate, truth_rows
from quality.linkage.identity import Touched
from quality.linkage.run import link
from tests.quality.linkage_support import (
    add_passport_cases,
    add_twin,
    load,
    make_feeds,
    read_truth,
    reset_raw,
    xref,
)
from warehouse.connection import connect

MONTHS = ("2026-07", "2026-10")
REFERENCE = date(2026, 10, 31)


@pytest.fixture(scope="module")
def linked(settings, tmp_path_factory):
    """800 elders over four months, a registry twin added, loaded and linked once."""
    folder = make_feeds(tmp_path_factory.mktemp("linkage"), 800, MONTHS, seed=5)
    twins = add_twin(folder, MONTHS[0])
    cases = add_passport_cases(folder)
    reset_raw(settings)
    load(settings, folder / "landing")
    summary = link(settings, REFERENCE)
    with connect(settings) as conn:
        figures = evaluate(conn, folder / "truth")
    rows = xref(settings).merge(
        truth_rows(folder / "truth"), on=["source_file", "source_row", "role"]
    )
    return folder, summary, figures, rows, twins, cases


def test_pairwise_f1_and_pair_completeness_against_truth(linked):
    _, summary, figures, _, _, _ = linked
    assert figures["rows"]["f1"] >= 0.995, figures
    assert figures["profiles"]["f1"] >= 0.99, figures
    assert figures["pair_completeness"] >= 0.98, figures
    assert summary.pairs_per_pass["id_number"] and summary.pairs_per_pass["sorted_neighbourhood"]


@pytest.mark.parametrize(
    "defect",
    ["name_typo", "name_homophone", "id_missing", "id_masked", "id_legacy15", "id_digit_typo",
     "id_transposition", "id_lowercase_x", "id_spaces", "id_fullwidth", "birth_month_day_swap",
     "birth_year_month_dot", "birth_cn_year_month", "birth_compact", "birth_excel_date",
     "phone_plus86", "phone_86_prefix", "phone_spaces", "phone_dashes"],
)  # fmt: skip
def test_each_defect_kind_links_to_its_person(linked, defect):
    _, _, _, rows, _, _ = linked
    elders = rows[rows["role"] == "elder"]
    usual = elders.groupby("person")["elder_id"].agg(lambda ids: ids.mode().iloc[0])
    planted = elders[elders["defects"].str.split(";").map(lambda codes: defect in codes)]
    assert len(planted), f"no {defect} planted"
    wrong = planted[planted["elder_id"].to_numpy() != usual[planted["person"]].to_numpy()]
    others = elders[elders["elder_id"].isin(planted["elder_id"])]
    mixed = others.groupby("elder_id")["person"].nunique()
    assert wrong.empty, wrong.head().to_dict("records")
    assert (mixed == 1).all(), mixed[mixed > 1]


def test_same_name_and_birth_date_with_different_valid_ids_stay_apart(linked, settings):
    _, _, _, _, (number, twin), _ = linked
    with connect(settings) as conn:
        found = conn.execute(
            "select p.id_number, x.elder_id from linkage.elder_xref x"
            " join linkage.person_records p using (record_id)"
            " where p.id_number in (%s, %s) and p.source = 'public_security'",
            (number, twin),
        ).fetchall()
    by_number = {}
    for id_number, elder_id in found:
        by_number.setdefault(id_number, set()).add(elder_id)
    assert set(by_number) == {number, twin}
    assert not by_number[number] & by_number[twin]


def test_an_agent_stays_apart_from_the_elder(linked):
    _, _, _, rows, _, _ = linked
    agents = rows[rows["role"] == "applicant"]
    assert len(agents)
    elder_ids = set(rows.loc[rows["role"] == "elder", "elder_id"])
    assert not set(agents["elder_id"]) & elder_ids
    assert agents.groupby("elder_id")["person"].nunique().max() == 1


def test_the_xref_accounts_for_every_person_row(linked, settings):
    with connect(settings) as conn:
        delivered = conn.execute(
            """select (select count(*) from raw.public_security_persons)
                 + (select count(*) from raw.civil_affairs_payments)
                 + (select count(*) from raw.institution_residents)
                 + (select count(*) from raw.gov_service_cases),
               (select count(*) from raw.gov_service_cases where is_filed_by_agent)"""
        ).fetchone()
        linked_rows = conn.execute(
            "select count(*) filter (where role = 'elder'), count(*) filter (where role ="
            " 'applicant'), count(*) filter (where elder_id is null) from linkage.elder_xref"
        ).fetchone()
    assert linked_rows == (delivered[0], delivered[1], 0)


def test_every_exclusion_reason_appears_and_matches_the_truth(linked, settings):
    folder, _, _, rows, _, _ = linked
    with connect(settings) as conn:
        reasons = dict(
            conn.execute("select reason, count(*) from linkage.exclusions group by 1").fetchall()
        )
        elders = dict(conn.execute("select elder_id, exclusion_reason from linkage.elders"))
    assert set(reasons) == {"agent", "dead", "moved_out", "under_60", "not_a_person"}
    persons = read_truth(folder, "persons.csv").set_index("person_id")
    expected = {pid: _truth_reason(persons.loc[pid]) for pid in rows["person"].unique()}
    for person, elder_id in rows[["person", "elder_id"]].drop_duplicates().itertuples(False):
        assert elders[elder_id] == expected[person], (person, persons.loc[person].to_dict())


def _truth_reason(person) -> str | None:
    born = date.fromisoformat(person["birth_date"])
    age = REFERENCE.year - born.year - ((REFERENCE.month, REFERENCE.day) < (born.month, born.day))
    if person["is_agent_only"] == "1":
        return "agent"
    if person["death_date"] and date.fromisoformat(person["death_date"]) <= REFERENCE:
        return "dead"
    if person["in_tianjin_until"]:
        return "moved_out"
    return "under_60" if age < 60 else None


def test_golden_attributes_name_the_row_that_supplied_them(linked, settings):
    with connect(settings) as conn:
        wrong_birth = conn.execute(
            """select count(*) from linkage.elders e
            join raw.public_security_persons r
              on (r.source_file, r.source_row) = (e.birth_date_source_file, e.birth_date_source_row)
            where r.birth_date_clean is distinct from e.birth_date"""
        ).fetchone()[0]
        not_authority = conn.execute(
            """select count(*) from linkage.elders e where 'public_security' = any(e.sources)
            and e.birth_date_source_file not like 'public_security/%'"""
        ).fetchone()[0]
        unsourced = conn.execute(
            "select count(*) from linkage.elders where (name is null) <> (name_source_file is null)"
        ).fetchone()[0]
    assert (wrong_birth, not_authority, unsourced) == (0, 0, 0)


def test_every_golden_attribute_is_its_best_candidate_by_the_survivorship_table(linked, settings):
    """Each rule's candidates fetched on their own, ranked in Python by (rank, newest seen,
    tie-break, batch, row): the winner is the value and row that linkage.elders holds."""
    best: dict[tuple[int, str], tuple] = {}
    with connect(settings) as conn:
        for attribute, sql_type, rank, source, value, condition in golden.RULES:
            candidates = conn.execute(
                f"""select x.elder_id, ({value})::{sql_type}, r.source_file, r.source_row,
                    p.seen_on, {golden.TIEBREAK.get(source, "0")}, r.load_batch
                from linkage.elder_xref x
                join linkage.person_records p using (record_id)
                join {golden.TABLES[source]} r
                  on (r.load_batch, r.source_row) = (x.load_batch, x.source_row)
                where x.source = '{source}' and x.role = 'elder' and ({value}) is not null
                  and ({condition or "true"})"""
            )
            for elder, value_, file, row, seen, tiebreak, batch in candidates:
                order = (rank, seen is None, -(seen.toordinal() if seen else 0), -tiebreak,
                         -batch, -row)  # fmt: skip
                held = best.get((elder, attribute))
                if held is None or order < held[0]:
                    best[(elder, attribute)] = (order, (value_, file, row))
        columns = ", ".join(f"{a}, {a}_source_file, {a}_source_row" for a in golden.ATTRIBUTES)
        stored = conn.execute(f"select elder_id, {columns} from linkage.elders").fetchall()
    wrong = []
    for elder, *values in stored:
        for i, attribute in enumerate(golden.ATTRIBUTES):
            expected = best.get((elder, attribute), (None, (None, None, None)))[1]
            if tuple(values[3 * i : 3 * i + 3]) != expected:
                wrong.append((elder, attribute, values[3 * i : 3 * i + 3], expected))
    assert len(stored) > 700 and len(best) > 10 * len(stored)
    assert wrong == []


def test_passport_holders_link_on_their_document_and_namesakes_stay_apart(linked, settings):
    *_, cases = linked
    rows = xref(settings).set_index(["source_file", "source_row", "role"])
    ids = [rows.loc[(file, row, "elder"), "elder_id"] for file, row, _ in cases]
    assert ids[0] == ids[1] != ids[2]
    assert rows.loc[(cases[1][0], cases[1][1], "elder"), "by"] == "rule:same_document"


def test_republishing_rewrites_only_the_golden_records_that_changed(linked, settings):
    """The elder database is merged, not refilled: the API reads it while a run is under way.
    A record altered by hand is written again from its rows, and no other."""
    version = "select elder_id, xmin::text from linkage.elders"
    with connect(settings) as conn:
        before = dict(conn.execute(version).fetchall())
        elder, phone = conn.execute(
            "select elder_id, phone from linkage.elders where phone is not null limit 1"
        ).fetchone()
        golden.build(conn, REFERENCE)
        unchanged = dict(conn.execute(version).fetchall())
        conn.execute("update linkage.elders set phone = '13900000000' where elder_id = %s",
                     (elder,))  # fmt: skip
        golden.build(conn, REFERENCE)
        after = dict(conn.execute(version).fetchall())
        restored = conn.execute("select phone from linkage.elders where elder_id = %s", (elder,))
        restored = restored.fetchone()[0]
        conn.rollback()  # leave the linked store as it was
    assert unchanged == before
    assert {e for e in after if after[e] != before[e]} == {elder} and restored == phone


def test_a_refilled_table_has_its_indexes_built_again(linked, settings):
    """A full run refills linkage.elder_xref without keeping its indexes up row by row; they
    are built again after the insert, the same indexes, and they answer for the new rows."""
    indexes = (
        "select indexname, indexdef from pg_indexes"
        " where schemaname = 'linkage' and tablename = 'elder_xref'"
    )
    with connect(settings) as conn:
        before = dict(conn.execute(indexes).fetchall())
        conn.execute("create table linkage.elder_xref_next as table linkage.elder_xref")
        conn.execute("update linkage.elder_xref_next set linked_by = 'refilled'")
        publish(conn, "elder_xref")
        after = dict(conn.execute(indexes).fetchall())
        conn.execute("set local enable_seqscan = off")
        found = conn.execute(
            "select count(*) from linkage.elder_xref"
            " where elder_id = (select min(elder_id) from linkage.elder_xref)"
            " and linked_by = 'refilled'"
        ).fetchone()[0]
        conn.rollback()  # leave the linked store as it was
    assert after == before and len(before) == 4
    assert found >= 1


def test_a_rewritten_record_stays_on_its_page_in_a_durable_table(linked, settings):
    """linkage.elders keeps room on each page for its records' next versions, so that a new
    month's updates write nothing into the indexes; the published tables are logged, though
    the tables they are built in are not."""
    page = "select (ctid::text::point)[0] from linkage.elders where elder_id = %s"
    with connect(settings) as conn:
        elder, first = conn.execute(
            "select elder_id, (ctid::text::point)[0] from linkage.elders order by ctid limit 1"
        ).fetchone()
        conn.execute("update linkage.elders set phone = '13900000002' where elder_id = %s",
                     (elder,))  # fmt: skip
        altered = conn.execute(page, (elder,)).fetchone()[0]
        golden.build(conn, REFERENCE)
        rewritten = conn.execute(page, (elder,)).fetchone()[0]
        persistence = dict(conn.execute(
            "select relname, relpersistence from pg_class where relname in"
            " ('elders', 'elder_xref', 'exclusions', 'review_queue')"
            " and relnamespace = 'linkage'::regnamespace"
        ).fetchall())  # fmt: skip
        conn.rollback()  # leave the linked store as it was
    assert altered == rewritten == first
    assert persistence == dict.fromkeys(["elders", "elder_xref", "exclusions", "review_queue"], "p")


def test_a_new_month_rewrites_only_what_it_touched_or_whose_eligibility_moved(linked, settings):
    """After a new month, the records of the elders it touched are written again from their
    rows, and of the others only those whose eligibility the new reference date changes (here
    one who turns 60, one who dies and one who moves out between the dates); an untouched
    elder's record stays as it was, and a touched elder that is gone goes."""
    records = "select elder_id, (ctid::text, exclusion_reason, phone) from linkage.elders"
    later = date(2026, 11, 30)
    with connect(settings) as conn:
        young, dying, leaving, grown, gone, untouched = (
            elder
            for (elder,) in conn.execute(
                "select elder_id from linkage.elders where is_eligible and phone is not null"
                " order by elder_id limit 6"
            )
        )
        phone = conn.execute("select phone from linkage.elders where elder_id = %s", (grown,))
        phone = phone.fetchone()[0]
        conn.execute("update linkage.elders set birth_date = %s where elder_id = %s",
                     (date(1966, 11, 15), young))  # fmt: skip
        conn.execute("update linkage.elders set death_date = %s where elder_id = %s",
                     (date(2026, 11, 20), dying))  # fmt: skip
        conn.execute("update linkage.elders set registry_status = '迁出', registry_status_on = %s"
                     " where elder_id = %s", (date(2026, 11, 30), leaving))  # fmt: skip
        conn.execute("update linkage.elders set phone = '13900000001' where elder_id in (%s, %s)",
                     (grown, untouched))  # fmt: skip
        conn.execute("delete from linkage.reference")  # no stored date: every record judged
        eligibility.build(conn, REFERENCE)
        before = dict(conn.execute(records).fetchall())
        conn.execute("delete from linkage.elder_xref where elder_id = %s", (gone,))
        golden.build(conn, later, Touched({gone}, {grown}, 0))
        eligible = eligibility.build(conn, later)
        after = dict(conn.execute(records).fetchall())
        everyone = conn.execute("select count(*) filter (where is_eligible) from linkage.elders")
        assert eligible == everyone.fetchone()[0]
        reference = conn.execute("select reference_date from linkage.reference").fetchall()
        analyzed = conn.execute(  # for the marts' planner, which reads both next
            "select c.relname, pg_stat_get_last_analyze_time(c.oid) >= now() from pg_class c"
            " where c.oid in ('linkage.elders'::regclass, 'linkage.reference'::regclass)"
        ).fetchall()
        conn.rollback()  # leave the linked store as it was
    assert before[young][1] == "under_60" and after[young][1] is None
    assert [before[dying][1], after[dying][1]] == [None, "dead"]
    assert [before[leaving][1], after[leaving][1]] == [None, "moved_out"]
    rewritten = {e for e in after if after[e][0] != before[e][0]}
    moved = {e for e in after if after[e][1] != before[e][1]}
    assert rewritten == {grown} | moved and young in moved
    assert gone in before and gone not in after
    assert after[grown][2] == phone and after[untouched][2] == "13900000001"
    assert after[untouched] == before[untouched]
    assert reference == [(later,)]
    assert sorted(analyzed) == [("elders", True), ("reference", True)]


def test_stores_of_earlier_versions_lose_the_golden_table_and_the_dated_columns(linked, settings):
    """A store made before the golden records were written into linkage.elders (they had a
    table of their own) and before linkage.reference (each record kept the date and the age):
    that table goes, and the dated columns with the views on them; and before its pages kept
    room for updates."""
    with connect(settings) as conn:
        conn.execute("create table linkage.golden (elder_id bigint primary key)")
        conn.execute(
            "alter table linkage.elders add column reference_date date, add column age int"
        )
        conn.execute("create view linkage.ages as select elder_id, age from linkage.elders")
        conn.execute("alter table linkage.elders reset (fillfactor)")
        golden.build(conn, REFERENCE)
        options = conn.execute(
            "select reloptions from pg_class where oid = 'linkage.elders'::regclass"
        ).fetchone()[0]
        columns = {name for (name,) in conn.execute(
            "select attname from pg_attribute where attrelid = 'linkage.elders'::regclass"
            " and attnum > 0 and not attisdropped"
        )}  # fmt: skip
        gone = conn.execute("select to_regclass('linkage.ages'), to_regclass('linkage.golden')")
        gone = gone.fetchone()
        conn.rollback()
    assert "is_eligible" in columns and not {"reference_date", "age"} & columns
    assert gone == (None, None)
    assert options == [f"fillfactor={golden.ELDERS_FILLFACTOR}"]
