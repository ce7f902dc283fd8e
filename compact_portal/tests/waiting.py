"""Waiting, in tests, for another process to do something."""

import time


def wait_for(condition, what, timeout=15):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"Not {what} after {timeout} seconds"
        time.sleep(0.05)
