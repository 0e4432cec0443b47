from gongkai.applications.mailing import retry_kept
from gongkai.cli_support import GongkaiCommand


class Command(GongkaiCommand):
    help = "重新发送邮件服务器曾拒收的申请人邮件（查询码通知），发出后删除。可与 remind 一起定时运行。"

    def handle(self, *args, acting_as, json, **options):
        result = retry_kept()
        if json:
            self.emit(result)
            return
        self.stdout.write(f"已发送{result['sent']}封，仍失败{result['failed']}封，已放弃{result['given_up']}封。")
