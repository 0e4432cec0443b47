from django.db import models
from django.db.models import Q


class SiteIdentity(models.Model):
    """How the deployment identifies itself on every public page: the footer's 网站标识码, 备案
    numbers and 主办/承办单位, and the government-site <meta> tags (portal/metadata.py). One row,
    edited by the system administrator (site_identity.py), so an operator need not redeploy."""

    site_domain = models.CharField("网站域名", max_length=253, blank=True,
                                   help_text="如 www.example.gov.cn；留空则用访问时的域名。")
    site_code = models.CharField("网站标识码", max_length=10, blank=True,
                                 help_text="全国政府网站基本数据库分配的10位标识码，如 1101000001 或 bm01000001。")
    icp_number = models.CharField("ICP备案号", max_length=50, blank=True, help_text="如 京ICP备05070218号。")
    police_number = models.CharField("公安机关备案号", max_length=50, blank=True, help_text="如 京公网安备11010502030001号。")
    police_url = models.URLField("公安机关备案链接", max_length=500, blank=True,
                                 help_text="留空则链接到全国互联网安全管理服务平台按备案号查询。")
    sponsor = models.CharField("主办单位", max_length=100, blank=True)
    organiser = models.CharField("承办单位", max_length=100, blank=True)
    conac_url = models.URLField("党政机关网站标识链接", max_length=500, blank=True,
                                help_text="机构编制部门核发的党政机关网站标识的查验地址；留空则不显示。")
    error_report_url = models.CharField("纠错链接", max_length=500, blank=True,
                                        help_text="“我要纠错”指向的地址（http(s) 地址或以 / 开头的站内路径）；留空则指向留言或机构联系页面。")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "网站标识"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="site_identity_one_row")]

    def __str__(self):
        return "网站标识"
