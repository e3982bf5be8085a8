"""Helpers for the child processes we start (workbook readers, PDF workers).

Imports no Django: a child imports this before anything else, and must start fast without settings or a database.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

# From <linux/prctl.h>: the signal the kernel sends this process when its parent thread ends.
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None = None) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux; elsewhere nothing happens).

    Without it, a child busy on a hostile file outlives a web worker that was restarted or killed, and keeps its
    memory and CPU. `parent_pid` is the pid the parent gave us: if the parent died before the request was in
    place, we were already handed to init (or a subreaper) and exit at once. The signal follows the parent
    *thread* that started us, so start children from a thread that waits for them (subprocess.run does).
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
    parent = os.getppid()
    if parent == 1 or (parent_pid is not None and parent != parent_pid):
        os._exit(1)  # orphaned before prctl took effect: nobody waits for our answer
