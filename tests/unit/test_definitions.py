"""The code location loads, and shows the graph, checks and schedule operators expect."""

import dagster as dg

from orchestration.definitions import defs as load_defs

defs = load_defs()


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)


def test_asset_groups():
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups["raw/domain_grants"] == "raw"
    assert groups["staging/stg_report__domain_grants"] == "staging"
    assert groups["marts/mart_domain_year"] == "marts"
    assert groups["publish/grants_duckdb"] == "publish"
    assert {group for key, group in groups.items() if key.startswith("raw/")} == {"raw"}


def test_seed_assets_feed_dbt_sources():
    graph = defs.resolve_asset_graph()
    staging = graph.get(dg.AssetKey(["staging", "stg_report__domain_grants"]))
    assert dg.AssetKey(["raw", "domain_grants"]) in staging.parent_keys
    assert graph.get(dg.AssetKey(["raw", "domain_grants"])).is_materializable


def test_dbt_tests_are_asset_checks():
    checks = {key.to_user_string() for key in defs.resolve_asset_graph().asset_check_keys}
    assert (
        "marts/fct_domain_grants:unique_combination_of_columns_fct_domain_grants_programme_id__period__domain_code"
        in checks
    )


def test_refresh_job_and_schedule():
    job = defs.resolve_job_def("refresh_warehouse")
    assert dg.AssetKey(["publish", "grants_duckdb"]) in job.asset_layer.executable_asset_keys
    schedule = defs.resolve_schedule_def("daily_refresh")
    assert (schedule.cron_schedule, schedule.execution_timezone) == (
        "0 6 * * *",
        "Africa/Casablanca",
    )
