import os
import pathlib
import shutil
import tarfile
import zipfile


def unzip_by_hand(archive, root):
    zf = zipfile.ZipFile(archive)
    for name in zf.namelist():
        if name.endswith("/"):
            continue
        target = os.path.join(root, *name.split("/"))
        # ruleid: python.pathtraver.archive-member-name-in-path
        with open(target, "wb") as out, zf.open(name) as src:
            shutil.copyfileobj(src, out)


def unzip_dirs(archive, root):
    zf = zipfile.ZipFile(archive)
    dirs = set()
    for name in zf.namelist():
        dirs.add(name.rsplit("/", 1)[0])
    for d in sorted(dirs):
        path = os.path.join(root, d)
        if not os.path.exists(path):
            # ruleid: python.pathtraver.archive-member-name-in-path
            os.makedirs(path)


def unzip_infolist(archive, dest: pathlib.Path):
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            out = dest / info.filename
            # ruleid: python.pathtraver.archive-member-name-in-path
            out.write_bytes(zf.read(info))


def untar_links(archive, dest):
    with tarfile.open(archive) as tf:
        for member in tf.getmembers():
            if member.issym():
                # ruleid: python.pathtraver.archive-member-name-in-path
                os.symlink(member.linkname, os.path.join(dest, member.name))


def untar_exists(archive, dest):
    with tarfile.open(archive) as tf:
        for member in tf.getmembers():
            member_path = os.path.join(dest, member.name)
            if os.path.exists(member_path):
                continue
            # ruleid: python.pathtraver.archive-member-name-in-path
            with open(member_path, "wb") as out:
                out.write(tf.extractfile(member).read())


def unzip_checked(archive, root):
    zf = zipfile.ZipFile(archive)
    base = os.path.realpath(root)
    for name in zf.namelist():
        target = os.path.realpath(os.path.join(base, name))
        if not target.startswith(base + os.sep):
            raise ValueError(name)
        # ok: python.pathtraver.archive-member-name-in-path
        with open(target, "wb") as out:
            out.write(zf.read(name))


def untar_checked_helper(archive, dest):
    with tarfile.open(archive) as tf:
        for member in tf.getmembers():
            member_path = os.path.join(dest, member.name)
            if not is_within_directory(dest, member_path):
                raise Exception("path traversal in tar file")
            # ok: python.pathtraver.archive-member-name-in-path
            with open(member_path, "wb") as out:
                out.write(tf.extractfile(member).read())


def unzip_resolved(archive, dest: pathlib.Path):
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            out = (dest / info.filename).resolve()
            out.relative_to(dest.resolve())
            # ok: python.pathtraver.archive-member-name-in-path
            out.write_bytes(zf.read(info))


def unzip_flat(archive, root):
    zf = zipfile.ZipFile(archive)
    for name in zf.namelist():
        target = os.path.join(root, os.path.basename(name))
        # ok: python.pathtraver.archive-member-name-in-path
        with open(target, "wb") as out:
            out.write(zf.read(name))


def unzip_builtin(archive, root):
    zf = zipfile.ZipFile(archive)
    for name in zf.namelist():
        # ok: python.pathtraver.archive-member-name-in-path
        zf.extract(name, root)


def list_sizes(archive, log):
    zf = zipfile.ZipFile(archive)
    for info in zf.infolist():
        # ok: python.pathtraver.archive-member-name-in-path
        with open(log, "a") as out:
            out.write("%s\n" % len(info.filename))


def is_within_directory(directory, target):
    return os.path.commonpath([os.path.abspath(directory), os.path.abspath(target)]) == os.path.abspath(directory)
