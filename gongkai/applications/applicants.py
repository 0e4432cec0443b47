"""Who the applicant is, for counting one applicant's applications without decrypting anything.

The 按件 fee counts 同一申请人 (the same applicant) in a natural month (国办函〔2020〕109号第四条). A
name does not say who that is: two people called 王伟 are two applicants, and one company typed
once as "清河县某某有限公司" and once as "清河县某某 有限公司" is one. The identity document does, but
its number is an EncryptedTextField (fieldcrypt.py: a fresh IV each time, so equal numbers never
compare equal in the database). ``applicant_key`` is therefore stored beside it: an HMAC keyed with
the installation's secret key (as the submission fingerprint is, intake._fingerprint) over the
document type and the normalised number, so a database dump does not give the numbers away and
equal documents give equal keys. Only where no number was given (no create path allows that today,
but older rows may lack one) does it fall back to the applicant type and the normalised name.

Changing the secret key changes every key: applications received before the change are then not
counted with later ones (only the current month's count is affected; see operations.md).
"""

import hmac
import unicodedata
from collections.abc import Mapping

from django.conf import settings


def _normalised(text: str) -> str:
    """Full-width forms folded (ＡＢ１２ → AB12, （ → (), every space and hyphen dropped, upper case."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(c for c in folded if not c.isspace() and c not in "-‐‑‒–—").upper()


def applicant_key(data: Mapping) -> str:
    """The key of the applicant described by ``data`` (id_type, id_number, applicant_type,
    applicant_name: an application's cleaned input, or an Application read back as a dict)."""
    number = _normalised(data.get("id_number") or "")
    if number:
        material = f"id|{data.get('id_type') or ''}|{number}"
    else:
        material = f"name|{data.get('applicant_type') or ''}|{_normalised(data.get('applicant_name') or '')}"
    return hmac.new(settings.SECRET_KEY.encode(), f"applicant|{material}".encode(), "sha256").hexdigest()


def applicant_key_of(application) -> str:
    return applicant_key({f: getattr(application, f) for f in ("id_type", "id_number", "applicant_type", "applicant_name")})
