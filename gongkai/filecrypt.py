"""Applicants' uploaded files encrypted at rest (identity papers, correction materials, found files).

A 身份证明 scan is personal information as sensitive as the identity number typed beside it
(个人信息保护法第二十八条: 敏感个人信息), so it is stored like that number: sealed under the field
key (fieldcrypt.encrypt_bytes, AES-256-GCM or SM4-GCM). A copy of the media directory alone then
reveals nothing. Files written before encryption have no header and are read as they are;
``gongkai keys rotate`` seals them.

Custom storage through Django's documented extension points (_open and _save of a Storage).
"""

import os

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from gongkai import fieldcrypt


class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        content.seek(0)
        return super()._save(name, ContentFile(fieldcrypt.encrypt_bytes(content.read())))

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as stored:
            data = fieldcrypt.decrypt_bytes(stored.read())
        opened = ContentFile(data, name=name)
        opened.mode = mode
        return opened

    def size(self, name):
        # The plaintext's size, as callers (FileResponse's Content-Length) expect.
        with self._open(name) as opened:
            return opened.size

    def stored_raw(self, name) -> bytes:
        """The bytes on disk (sealed or, for a file from before, plain): for ``keys rotate``."""
        with super()._open(name, "rb") as stored:
            return stored.read()

    def replace_raw(self, name, data: bytes) -> None:
        """Rewrite a stored file in place with already sealed bytes (``keys rotate``)."""
        path = self.path(name)
        temporary = f"{path}.rotating"
        with open(temporary, "wb") as out:
            out.write(data)
        if self.file_permissions_mode is not None:
            os.chmod(temporary, self.file_permissions_mode)
        os.replace(temporary, path)


def applicant_files_storage() -> EncryptedFileSystemStorage:
    return EncryptedFileSystemStorage()
