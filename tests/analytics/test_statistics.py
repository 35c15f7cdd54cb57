"""Every table the build makes is analyzed as it is made (the post-hook in dbt_project.yml), so
the models after it are planned on its statistics; autovacuum reaches a new table later, and
one of under 50 rows (dim_months, the seeds) never."""

from warehouse.connection import connect


def test_every_table_dbt_built_was_analyzed(settings, built):
    with connect(settings, "admin") as conn:
        unanalyzed = conn.execute(
            """select schemaname || '.' || relname from pg_stat_user_tables
            where schemaname in ('staging', 'intermediate', 'marts') and last_analyze is null
            order by 1"""
        ).fetchall()
        tables = conn.execute(
            "select count(*) from pg_tables where schemaname in ('intermediate', 'marts')"
        ).fetchone()[0]
    assert tables > 30  # the build made its tables
    assert unanalyzed == []
