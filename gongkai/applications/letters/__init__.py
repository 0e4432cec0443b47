"""Letters to applicants (文书): receipts, notices and the 答复书.

    compose(application, kind, *, extra=None) -> Letter      a saved draft from the template, for review
    issue(application, kind, *, actor, extra=None, draft=None) -> Letter
                                                              文号 and text, immutable; DOCX/PDF by a task
    files_ready(letter) -> bool                               whether the render task has stored the files
    render_docx(letter) -> bytes, render_pdf(letter) -> bytes the printed letter, draft or issued
    template_update(*, actor, agency, kind, body, title="", number_prefix="")  an agency's wording
    style_update(*, actor, agency, number_code=None, seal=None, remove_seal=False)  机关代字 and seal
    preview(agency, kind, *, body=None, reply_type=...) -> str                 for the template editor

Default wording: applications/letter_defaults.py. Print layout: applications/letter.html (PDF)
and word.py (DOCX), both after GB/T 9704-2012 信函格式.
"""

from gongkai.applications.letters.editing import preview, template_update
from gongkai.applications.letters.issuing import FILES_PENDING_MESSAGE, compose, files_ready, issue
from gongkai.applications.letters.numbering import prefix_for
from gongkai.applications.letters.pdf import render_html, render_pdf
from gongkai.applications.letters.style import style_update
from gongkai.applications.letters.word import render_docx

__all__ = ["FILES_PENDING_MESSAGE", "compose", "files_ready", "issue", "prefix_for", "preview", "render_docx",
           "render_html", "render_pdf", "style_update", "template_update"]
