#!/usr/bin/python3
"""A person at a terminal, for the pinentry test: opens a pseudo-terminal, prints its name (GPG_TTY for the
program under test), waits for a pinentry program to ask on it ("PIN:"), types the answer, and keeps the terminal
open until told to stop (stdin closes). Everything the program showed is printed after a line "--- screen"."""
import os
import pty
import select
import sys
import time

answer = sys.argv[1]  # what the person types; "EOF" gives up (Ctrl-D: end of input)
master, slave = pty.openpty()
print(os.ttyname(slave), flush=True)
screen = b""
typed = False
deadline = time.time() + 60
while time.time() < deadline:
    ready, _, _ = select.select([master, sys.stdin], [], [], 0.2)
    if master in ready:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        screen += data
        if not typed and b"PIN:" in screen:
            time.sleep(0.1)
            os.write(master, (answer + "\n").encode() if answer != "EOF" else b"\x04")
            typed = True
    if sys.stdin in ready and not sys.stdin.readline():
        break
print("--- screen", flush=True)
print(screen.decode("utf-8", "replace"), flush=True)
