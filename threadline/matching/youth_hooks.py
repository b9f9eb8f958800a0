"""The youth record tells the matcher when a youth's searchable details change
(found by ``threadline.discovery``: youth sits below matching and does not import it)."""

from __future__ import annotations

from threadline.matching.index import youth_index_update
from threadline.youth.models import Youth


def youth_indexed(youth: Youth) -> None:
    youth_index_update(youth)
