"""The one dbt translator: how dbt's models, sources and tests become Dagster assets and checks."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtProject

from orchestration.lib.conventions import OWNERS
from orchestration.lib.freshness import warehouse_freshness_policy

MARTS_SCHEMA = "marts"


class GrantsDbtTranslator(DagsterDbtTranslator):
    """Keys are `[schema, name]` for models and sources alike, so `raw.domain_grants` (a dbt
    source) is the asset the seed loader materializes, and `marts.mart_domain_year` is the table
    a BI user queries. Groups follow the schema: raw, staging, marts. The marts carry the
    warehouse's freshness policy, so the UI shows them stale when refreshes stop."""

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if spec.key.path[0] != MARTS_SCHEMA:
            return spec
        return spec.replace_attributes(freshness_policy=warehouse_freshness_policy())

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["schema"]

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return OWNERS


translator = GrantsDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))
