"""The warehouse's blocking checks as Great Expectations suites: what each one reads from the
working file, what it expects, and how its outcome reads. No Dagster here: the asset checks
(defs/checks) wrap these outcomes.

The rule that decides whether a figure reconciles (reconciled, known discrepancy, unexplained;
exact and two-sided against the register) has one home, dbt's `reconciliation_status` macro,
which writes it into the `status` column of the reconciliation marts. The suites here assert on
that column and on the report's own figures; they never decide it again.
"""
