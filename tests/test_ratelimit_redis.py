"""Rate limits are kept in Redis when RATELIMIT_STORAGE_URI says so (several workers share it).

The limiter is one object per process, so this runs the app in a child process of its own.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import redis

from tests.conftest import TEST_DATABASE_URL

REDIS_URL = "redis://127.0.0.1:6379/15"


def test_limiet_op_inloggen_telt_in_redis(app):
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.flushdb()
    except redis.ConnectionError:
        pytest.fail("Redis draait niet op 127.0.0.1:6379 (zie README)")
    script = textwrap.dedent(f"""
        from participatie import create_app
        app = create_app({{"SQLALCHEMY_DATABASE_URI": {TEST_DATABASE_URL!r}, "TESTING": True,
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": {REDIS_URL!r},
                          "RATELIMIT_LOGIN": "3 per minute"}})
        client = app.test_client()
        codes = [client.post("/login", data={{"email": "x@hengelo.nl", "password": "p"}})
                 .status_code for _ in range(4)]
        print(codes)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[200, 200, 200, 429]"
    assert any(b"login" in key for key in server.keys("*"))
    server.flushdb()
