"""Optional virus scanning of uploads through clamd (ClamAV's daemon), when one is configured.

``GONGKAI_CLAMD``: ``unix:/run/clamav/clamd.ctl`` or ``tcp:127.0.0.1:3310``; empty (the default)
scans nothing. Every upload (attachments, identity papers, correction materials) passes through
disclosure.attachments.check, which calls ``scan``. The file goes to clamd with the INSTREAM
command (the protocol of clamd(8): length-prefixed chunks, a zero-length chunk to end). When clamd
is configured but cannot be reached, the upload is refused rather than stored unscanned: an
operator who turned scanning on relies on it (ATTACHMENT_SCAN_UNAVAILABLE).
"""

import socket
import struct

from django.conf import settings

from gongkai.errors import ServiceError

CHUNK = 64 * 1024


def _connect(address: str, timeout: float) -> socket.socket:
    kind, _, where = address.partition(":")
    if kind == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(where)
        return sock
    if kind == "tcp":
        host, _, port = where.rpartition(":")
        return socket.create_connection((host, int(port)), timeout=timeout)
    raise ServiceError("ATTACHMENT_SCAN_UNAVAILABLE", f"GONGKAI_CLAMD 应为 unix:路径 或 tcp:主机:端口，而不是“{address}”。")


def clamd_answer(content: bytes, address: str, timeout: float = 30.0) -> str:
    """clamd's verdict on ``content``: "stream: OK", "stream: <name> FOUND" or an error line."""
    with _connect(address, timeout) as sock:
        sock.sendall(b"zINSTREAM\0")
        for start in range(0, len(content), CHUNK):
            chunk = content[start:start + CHUNK]
            sock.sendall(struct.pack(">I", len(chunk)) + chunk)
        sock.sendall(struct.pack(">I", 0))
        answer = b""
        while not answer.endswith(b"\0"):
            part = sock.recv(4096)
            if not part:
                break
            answer += part
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(name: str, content: bytes) -> None:
    """Refuse ``content`` if clamd finds something in it; nothing to do when no clamd is configured."""
    address = getattr(settings, "GONGKAI_CLAMD", "")
    if not address:
        return
    try:
        answer = clamd_answer(content, address, float(getattr(settings, "GONGKAI_CLAMD_TIMEOUT", 30)))
    except OSError as exc:
        raise ServiceError("ATTACHMENT_SCAN_UNAVAILABLE", f"病毒查杀服务暂时无法使用，附件“{name}”未能上传，请稍后再试。",
                           field="attachments") from exc
    if answer.endswith("FOUND"):
        raise ServiceError("ATTACHMENT_INFECTED", f"附件“{name}”中检出病毒或恶意代码，不能上传。", field="attachments")
    if not answer.endswith("OK"):
        raise ServiceError("ATTACHMENT_SCAN_UNAVAILABLE", f"病毒查杀服务未能检查附件“{name}”，请稍后再试。",
                           field="attachments")
