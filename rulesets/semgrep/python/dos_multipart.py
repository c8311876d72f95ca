# Test cases for dos_multipart.yaml (semgrep --test annotations).
import multipart
from multipart import MultipartParser


class FormParser:
    def __init__(self, max_form_memory_size=None):
        self.max_form_memory_size = max_form_memory_size

    def parse_multipart(self, stream, boundary):
        # ruleid: python.dos.multipart-parser-without-part-limit
        decoder = MultipartDecoder(boundary, self.max_form_memory_size)
        fields, files = [], []
        for chunk in stream:
            decoder.receive_data(chunk)
        return fields, files

    def parse_limited(self, stream, boundary):
        # the fix's form: the decoder stops after so many parts
        # ok: python.dos.multipart-parser-without-part-limit
        decoder = MultipartDecoder(boundary, self.max_form_memory_size, max_parts=self.max_form_parts)
        for chunk in stream:
            decoder.receive_data(chunk)


def read_form(fp, boundary):
    # ruleid: python.dos.multipart-parser-without-part-limit
    return multipart.MultipartParser(fp, boundary, mem_limit=2**20).parts()


def read_form_limited(fp, boundary):
    # ok: python.dos.multipart-parser-without-part-limit
    return MultipartParser(fp, boundary, part_limit=128, mem_limit=2**20).parts()


def read_form_counted(fp, boundary, callbacks):
    count = 0
    # ok: python.dos.multipart-parser-without-part-limit
    parser = multipart.MultipartParser(boundary, callbacks)
    for chunk in fp:
        parser.write(chunk)
        count += 1
        if count > MAX_FIELDS:
            raise ValueError("too many parts")


class CountingParser:
    # the limit is enforced by the class's callbacks
    def __init__(self, headers, stream, *, max_files=1000, max_fields=1000):
        self.max_files = max_files
        self.max_fields = max_fields

    async def parse(self):
        # ok: python.dos.multipart-parser-without-part-limit
        parser = multipart.MultipartParser(self.boundary, self.callbacks)
        async for chunk in self.stream:
            parser.write(chunk)


def not_a_parser(parts):
    # ok: python.dos.multipart-parser-without-part-limit
    return MultipartEncoder(parts)


def test_decoder_reads_one_part():
    # ok: python.dos.multipart-parser-without-part-limit
    decoder = MultipartDecoder(b"boundary")
    decoder.receive_data(b"--boundary--")
