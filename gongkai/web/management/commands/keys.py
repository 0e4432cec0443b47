from pathlib import Path

from gongkai import fieldcrypt, mailfile, rekeying
from gongkai.cli_support import GongkaiCommand


class Command(GongkaiCommand):
    help = ("字段加密密钥。gongkai keys rotate [--dry-run] [--json]：把仍在旧密钥（GONGKAI_FIELD_KEYS_OLD）或旧算法下的"
            "加密字段和申请人上传的文件，按当前密钥和算法（GONGKAI_FIELD_CIPHER）重新加密；"
            "gongkai keys status：当前密钥编号和算法；gongkai keys read-mail 文件：解密显示 outbox 中的邮件。")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{rotate,status,read-mail}")
        read_mail = actions.add_parser("read-mail", help="解密并显示 outbox 目录中一个邮件文件")
        read_mail.add_argument("file")
        rotate = actions.add_parser("rotate", help="按当前密钥重新加密")
        rotate.add_argument("--dry-run", action="store_true", help="只统计，不改写")
        status = actions.add_parser("status", help="当前密钥编号和算法")
        for sub in (rotate, status):
            sub.add_argument("--as", dest="acting_as", metavar="USERNAME", help="以该工作人员的身份执行")
            sub.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, action, **options):
        if action == "read-mail":
            for message in mailfile.read_messages(Path(options["file"])):
                self.stdout.write(message.decode("utf-8", "replace"))
                self.stdout.write("-" * 79)
            return
        if action == "status":
            info = {"key_id": fieldcrypt.current_key_id(), "cipher": fieldcrypt.current_cipher_name(),
                    "sm4_available": fieldcrypt.sm4_available()}
            if options["json"]:
                self.emit(info)
            else:
                self.stdout.write(f"当前密钥编号 {info['key_id']}，算法 {info['cipher']}。")
            return
        outcome = rekeying.rotate_all(actor=self.actor(options["acting_as"]), dry_run=options["dry_run"])
        if options["json"]:
            self.emit(outcome.as_dict())
        elif options["dry_run"]:
            self.stdout.write(f"尚有{outcome.left}项不在当前密钥 {outcome.key_id} 下。")
        else:
            values = sum(outcome.values.values())
            self.stdout.write(f"已按密钥 {outcome.key_id} 重新加密{values}个字段值和{outcome.files}个文件。")
