"""Amounts as readers in Morocco write them, in the charts' three languages."""

from orchestration.lib.charts import format_amount


def test_amounts_are_written_as_readers_in_morocco_write_them():
    assert format_amount(6_991_500, "fr") == "6 991 500 MAD"
    assert format_amount(6_991_500, "en") == "6 991 500 MAD"
    assert format_amount(6_991_500, "ar") == "6.991.500 د.م."
