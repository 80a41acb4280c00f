from bulletins.sanitize import sanitize_html


def test_script_event_handlers_and_javascript_links_are_removed():
    html = ('<p onclick="steal()">正文<script>alert(1)</script>'
            '<a href="javascript:alert(1)">链接</a></p>')
    assert sanitize_html(html) == '<p>正文<a rel="noopener noreferrer">链接</a></p>'


def test_remote_and_data_images_are_dropped_local_media_kept():
    html = ('<p><img src="http://evil.example/x.png"><img src="data:image/png;base64,AAAA">'
            '<img src="file:///etc/passwd"><img src="/media/uploads/a.png" alt="图"></p>')
    assert sanitize_html(html) == '<p><img src="/media/uploads/a.png" alt="图"></p>'


def test_bulletin_structure_is_kept():
    html = ("<h2>一、总体要求</h2><h3>（一）加强领导</h3><p><strong>聚力高位谋划。</strong>正文</p>"
            "<ul><li>甲</li></ul><ol><li>乙</li></ol><blockquote><p>引文</p></blockquote>"
            "<figure class=\"table\"><table><tbody><tr><td colspan=\"2\">表</td></tr></tbody>"
            "</table></figure>")
    assert sanitize_html(html) == html


def test_style_attributes_are_removed():
    assert sanitize_html('<p style="background:url(http://x)">字</p>') == "<p>字</p>"
