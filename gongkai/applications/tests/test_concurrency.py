"""50 parallel public submissions, each retried, yield exactly 50 applications."""

import threading

import pytest
from django.db import close_old_connections, connection

from gongkai.applications import intake
from gongkai.applications.models import Application
from gongkai.applications.tests.conftest import applicant

SUBMISSIONS = 50


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_with_retries(taxonomy, world):
    errors, barrier = [], threading.Barrier(10)

    def client(batch):
        close_old_connections()
        try:
            barrier.wait(timeout=20)
            for n in batch:
                for _attempt in range(2):  # every submission is sent twice, as a retrying client would
                    intake.submit_online(agency=world.agency_a, data=applicant(description=f"第{n}号申请：请公开相关文件。"),
                                         submission_key=f"key-{n}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    batches = [range(i, SUBMISSIONS, 10) for i in range(10)]
    threads = [threading.Thread(target=client, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[:3]
    assert Application.objects.count() == SUBMISSIONS
    assert Application.objects.values("submission_key").distinct().count() == SUBMISSIONS
