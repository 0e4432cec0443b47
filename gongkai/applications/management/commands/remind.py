from gongkai.applications.reminders import send_due_reminders
from gongkai.cli_support import GongkaiCommand


class Command(GongkaiCommand):
    help = "发送依申请公开期限提醒邮件（5个工作日内到期和已超期的申请），每天运行一次。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--dry-run", action="store_true", help="只显示将发送的提醒，不发送、不标记")

    def handle(self, *args, dry_run, acting_as, json, **options):
        batches = send_due_reminders(dry_run=dry_run)
        if json:
            self.emit({"recipients": len(batches), "reminders": batches, "dry_run": dry_run})
            return
        for email, lines in batches.items():
            self.stdout.write(f"{email}：{len(lines)}件")
        self.stdout.write(f"{'将' if dry_run else '已'}向{len(batches)}位工作人员发送提醒。")
