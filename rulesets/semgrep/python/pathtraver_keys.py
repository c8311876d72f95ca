# Test cases for pathtraver_keys.yaml (semgrep --test annotations).
import json
import os
import re
import shutil
from pathlib import Path


def write_modules(spec, out_dir: Path):
    for tag, endpoints in spec["tags"].items():
        module_path = out_dir / f"{tag}.py"
        # ruleid: python.pathtraver.mapping-key-in-written-file-name
        module_path.write_text(render(endpoints))


def export_sections(doc, target):
    for name, body in doc.items():
        # ruleid: python.pathtraver.mapping-key-in-written-file-name
        with open(os.path.join(target, name + ".json"), "w") as fh:
            json.dump(body, fh)


def make_dirs(manifest, root):
    for key in manifest.keys():
        # ruleid: python.pathtraver.mapping-key-in-written-file-name
        (root / key).mkdir(parents=True)


def copy_assets(assets, dest):
    for name, src in sorted(assets.items()):
        target = os.path.join(dest, name)
        # ruleid: python.pathtraver.mapping-key-in-written-file-name
        shutil.copyfile(src, target)


def write_cleaned(spec, out_dir: Path):
    for tag, endpoints in spec["tags"].items():
        tag = re.sub(r"[^\w]", "", tag)
        module_path = out_dir / f"{tag}.py"
        # ok: python.pathtraver.mapping-key-in-written-file-name
        module_path.write_text(render(endpoints))


def read_sections(doc, target):
    for name, body in doc.items():
        # ok: python.pathtraver.mapping-key-in-written-file-name
        with open(os.path.join(target, name + ".json")) as fh:
            body.update(json.load(fh))


def write_by_value(doc, target: Path):
    for name, body in doc.items():
        # ok: python.pathtraver.mapping-key-in-written-file-name
        (target / body.slug).write_text(name)


def write_fixed(doc, target: Path):
    for name, body in doc.items():
        # ok: python.pathtraver.mapping-key-in-written-file-name
        (target / "index.txt").write_text(name)


def render(x):
    return str(x)
