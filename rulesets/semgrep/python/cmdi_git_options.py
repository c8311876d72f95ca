# Test cases for cmdi_git_options.yaml (semgrep --test annotations).
import git
from git import Repo

UNSAFE = ("upload_pack", "u", "config", "c", "receive_pack", "exec")


# ruleid: python.cmdi.gitpython-kwargs-as-options
def mirror(url, dest, **options):
    return Repo.clone_from(url, dest, **options)


class Workspace:
    def __init__(self, path):
        self.repo = Repo(path)

    # ruleid: python.cmdi.gitpython-kwargs-as-options
    def update(self, remote, **kwargs):
        out = self.repo.git.fetch(remote, "--prune", **kwargs)
        return out

    # ruleid: python.cmdi.gitpython-kwargs-as-options
    def export(self, ref, progress=None, **kwargs):
        proc = self.repo.git.archive("--", ref, as_process=True, **with_progress(kwargs, progress))
        return proc.communicate()

    # ok: python.cmdi.gitpython-kwargs-as-options
    def update_checked(self, remote, **kwargs):
        refuse_options(list(kwargs.keys()), UNSAFE)
        return self.repo.git.fetch("--", remote, **kwargs)

    # ok: python.cmdi.gitpython-kwargs-as-options
    def update_loop(self, remote, **kwargs):
        for key in kwargs:
            if key in UNSAFE:
                raise ValueError(key)
        return self.repo.git.fetch("--", remote, **kwargs)

    # ok: python.cmdi.gitpython-kwargs-as-options
    def update_candidates(self, rev, allow_unsafe=False, **kwargs):
        if not allow_unsafe:
            refuse_options(option_names([rev], kwargs), UNSAFE)
        return self.repo.git.log(rev, "--", **kwargs)

    # ruleid: python.cmdi.gitpython-kwargs-as-options
    def export_to(self, ref, target=None, **kwargs):
        if target:
            kwargs["output"] = target
        return self.repo.git.archive(ref, **kwargs)

    # ok: python.cmdi.gitpython-kwargs-as-options
    def status(self, **kwargs):
        # keyword arguments of another API, not git's
        return self.repo.git.status(porcelain=True), render(**kwargs)


# ok: python.cmdi.gitpython-kwargs-as-options
def clone_fixed(url, dest, branch=None):
    return git.Repo.clone_from(url, dest, branch=branch, depth=1)


def with_progress(kwargs, progress):
    if progress is not None:
        kwargs["progress"] = True
    return kwargs


def refuse_options(names, unsafe):
    for name in names:
        if name in unsafe:
            raise ValueError(name)


def option_names(args, kwargs):
    return list(args) + list(kwargs)


def render(**kwargs):
    return kwargs
