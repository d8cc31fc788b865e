"""Loaded by every Python process started with this folder on PYTHONPATH.

Makes any network connection fail and records the attempt in the file named by
``DUPSCAN_NONET_LOG``, so a test can check that no process of a scan (the CLI
and its spawned workers) ever tried to reach the network. Local ``AF_UNIX``
sockets, which multiprocessing may use, are left alone.
"""

from __future__ import annotations

import os
import socket

_LOG = os.environ.get("DUPSCAN_NONET_LOG", "")
_LOCAL = {getattr(socket, "AF_UNIX", None)}


def _record(what: str, target: object) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {what} {target!r}\n")


def _blocked(what: str):
    def refuse(*args, **kwargs):
        _record(what, args[1:] if args and isinstance(args[0], socket.socket) else args)
        raise OSError(f"network access blocked by the test harness ({what})")
    return refuse


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _guard(original, what):
    def connect(self, address, *args):
        if self.family in _LOCAL:
            return original(self, address, *args)
        return _blocked(what)(self, address)
    return connect


socket.socket.connect = _guard(_connect, "connect")
socket.socket.connect_ex = _guard(_connect_ex, "connect_ex")
socket.create_connection = _blocked("create_connection")
socket.getaddrinfo = _blocked("getaddrinfo")
socket.gethostbyname = _blocked("gethostbyname")
