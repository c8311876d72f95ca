import os
import pathlib


def out_path(dest: pathlib.Path, name):
    target = dest.joinpath(name)
    try:
        # ruleid: python.pathtraver.containment-check-before-resolve
        target.relative_to(dest)
    except ValueError:
        raise ValueError("bad name: %s" % name)
    return target


def out_path_inline(name):
    # ruleid: python.pathtraver.containment-check-before-resolve
    pathlib.Path(os.getcwd()).joinpath(name).relative_to(os.getcwd())
    return name


def out_path_div(dest: pathlib.Path, name):
    # ruleid: python.pathtraver.containment-check-before-resolve
    if not (dest / name).is_relative_to(dest):
        raise ValueError(name)


def out_path_str(root, name):
    full = os.path.join(root, name)
    # ruleid: python.pathtraver.containment-check-before-resolve
    if not full.startswith(root):
        raise ValueError(name)
    return full


def out_path_resolved(dest: pathlib.Path, name):
    target = dest.joinpath(name).resolve()
    # ok: python.pathtraver.containment-check-before-resolve
    target.relative_to(dest.resolve())
    return target


def out_path_resolved_inline(dest: pathlib.Path, name):
    # ok: python.pathtraver.containment-check-before-resolve
    (dest / name).resolve().relative_to(dest.resolve())


def out_path_realpath(root, name):
    full = os.path.join(root, name)
    full = os.path.realpath(full)
    # ok: python.pathtraver.containment-check-before-resolve
    if not full.startswith(os.path.realpath(root) + os.sep):
        raise ValueError(name)
    return full


def has_ext(root, name):
    full = os.path.join(root, name)
    # ok: python.pathtraver.containment-check-before-resolve
    return full.startswith("/tmp")


class Static:
    def lookup(self, filename):
        filepath = self._directory.joinpath(filename).resolve()
        # ruleid: python.pathtraver.containment-check-under-condition
        if not self._follow_symlinks:
            filepath.relative_to(self._directory)
        return filepath

    def lookup_both(self, filename):
        unresolved = self._directory.joinpath(filename)
        if self._follow_symlinks:
            normalized = pathlib.Path(os.path.normpath(unresolved))
            normalized.relative_to(self._directory)
            filepath = normalized.resolve()
        else:
            filepath = unresolved.resolve()
            filepath.relative_to(self._directory)
        # ok: python.pathtraver.containment-check-under-condition
        return filepath

    def lookup_always(self, filename):
        filepath = self._directory.joinpath(filename).resolve()
        # ok: python.pathtraver.containment-check-under-condition
        filepath.relative_to(self._directory)
        return filepath


class Handler:
    def serve_static(self):
        # ruleid: python.pathtraver.url-path-joined-to-directory
        static_path = os.path.join(self.root, "web/", self.vpath[5:])
        return self.send_file(static_path)

    def serve_routed(self):
        if self.vpath.startswith(".cpr"):
            if self.vpath.startswith(".cpr/ico/"):
                return self.icon()
            # ruleid: python.pathtraver.url-path-joined-to-directory
            static_path = os.path.join(self.root, "web/", self.vpath[5:])
            return self.send_file(static_path)
        return None

    def serve_refused(self):
        if ".." in self.path:
            return self.not_found()
        # ok: python.pathtraver.url-path-joined-to-directory
        return self.send_file(os.path.join(self.root, self.path[1:]))

    def serve_static_path(self):
        # ruleid: python.pathtraver.url-path-joined-to-directory
        local = pathlib.Path(self.root) / self.path.lstrip("/")
        return local.read_bytes()

    def serve_checked(self):
        base = os.path.realpath(self.root)
        # ok: python.pathtraver.url-path-joined-to-directory
        static_path = os.path.realpath(os.path.join(base, self.vpath[5:]))
        if not static_path.startswith(base + os.sep):
            return self.not_found()
        return self.send_file(static_path)

    def serve_named(self, name):
        # ok: python.pathtraver.url-path-joined-to-directory
        return self.send_file(os.path.join(self.root, self.files[name]))


def copy_tree_paths(src, dst, paths):
    for p in paths:
        # ok: python.pathtraver.url-path-joined-to-directory
        yield os.path.join(dst, p[len(src) + 1 :])


def walk_links(top, base):
    for dirname, _, files in os.walk(top):
        for filename in files:
            fullname = os.path.join(dirname, filename)
            # ok: python.pathtraver.containment-check-before-resolve
            if fullname.startswith(base):
                continue
