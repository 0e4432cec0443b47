"""Personal information (个人信息) in document text: detection and de-identification (去标识化).

A plain package without models, used by review before an item may be published (条例第15条)::

    from gongkai.pii import mask_all, scan

    public_text, findings = mask_all(text)
"""

from gongkai.pii.detectors import LABELS, Finding, scan
from gongkai.pii.masking import DEFAULT_KINDS, MASK_CHAR, mask, mask_all

__all__ = ["DEFAULT_KINDS", "LABELS", "MASK_CHAR", "Finding", "mask", "mask_all", "scan"]
