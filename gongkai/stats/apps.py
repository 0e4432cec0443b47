from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "gongkai.stats"
    verbose_name = "统计与排名"
