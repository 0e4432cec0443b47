from gongkai.applications.letters.issuing import requeue_unrendered
from gongkai.applications.mailing import requeue_due
from gongkai.cli_support import GongkaiCommand


class Command(GongkaiCommand):
    help = ("把待发的邮件（包括邮件服务器曾拒收、退避期已过的）和尚未生成文件的已签发文书重新交给后台进程。"
            "后台进程异常退出时会留下这些工作；请与 remind 一起由 cron 定时运行。")

    def handle(self, *args, acting_as, json, **options):
        result = requeue_due() | {"letters": requeue_unrendered()}
        if json:
            self.emit(result)
            return
        self.stdout.write(f"已重新排队邮件{result['queued']}封、文书{result['letters']}件；"
                          f"已放弃（达重试上限）的邮件{result['given_up']}封。")
