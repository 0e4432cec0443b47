import gongkai.applications.models
import gongkai.filecrypt
from django.db import migrations, models


class Migration(migrations.Migration):
    """Issued letters' files are written sealed from now on; files written before stay readable as
    they are, and ``gongkai keys rotate`` seals them (rekeying finds every field on the encrypted storage)."""

    dependencies = [
        ('applications', '0012_applicant_files_encrypted'),
    ]

    operations = [
        # State only: where files are stored is not in the database (AlterField would rebuild the table on SQLite).
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='letter',
                name='docx',
                field=models.FileField(blank=True, max_length=300, storage=gongkai.filecrypt.applicant_files_storage, upload_to=gongkai.applications.models.letter_path),
            ),
            migrations.AlterField(
                model_name='letter',
                name='pdf',
                field=models.FileField(blank=True, max_length=300, storage=gongkai.filecrypt.applicant_files_storage, upload_to=gongkai.applications.models.letter_path),
            ),
        ]),
    ]
