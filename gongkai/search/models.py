from django.db import models

from gongkai.compressed_text import CompressedTextField


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"


class SearchEntry(models.Model):
    """One searchable item as the search index sees it; written only by ``gongkai.search.index``.

    The original text is kept for titles and snippets (compressed); the normalised text is kept because the
    index is derived from it (FTS5 deletes a row by re-tokenizing exactly what was inserted, and
    PostgreSQL re-checks candidates against it), so a later Python with newer Unicode tables
    cannot leave the index out of step with the rows.
    """

    key = models.CharField("标识", max_length=100, unique=True)
    agency_code = models.CharField("机构代码", max_length=18)
    index_number = models.CharField("索引号", max_length=100, blank=True)
    title = models.TextField("标题")
    # Display copies for titles' and snippets' highlighting (the normalised text below is what is
    # searched), compressed: read for one page of hits at a time.
    body = CompressedTextField("正文", blank=True)
    attachments_text = CompressedTextField("附件文字", blank=True)
    published_at = models.DateTimeField("发布时间")
    year = models.PositiveSmallIntegerField("发布年度")
    category = models.CharField("目录", max_length=100, blank=True)
    genre = models.CharField("体裁", max_length=50, blank=True)
    validity = models.CharField("效力", max_length=10, choices=Validity.choices, default=Validity.VALID)
    url = models.CharField("链接", max_length=500, blank=True)
    title_normalised = models.TextField(editable=False)
    # Body and attachments, normalised, joined by "\n" (normalised text never contains one).
    text_normalised = models.TextField(editable=False)
    # SQLite only: the FTS5 rowid, day of publication << 20 | slot, so FTS5 can return matches
    # newest day first and stop after one page. Unused (NULL) on PostgreSQL.
    rank = models.BigIntegerField(null=True, unique=True, editable=False)

    class Meta:
        verbose_name = "检索条目"
        verbose_name_plural = "检索条目"

    def __str__(self):
        return self.title
