"""Re-encrypting everything under the current field key and cipher (``gongkai keys rotate``).

After a new key is made current (the old one listed in GONGKAI_FIELD_KEYS_OLD) or the cipher is
changed (GONGKAI_FIELD_CIPHER), every encrypted column and every applicant file that is not yet
under the current key and cipher is rewritten; once the run reports nothing left, the old key can
be removed. A value is rewritten only if it still holds the token that was read, so a change made
meanwhile is never overwritten. One audit row records the run.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction

from gongkai import fieldcrypt
from gongkai.audit.models import Action, AuditEntry
from gongkai.audit.services import actor_label
from gongkai.filecrypt import EncryptedFileSystemStorage

BATCH = 500


@dataclass
class Outcome:
    key_id: str
    values: dict[str, int] = field(default_factory=dict)  # "app.model.field" -> rewritten
    files: int = 0
    left: int = 0  # found stale by a dry run

    def as_dict(self) -> dict:
        return {"key_id": self.key_id, "values": self.values, "files": self.files, "left": self.left}


def _encrypted_columns():
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, fieldcrypt.EncryptedTextField):
                yield model, f


def _file_fields():
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if hasattr(f, "storage") and isinstance(f.storage, EncryptedFileSystemStorage):
                yield model, f


def rotate_all(*, actor=None, dry_run: bool = False) -> Outcome:
    outcome = Outcome(key_id=fieldcrypt.current_key_id())
    quote = connection.ops.quote_name
    for model, f in _encrypted_columns():
        table, column, pk = quote(model._meta.db_table), quote(f.column), quote(model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''")
            stale = [(row_id, token) for row_id, token in cursor.fetchall() if not fieldcrypt.is_current(token)]
        if dry_run:
            outcome.left += len(stale)
            continue
        done = 0
        for start in range(0, len(stale), BATCH):
            with transaction.atomic(), connection.cursor() as cursor:
                for row_id, token in stale[start:start + BATCH]:
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s",
                                   [fieldcrypt.rotate(token), row_id, token])
                    done += cursor.rowcount
        if done:
            outcome.values[f"{model._meta.label_lower}.{f.name}"] = done
    for model, f in _file_fields():
        storage = f.storage
        for name in model.objects.exclude(**{f.name: ""}).values_list(f.attname, flat=True).iterator():
            raw = storage.stored_raw(name)
            if fieldcrypt.is_current_bytes(raw):
                continue
            if dry_run:
                outcome.left += 1
                continue
            storage.replace_raw(name, fieldcrypt.encrypt_bytes(fieldcrypt.decrypt_bytes(raw)))
            outcome.files += 1
    if not dry_run and (outcome.values or outcome.files):
        with transaction.atomic():
            AuditEntry(actor=actor, actor_label=actor_label(actor), action=Action.KEYS_ROTATE, object_type="fieldcrypt.keys",
                       object_id=outcome.key_id, object_repr="字段加密密钥", note="按当前密钥重新加密",
                       after=outcome.as_dict()).save(force_insert=True)
    return outcome
