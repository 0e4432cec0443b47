"""KeptMail (mail the server had refused) becomes the outbox of every applicant e-mail.

Rows kept by the earlier version stay and are sent by the new sender like any other."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0005_letter_number_series_kept_mail"),
    ]

    operations = [
        migrations.RenameModel("KeptMail", "OutgoingMail"),
        migrations.AlterField(model_name="outgoingmail", name="attempts",
                              field=models.PositiveSmallIntegerField(default=0)),
        migrations.AddField(model_name="outgoingmail", name="not_before",
                            field=models.DateTimeField(blank=True, null=True)),
    ]
