# Test cases for dos_sink.yaml (semgrep --test annotations).
import bz2
import gzip
import lzma
import zlib

SAMPLE = b"x\x9c\xcbH\xcd\xc9\xc9\x07\x00\x06,\x02\x15"


def inflate(body, blob, chunk):
    # ruleid: python.dos.unbounded-decompression
    text = zlib.decompress(body)
    # ruleid: python.dos.unbounded-decompression
    data = gzip.decompress(blob)
    # ruleid: python.dos.unbounded-decompression
    more = bz2.decompress(blob) + lzma.decompress(blob)
    d = zlib.decompressobj()
    # ruleid: python.dos.unbounded-decompression
    part = d.decompress(chunk)
    # bounded: the caller checks d.unconsumed_tail
    # ok: python.dos.unbounded-decompression
    bounded = d.decompress(chunk, 65536)
    # ok: python.dos.unbounded-decompression
    fixed = zlib.decompress(b"x\x9c\xcbH\xcd\xc9\xc9\x07\x00\x06,\x02\x15")
    return text, data, more, part, bounded, fixed
