"""Encryption at rest for applicants' identity numbers, phone numbers and addresses.

A 依申请公开 application must carry the applicant's 身份证明 and 联系方式 (条例第29条); these are
personal information the agency has to protect (个人信息保护法第51条). They are stored encrypted
so that a copy of the database alone, a pg_dump or the SQLite file, reveals nothing.

Token formats (``cryptography``), all always readable:

- ``v3:<key id>:<cipher>:`` + urlsafe base64 of a 12-byte random nonce and the ciphertext with
  its 16-byte GCM tag. ``<cipher>`` is ``a`` for AES-256-GCM or ``s`` for SM4-GCM (GB/T 32907, the
  cipher 密码应用安全性评估 (GB/T 39786) expects; ``GONGKAI_FIELD_CIPHER=sm4-gcm``, where the
  installed OpenSSL provides SM4); each under its own key derived from the configured key with
  HKDF-SHA256. ``<key id>`` names the configured key (8 hex digits of a hash derived from it), so
  ``gongkai keys rotate`` finds what is not yet under the current key without trying to decrypt.
  Written since December 2026;
- ``v2:`` + the same nonce and AES-256-GCM ciphertext without a key id: one authenticated cipher where Fernet
  adds CBC padding, a separate HMAC and a second base64 pass (figures: docs/api.md);
- Fernet tokens (AES-128-CBC + HMAC-SHA256, ``gAAAAA…``), written before that.

Files (identity papers and other applicant uploads, storage.py) use the same keys and ciphers:
``GKE3`` + key id + cipher letter + nonce + ciphertext and tag.

The key therefore never lives in the database. It is, strongest first:

1. ``settings.GONGKAI_FIELD_KEY`` or the environment variable ``GONGKAI_FIELD_KEY``: a urlsafe
   base64 32-byte Fernet key (``python -c "from cryptography.fernet import Fernet;
   print(Fernet.generate_key().decode())"``), best kept in a secret store;
2. ``GONGKAI_FIELD_KEY_FILE``: a file holding such a key, e.g. on a mount other than the data
   directory, so that a copy of the data directory alone does not carry its key;
3. else ``field.key`` in ``settings.DATA_DIR``, generated on first use with mode 0600.

Losing the key loses the data: back it up, separately from database dumps. To rotate, make a new
key the current one and list the old ones, comma-separated, in ``GONGKAI_FIELD_KEYS_OLD``; old
tokens still decrypt, and ``gongkai keys rotate`` re-encrypts every value and file under the new
key (and cipher), after which the old key can go.

The key is read on first use, not at import, so settings and tests can point it elsewhere.
"""

import base64
import binascii
import functools
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
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
KEY_SETTINGS = ("GONGKAI_FIELD_KEY", "GONGKAI_FIELD_KEY_FILE", "GONGKAI_FIELD_KEYS_OLD", "GONGKAI_FIELD_CIPHER", "DATA_DIR")
GCM_PREFIX = "v2:"  # never the start of a Fernet token, which is "gAAAAA"
V3_PREFIX = "v3:"
GCM_NONCE_BYTES = 12
GCM_TAG_BYTES = 16
GCM_KEY_INFO = b"gongkai field encryption v2: AES-256-GCM"
SM4_KEY_INFO = b"gongkai field encryption v3: SM4-GCM"
KEY_ID_INFO = b"gongkai field key id"
FILE_MAGIC = b"GKE3"
CIPHERS = {"aes-gcm": "a", "sm4-gcm": "s"}


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


def _configured_keys() -> list[tuple[str, str]]:
    """(key, where it came from) of every configured key, current first."""
    primary = _configured("GONGKAI_FIELD_KEY")
    key_file = _configured("GONGKAI_FIELD_KEY_FILE")
    if primary:
        keys = [(primary, "GONGKAI_FIELD_KEY")]
    elif key_file:
        try:
            keys = [(Path(key_file).expanduser().read_text().strip(), key_file)]
        except OSError as exc:
            raise ImproperlyConfigured(f"无法读取字段加密密钥文件 {key_file}：{exc}") from exc
    else:
        directory = Path(settings.DATA_DIR)
        keys = [(_key_file_key(directory), str(directory / KEY_FILE_NAME))]
    return keys + [(k.strip(), "GONGKAI_FIELD_KEYS_OLD") for k in _configured("GONGKAI_FIELD_KEYS_OLD").split(",") if k.strip()]


@functools.cache
def _keys() -> tuple[MultiFernet, tuple[AESGCM, ...]]:
    """The configured keys, current first, for the Fernet and v2 token formats."""
    keys = _configured_keys()
    fernets = [_fernet_for(key, origin) for key, origin in keys]  # validates each key, naming its origin
    return MultiFernet(fernets), tuple(_gcm_for(key) for key, _origin in keys)


class _Key:
    """One configured key as the v3 formats use it: its id and a cipher of each kind."""

    def __init__(self, key: str):
        material = base64.urlsafe_b64decode(key.encode())
        self.id = HKDF(algorithm=hashes.SHA256(), length=4, salt=None, info=KEY_ID_INFO).derive(material).hex()
        self.aes = _gcm_for(key)
        self.sm4_key = HKDF(algorithm=hashes.SHA256(), length=16, salt=None, info=SM4_KEY_INFO).derive(material)

    def seal(self, cipher: str, nonce: bytes, data: bytes) -> bytes:
        if cipher == "a":
            return self.aes.encrypt(nonce, data, None)
        encryptor = Cipher(algorithms.SM4(self.sm4_key), modes.GCM(nonce)).encryptor()
        return encryptor.update(data) + encryptor.finalize() + encryptor.tag

    def open(self, cipher: str, nonce: bytes, sealed: bytes) -> bytes:
        if cipher == "a":
            return self.aes.decrypt(nonce, sealed, None)
        if cipher != "s" or len(sealed) < GCM_TAG_BYTES:
            raise InvalidTag
        body, tag = sealed[:-GCM_TAG_BYTES], sealed[-GCM_TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(self.sm4_key), modes.GCM(nonce, tag)).decryptor()
        return decryptor.update(body) + decryptor.finalize()


def sm4_available() -> bool:
    try:
        Cipher(algorithms.SM4(bytes(16)), modes.GCM(bytes(GCM_NONCE_BYTES))).encryptor()
    except (UnsupportedAlgorithm, AttributeError):
        return False
    return True


@functools.cache
def _keyring() -> tuple[str, dict[str, _Key], list[_Key]]:
    """The cipher letter to write with, the keys by id and in order (current first)."""
    _keys()  # validates each key, naming its origin
    configured = [key for key, _origin in _configured_keys()]
    keys = [_Key(k) for k in configured]
    name = _configured("GONGKAI_FIELD_CIPHER") or "aes-gcm"
    if name not in CIPHERS:
        raise ImproperlyConfigured("GONGKAI_FIELD_CIPHER 只能是 aes-gcm 或 sm4-gcm。")
    if name == "sm4-gcm" and not sm4_available():
        raise ImproperlyConfigured("GONGKAI_FIELD_CIPHER=sm4-gcm，但本机的 OpenSSL 不提供 SM4。")
    return CIPHERS[name], {k.id: k for k in keys}, keys


def current_cipher_name() -> str:
    letter = _keyring()[0]
    return next(name for name, code in CIPHERS.items() if code == letter)


def current_key_id() -> str:
    return _keyring()[2][0].id


def token_key(token: str) -> tuple[str, str] | None:
    """(key id, cipher letter) of a v3 token; None for the older formats, which name no key."""
    if not token.startswith(V3_PREFIX):
        return None
    parts = token.split(":", 3)
    return (parts[1], parts[2]) if len(parts) == 4 else None


def is_current(token: str) -> bool:
    """Whether ``token`` is under the current key and cipher (nothing for ``rotate`` to do)."""
    cipher, _by_id, keys = _keyring()
    return token == "" or token_key(token) == (keys[0].id, cipher)


def clear_key_cache() -> None:
    """Forget the loaded keys; the next encrypt/decrypt reads the configuration again."""
    _keys.cache_clear()
    _keyring.cache_clear()


@receiver(setting_changed)
def _forget_keys_when_settings_change(*, setting, **kwargs):
    if setting in KEY_SETTINGS:
        clear_key_cache()


def encrypt(text: str) -> str:
    """A token for ``text`` under the current key and cipher; "" stays "" so blank fields remain blank and need no key."""
    if text == "":
        return ""
    cipher, _by_id, keys = _keyring()
    nonce = os.urandom(GCM_NONCE_BYTES)
    sealed = keys[0].seal(cipher, nonce, text.encode())
    return f"{V3_PREFIX}{keys[0].id}:{cipher}:" + base64.urlsafe_b64encode(nonce + sealed).decode()


def encrypt_bytes(data: bytes) -> bytes:
    """A file's content sealed under the current key and cipher (storage.EncryptedFileSystemStorage)."""
    cipher, _by_id, keys = _keyring()
    nonce = os.urandom(GCM_NONCE_BYTES)
    return FILE_MAGIC + keys[0].id.encode() + cipher.encode() + nonce + keys[0].seal(cipher, nonce, data)


def is_encrypted_bytes(data: bytes) -> bool:
    return data.startswith(FILE_MAGIC)


def file_key(data: bytes) -> tuple[str, str]:
    head = data[len(FILE_MAGIC):len(FILE_MAGIC) + 9].decode("ascii", "replace")
    return head[:8], head[8:9]


def is_current_bytes(data: bytes) -> bool:
    """Whether a stored file is sealed under the current key and cipher."""
    cipher, _by_id, keys = _keyring()
    return is_encrypted_bytes(data) and file_key(data) == (keys[0].id, cipher)


def decrypt_bytes(data: bytes) -> bytes:
    """A sealed file's content; a file stored before encryption (no GKE3 header) comes back as it is."""
    if not is_encrypted_bytes(data):
        return data
    key_id, cipher = file_key(data)
    start = len(FILE_MAGIC) + 9
    nonce, sealed = data[start:start + GCM_NONCE_BYTES], data[start + GCM_NONCE_BYTES:]
    key = _keyring()[1].get(key_id)
    if key is None:
        raise _undecryptable()
    try:
        return key.open(cipher, nonce, sealed)
    except (InvalidTag, ValueError) as exc:
        raise _undecryptable() from exc


def _undecryptable() -> FieldDecryptionError:
    return FieldDecryptionError(
        "加密字段无法解密：当前密钥与加密时的密钥不符。请检查 GONGKAI_FIELD_KEY、"
        "GONGKAI_FIELD_KEYS_OLD 或数据目录中的 field.key 是否为加密时所用的密钥。"
    )


def decrypt(token: str) -> str:
    """The text of a token in any format, under any configured key."""
    if token == "":
        return ""
    if token.startswith(V3_PREFIX):
        return _decrypt_v3(token)
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


def _decrypt_v3(token: str) -> str:
    found = token_key(token)
    key = _keyring()[1].get(found[0]) if found else None
    if key is None:
        raise _undecryptable()
    try:
        raw = base64.urlsafe_b64decode(token.split(":", 3)[3].encode())
        return key.open(found[1], raw[:GCM_NONCE_BYTES], raw[GCM_NONCE_BYTES:]).decode()
    except (binascii.Error, ValueError, InvalidTag) as exc:
        raise _undecryptable() from exc


def rotate(token: str) -> str:
    """``token`` re-encrypted under the current key in the current format (for a re-keying pass
    after rotation, which also moves Fernet and v2 tokens to v3)."""
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

    description = "Text encrypted at rest (AES-GCM or SM4-GCM; older tokens still read)"

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
