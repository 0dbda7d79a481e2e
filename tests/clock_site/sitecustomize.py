"""Started by Python in a process a test run launches with a moved clock (tests/clock.py): the
process's clock is moved by the same offset, so the tests and their worker agree on the time."""

import os

_offset = os.environ.get("EJOURNAL_TEST_CLOCK_OFFSET")
if _offset:
    import time

    import time_machine

    time_machine.travel(time.time() + float(_offset), tick=True).start()
