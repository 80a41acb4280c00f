"""The PDF's streams are deflated at zlib's default level, and still read back as they were."""

import io
import zlib

import pypdf

from bulletins.rendering.pdf import write_pdf


def embedded_font_streams(pdf: bytes) -> list[pypdf.generic.StreamObject]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    streams = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            for key in ("/FontFile2", "/FontFile3"):
                if key in descriptor:
                    streams.append(descriptor[key].get_object())
    return streams


def test_font_streams_are_deflated_at_the_default_level_and_decode_to_the_font():
    pdf = write_pdf("<html><body><p>中共河北省委宣传部 理论学习通讯 2023年9月</p></body></html>")

    streams = embedded_font_streams(pdf)
    assert streams
    for stream in streams:
        assert stream["/Filter"] == "/FlateDecode"
        font = stream.get_data()  # decoded
        assert font[:4] in (b"OTTO", b"\x00\x01\x00\x00")
        # pydyf's own level 9 gives other bytes for data of this size.
        assert stream._data == zlib.compress(font, zlib.Z_DEFAULT_COMPRESSION)  # noqa: SLF001
        assert stream._data != zlib.compress(font, 9)  # noqa: SLF001
