"""What proofreading keeps: a publication's wording list and the findings judged right as written."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from bulletins.models.issues import Article, Issue
from bulletins.models.reference import Publication


class WordingRule(models.Model):
    """One entry of a publication's wording list (规范表述): a form the office writes otherwise."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE,
                                    related_name="wording_rules", verbose_name="刊物")
    wrong = models.CharField("不规范写法", max_length=100)
    right = models.CharField("规范写法", max_length=100, blank=True,
                             help_text="留空表示不宜使用、须改写，校对时只提示不给改法。")
    note = models.CharField("说明", max_length=300, blank=True,
                            help_text="校对提示中附上的依据或说明，如“以中央文件提法为准”。")

    class Meta:
        verbose_name = "规范表述"
        verbose_name_plural = "规范表述"
        ordering = ["publication", "wrong"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "wrong"], name="unique_wording_rule",
                                    violation_error_message="本刊物的规范表述中已有这一不规范写法。"),
        ]

    def __str__(self) -> str:
        return f"{self.wrong} → {self.right}" if self.right else f"{self.wrong}（不宜使用）"

    def clean(self) -> None:
        super().clean()
        if self.wrong and self.right and self.wrong.strip() == self.right.strip():
            raise ValidationError({"right": "规范写法与不规范写法相同。"})


class ProofreadingDismissal(models.Model):
    """A proofreading finding judged right as written, for one article (or the issue's own text).

    The finding is named by its key (check, field and the text around the spot), so it
    stays dismissed while the article is edited elsewhere.
    """

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE,
                              related_name="proofreading_dismissals", verbose_name="期")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="proofreading_dismissals", verbose_name="文章")
    code = models.CharField("检查项", max_length=40)
    key = models.CharField("位置标识", max_length=64)
    excerpt = models.CharField("原文", max_length=300)
    message = models.CharField("问题", max_length=300)
    reason = models.CharField("忽略理由", max_length=300)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name="忽略人")
    dismissed_at = models.DateTimeField("忽略时间", auto_now_add=True)

    class Meta:
        verbose_name = "已忽略的校对问题"
        verbose_name_plural = "已忽略的校对问题"
        ordering = ["issue", "article", "dismissed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], condition=Q(article__isnull=False),
                                    name="unique_article_dismissal",
                                    violation_error_message="这处问题已经忽略。"),
            models.UniqueConstraint(fields=["issue", "key"], condition=Q(article__isnull=True),
                                    name="unique_issue_dismissal",
                                    violation_error_message="这处问题已经忽略。"),
        ]

    def __str__(self) -> str:
        return f"{self.code}：{self.excerpt}"
