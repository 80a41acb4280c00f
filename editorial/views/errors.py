"""The error page: a shared service that is down is a 503 saying so, in Chinese, not 系统出错."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

from bulletins.availability import DATABASE_UNAVAILABLE, REDIS_UNAVAILABLE

RENDERING_UNAVAILABLE_MESSAGE = ("排版服务暂时不可用，请稍后重试。PDF的生成和上传文件的暂存都要用到它；"
                                 "已经保存的内容不受影响。")
DATABASE_UNAVAILABLE_MESSAGE = ("系统暂时无法访问数据库，请稍后重试。如果刚才提交了内容，"
                                "请稍后返回查看是否已经保存。")
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME) -> HttpResponse:
    """handler500: Redis or the database out of reach is told as such, with status 503."""
    error = sys.exc_info()[1]
    if isinstance(error, REDIS_UNAVAILABLE):
        return service_unavailable(RENDERING_UNAVAILABLE_MESSAGE)
    if isinstance(error, DATABASE_UNAVAILABLE):
        return service_unavailable(DATABASE_UNAVAILABLE_MESSAGE)
    return defaults.server_error(request, template_name)


def service_unavailable(message: str) -> HttpResponse:
    # Rendered without the request: its context processors would need the services that are down.
    response = HttpResponse(loader.render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
