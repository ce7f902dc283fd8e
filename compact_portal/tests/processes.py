"""For tests that run other processes: a free port on loopback for one, and waiting for it to do something."""

import socket
import time


def free_port():
    """A port on 127.0.0.1 that nothing listens on (just now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, what, timeout=15):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"Not {what} after {timeout} seconds"
        time.sleep(0.05)
