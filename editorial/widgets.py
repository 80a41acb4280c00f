from django_ckeditor_5.widgets import CKEditor5Widget


class ArticleBodyWidget(CKEditor5Widget):
    """django-ckeditor-5's widget with the editor built in frontend/ (CKEditor 5, Chinese UI, 字数)."""

    class Media:
        extend = False
        css = {"all": ["editorial/ckeditor5/editor.css"]}
        js = ["editorial/ckeditor5/editor.js"]
