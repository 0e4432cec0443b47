"""The applicants' e-mail (tracking code and secret): one plain-text part, encoded directly.

Django's EmailMessage.message() builds the message with Python's email package, whose generator
folds and RFC 2047-encodes every header on the way out; for this one-part Chinese message that
was two thirds of the ~0.3 ms of CPU a message cost to send (bench/applications.py), and the
sender thread shares the CPUs with the requests. PlainTextMail writes the same MIME structure
itself: the headers Django writes (Subject as UTF-8 base64 encoded words on lines within
78 characters, From, To, Date, Message-ID), and the body as UTF-8, base64, CRLF line breaks (the
canonical form of text, RFC 2045). Anything outside that shape (a non-ASCII address or sender
name, cc/bcc/reply-to, extra headers, attachments, HTML, a line break in a header) goes through
Django's own message(), which also raises BadHeaderError for header injection. The tests parse
the result back with the email package.
"""

import base64
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME

# Header lines should stay within 78 characters (RFC 5322), the first one after "Subject: ": 39
# bytes of UTF-8 (13 Chinese characters, cut between characters) are 52 characters of base64,
# 64 with "=?utf-8?b?" and "?=" (an encoded word may be 75, RFC 2047).
WORD_BYTES = 39


class _Encoded:
    """A finished message as the mail backends use one: as_bytes(), as_string(), get_charset()."""

    def __init__(self, lines: list[str]):
        self._lines = lines

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return linesep.join(self._lines) + linesep

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.as_string(unixfrom, linesep).encode("ascii")

    def get_charset(self):
        return None  # the file and console backends then decode as_bytes() as UTF-8 (it is ASCII)


def _plain_ascii(text: str) -> bool:
    return text.isascii() and "\n" not in text and "\r" not in text


def encoded_words(text: str) -> str:
    """``text`` as RFC 2047 encoded words (UTF-8, base64), one per folded header line."""
    words, chunk = [], bytearray()
    for char in text:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > WORD_BYTES:
            words.append(bytes(chunk))
            chunk.clear()
        chunk += encoded
    words.append(bytes(chunk))
    return "\n ".join(f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?=" for word in words)


class PlainTextMail(EmailMessage):
    def _simple(self) -> bool:
        return (self.content_subtype == "plain" and not self.attachments and not self.cc and not self.bcc
                and not self.reply_to and not self.extra_headers and "\n" not in self.subject
                and "\r" not in self.subject and (self.encoding or settings.DEFAULT_CHARSET).lower() == "utf-8"
                and _plain_ascii(self.from_email) and bool(self.to) and all(_plain_ascii(a) for a in self.to))

    def message(self):
        if not self._simple():
            return super().message()
        subject = self.subject if self.subject.isascii() and len(self.subject) < 70 else encoded_words(self.subject)
        body = base64.encodebytes(self.body.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))
        lines = [
            'Content-Type: text/plain; charset="utf-8"',
            "MIME-Version: 1.0",
            "Content-Transfer-Encoding: base64",
            *f"Subject: {subject}".split("\n"),
            f"From: {self.from_email}",
            f"To: {', '.join(self.to)}",
            f"Date: {formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}",
            f"Message-ID: {make_msgid(domain=DNS_NAME)}",
            "",
            *body.decode("ascii").splitlines(),
        ]
        return _Encoded(lines)
