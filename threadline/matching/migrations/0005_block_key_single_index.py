"""The blocking keys keep one index, their (digest, youth) primary key: each youth's profile row lists
its digests (``MatchProfile.digests``), and a youth's update deletes its old keys by those, so the
``youth`` index (and the foreign-key constraint that needs it to stay cheap) is no longer built. The
digests of the rows already indexed are filled in from the keys before the index goes; going back
re-creates the index and the constraint."""

import django.db.models.deletion
from django.db import migrations, models


def _fill_digests(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Each profile's digests from its youth's keys: 8 big-endian bytes each, in byte order (as
    ``index.digests_packed`` writes them)."""
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE matching_matchprofile p SET digests = k.packed FROM ("
                " SELECT youth_id, string_agg(int8send(digest), ''::bytea ORDER BY int8send(digest)) AS packed"
                " FROM matching_blockkey GROUP BY youth_id) k WHERE k.youth_id = p.youth_id"
            )
        return
    BlockKey = apps.get_model("matching", "BlockKey")
    MatchProfile = apps.get_model("matching", "MatchProfile")
    found: dict[object, list[bytes]] = {}
    for youth_id, digest in BlockKey.objects.values_list("youth_id", "digest").iterator():
        found.setdefault(youth_id, []).append(digest.to_bytes(8, "big", signed=True))
    for youth_id, digests in found.items():
        MatchProfile.objects.filter(youth_id=youth_id).update(digests=b"".join(sorted(digests)))


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0004_matcher_model'),
        ('youth', '0005_youth_gender_group_for_counts'),
    ]

    operations = [
        migrations.AddField(
            model_name='matchprofile',
            name='digests',
            field=models.BinaryField(default=b''),
        ),
        migrations.RunPython(_fill_digests, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='blockkey',
            name='youth',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='youth.youth'),
        ),
    ]
