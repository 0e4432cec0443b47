"""The default e-mail backend: each message written, encrypted, into ``<data dir>/outbox/``.

Applicants' mail carries their 查询密码, so the copies the file backend keeps are personal data at
rest like the identity number (fieldcrypt.py): each message is sealed under the field key and
written as one base64 line, followed by Django's separator line (79 dashes) as the plain file
backend writes it. ``gongkai keys read-mail FILE`` prints a file's messages in the clear.
"""

import base64
from pathlib import Path

from django.core.mail.backends import filebased

from gongkai import fieldcrypt

SEPARATOR = b"-" * 79


class EncryptedFileEmailBackend(filebased.EmailBackend):
    def write_message(self, message):
        sealed = fieldcrypt.encrypt_bytes(message.message().as_bytes())
        self.stream.write(base64.b64encode(sealed) + b"\n" + SEPARATOR + b"\n")


def read_messages(path: Path) -> list[bytes]:
    """The messages of one outbox file, decrypted (a file from the plain backend is split as it is)."""
    data = Path(path).read_bytes()
    messages = []
    for chunk in data.split(b"\n" + SEPARATOR + b"\n"):
        chunk = chunk.strip(b"\n")
        if not chunk:
            continue
        try:
            sealed = base64.b64decode(chunk, validate=True)
        except ValueError:
            messages.append(chunk)
            continue
        messages.append(fieldcrypt.decrypt_bytes(sealed))
    return messages
