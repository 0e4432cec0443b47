from django.core.management.base import BaseCommand

from gongkai.demo.builder import build_county, demo_exists, login_lines


class Command(BaseCommand):
    help = "建立演示数据：江北省青山市清河县的县政府、部门、乡镇和各角色账号。"

    def handle(self, *args, **options):
        if demo_exists():
            self.stdout.write("演示数据已存在，未重复建立。")
        else:
            agencies = build_county()
            self.stdout.write(f"已建立演示县：{len(agencies)} 个机构。")
        for line in login_lines():
            self.stdout.write(line)
