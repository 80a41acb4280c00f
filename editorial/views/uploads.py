"""The editor's image upload: django-ckeditor-5's upload view behind checks that answer in Chinese.

The library's view stores the file (settings.CKEDITOR_5_FILE_STORAGE) and answers the editor;
its own refusals are English ("File is not a valid image"), so every file is checked here first
with the rules manuscripts use too (bulletins.images).
"""

from pathlib import PurePath

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_POST
from django_ckeditor_5.views import upload_file

from bulletins.images import ImageRefused, check_image, check_image_size


def _refuse(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": {"message": message}}, status=status)


@require_POST
def image_upload(request):
    if not (request.user.is_active and request.user.is_staff):
        return _refuse("只有编辑人员可以上传图片，请重新登录后再试。", status=403)
    upload = request.FILES.get("upload")
    if upload is None:
        return _refuse("没有收到图片文件，请重新选择。")
    suffix = PurePath(upload.name).suffix.lower().lstrip(".")
    if suffix not in settings.CKEDITOR_5_UPLOAD_FILE_TYPES:
        return _refuse(f"“{upload.name}”不是 JPEG 或 PNG 图片，只能插入这两种格式的图片。")
    try:
        check_image_size(name=upload.name, size=upload.size)  # before reading it into memory
        check_image(name=upload.name, data=upload.read())
    except ImageRefused as refused:
        return _refuse(str(refused))
    upload.seek(0)
    return upload_file(request)
