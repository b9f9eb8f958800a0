"""Keeping a youth's main county (``youth/counties.py``) equal to the rule over their connections."""

from __future__ import annotations

from threadline.youth.counties import main_county
from threadline.youth.models import CountyConnection, Youth
from threadline.youth.policy import youth_for_maintenance


def main_county_refresh(youth: Youth) -> str:
    """Derive ``youth.main_county`` again from the youth's connections as they are now and write it
    (one UPDATE of that column only, whatever the instance held). Call it inside the transaction that
    wrote the connections, with the youth's row new or locked (``access_youth(..., lock=True)``): a second writer then
    waits and derives from both writes. The youth's version is not bumped (nothing a person edits
    changed) and no history row is written for it: the connections' own history says what changed."""
    rows = CountyConnection.objects.filter(youth_id=youth.pk).values_list("kind", "county", "pk")
    county = main_county(rows)
    youth_for_maintenance().filter(pk=youth.pk).update(main_county=county)
    youth.main_county = county
    return county
