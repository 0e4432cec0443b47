"""Encryption at rest for applicants' identity numbers, phone numbers and addresses.

A 依申请公开 application must carry the applicant's 身份证明 and 联系方式 (条例第29条); these are
personal information the agency has to protect (个人信息保护法第51条). They are stored encrypted
so that a copy of the database alone, a pg_dump or the SQLite file, reveals nothing.

Token formats (``cryptography``), both always readable:

- ``v2:`` + urlsafe base64 of a 12-byte random nonce and the AES-256-GCM ciphertext with its tag,
  under a key derived from the configured key with HKDF-SHA256. Written since December 2026:
  one authenticated cipher where Fernet adds CBC padding, a separate HMAC and a second base64
  pass, and an API submission encrypts four values (figures: docs/api.md);
- Fernet tokens (AES-128-CBC + HMAC-SHA256, ``gAAAAA…``), written before; ``rotate()`` rewrites
  them in the current format.

The key therefore never lives in the database. It is, strongest first:

1. ``settings.GONGKAI_FIELD_KEY`` or the environment variable ``GONGKAI_FIELD_KEY``: a urlsafe
   base64 32-byte Fernet key (``python -c "from cryptography.fernet import Fernet;
   print(Fernet.generate_key().decode())"``), best kept in a secret store;
2. else ``field.key`` in ``settings.DATA_DIR``, generated on first use with mode 0600.

Losing the key loses the data: back it up, separately from database dumps. To rotate, make a new
key the current one and list the old ones, comma-separated, in ``GONGKAI_FIELD_KEYS_OLD``; old
tokens still decrypt and ``rotate()`` re-encrypts them under the new key.

The key is read on first use, not at import, so settings and tests can point it elsewhere.
"""

import base64
import binascii
import functools
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.db.models.lookups import Exact, IsNull
from django.dispatch import receiver

from gongkai.pii.masking import MASK_CHAR

KEY_FILE_NAME = "field.key"
KEY_SETTINGS = ("GONGKAI_FIELD_KEY", "GONGKAI_FIELD_KEYS_OLD", "DATA_DIR")
GCM_PREFIX = "v2:"  # never the start of a Fernet token, which is "gAAAAA"
GCM_NONCE_BYTES = 12
GCM_KEY_INFO = b"gongkai field encryption v2: AES-256-GCM"


class FieldDecryptionError(ValueError):
    """A stored value could not be decrypted with any configured key."""


def _configured(name: str) -> str:
    value = getattr(settings, name, None) or os.environ.get(name, "")
    if isinstance(value, list | tuple):
        value = ",".join(value)
    return value.strip()


def _fernet_for(key: str, origin: str) -> Fernet:
    try:
        return Fernet(key.encode())
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{origin} 不是有效的字段加密密钥（需为 urlsafe base64 编码的32字节 Fernet 密钥）：{exc}"
        ) from exc


def _key_file_key(directory: Path) -> str:
    path = Path(directory) / KEY_FILE_NAME
    try:
        # O_EXCL: two processes starting together cannot both write a key; the loser reads the winner's.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    key = Fernet.generate_key().decode()
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    os.chmod(path, 0o600)  # the mode given to os.open is reduced by the umask; make sure it is 0600
    return key


def _gcm_for(key: str) -> AESGCM:
    """The AES-256-GCM cipher of a configured (Fernet-format) key: its own key, derived, so that
    the two algorithms never share key material."""
    material = base64.urlsafe_b64decode(key.encode())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=GCM_KEY_INFO).derive(material)
    return AESGCM(derived)


@functools.cache
def _keys() -> tuple[MultiFernet, tuple[AESGCM, ...]]:
    """The configured keys, current first, for both token formats."""
    primary = _configured("GONGKAI_FIELD_KEY")
    if primary:
        keys = [(primary, "GONGKAI_FIELD_KEY")]
    else:
        directory = Path(settings.DATA_DIR)
        keys = [(_key_file_key(directory), str(directory / KEY_FILE_NAME))]
    keys += [(k.strip(), "GONGKAI_FIELD_KEYS_OLD") for k in _configured("GONGKAI_FIELD_KEYS_OLD").split(",") if k.strip()]
    fernets = [_fernet_for(key, origin) for key, origin in keys]  # validates each key, naming its origin
    return MultiFernet(fernets), tuple(_gcm_for(key) for key, _origin in keys)


def clear_key_cache() -> None:
    """Forget the loaded keys; the next encrypt/decrypt reads the configuration again."""
    _keys.cache_clear()


@receiver(setting_changed)
def _forget_keys_when_settings_change(*, setting, **kwargs):
    if setting in KEY_SETTINGS:
        clear_key_cache()


def encrypt(text: str) -> str:
    """A token for ``text`` under the current key; "" stays "" so blank fields remain blank and need no key."""
    if text == "":
        return ""
    nonce = os.urandom(GCM_NONCE_BYTES)
    sealed = _keys()[1][0].encrypt(nonce, text.encode(), None)
    return GCM_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def _undecryptable() -> FieldDecryptionError:
    return FieldDecryptionError(
        "加密字段无法解密：当前密钥与加密时的密钥不符。请检查 GONGKAI_FIELD_KEY、"
        "GONGKAI_FIELD_KEYS_OLD 或数据目录中的 field.key 是否为加密时所用的密钥。"
    )


def decrypt(token: str) -> str:
    """The text of a token in either format, under any configured key."""
    if token == "":
        return ""
    if not token.startswith(GCM_PREFIX):
        try:
            return _keys()[0].decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise _undecryptable() from exc
    try:
        raw = base64.urlsafe_b64decode(token[len(GCM_PREFIX):].encode())
    except (binascii.Error, ValueError) as exc:
        raise _undecryptable() from exc
    nonce, sealed = raw[:GCM_NONCE_BYTES], raw[GCM_NONCE_BYTES:]
    for cipher in _keys()[1]:
        try:
            return cipher.decrypt(nonce, sealed, None).decode()
        except (InvalidTag, ValueError):
            continue
    raise _undecryptable()


def rotate(token: str) -> str:
    """``token`` re-encrypted under the current key in the current format (for a re-keying pass
    after rotation, which also moves Fernet tokens to AES-GCM)."""
    if token == "":
        return ""
    return encrypt(decrypt(token))


# Masks for lists and letters; the full value is shown only where a role needs it.


def _clean(value) -> str:
    return "" if value is None else str(value).strip()


def mask_id_number(value) -> str:
    """110105********1234: region code and last four kept, the birth date hidden."""
    value = _clean(value)
    if len(value) <= 10:
        return MASK_CHAR * len(value)
    return value[:6] + MASK_CHAR * (len(value) - 10) + value[-4:]


def mask_phone(value) -> str:
    """138****5678: network prefix and last four kept."""
    value = _clean(value)
    if len(value) <= 7:
        return MASK_CHAR * len(value)
    return value[:3] + MASK_CHAR * (len(value) - 7) + value[-4:]


def mask_address(value) -> str:
    """北京市朝阳区***: the first six characters (usually province, city, district) kept.

    A short address keeps at most half its characters, so a street and number alone are not shown.
    """
    value = _clean(value)
    if not value:
        return ""
    return value[: min(6, len(value) // 2)] + MASK_CHAR * 3


class _BlankOnlyExact(Exact):
    """``field=""`` still works ("" is stored as ""), anything else is refused rather than silently empty."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise ValueError(
                f"{self.lhs.output_field.name} 已加密存储，不能按内容查询；只能查询是否为空（=\"\" 或 __isnull）。"
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text stored encrypted; the model attribute holds the plaintext.

    Each encryption uses a fresh random IV, so the same value never gives the same token: an
    encrypted field cannot be filtered, ordered, indexed or made unique by value. Only emptiness can
    be queried (``phone=""``, ``phone__isnull``); other lookups raise instead of matching nothing.
    Keep a separate non-secret field (or a keyed hash) if lookup by value is ever needed.
    ``dumpdata`` goes through the model and writes plaintext: treat its output as personal data.
    """

    description = "Text encrypted at rest (AES-GCM; Fernet tokens still read)"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return decrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _BlankOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name):
        return None
