import threading
from unittest import mock

from gongkai.web import ratelimit
from gongkai.web.ratelimit import allow


def _from(rf, address):
    return rf.get("/", REMOTE_ADDR=address)


def test_each_client_has_its_own_count(rf):
    first, second = _from(rf, "198.51.100.1"), _from(rf, "198.51.100.2")
    assert [allow(first, "b", limit=3, window_seconds=60) for _ in range(4)] == [True, True, True, False]
    assert allow(second, "b", limit=3, window_seconds=60) is True
    assert allow(first, "other", limit=3, window_seconds=60) is True


def test_a_new_window_starts_from_zero_and_removes_the_old_ones(rf, settings):
    request = _from(rf, "198.51.100.1")
    with mock.patch("gongkai.web.ratelimit.time.time", return_value=600.0):
        assert [allow(request, "b", limit=1, window_seconds=60) for _ in range(2)] == [True, False]
    with mock.patch("gongkai.web.ratelimit.time.time", return_value=660.0):
        assert allow(request, "b", limit=1, window_seconds=60) is True
    assert [p.name for p in (settings.DATA_DIR / "ratelimit" / "b").iterdir()] == ["11"]


def test_a_client_over_its_limit_stops_growing_its_file(rf, settings):
    request = _from(rf, "198.51.100.1")
    for _ in range(50):
        allow(request, "b", limit=5, window_seconds=60)
    (counter,) = (settings.DATA_DIR / "ratelimit" / "b").glob("*/*")
    assert counter.stat().st_size == 5


def test_concurrent_attempts_are_each_counted_once(rf):
    request = _from(rf, "198.51.100.1")
    answers = []
    start = threading.Barrier(8)

    def attempt():
        start.wait()
        for _ in range(25):
            answers.append(allow(request, "b", limit=100, window_seconds=60))

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers.count(True) == 100 and answers.count(False) == 100


def test_a_client_key_never_becomes_a_path(rf, settings):
    settings.GONGKAI_TRUSTED_PROXIES = ["127.0.0.1"]
    request = rf.get("/", HTTP_X_FORWARDED_FOR="../../../etc/passwd")
    assert allow(request, "b", limit=1, window_seconds=60) is True
    (counter,) = (settings.DATA_DIR / "ratelimit" / "b").glob("*/*")
    assert len(counter.name) == 32 and counter.parent.parent.name == "b"


def test_reset_forgets_every_count(rf):
    request = _from(rf, "198.51.100.1")
    assert allow(request, "b", limit=1, window_seconds=60) is True
    ratelimit.reset()
    assert allow(request, "b", limit=1, window_seconds=60) is True
