"""Applicant identity, phone and address encrypted at rest, with the key outside the database."""

import base64
import stat

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured

from gongkai.fieldcrypt import (
    GCM_PREFIX,
    V3_PREFIX,
    EncryptedTextField,
    FieldDecryptionError,
    clear_key_cache,
    current_key_id,
    decrypt,
    decrypt_bytes,
    encrypt,
    encrypt_bytes,
    is_current,
    mask_address,
    mask_id_number,
    mask_phone,
    rotate,
    sm4_available,
)

ID_NUMBER = "11010519491231002X"


@pytest.fixture(autouse=True)
def key_dir(settings, tmp_path, monkeypatch):
    """No configured key: each test gets an empty data directory and a fresh key cache."""
    monkeypatch.delenv("GONGKAI_FIELD_KEY", raising=False)
    monkeypatch.delenv("GONGKAI_FIELD_KEYS_OLD", raising=False)
    monkeypatch.delenv("GONGKAI_FIELD_KEY_FILE", raising=False)
    monkeypatch.delenv("GONGKAI_FIELD_CIPHER", raising=False)
    settings.GONGKAI_FIELD_KEY_FILE = ""
    settings.GONGKAI_FIELD_CIPHER = ""
    settings.GONGKAI_FIELD_KEY = ""
    settings.GONGKAI_FIELD_KEYS_OLD = ""
    settings.DATA_DIR = tmp_path
    clear_key_cache()
    yield tmp_path
    clear_key_cache()


def field():
    f = EncryptedTextField(blank=True)
    f.set_attributes_from_name("id_number")
    return f


def decrypt_with_only(settings, key: str, token: str) -> str:
    """``token`` decrypted by a keyring that holds nothing but ``key``."""
    settings.GONGKAI_FIELD_KEY, settings.GONGKAI_FIELD_KEYS_OLD = key, ""
    return decrypt(token)


def test_round_trip_through_the_field():
    f = field()
    stored = f.get_prep_value(ID_NUMBER)
    assert f.from_db_value(stored, None, None) == ID_NUMBER


def test_stored_value_does_not_contain_the_plaintext():
    stored = field().get_prep_value(ID_NUMBER)
    assert ID_NUMBER not in stored
    assert "19491231" not in stored
    assert stored.startswith(f"{V3_PREFIX}{current_key_id()}:a:")  # AES-GCM under the current key, the current format


def fernet_token(key: str, text: str) -> str:
    """A value as gongkai stored it before AES-GCM (a Fernet token under the configured key)."""
    return Fernet(key.encode()).encrypt(text.encode()).decode()


def test_values_stored_as_fernet_tokens_before_still_decrypt(settings):
    key = Fernet.generate_key().decode()
    settings.GONGKAI_FIELD_KEY = key
    legacy = fernet_token(key, ID_NUMBER)
    assert decrypt(legacy) == ID_NUMBER
    assert field().from_db_value(legacy, None, None) == ID_NUMBER
    moved = rotate(legacy)
    assert moved.startswith(V3_PREFIX) and decrypt(moved) == ID_NUMBER


def test_a_changed_byte_is_refused_not_decrypted_to_something_else():
    token = encrypt(ID_NUMBER)
    head, _, body = token.rpartition(":")
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[-20] ^= 1  # inside the ciphertext: the GCM tag no longer matches
    with pytest.raises(FieldDecryptionError):
        decrypt(f"{head}:" + base64.urlsafe_b64encode(bytes(raw)).decode())
    with pytest.raises(FieldDecryptionError):
        decrypt(f"{head}:not base64!")


def test_the_gcm_key_is_derived_not_the_configured_key_itself(settings):
    key = Fernet.generate_key().decode()
    settings.GONGKAI_FIELD_KEY = key
    token = encrypt(ID_NUMBER)
    raw = base64.urlsafe_b64decode(token.rpartition(":")[2])
    with pytest.raises(InvalidTag):
        AESGCM(base64.urlsafe_b64decode(key)).decrypt(raw[:12], raw[12:], None)


def test_same_value_encrypts_differently_each_time_so_it_cannot_be_filtered():
    assert encrypt("13800138000") != encrypt("13800138000")


def test_blank_stays_blank_and_needs_no_key(key_dir):
    f = field()
    assert f.get_prep_value("") == ""
    assert f.from_db_value("", None, None) == ""
    assert not (key_dir / "field.key").exists()


def test_null_stays_null():
    f = field()
    assert f.get_prep_value(None) is None
    assert f.from_db_value(None, None, None) is None


def test_key_file_is_created_on_first_use_with_mode_0600(key_dir):
    key_file = key_dir / "field.key"
    assert not key_file.exists()
    encrypt("人民路1号")
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_key_file_is_reused_after_the_cache_is_cleared(key_dir):
    token = encrypt(ID_NUMBER)
    key = (key_dir / "field.key").read_text()
    clear_key_cache()
    assert decrypt(token) == ID_NUMBER
    assert (key_dir / "field.key").read_text() == key


def test_configured_key_is_used_and_no_key_file_is_written(settings, key_dir):
    key = Fernet.generate_key().decode()
    settings.GONGKAI_FIELD_KEY = key
    token = encrypt(ID_NUMBER)
    assert decrypt_with_only(settings, key, token) == ID_NUMBER
    assert not (key_dir / "field.key").exists()


def test_key_from_the_environment_when_settings_have_none(settings, monkeypatch, key_dir):
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("GONGKAI_FIELD_KEY", key)
    clear_key_cache()
    token = encrypt("x")
    assert not (key_dir / "field.key").exists()
    monkeypatch.delenv("GONGKAI_FIELD_KEY")
    assert decrypt_with_only(settings, key, token) == "x"


def test_a_stolen_dump_read_with_another_key_does_not_decrypt(settings):
    token = encrypt(ID_NUMBER)
    settings.GONGKAI_FIELD_KEY = Fernet.generate_key().decode()  # setting_changed clears the cache
    with pytest.raises(FieldDecryptionError):
        decrypt(token)


def test_old_keys_still_decrypt_after_rotation_and_rotate_moves_tokens_to_the_new_key(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.GONGKAI_FIELD_KEY = old
    token = encrypt(ID_NUMBER)

    settings.GONGKAI_FIELD_KEY = new
    settings.GONGKAI_FIELD_KEYS_OLD = f"{Fernet.generate_key().decode()}, {old}"
    assert decrypt(token) == ID_NUMBER
    rotated, fresh = rotate(token), encrypt("新")
    settings.GONGKAI_FIELD_KEYS_OLD = ""
    assert decrypt(rotated) == ID_NUMBER
    assert decrypt(fresh) == "新"
    with pytest.raises(FieldDecryptionError):
        decrypt(token)


def test_a_malformed_key_is_a_configuration_error_naming_the_setting(settings):
    settings.GONGKAI_FIELD_KEY = "not-a-key"
    with pytest.raises(ImproperlyConfigured, match="GONGKAI_FIELD_KEY"):
        encrypt("x")


def test_filtering_by_value_is_refused_instead_of_matching_nothing():
    f = field()
    assert f.get_lookup("icontains") is None
    assert f.get_lookup("startswith") is None
    assert f.get_transform("lower") is None
    assert f.get_lookup("isnull") is not None
    exact = f.get_lookup("exact")

    class Lhs:
        output_field = f

    assert exact(Lhs(), "").rhs == ""
    with pytest.raises(ValueError, match="加密"):
        exact(Lhs(), ID_NUMBER)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (ID_NUMBER, "110105********002X"),
        ("110105491231002", "110105*****1002"),  # 15-digit legacy number
        ("E12345678", "*********"),  # too short to keep anything
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number_keeps_first_six_and_last_four(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("13800138000", "138****8000"), ("0999-1000001", "099*****0001"), ("12345", "*****"), ("", "")],
)
def test_mask_phone_keeps_first_three_and_last_four(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("北京市朝阳区建国路88号3单元401室", "北京市朝阳区***"),
        ("人民路1号", "人民***"),  # a short address keeps at most half, never the house number
        ("", ""),
    ],
)
def test_mask_address_keeps_the_first_six_characters(value, masked):
    assert mask_address(value) == masked


def v2_token(key: str, text: str) -> str:
    """A value as gongkai stored it from its first AES-GCM format (no key id)."""
    import os

    from gongkai.fieldcrypt import _gcm_for

    nonce = os.urandom(12)
    return GCM_PREFIX + base64.urlsafe_b64encode(nonce + _gcm_for(key).encrypt(nonce, text.encode(), None)).decode()


def test_v2_tokens_still_decrypt_and_rotate_to_v3(settings):
    key = Fernet.generate_key().decode()
    settings.GONGKAI_FIELD_KEY = key
    legacy = v2_token(key, ID_NUMBER)
    assert decrypt(legacy) == ID_NUMBER and not is_current(legacy)
    assert is_current(rotate(legacy)) and decrypt(rotate(legacy)) == ID_NUMBER


@pytest.mark.skipif(not sm4_available(), reason="this OpenSSL has no SM4")
def test_sm4_gcm_when_configured(settings):
    settings.GONGKAI_FIELD_CIPHER = "sm4-gcm"
    token = encrypt(ID_NUMBER)
    assert token.startswith(f"{V3_PREFIX}{current_key_id()}:s:") and decrypt(token) == ID_NUMBER
    head, _, body = token.rpartition(":")
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[14] ^= 1
    with pytest.raises(FieldDecryptionError):
        decrypt(f"{head}:" + base64.urlsafe_b64encode(bytes(raw)).decode())
    settings.GONGKAI_FIELD_CIPHER = "aes-gcm"
    assert decrypt(token) == ID_NUMBER and not is_current(token)  # still read after switching back


def test_an_unknown_cipher_is_a_configuration_error(settings):
    settings.GONGKAI_FIELD_CIPHER = "des"
    with pytest.raises(ImproperlyConfigured, match="GONGKAI_FIELD_CIPHER"):
        encrypt(ID_NUMBER)


def test_the_key_id_changes_with_the_key_and_old_ids_still_decrypt(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.GONGKAI_FIELD_KEY = old
    token, old_id = encrypt(ID_NUMBER), current_key_id()
    settings.GONGKAI_FIELD_KEY, settings.GONGKAI_FIELD_KEYS_OLD = new, old
    assert current_key_id() != old_id and token.split(":")[1] == old_id
    assert decrypt(token) == ID_NUMBER and not is_current(token)


def test_the_key_may_live_in_a_file_outside_the_data_directory(settings, tmp_path_factory, key_dir):
    elsewhere = tmp_path_factory.mktemp("secrets") / "gongkai-field.key"
    key = Fernet.generate_key().decode()
    elsewhere.write_text(key + "\n")
    settings.GONGKAI_FIELD_KEY_FILE = str(elsewhere)
    token = encrypt(ID_NUMBER)
    assert not (key_dir / "field.key").exists()
    assert decrypt_with_only(settings, key, token) == ID_NUMBER


def test_files_round_trip_and_plain_files_from_before_are_read_as_they_are():
    sealed = encrypt_bytes(b"%PDF-1.4 identity card scan")
    assert sealed.startswith(b"GKE3") and b"identity" not in sealed
    assert decrypt_bytes(sealed) == b"%PDF-1.4 identity card scan"
    assert decrypt_bytes(b"%PDF-1.4 stored before") == b"%PDF-1.4 stored before"
    with pytest.raises(FieldDecryptionError):
        decrypt_bytes(sealed[:-1] + bytes([sealed[-1] ^ 1]))
