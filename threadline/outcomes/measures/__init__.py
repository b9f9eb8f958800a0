"""Every measure the program reports, each defined once, here, as a pure function over plain facts.

The facts (``facts.py``) are loaded by ``threadline.outcomes.selectors`` in a few column-only queries
for one organization and one period; the functions here count them. Nothing in this package touches
the database, so each measure is tested on small hand-made facts with known answers
(``tests/outcomes/test_measures_*.py``). Every docstring says exactly how the measure is counted:
that docstring is what docs/outcomes.md and the funder report's notes repeat.

A fact carries an opaque number for the youth (``youth``), never a name, date of birth, reference or
database id, and facts never leave the outcomes selectors: views, exports and the analyst only ever
receive the tables these functions return.
"""
