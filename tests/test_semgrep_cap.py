"""Which files a whole-tree scan keeps from semgrep (scanners/semgrep_cap.py): very large ones,
minified ones, and copies of browser libraries known by their name and licence banner."""

from __future__ import annotations

from reviewbot.scanners.semgrep_cap import held_back

BANNER = b"/*!\n * jQuery JavaScript Library v3.5.1\n * Released under the MIT license\n */\n"
BODY = b"(function (global) {\n  return global.document;\n})(this);\n" * 20


def test_a_released_library_copy_is_held_back_with_its_name_in_the_note() -> None:
    files = {
        "static/jquery/jquery.js": BANNER + BODY,
        "static/js/jquery-3.2.1.min.js": b"/*! jQuery v3.2.1 | (c) JS Foundation */" + BODY,
        "static/bootstrap/js/bootstrap.bundle.js": b"/*!\n  * Bootstrap v4.5.3\n  */\n" + BODY,
        "vendor/d3.v7.min.js": b"// @license https://d3js.org v7 Copyright Mike Bostock\n" + BODY,
    }
    held = held_back(files, 500_000, 500)
    assert sorted(held) == sorted(files)
    assert held["static/jquery/jquery.js"] == (
        "a copy of a browser library, by its name jquery.js (semgrep.whole_tree_skip_libraries)"
    )


def test_the_repositorys_own_files_are_kept_even_with_a_library_like_name() -> None:
    files = {
        "src/chart.js": b"import { draw } from './draw.js';\nexport function chart(el) { draw(el) }\n",  # no banner
        "src/jquery_helpers.js": BANNER + BODY,  # not a release file name
        "src/react-app.js": BANNER + BODY,
        "vue.config.js": b"/*! config */ module.exports = {}\n",
        "app.js": BANNER + BODY,
    }
    assert held_back(files, 500_000, 500) == {}


def test_the_library_test_can_be_turned_off_and_the_size_tests_still_apply() -> None:
    files = {"static/jquery.js": BANNER + BODY, "big.js": b"var a = 1;\n" * 60_000}
    held = held_back(files, 500_000, 500, libraries=False)
    assert list(held) == ["big.js"] and held["big.js"].startswith("larger than semgrep.whole_tree_max_bytes")
