"""The applicants' directly encoded e-mail reads back, with the email package, as what was sent."""

import email
from email import policy

import pytest
from django.core.mail import BadHeaderError
from django.core.mail.backends.filebased import EmailBackend as FileBackend

from gongkai.applications.plainmail import PlainTextMail

BODY = "王小明：\n\n清河县财政局已于2026年11月23日收到您的政府信息公开申请。\n查询码：ABCD2345EF\n查询密码：XY23ZZ45\n"
SUBJECT = "您的政府信息公开申请已收到（查询码 ABCD2345EF）"


def parsed(message: PlainTextMail, linesep: str = "\n"):
    return email.message_from_bytes(message.message().as_bytes(linesep=linesep), policy=policy.default)


@pytest.mark.parametrize("linesep", ["\n", "\r\n"])
def test_subject_body_and_addresses_read_back(linesep):
    read = parsed(PlainTextMail(SUBJECT, BODY, "gongkai@example.org", ["wang@example.com"]), linesep)
    assert read["Subject"] == SUBJECT
    assert read["From"] == "gongkai@example.org" and read["To"] == "wang@example.com"
    assert read.get_content_type() == "text/plain" and read.get_content_charset() == "utf-8"
    assert read["Content-Transfer-Encoding"] == "base64" and read["Date"] and read["Message-ID"]
    assert read.get_content().replace("\r\n", "\n") == BODY
    # The body's text is in canonical form (CRLF line breaks) before it is base64-encoded.
    assert b"\r\n" in read.get_payload(decode=True)


def test_a_long_chinese_subject_is_folded_into_words_of_at_most_75_characters():
    subject = "关于" + "政府信息公开申请办理进度" * 8 + "的通知"
    raw = PlainTextMail(subject, "正文", "gongkai@example.org", ["a@example.com"]).message().as_string()
    header = raw.split("\nFrom:")[0].split("Subject: ", 1)[1]
    words = header.replace("\n ", " ").split(" ")
    assert len(words) > 3 and all(len(w) <= 75 and w.startswith("=?utf-8?b?") for w in words)
    assert all(len(line) <= 78 for line in raw.splitlines())
    assert email.message_from_string(raw, policy=policy.default)["Subject"] == subject


def test_unusual_messages_go_through_djangos_own_encoding():
    idn = PlainTextMail(SUBJECT, BODY, "gongkai@example.org", ["王@例子.中国"]).message()
    assert type(idn).__name__ == "SafeMIMEText"
    named = PlainTextMail(SUBJECT, BODY, "清河县政务公开 <gongkai@example.org>", ["a@example.com"]).message()
    assert type(named).__name__ == "SafeMIMEText"
    with pytest.raises(BadHeaderError):
        PlainTextMail("查询码\nBcc: x@example.com", BODY, "gongkai@example.org", ["a@example.com"]).message()


def test_the_file_backend_writes_it(tmp_path):
    backend = FileBackend(file_path=str(tmp_path))
    assert backend.send_messages([PlainTextMail(SUBJECT, BODY, "gongkai@example.org", ["wang@example.com"])]) == 1
    (written,) = tmp_path.iterdir()
    read = email.message_from_bytes(written.read_bytes().split(b"\n" + b"-" * 79)[0], policy=policy.default)
    assert read["Subject"] == SUBJECT and "查询密码：XY23ZZ45" in read.get_content()
