"""Search the printed issues: `manage.py search_articles 党建 [--publication ...] [--year ...]`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from bulletins.models import Publication
from bulletins.search import ORDERS, search_articles
from bulletins.services import publication_find


def find_publication(name: str) -> Publication:
    found = Publication.objects.filter(Q(slug=name) | Q(name=name) | Q(short_name=name)).first()
    found = found or publication_find(name_prefix="", name=name)
    if found is None:
        raise CommandError(f"没有刊物“{name}”。")
    return found


class Command(BaseCommand):
    help = "在已印发的期中检索文章，每行输出一篇：期（刊物和期号）、制表符、标题。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("query", help="检索词；多个词用空格分开，须同时出现；引号内为短语")
        parser.add_argument("--publication", help="只检索此刊物（英文标识、刊名或简称）")
        parser.add_argument("--year", type=int, help="只检索此年份")
        parser.add_argument("--from-year", type=int, help="起始年份")
        parser.add_argument("--to-year", type=int, help="截止年份")
        parser.add_argument("--column", help="只检索此栏目（栏目名称）")
        parser.add_argument("--order", choices=list(ORDERS), default="newest",
                            help="newest 最新在前（默认），best 最相关在前")

    def handle(self, *args, query: str, publication: str | None, year: int | None, from_year: int | None,
               to_year: int | None, column: str | None, order: str, **options) -> None:
        years = (year, year) if year else (from_year, to_year)
        try:
            found = find_publication(publication) if publication else None
            results = search_articles(query, publication=found, years=years, column=column or None,
                                      order=order)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        count = results.count()
        for start in range(0, count, 500):
            for article in results[start:start + 500]:
                self.stdout.write(f"{article.issue}\t{article.title}")
        self.stderr.write(f"共 {count} 篇。")
