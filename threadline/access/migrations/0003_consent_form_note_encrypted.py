# The note about the signed paper form may hold a name: it becomes an encrypted field. Old plaintext
# notes are dropped rather than converted (there is no released data yet, and a plaintext value must
# never be read back as if it were ciphertext).

import threadline.crypto.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="consent", name="signed_form_name"),
        migrations.AddField(
            model_name="consent",
            name="signed_form_name",
            field=threadline.crypto.fields.EncryptedField(blank=True, codec="text", null=True),
        ),
    ]
