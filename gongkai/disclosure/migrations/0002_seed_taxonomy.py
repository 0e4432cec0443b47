from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.disclosure.taxonomy import GENRES, TOPICS

    TopicCategory = apps.get_model("disclosure", "TopicCategory")
    Genre = apps.get_model("disclosure", "Genre")
    for i, (name, children) in enumerate(TOPICS, start=1):
        top = TopicCategory.objects.create(code=f"{i:02d}", name=name, sort_order=i)
        for j, child in enumerate(children, start=1):
            TopicCategory.objects.create(code=f"{i:02d}{j:02d}", name=child, parent=top, sort_order=j)
    for code, name, is_local in GENRES:
        Genre.objects.create(code=code, name=name, is_local=is_local)


def unseed(apps, schema_editor):
    apps.get_model("disclosure", "TopicCategory").objects.filter(parent__isnull=False).delete()
    apps.get_model("disclosure", "TopicCategory").objects.all().delete()
    apps.get_model("disclosure", "Genre").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
