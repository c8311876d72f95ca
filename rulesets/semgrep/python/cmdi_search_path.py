# Test cases for cmdi_search_path.yaml (semgrep --test annotations).
import os
import shutil
import subprocess
from subprocess import Popen

GIT = r"C:\Program Files\Git\cmd\git.exe"


def run_hook(hook, args, workdir):
    cmd = [hook]
    if os.name == "nt":
        cmd = ["bash.exe", hook]
    # ruleid: python.cmdi.windows-program-by-bare-name
    return subprocess.Popen(cmd + list(args), cwd=workdir)


def status(workdir):
    # ruleid: python.cmdi.windows-program-by-bare-name
    return subprocess.check_output(["git.exe", "status"], cwd=workdir)


def build(target):
    # ruleid: python.cmdi.windows-program-by-bare-name
    os.system("make.bat " + target)


def convert(src):
    # ruleid: python.cmdi.windows-program-by-bare-name
    Popen(["ffmpeg.EXE", "-i", src])


def status_absolute(workdir):
    # ok: python.cmdi.windows-program-by-bare-name
    return subprocess.check_output([GIT, "status"], cwd=workdir)


def status_full_path(workdir):
    # ok: python.cmdi.windows-program-by-bare-name
    return subprocess.check_output([r"C:\Windows\System32\where.exe", "git"], cwd=workdir)


def status_which(workdir):
    git = shutil.which("git")
    # ok: python.cmdi.windows-program-by-bare-name
    return subprocess.check_output([git, "status"], cwd=workdir)


def status_posix(workdir):
    # ok: python.cmdi.windows-program-by-bare-name
    return subprocess.check_output(["git", "status"], cwd=workdir)


def open_doc(path):
    # ok: python.cmdi.windows-program-by-bare-name
    return subprocess.run(["xdg-open", "report.exe.txt"])
