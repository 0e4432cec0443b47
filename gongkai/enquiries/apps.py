from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "gongkai.enquiries"
    label = "enquiries"
    verbose_name = "留言咨询"
