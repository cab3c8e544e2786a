"""The fingerprint of a refresh's inputs: the seeds and the code it was built from."""

from orchestration.lib.fingerprint import inputs_fingerprint
from orchestration.settings import Settings
from tests.conftest import copy_seeds


def test_the_inputs_fingerprint_follows_the_seeds(tmp_path):
    settings = Settings(seeds_dir=copy_seeds(tmp_path), warehouse_dir=tmp_path / "warehouse")
    before = inputs_fingerprint(settings)
    assert inputs_fingerprint(settings) == before
    grants = settings.seeds_dir / "domain_grants.csv"
    grants.write_text(grants.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert inputs_fingerprint(settings) != before
