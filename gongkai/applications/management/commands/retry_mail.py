from gongkai.applications.mailing import deliver_all
from gongkai.cli_support import GongkaiCommand


class Command(GongkaiCommand):
    help = ("发送待发的申请人邮件（查询码通知），包括邮件服务器曾拒收的，发出后删除。"
            "服务进程在提交后即发送；请与 remind 一起定时运行，以发出进程退出时留下的邮件。")

    def handle(self, *args, acting_as, json, **options):
        result = deliver_all()
        if json:
            self.emit(result)
            return
        self.stdout.write(f"已发送{result['sent']}封，仍失败{result['failed']}封，已放弃{result['given_up']}封。")
