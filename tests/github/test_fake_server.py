"""The fake is only worth its checks: it must refuse what GitHub's description does not allow."""

from __future__ import annotations

import requests

from tests.github.fake_github import FakeGitHub, Pull

HEADERS = {"Authorization": "token bot-token", "User-Agent": "test"}


def test_the_fake_flags_requests_outside_the_description() -> None:
    with FakeGitHub() as fake:
        fake.add_pull(
            Pull(
                1,
                "a" * 40,
                "b" * 40,
                "someone",
                "o/r",
                "o/r",
                [{"filename": "x.py", "status": "added", "patch": "@@ -0,0 +1,2 @@\n+a\n+b"}],
            )
        )
        api = fake.api_url + "/repos/o/r"
        bad_event = requests.post(
            f"{api}/pulls/1/reviews", json={"event": "BLOCK", "body": "x"}, headers=HEADERS, timeout=5
        )
        wrong_type = requests.post(
            f"{api}/pulls/1/reviews", json={"comments": [{"path": "x.py", "line": "2"}]}, headers=HEADERS, timeout=5
        )
        unknown = requests.get(f"{api}/pulls/1/timeline", headers=HEADERS, timeout=5)
        anonymous = requests.get(f"{api}/pulls/1", headers={"User-Agent": "test"}, timeout=5)
        bad_param = requests.get(f"{api}/pulls/abc", headers=HEADERS, timeout=5)
        off_diff = requests.post(
            f"{api}/pulls/1/reviews",
            json={
                "event": "COMMENT",
                "body": "x",
                "comments": [{"path": "x.py", "line": 5, "side": "RIGHT", "body": "y"}],
            },
            headers=HEADERS,
            timeout=5,
        )
        assert [r.status_code for r in (bad_event, wrong_type, unknown, anonymous, bad_param)] == [
            422,
            422,
            404,
            401,
            422,
        ]
        assert off_diff.status_code == 422 and fake.violations  # off the diff is GitHub's 422, not a spec violation
        assert len(fake.violations) == 6  # the second request breaks two rules
        assert any("'BLOCK' is not one of" in v for v in fake.violations)
        assert any("'body' is a required property" in v for v in fake.violations)
