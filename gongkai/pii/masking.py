"""Masking (去标识化) of the personal information found by ``detectors.scan``.

Each kind keeps what a reader needs to tell records apart, or what is not personal, and hides what
identifies the person (the conventions of GB/T 37964-2019 and of published court judgments):

- 身份证号 110105********1234: region and last four kept, the birth date hidden;
- 手机号码 138****5678: network prefix and last four; a +86 prefix and separators are kept;
- 银行卡号 ************7890: last four only; separators are kept;
- 电子邮箱 z***@example.com: first character of the mailbox and the domain, which names an
  organisation rather than the person;
- 姓名 张**: the surname; the given name always becomes two marks, whatever its length, so the
  published text does not reveal it.

One masking character, the ASCII asterisk, is used everywhere. It is outside every pattern the
detectors look for, so masked text scans clean for the kinds that were masked and masking twice
changes nothing.

A ``suspect_id_card`` (id-card shape, wrong check digit) is left alone unless asked for: it may be a
document number, and a reviewer decides.
"""

from collections.abc import Iterable

from gongkai.pii.detectors import (
    BANK_CARD,
    EMAIL,
    ID_CARD,
    LABELS,
    MOBILE,
    PERSON_NAME,
    SUSPECT_ID_CARD,
    Finding,
    fold,
    scan,
    surname_of,
)

MASK_CHAR = "*"
DEFAULT_KINDS = frozenset(LABELS) - {SUSPECT_ID_CARD}


def mask(text: str, findings: Iterable[Finding], kinds: set[str] | None = None) -> str:
    """``text`` with the findings of the chosen ``kinds`` masked (default: all but suspect ids).

    Text outside the findings' spans is returned unchanged. Raises ValueError for an unknown kind
    and for findings that do not belong to ``text`` (stale offsets, overlapping spans), since
    masking the wrong characters would publish the ones that should have been hidden.
    """
    kinds = DEFAULT_KINDS if kinds is None else frozenset(kinds)
    unknown = kinds - set(LABELS)
    if unknown:
        raise ValueError(f"unknown PII kinds: {sorted(unknown)}")
    pieces = []
    done = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if text[finding.start:finding.end] != finding.text:
            raise ValueError(f"finding {finding.kind} at {finding.start} does not match the text")
        if finding.start < done:
            raise ValueError(f"finding {finding.kind} at {finding.start} overlaps the previous one")
        if finding.kind not in kinds:
            continue
        pieces.append(text[done:finding.start])
        pieces.append(MASKERS[finding.kind](finding.text))
        done = finding.end
    pieces.append(text[done:])
    return "".join(pieces)


def mask_all(text: str) -> tuple[str, list[Finding]]:
    """Scan and mask with the default kinds; the findings (suspects included) are for the reviewer."""
    findings = scan(text)
    return mask(text, findings), findings


def _hide(value: str, positions: Iterable[int]) -> str:
    chars = list(value)
    for i in positions:
        chars[i] = MASK_CHAR
    return "".join(chars)


def _digit_positions(value: str) -> list[int]:
    # Folded, so that full-width digits count; the characters kept are the caller's own.
    return [i for i, ch in enumerate(fold(value)) if "0" <= ch <= "9"]


def mask_id_card(value: str) -> str:
    return _hide(value, range(6, len(value) - 4))


def mask_mobile(value: str) -> str:
    # The last 11 digits are the number itself, after any 86 prefix.
    return _hide(value, _digit_positions(value)[-11:][3:7])


def mask_bank_card(value: str) -> str:
    return _hide(value, _digit_positions(value)[:-4])


def mask_email(value: str) -> str:
    # A fixed three marks, so the length of the mailbox name is not published either.
    return value[0] + MASK_CHAR * 3 + value[fold(value).index("@"):]


def mask_person_name(value: str) -> str:
    return value[:len(surname_of(fold(value)))] + MASK_CHAR * 2


MASKERS = {
    ID_CARD: mask_id_card,
    SUSPECT_ID_CARD: mask_id_card,
    MOBILE: mask_mobile,
    BANK_CARD: mask_bank_card,
    EMAIL: mask_email,
    PERSON_NAME: mask_person_name,
}
