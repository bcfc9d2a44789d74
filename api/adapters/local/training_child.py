"""The entry point of a local training's child process (``training.py`` starts it).

``python -m api.adapters.local.training_child PARENT_PID PROGRAM ARGS...`` asks the
kernel to kill this process when its parent dies (Linux ``PR_SET_PDEATHSIG``), so a
server that crashed or was killed leaves no trainer burning CPU, then runs ``PROGRAM``
(a module, or a ``.py`` file) as ``__main__`` with ``ARGS``, as ``python -m`` would.
"""

from __future__ import annotations

import ctypes
import os
import runpy
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Be killed when the parent dies; exit now if it is already gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        sys.exit(f"the server (pid {parent_pid}) is gone; not training")


def main(argv: list[str]) -> None:
    parent_pid, program, *args = argv
    die_with_parent(int(parent_pid))
    sys.argv = [program, *args]
    if program.endswith(".py"):
        runpy.run_path(program, run_name="__main__")
    else:
        runpy.run_module(program, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
