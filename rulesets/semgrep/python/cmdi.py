# Test cases for cmdi.yaml (semgrep --test annotations).
import asyncio
import http.server
import os
import shlex
import subprocess

import tornado.web

import flask
from fastapi import Depends, FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()


@app.route("/ping")
def ping():
    host = request.args.get("host")
    # ruleid: python.cmdi.shell-command-injection
    os.system("ping -c 1 " + host)
    # ruleid: python.cmdi.shell-command-injection
    subprocess.run(f"ping -c 1 {host}", shell=True)
    cmd = "nslookup %s" % request.form["name"]
    # ruleid: python.cmdi.shell-command-injection
    out = os.popen(cmd).read()
    # ok: python.cmdi.shell-command-injection
    subprocess.run("ping -c 1 " + shlex.quote(host), shell=True)
    # ok: python.cmdi.shell-command-injection
    os.system("uptime")
    count = int(request.args.get("count"))
    # ok: python.cmdi.shell-command-injection
    os.system(f"ping -c {count} localhost")
    return out


@app.route("/archive/<name>")
def archive(name):
    # ruleid: python.cmdi.shell-command-injection
    subprocess.check_output("tar czf /tmp/out.tgz " + name, shell=True)
    # ok: python.cmdi.shell-command-injection
    subprocess.check_output("tar czf /tmp/out.tgz data", shell=True)
    return "ok"


def header_command():
    argstr = "sh -c "
    argstr += "echo " + flask.request.headers.get("X-Name")
    # ruleid: python.cmdi.shell-command-injection
    return subprocess.getoutput(argstr)


def view(request):
    # Django view
    target = request.GET.get("target")
    # ruleid: python.cmdi.shell-command-injection
    subprocess.Popen("traceroute " + target, shell=True)
    # no shell: reported by the argv rule only
    # ruleid: python.cmdi.subprocess-argv-injection
    subprocess.Popen(["traceroute", "--", target], shell=False)
    return target


def not_a_request(config):
    # Data not coming from an HTTP request is not reported by the taint rules.
    # ok: python.cmdi.shell-command-injection
    os.system("backup " + config["dir"])


@api.get("/lookup")
async def lookup(domain: str, db=Depends(object)):
    # ruleid: python.cmdi.shell-command-injection
    proc = await asyncio.create_subprocess_shell("dig " + domain)
    # ok: python.cmdi.shell-command-injection
    await asyncio.create_subprocess_shell("dig " + str(db))
    return proc


@app.route("/convert")
def convert():
    name = request.values.get("file")
    args = []
    args.append("sh")
    args.append("-c")
    args.append(f"convert {name} out.png")
    # ruleid: python.cmdi.subprocess-argv-injection
    subprocess.run(args, capture_output=True)
    # ruleid: python.cmdi.subprocess-argv-injection
    subprocess.call(["git", "log", request.args["branch"]])
    # ruleid: python.cmdi.subprocess-argv-injection
    os.execvp("grep", ["grep", name, "/var/log/app.log"])
    # ok: python.cmdi.subprocess-argv-injection
    subprocess.run(["convert", "in.png", "out.png"])
    # ok: python.cmdi.subprocess-argv-injection
    subprocess.run(["convert", shlex.quote(name), "out.png"])
    # ok: python.cmdi.subprocess-argv-injection
    subprocess.run(["head", "-n", str(int(request.args["n"])), "log.txt"])
    # shell=True is reported by the other rule only
    # ruleid: python.cmdi.shell-command-injection
    subprocess.run("convert " + name, shell=True)
    return "done"


@api.post("/exec")
async def run_tool(tool_arg: str):
    # ruleid: python.cmdi.subprocess-argv-injection
    await asyncio.create_subprocess_exec("tool", tool_arg)
    # ok: python.cmdi.subprocess-argv-injection
    await asyncio.create_subprocess_exec("tool", "--version")


@app.route("/sliced")
def sliced():
    # semgrep's taint engine drops taint under a slice (semgrep issue #6203); the rules' slice
    # propagator gives a slice of a variable what was assigned to the variable.
    host = request.args["host"]
    trimmed = host[:64]
    # ruleid: python.cmdi.shell-command-injection
    os.system("ping " + trimmed)
    # ruleid: python.cmdi.shell-command-injection
    os.system("ping " + host.strip()[1:])
    local = "localhost"
    # ok: python.cmdi.shell-command-injection
    os.system("ping " + local[:5])
    # Not flow-sensitive (docs/rules.md, "Known limits"): the earlier tainted assignment still
    # reaches the slice after the variable is reassigned a constant.
    host = "localhost"
    # todook: python.cmdi.shell-command-injection
    os.system("ping " + host[:5])


@app.route("/sliced-twice")
def sliced_twice():
    # Known false negative: a slice of a variable that was itself assigned a slice. semgrep
    # evaluates the propagators out of an expression before those into it, so the second
    # slice gets nothing from the first (docs/rules.md, "Known limits").
    query = request.query_string.decode()
    value = query[query.find("=") + 1 :]
    # todoruleid: python.cmdi.shell-command-injection
    os.system("ping " + value[:64])


# Tornado: get_argument is the client's query or body argument.
class PingHandler(tornado.web.RequestHandler):
    def get(self):
        host = self.get_argument("host")
        # ruleid: python.cmdi.shell-command-injection
        os.system("ping -c 1 " + host)
        # ok: python.cmdi.shell-command-injection
        os.system("ping -c 1 " + shlex.quote(host))


# http.server: the request target of a BaseHTTPRequestHandler is the client's.
class RawHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        target = self.path.split("?", 1)[-1]
        # ruleid: python.cmdi.shell-command-injection
        subprocess.run("nslookup " + target, shell=True)


class NotAHandler:
    def run(self):
        # ok: python.cmdi.shell-command-injection
        os.system("ls " + self.path)


class SystemQuery:
    def resolve_system_debug(self, info, arg=None):
        # ruleid: python.cmdi.shell-command-injection
        subprocess.call("ps {}".format(arg), shell=True)

    def mutate(root, info, host):
        # ruleid: python.cmdi.shell-command-injection
        os.system("curl " + host)
