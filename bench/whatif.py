"""Hypothetical servers for ``bench/applications.py --what-if``: the real application with parts of
a submission's required work skipped, so one run shows what each part costs against the floor.

Never shipped and never used outside the benchmark: each function is a gunicorn application
factory (``whatif:without_receipt()``; the benchmark puts bench/ on gunicorn's Python path) that
patches the running worker before answering anything. The keys sent to these servers carry
their rung's name, so the benchmark's database checks expect no receipt for them.

The rungs, each skipping what the one before it skipped and more:

- ``noreceipt``: no 受理回执 (its 文号, text and row);
- ``nomail``: no receipt, and no e-mail with the code and secret to the applicant;
- ``bare``: no receipt, no e-mail and no audit row: what any submission must do at the least —
  check the input, encrypt the personal fields, look for a repeat, insert one application row
  and commit.
"""

import gongkai.wsgi  # sets Django up before anything imports a model

LADDER = (
    ("noreceipt", "without the receipt letter"),
    ("nomail", "without the receipt and the e-mail"),
    ("bare", "bare minimum: checks, one application row, commit"),
)


class _SkippedRow:
    """Stands in for a prepared INSERT that the hypothetical server leaves out."""

    def set(self, _column, _value):
        pass

    def execute(self):
        return None


def _skip_receipt():
    from gongkai.applications import letters

    letters.prepare_issue = lambda *args, **kwargs: None
    letters.complete_issue = lambda prepared: None


def _skip_mail():
    from gongkai.applications import intake

    intake._code_message = lambda application, secret: None


def _skip_audit():
    from gongkai.applications import intake, rows

    real_prepare = rows.prepare
    intake.audit_entry = lambda **kwargs: None
    intake.snapshot = lambda obj, fields: None
    rows.prepare = lambda instance: _SkippedRow() if instance is None else real_prepare(instance)


def without_receipt():
    _skip_receipt()
    return gongkai.wsgi.application


def without_receipt_or_mail():
    _skip_receipt()
    _skip_mail()
    return gongkai.wsgi.application


def bare_minimum():
    _skip_receipt()
    _skip_mail()
    _skip_audit()
    return gongkai.wsgi.application


FACTORIES = {"noreceipt": "whatif:without_receipt()", "nomail": "whatif:without_receipt_or_mail()",
             "bare": "whatif:bare_minimum()"}
