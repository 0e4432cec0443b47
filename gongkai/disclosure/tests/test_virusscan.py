"""Uploads scanned by clamd when configured: a real socket server on loopback speaks INSTREAM."""

import socket
import struct
import threading

import pytest

from gongkai.disclosure.attachments import check
from gongkai.errors import ServiceError

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PDF = b"%PDF-1.4\nclean\n"


class FakeClamd:
    """clamd's INSTREAM protocol on a loopback port: reads the chunks, answers FOUND for EICAR."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.server.settimeout(10)
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def address(self) -> str:
        return f"tcp:127.0.0.1:{self.server.getsockname()[1]}"

    def _read(self, conn, n):
        data = b""
        while len(data) < n:
            part = conn.recv(n - len(data))
            if not part:
                raise ConnectionError
            data += part
        return data

    def _serve(self):
        try:
            conn, _ = self.server.accept()
        except OSError:
            return
        with conn:
            assert self._read(conn, 10) == b"zINSTREAM\0"
            content = b""
            while (size := struct.unpack(">I", self._read(conn, 4))[0]) != 0:
                content += self._read(conn, size)
            self.received.append(content)
            conn.sendall(b"stream: Eicar-Test-Signature FOUND\0" if b"EICAR" in content else b"stream: OK\0")

    def close(self):
        self.server.close()
        self.thread.join(5)


@pytest.fixture
def clamd(settings):
    fake = FakeClamd()
    settings.GONGKAI_CLAMD = fake.address
    yield fake
    fake.close()


def test_a_clean_file_passes_and_clamd_saw_all_of_it(clamd):
    large = PDF + bytes(range(256)) * 1000  # several INSTREAM chunks
    assert check("通知.pdf", large).kind == "pdf"
    assert clamd.received == [large]


def test_an_infected_file_is_refused(clamd):
    with pytest.raises(ServiceError) as refused:
        check("通知.pdf", b"%PDF-1.4\n" + EICAR)
    assert refused.value.code == "ATTACHMENT_INFECTED" and "通知.pdf" in refused.value.message


def test_a_configured_clamd_that_is_down_refuses_rather_than_skips(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    settings.GONGKAI_CLAMD = f"tcp:127.0.0.1:{port}"
    with pytest.raises(ServiceError) as refused:
        check("通知.pdf", PDF)
    assert refused.value.code == "ATTACHMENT_SCAN_UNAVAILABLE"


def test_without_clamd_nothing_is_scanned(settings):
    settings.GONGKAI_CLAMD = ""
    assert check("通知.pdf", PDF).kind == "pdf"
