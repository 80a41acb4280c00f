"""The reading room at /archive/: printed issues for readers, and the full-text search.

Only issues that are printed (已印发) are shown; drafts and issues on their way never are.
Readers (the 读者 and 收文员 groups) and staff users may read; anybody else is asked to log in or
refused. A publication restricted to its recipients shows readers who are not staff only the issues
delivered to a unit they read for (bulletins.services.delivery); each PDF downloaded here carries
the reader's watermark.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET

from bulletins.models import Article, Column, Issue, Publication
from bulletins.rendering.background import RenderJob, RenderState, cached_pdf, render_status
from bulletins.rendering.html import printed_issue
from bulletins.rendering.stamp import stamp_pdf
from bulletins.search import ORDERS, parse_query, search_articles
from bulletins.search.highlight import snippet
from bulletins.search.text import EMPTY_QUERY_MESSAGE, html_to_text
from bulletins.services.delivery import delivery_record_open, reader_stamp_text
from bulletins.services.printing import issue_pdf_of_record
from bulletins.tasks import enqueue_issue_render
from editorial.readers import may_read
from editorial.views.printing import pdf_response

RESULTS_PER_PAGE = 20
PDF_POLL_SECONDS = 3
LOGIN_URL = reverse_lazy("reading:login")
NOT_ALLOWED_MESSAGE = "您的账号没有阅览往期简报的权限，请联系管理员加入“读者”组。"
NOT_DELIVERED_MESSAGE = "本期仅限收文单位阅览，没有发给您所在的单位。"


def reader_required(view):
    """Log in first (the reading room's own login page), then readers and staff only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not may_read(request.user):
            return render(request, "bulletins/web/message.html",
                          {"title": "没有阅览权限", "message": NOT_ALLOWED_MESSAGE}, status=403)
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            return render(request, "bulletins/web/message.html",
                          {"title": "没有阅览权限", "message": str(error) or NOT_ALLOWED_MESSAGE}, status=403)

    return login_required(wrapped, login_url=LOGIN_URL)


def _published() -> QuerySet[Issue]:
    return Issue.objects.published().select_related("publication")


def issue_path_number(issue: Issue) -> str:
    """The last part of an issue's address: 454, or zk2 for 增刊第2期."""
    return f"zk{issue.number}" if issue.is_special else str(issue.number)


def issue_url(issue: Issue) -> str:
    return reverse("reading:issue", args=[issue.publication.slug, issue.year, issue_path_number(issue)])


class LoginView(auth_views.LoginView):
    template_name = "bulletins/web/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("reading:index")


class LogoutView(auth_views.LogoutView):
    next_page = LOGIN_URL


@require_GET
@reader_required
def index(request: HttpRequest) -> HttpResponse:
    printed = Q(issues__in=Issue.objects.readable_by(request.user))
    publications = (Publication.objects
                    .annotate(issue_count=Count("issues", filter=printed),
                              first_year=Min("issues__year", filter=printed),
                              last_year=Max("issues__year", filter=printed))
                    .filter(issue_count__gt=0))
    latest = list(Issue.objects.readable_by(request.user).select_related("publication")
                  .order_by("-date", "-number")[:10])
    for issue in latest:
        issue.url = issue_url(issue)
    return render(request, "bulletins/web/index.html", {
        "publications": publications, "latest": latest, "form": SearchForm(),
    })


@require_GET
@reader_required
def publication_years(request: HttpRequest, slug: str) -> HttpResponse:
    publication = get_object_or_404(Publication, slug=slug)
    years = list(Issue.objects.readable_by(request.user).filter(publication=publication)
                 .values("year").annotate(count=Count("id")).order_by("-year"))
    if not years:
        raise Http404("本刊物尚无已印发的期。")
    return render(request, "bulletins/web/publication.html", {
        "publication": publication, "years": years,
        "form": SearchForm(initial={"publication": publication.slug}),
    })


@require_GET
@reader_required
def year_issues(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    publication = get_object_or_404(Publication, slug=slug)
    issues = list(Issue.objects.readable_by(request.user).filter(publication=publication, year=year)
                  .select_related("publication").order_by("-date", "-number")
                  .prefetch_related(Prefetch("articles", Article.objects.only("pk", "issue_id", "title"))))
    if not issues:
        raise Http404("该年份没有已印发的期。")
    for issue in issues:
        issue.url = issue_url(issue)
    other_years = list(Issue.objects.readable_by(request.user).filter(publication=publication)
                       .values_list("year", flat=True).distinct().order_by("-year"))
    return render(request, "bulletins/web/year.html", {
        "publication": publication, "year": year, "issues": issues, "other_years": other_years,
        "form": SearchForm(initial={"publication": publication.slug, "year_from": year, "year_to": year}),
    })


def _issue_or_404(slug: str, year: int, number: str, user) -> Issue:
    """The printed issue at this address; PermissionDenied where it was not delivered to the user."""
    special = number.startswith("zk")
    digits = number[2:] if special else number
    if not digits.isdigit():
        raise Http404("没有这一期。")
    where = {"publication__slug": slug, "year": year, "number": int(digits), "is_special": special}
    issue = Issue.objects.readable_by(user).select_related("publication").filter(**where).first()
    if issue is None:
        if _published().filter(**where).exists():
            raise PermissionDenied(NOT_DELIVERED_MESSAGE)
        raise Http404("没有这一期。")
    return issue


@require_GET
@reader_required
def issue_detail(request: HttpRequest, slug: str, year: int, number: str) -> HttpResponse:
    issue = _issue_or_404(slug, year, number, request.user)
    deliveries = delivery_record_open(issue=issue, by=request.user)
    query = None
    raw = request.GET.get("q", "").strip()
    if raw:
        try:
            query = parse_query(raw)
        except ValidationError:
            query = None
    printed = printed_issue(issue)
    return render(request, "bulletins/web/issue.html", {
        "issue": issue, "printed": printed, "query": query, "q": raw if query else "",
        "pdf_url": reverse("reading:issue_pdf", args=[slug, year, number]),
        "year_url": reverse("reading:year", args=[slug, year]),
        "form": SearchForm(initial={"publication": slug}),
        "deliveries": deliveries,
    })


@require_GET
@reader_required
def issue_pdf(request: HttpRequest, slug: str, year: int, number: str) -> HttpResponse:
    """The issue's PDF, stamped for the reader: the stored PDF of record where it has one, else
    the cached render.

    A request never renders: an issue without either is queued for the task worker (whose
    render child has time and memory limits) and the reader gets a page that waits for it."""
    issue = _issue_or_404(slug, year, number, request.user)
    pdf = issue_pdf_of_record(issue)
    if pdf is not None:
        return pdf_response(stamp_pdf(pdf, reader_stamp_text(issue=issue, user=request.user)), issue)
    job = RenderJob.for_issue(issue)
    pdf = cached_pdf(job)
    if pdf is None:
        # A render that failed is not tried again on every click (its state expires).
        status = render_status(job)
        if status.state != RenderState.FAILED:
            status = enqueue_issue_render(issue, job)
        pdf = cached_pdf(job) if status.state == RenderState.READY else None
        if status.state == RenderState.FAILED:
            return render(request, "bulletins/web/message.html", {
                "title": "无法生成PDF", "message": status.message,
                "back_url": issue_url(issue)}, status=503)
        if pdf is None:
            return render(request, "bulletins/web/pdf_waiting.html", {
                "title": f"{issue.publication.full_name}{issue.number_label}：正在生成PDF",
                "status": status, "poll_seconds": PDF_POLL_SECONDS, "back_url": issue_url(issue)})
    return pdf_response(stamp_pdf(pdf, reader_stamp_text(issue=issue, user=request.user)), issue)


class SearchForm(forms.Form):
    q = forms.CharField(label="检索词", required=False, max_length=1000,
                        widget=forms.TextInput(attrs={
                            "type": "search", "autocomplete": "off",
                            "placeholder": "如：党建　主题教育　“全面从严治党”"}))
    publication = forms.ChoiceField(label="刊物", required=False)
    year_from = forms.IntegerField(label="起始年份", required=False, min_value=1900, max_value=2999)
    year_to = forms.IntegerField(label="截止年份", required=False, min_value=1900, max_value=2999)
    column = forms.ChoiceField(label="栏目", required=False)
    order = forms.ChoiceField(label="排序", required=False, choices=list(ORDERS.items()))

    def __init__(self, *args, publications=None, columns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publication"].choices = [("", "全部刊物"), *(publications or [])]
        self.fields["column"].choices = [("", "全部栏目"), *((name, name) for name in columns or [])]

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first and last and first > last:
            raise ValidationError("起始年份不能晚于截止年份。")
        return data


def _search_form(request: HttpRequest) -> SearchForm:
    printed = Q(issues__status=Issue.Status.PUBLISHED)
    publications = [(p.slug, p.full_name) for p in
                    Publication.objects.annotate(n=Count("issues", filter=printed)).filter(n__gt=0)]
    # Every column name (a short table): joining to the articles would cost more than the search.
    columns = Column.objects.values_list("name", flat=True).distinct().order_by("name")
    return SearchForm(request.GET or None, publications=publications, columns=list(columns))


@require_GET
@reader_required
def search(request: HttpRequest) -> HttpResponse:
    form = _search_form(request)
    context: dict = {"form": form, "searched": False}
    if not form.is_bound or not request.GET.get("q", "").strip():
        if form.is_bound:
            context["error"] = EMPTY_QUERY_MESSAGE
        return render(request, "bulletins/web/search.html", context)
    if not form.is_valid():
        context["error"] = "；".join(error for errors in form.errors.values() for error in errors)
        return render(request, "bulletins/web/search.html", context)
    data = form.cleaned_data
    publication = (Publication.objects.get(slug=data["publication"]) if data["publication"] else None)
    try:
        results = search_articles(data["q"], publication=publication,
                                  years=(data["year_from"], data["year_to"]),
                                  column=data["column"] or None, order=data["order"] or "newest",
                                  reader_id=None if request.user.is_staff else request.user.pk)
    except ValidationError as error:
        context["error"] = error.messages[0]
        return render(request, "bulletins/web/search.html", context)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    wanted = request.GET.get("page", "1")
    if wanted.isdigit() and int(wanted) >= 1:
        results.fetch_window(offset=(int(wanted) - 1) * RESULTS_PER_PAGE, limit=RESULTS_PER_PAGE)
    page = paginator.get_page(wanted)
    hits = []
    for article in page.object_list:
        hits.append({
            "article": article,
            "url": f"{issue_url(article.issue)}?{urlencode({'q': data['q']})}#article-{article.pk}",
            "snippet": snippet(_searchable_text(article), results.query),
        })
    params = request.GET.copy()
    params.pop("page", None)
    context.update(searched=True, results=results, page=page, hits=hits, query=results.query,
                   count=paginator.count, querystring=params.urlencode())
    return render(request, "bulletins/web/search.html", context)


def _searchable_text(article: Article) -> str:
    """The text a snippet is cut from: all but the title, which the result shows anyway."""
    fields = [article.subtitle, article.byline, article.editor_note, html_to_text(article.body),
              article.source]
    return "\n".join(field for field in fields if field)
