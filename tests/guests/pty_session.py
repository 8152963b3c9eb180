#!/usr/bin/env python3
"""Drive softvisor's console through a pseudo-terminal, as a user would.

    pty_session.py [--step TIMEOUT EXPECT SEND]... -- COMMAND [ARGS...]

Runs COMMAND with a new pty as its controlling terminal (stdin, stdout and
stderr). For each step: wait up to TIMEOUT seconds until the output so far
contains the regular expression EXPECT (empty: do not wait), then type SEND
(Python escapes: \\r, \\x01 for Ctrl-A). After the last step, wait for the
command to exit.

Prints everything the command wrote and exits with its status. Exits 98 if
an EXPECT never came (the command is killed), and 99 if the command left the
terminal in raw mode (echo or canonical mode still off after it exited).
"""
import os
import pty
import re
import select
import signal
import sys
import termios
import time


def main():
    argv = sys.argv[1:]
    steps = []
    while argv and argv[0] == "--step":
        steps.append((float(argv[1]), argv[2], argv[3].encode().decode("unicode_escape")))
        argv = argv[4:]
    if not argv or argv[0] != "--":
        sys.exit(__doc__)
    cmd = argv[1:]
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    out = bytearray()

    def pump(timeout):
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        out.extend(data)
        return True

    status = None
    for timeout, expect, send in steps:
        if expect:
            deadline = time.monotonic() + timeout
            pat = re.compile(expect.encode())
            while not pat.search(out):
                left = deadline - time.monotonic()
                if left <= 0 or not pump(min(left, 0.2)):
                    sys.stdout.write(out.decode(errors="replace"))
                    print(f"\npty_session: no /{expect}/ within {timeout} s", file=sys.stderr)
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    sys.exit(98)
        os.write(fd, send.encode("latin-1"))
    # The rest of the output, until the command exits.
    while True:
        if not pump(0.2):
            break
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
            while pump(0.05):
                pass
            break
    if status is None:
        _, status = os.waitpid(pid, 0)
    # The slave's settings, read through the master after the command
    # ended: softvisor must have put them back.
    try:
        lflag = termios.tcgetattr(fd)[3]
    except termios.error:
        lflag = termios.ECHO | termios.ICANON
    sys.stdout.write(out.decode(errors="replace"))
    sys.stdout.flush()
    if not (lflag & termios.ECHO) or not (lflag & termios.ICANON):
        print("pty_session: the terminal was left in raw mode", file=sys.stderr)
        sys.exit(99)
    sys.exit(os.waitstatus_to_exitcode(status) & 0xff)


if __name__ == "__main__":
    main()
