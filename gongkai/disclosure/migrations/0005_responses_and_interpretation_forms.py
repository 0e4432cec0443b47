"""政策解读 forms, 回应关切 (ConcernResponse) and 新闻发布会 records; the two new local genres; the
回应关切 column for agencies that already have their catalogue; existing 解读 marked 文字解读."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forward(apps, schema_editor):
    from gongkai.disclosure.taxonomy import seed_taxonomy

    seed_taxonomy(apps.get_model("disclosure", "TopicCategory"), apps.get_model("disclosure", "Genre"))
    Item = apps.get_model("disclosure", "Item")
    Item.objects.filter(interprets__isnull=False, interpretation_form="").update(interpretation_form="text")
    Node = apps.get_model("disclosure", "CatalogueNode")
    # Placed right after 政策解读 where the agency still has it, else at the end of the tree.
    for agency_id in Node.objects.values_list("agency_id", flat=True).distinct():
        if Node.objects.filter(agency_id=agency_id, code="hygq").exists():
            continue
        after = Node.objects.filter(agency_id=agency_id, code="zcjd", parent__isnull=True).first()
        order = after.sort_order + 5 if after else 10000
        Node.objects.create(agency_id=agency_id, code="hygq", name="回应关切", sort_order=order)


def backward(apps, schema_editor):
    Node = apps.get_model("disclosure", "CatalogueNode")
    Node.objects.filter(code="hygq", items__isnull=True, children__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0004_compressed_text'),
        ('orgs', '0002_platform_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='item',
            name='interpretation_form',
            field=models.CharField(blank=True, choices=[('text', '文字解读'), ('graphic', '图解'), ('qa', '问答'), ('video', '视频'), ('press', '新闻发布会'), ('expert', '专家解读')], max_length=10, verbose_name='解读形式'),
        ),
        migrations.AddField(
            model_name='item',
            name='video_url',
            field=models.URLField(blank=True, max_length=500, verbose_name='视频链接'),
        ),
        migrations.CreateModel(
            name='ConcernResponse',
            fields=[
                ('item', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='concern', serialize=False, to='disclosure.item')),
                ('description', models.TextField(blank=True, verbose_name='关切事项')),
                ('source_url', models.URLField(blank=True, max_length=500, verbose_name='关切来源链接')),
                ('surfaced_at', models.DateTimeField(verbose_name='关切出现时间')),
                ('level', models.CharField(choices=[('major', '重大突发事件'), ('general', '一般关切')], default='general', max_length=10, verbose_name='关切级别')),
                ('responded_at', models.DateTimeField(blank=True, help_text='先通过其他渠道发布权威信息的，填写最早发布时间；留空则为本条信息发布时间', null=True, verbose_name='首次回应时间')),
                ('response_channel', models.CharField(blank=True, max_length=100, verbose_name='首次回应渠道')),
            ],
            options={
                'verbose_name': '回应关切',
                'verbose_name_plural': '回应关切',
                'indexes': [models.Index(fields=['surfaced_at'], name='disclosure__surface_2759f6_idx')],
            },
        ),
        migrations.CreateModel(
            name='PressConference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('topic', models.CharField(max_length=200, verbose_name='发布会主题')),
                ('held_at', models.DateTimeField(verbose_name='召开时间')),
                ('place', models.CharField(blank=True, max_length=200, verbose_name='地点')),
                ('speakers', models.TextField(help_text='每行一位，如：县财政局局长 王某某', verbose_name='发布人')),
                ('summary', models.TextField(blank=True, verbose_name='内容摘要')),
                ('video_url', models.URLField(blank=True, max_length=500, verbose_name='视频链接')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='press_conferences', to='orgs.agency', verbose_name='主办机构')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('related_items', models.ManyToManyField(blank=True, related_name='press_conferences', to='disclosure.item', verbose_name='相关政策与回应')),
                ('transcript', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='transcript_of', to='disclosure.item', verbose_name='文字实录')),
            ],
            options={
                'verbose_name': '新闻发布会',
                'verbose_name_plural': '新闻发布会',
                'ordering': ['-held_at', '-id'],
                'indexes': [models.Index(fields=['agency', '-held_at'], name='disclosure__agency__c657fd_idx')],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
