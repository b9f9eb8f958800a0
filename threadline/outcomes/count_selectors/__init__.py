"""The measures counted in the database: each function here gives exactly the figures of the measure
of the same name in ``outcomes.measures`` (the definitions, with their docstrings and known-answer
tests), with the counting done by SQL aggregates (``values().annotate()``, ``Count`` with filters,
subqueries) over the scope's rows, so the cost follows the number of groups, not of youths. Where a
median needs the whole distribution, only that one column is read (``values_list``), never a model
instance. ``tests/outcomes/test_counts_match_measures.py`` checks every figure against the
definitions applied to the rows themselves, on both databases."""
