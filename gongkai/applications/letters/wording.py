"""Letter texts from templates: the agency's own wording where it has one, else gongkai's defaults.

Templates are Django template language rendered as plain text, on an engine of their own: no
loaders (no ``include``/``extends`` of other files), no tag libraries (no ``load``), and only the
tags and filters a letter needs, so a staff-edited template can branch and print values but not
dump settings (``debug``), reach files or blow up memory (``center:"999999999"``, nested loops over
every character of a description). The context holds plain values only (see context.py).
"""

import functools
import logging
import re

from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import Lexer, TokenType

from gongkai.applications import letter_defaults as defaults
from gongkai.applications.letters.context import letter_context
from gongkai.applications.models import LetterKind, LetterTemplate
from gongkai.errors import ServiceError

log = logging.getLogger(__name__)

ALLOWED_TAGS = frozenset({"if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith",
                          "comment", "endcomment", "firstof"})
ALLOWED_FILTERS = frozenset({"default", "default_if_none", "upper", "lower", "cut", "length", "first", "last",
                             "truncatechars", "yesno", "add"})
MAX_SOURCE_CHARS = 20_000

ENGINE = Engine(dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=False, debug=False)

_QUOTED_RE = re.compile(r"\"[^\"]*\"|'[^']*'")
_FILTER_RE = re.compile(r"\|\s*([A-Za-z_]\w*)")


def _refuse(code: str, message: str):
    raise ServiceError(code, message, field="body")


@functools.lru_cache(maxsize=256)
def check_source(source: str) -> Template:
    """The compiled template, or a ServiceError saying in Chinese what to change."""
    if len(source) > MAX_SOURCE_CHARS:
        _refuse("LETTER_TEMPLATE_TOO_LONG", f"文书模板不能超过{MAX_SOURCE_CHARS}字。")
    loop_depth = 0
    for token in Lexer(source).tokenize():
        if token.token_type not in (TokenType.BLOCK, TokenType.VAR):
            continue
        if token.token_type == TokenType.BLOCK:
            bits = token.split_contents()
            tag = bits[0] if bits else ""
            if tag not in ALLOWED_TAGS:
                _refuse("LETTER_TEMPLATE_TAG_NOT_ALLOWED",
                        f"文书模板不能使用“{{% {tag} %}}”标签，只能使用 if、for、with、firstof 和 comment。")
            loop_depth += 1 if tag == "for" else -1 if tag == "endfor" else 0
            if loop_depth > 1:
                _refuse("LETTER_TEMPLATE_TAG_NOT_ALLOWED", "文书模板中的 for 循环不能嵌套。")
        for name in _FILTER_RE.findall(_QUOTED_RE.sub("", token.contents)):
            if name not in ALLOWED_FILTERS:
                _refuse("LETTER_TEMPLATE_FILTER_NOT_ALLOWED",
                        f"文书模板不能使用“|{name}”过滤器，可用的有：{'、'.join(sorted(ALLOWED_FILTERS))}。")
    try:
        return Template(source, engine=ENGINE)
    except TemplateSyntaxError as exc:
        _refuse("LETTER_TEMPLATE_SYNTAX", f"文书模板有语法错误：{exc}。请检查 {{{{ }}}} 和 {{% %}} 是否成对、标签是否闭合。")


def _render(template: Template, context: dict) -> str:
    return template.render(Context(context, autoescape=False))


def tidy(text: str) -> str:
    """Paragraphs separated by exactly one blank line, no trailing spaces."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def agency_template(agency, kind: str, source: str | None = None) -> Template | None:
    """The agency's template for ``kind``; ``source`` is its body when the caller has read it already."""
    if source is None:
        source = LetterTemplate.objects.filter(agency=agency, kind=kind).values_list("body", flat=True).first()
    if not source or not source.strip():
        return None
    try:
        return check_source(source)
    except ServiceError as exc:  # saved before a rule tightened: the default still gets the letter out
        log.warning("letter template of agency %s kind %s unusable (%s); default used", agency.pk, kind, exc.code)
        return None


def raw_body(kind: str, context: dict, template: Template | None = None) -> str:
    """The body as the template writes it. ``template`` is an agency's, None for the default."""
    if kind == LetterKind.REPLY:
        decision = check_source(defaults.REPLY_DECISION_BY_TYPE[context["reply"]["type"]])
        context["reply"]["decision"] = tidy(_render(decision, context))
    return tidy(_render(template or check_source(defaults.BODIES[kind]), context))


def lacks_basis(body: str, context: dict) -> bool:
    return context["basis"] not in body


def lacks_remedy(kind: str, body: str) -> bool:
    return kind == LetterKind.REPLY and not ("行政复议" in body and "行政诉讼" in body)


def render_letter(kind: str, context: dict, template: Template | None = None) -> tuple[str, str]:
    """(title, body) of a letter.

    Whatever the template says, the body ends up citing its legal basis and, for a 答复书, the
    remedy: a missing one is appended rather than a letter going out without it.
    """
    body = raw_body(kind, context, template)
    if lacks_basis(body, context):
        body += f"\n\n根据{context['basis']}的规定，特此告知。"
    if lacks_remedy(kind, body):
        body += f"\n\n{context['remedy']}"
    return defaults.TITLES[kind], body


def text_for(application, kind: str, extra: dict | None = None, *, template_source: str | None = None) -> tuple[str, str]:
    context = letter_context(application, kind, extra)
    template = agency_template(application.agency, kind, template_source)
    if template is not None:
        try:
            return render_letter(kind, context, template)
        except Exception:  # noqa: BLE001 - a broken agency template must not stop the letter
            log.exception("letter template of agency %s kind %s failed; default used", application.agency_id, kind)
            context = letter_context(application, kind, extra)
    return render_letter(kind, context)
