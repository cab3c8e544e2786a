"""BI tools connect as Superset does: SQLAlchemy with duckdb-engine, read-only."""

import sqlalchemy


def test_superset_style_connection_lists_and_queries_the_marts(refreshed):
    engine = sqlalchemy.create_engine(
        f"duckdb:///{refreshed.settings.published_database}",
        connect_args={"read_only": True},
    )
    try:
        inspector = sqlalchemy.inspect(engine)
        tables = set(inspector.get_table_names(schema="marts"))
        assert {
            "mart_domain_year",
            "mart_year_summary",
            "mart_reconciliation",
            "mart_programme_timeline",
            "dim_domain",
        } <= tables
        columns = {c["name"] for c in inspector.get_columns("mart_domain_year", schema="marts")}
        assert {"domain_name_ar", "amount_mad", "share_of_amount"} <= columns
        with engine.connect() as connection:
            total = connection.execute(
                sqlalchemy.text(
                    "select sum(amount_mad) from marts.mart_domain_year where period = :period"
                ),
                {"period": "2018"},
            ).scalar_one()
        assert total == 1_899_500
    finally:
        engine.dispose()
