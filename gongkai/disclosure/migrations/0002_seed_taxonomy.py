from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.disclosure.taxonomy import seed_taxonomy

    seed_taxonomy(apps.get_model("disclosure", "TopicCategory"), apps.get_model("disclosure", "Genre"))


def unseed(apps, schema_editor):
    apps.get_model("disclosure", "TopicCategory").objects.filter(parent__isnull=False).delete()
    apps.get_model("disclosure", "TopicCategory").objects.all().delete()
    apps.get_model("disclosure", "Genre").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
