# Test cases for archive.yaml (semgrep --test annotations).
import shutil
import tarfile
import zipfile


def install(bundle_path, target):
    with tarfile.open(bundle_path) as tf:
        # ruleid: python.pathtraver.tar-extraction-without-filter
        tf.extractall(target)


def restore(upload, target):
    archive = tarfile.open(fileobj=upload, mode="r:gz")
    # ruleid: python.pathtraver.tar-extraction-without-filter
    archive.extract("data/config.json", target)
    # ruleid: python.pathtraver.tar-extraction-without-filter
    tarfile.open(upload.name).extractall(target)
    archive.close()


def unpack(path, target):
    # ruleid: python.pathtraver.unpack-archive-without-filter
    shutil.unpack_archive(path, target)


def safe_members(tf, target):
    return [m for m in tf.getmembers() if not m.name.startswith(("/", ".."))]


def safe(bundle_path, target):
    with tarfile.open(bundle_path) as tf:
        # ok: python.pathtraver.tar-extraction-without-filter
        tf.extractall(target, filter="data")
    with tarfile.open(bundle_path) as tf:
        # ok: python.pathtraver.tar-extraction-without-filter
        tf.extractall(target, members=safe_members(tf, target))
    with tarfile.open("vendor/fixtures.tar") as tf:
        # ok: python.pathtraver.tar-extraction-without-filter
        tf.extractall(target)
    # ok: python.pathtraver.unpack-archive-without-filter
    shutil.unpack_archive(bundle_path, target, filter="data")
    # ok: python.pathtraver.unpack-archive-without-filter
    shutil.unpack_archive("assets.zip", target)
    with zipfile.ZipFile(bundle_path) as zf:
        # ok: python.pathtraver.tar-extraction-without-filter
        zf.extractall(target)
