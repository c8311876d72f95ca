# Test cases for cmdi_sink.yaml (semgrep --test annotations).
import asyncio
import os
import shlex
import subprocess

UPTIME = "uptime"
PREFIX = "ls "


def run(user, branch, count, repo_url, *extra):
    # A parameter, whatever the caller passed.
    # ruleid: python.cmdi.shell-non-constant-command
    os.system("ls " + user)
    # ruleid: python.cmdi.shell-non-constant-command
    subprocess.call(f"ping -c 1 {user}", shell=True)
    cmd = "nslookup %s" % user
    # ruleid: python.cmdi.shell-non-constant-command
    os.popen(cmd)
    # ruleid: python.cmdi.shell-non-constant-command
    subprocess.run([user, "-l"], shell=True)
    # Constants: a literal, a module constant, constants joined or formatted.
    # ok: python.cmdi.shell-non-constant-command
    os.system("uptime")
    # ok: python.cmdi.shell-non-constant-command
    os.system(UPTIME)
    # ok: python.cmdi.shell-non-constant-command
    os.system(PREFIX + "/tmp")
    # ok: python.cmdi.shell-non-constant-command
    os.system(f"ls {UPTIME}")
    # ok: python.cmdi.shell-non-constant-command
    os.system("ls %s" % UPTIME)
    # ok: python.cmdi.shell-non-constant-command
    subprocess.run(["ls", "-l"], shell=True)
    # ok: python.cmdi.shell-non-constant-command
    subprocess.run("ls " + user, shell=False)
    # ok: python.cmdi.shell-non-constant-command
    os.system("ls " + shlex.quote(user))

    # Argument injection: a value that may begin with "-" is read as an option.
    # ruleid: python.cmdi.argument-injection-no-separator
    subprocess.run(["git", "clone", repo_url])
    # ruleid: python.cmdi.argument-injection-no-separator
    subprocess.check_output(["ssh", user, "uptime"])
    # ok: python.cmdi.argument-injection-no-separator
    subprocess.run(["git", "clone", "--", repo_url])
    # ok: python.cmdi.argument-injection-no-separator
    subprocess.run(["git", "checkout", f"origin/{branch}"])
    # ok: python.cmdi.argument-injection-no-separator
    subprocess.run(["git", "log", "-n", str(int(count))])
    # ok: python.cmdi.argument-injection-no-separator
    subprocess.run(["git", "log", "-n", "5"])
    # ok: python.cmdi.argument-injection-no-separator
    subprocess.run(["git", f"--git-dir={user}", "status"])
    # ok: python.cmdi.argument-injection-no-separator
    subprocess.run(["git", "rev-parse", f"{UPTIME}^"])
    # ok: python.cmdi.argument-injection-no-separator
    subprocess.run(["git", *extra])
    # not a program with command-running options
    # ok: python.cmdi.argument-injection-no-separator
    subprocess.run(["ls", user])
    # a version-control program chosen at run time, known by its subcommand
    # ruleid: python.cmdi.argument-injection-no-separator
    subprocess.check_output([repo_type, "clone", repo_url], cwd=clone_to_dir)
    # ruleid: python.cmdi.argument-injection-no-separator
    subprocess.check_output([repo_type, "checkout", checkout], cwd=repo_dir)
    # ok: python.cmdi.argument-injection-no-separator
    subprocess.check_output([repo_type, "clone", "--", repo_url], cwd=clone_to_dir)
    # ok: python.cmdi.argument-injection-no-separator
    subprocess.run([tool, "build", target])


async def run_async(url):
    # ruleid: python.cmdi.shell-non-constant-command
    await asyncio.create_subprocess_shell("curl " + url)
    # ruleid: python.cmdi.argument-injection-no-separator
    await asyncio.create_subprocess_exec("curl", url)
    # ok: python.cmdi.argument-injection-no-separator
    await asyncio.create_subprocess_exec("curl", "--", url)
