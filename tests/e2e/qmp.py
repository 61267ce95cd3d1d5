#!/usr/bin/env python3
"""A small QMP client for the end-to-end tests (python3 standard library only).

As a module:
    from qmp import QMP
    with QMP("/tmp/x/test.qmp") as q:
        q.execute("stop")
        q.screendump("/tmp/x/a.ppm")
        q.send_keys(["ctrl-alt-delete", "a"])
        ev = q.wait_event("SHUTDOWN", 30)

As a command (exit 0 on success, 1 on a QMP error or timeout, 2 on misuse):
    qmp.py SOCKET screendump FILE.ppm|FILE.png
    qmp.py SOCKET send-key KEY [KEY...]   KEY: a qcode (a, ret, shift_r...),
                                          a combo pressed together (ctrl-alt-f1)
                                          or a number (0x1e: a scancode)
    qmp.py SOCKET query-status            prints the status (running, paused...)
    qmp.py SOCKET hmp "info snapshots"    prints the monitor's answer
    qmp.py SOCKET raw '{"execute": ...}'  prints the "return" value as JSON
    qmp.py SOCKET wait-event NAME TIMEOUT prints the event as JSON
    qmp.py SOCKET events SECONDS          prints every event for SECONDS
    qmp.py SOCKET quit
    qmp.py SOCKET CMD ARGS -- CMD ARGS...  several commands, one connection
                                          (send-key p -- wait-event SHUTDOWN 30)
Options before SOCKET: --connect-timeout S (default 10: wait for the socket
to appear and accept), --timeout S (default 30: per command).

QEMU serves one client per QMP socket at a time, and events are only seen
by a connected client: to catch an event caused by a command, use one
connection: the module, or commands chained with "--" on the command line.
A second client waits until the first one disconnects.
"""

import json
import os
import socket
import sys
import time


class QMPError(Exception):
    """QEMU answered with an error, or the connection broke or timed out."""


class QMP:
    def __init__(self, path, connect_timeout=10.0, timeout=30.0):
        self.path = path
        self.timeout = timeout
        self.events = []
        self._buf = b""
        self._next_id = 0
        self.sock = self._connect(connect_timeout)
        self.greeting = self._read_message(time.monotonic() + timeout)
        if "QMP" not in self.greeting:
            raise QMPError("%s: no QMP greeting: %r" % (path, self.greeting))
        self.execute("qmp_capabilities")

    def _connect(self, connect_timeout):
        # The socket may not exist yet, or QEMU may still be busy with a
        # previous client: retry until the deadline.
        deadline = time.monotonic() + connect_timeout
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(self.path)
                return s
            except OSError as e:
                s.close()
                if time.monotonic() >= deadline:
                    raise QMPError("cannot connect to %s: %s" % (self.path, e))
                time.sleep(0.05)

    def close(self):
        if self.sock:
            self.sock.close()
            self.sock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _read_message(self, deadline):
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise QMPError("timed out waiting for QEMU on %s" % self.path)
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError as e:
                raise QMPError("%s: %s" % (self.path, e))
            if not chunk:
                raise QMPError("QEMU closed %s" % self.path)
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        line = line.strip()
        if not line:
            return self._read_message(deadline)
        try:
            return json.loads(line)
        except ValueError:
            raise QMPError("not JSON from QEMU: %r" % line)

    def send_raw(self, msg):
        """Sends one message (a dict); returns the reply with the same id.
        Events that arrive meanwhile are kept in self.events."""
        msg = dict(msg)
        self._next_id += 1
        tag = "t%d" % self._next_id
        msg["id"] = tag
        self.sock.sendall(json.dumps(msg).encode() + b"\r\n")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if "event" in reply:
                self.events.append(reply)
            elif reply.get("id") == tag:
                return reply

    def execute(self, command, arguments=None):
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        reply = self.send_raw(msg)
        if "error" in reply:
            err = reply["error"]
            raise QMPError("%s: %s: %s" % (command, err.get("class"), err.get("desc")))
        return reply.get("return")

    def hmp(self, command_line):
        return self.execute("human-monitor-command", {"command-line": command_line})

    def status(self):
        return self.execute("query-status")["status"]

    def screendump(self, filename):
        # QEMU resolves relative names against its own working folder.
        args = {"filename": os.path.abspath(filename)}
        if filename.endswith(".png"):
            args["format"] = "png"
        self.execute("screendump", args)

    def send_keys(self, keys, hold_time_ms=None):
        """Each entry of keys is pressed and released in turn; an entry with
        '-' (ctrl-alt-delete) presses its parts together."""
        for key in keys:
            parts = []
            for part in key.split("-") if not key.startswith("0x") else [key]:
                if part.startswith("0x"):
                    parts.append({"type": "number", "data": int(part, 0)})
                else:
                    parts.append({"type": "qcode", "data": part})
            args = {"keys": parts}
            if hold_time_ms is not None:
                args["hold-time"] = hold_time_ms
            self.execute("send-key", args)

    def wait_event(self, name, timeout):
        """Returns the first event called name (already received or coming
        within timeout seconds); raises QMPError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev.get("event") == name:
                    return self.events.pop(i)
            try:
                msg = self._read_message(deadline)
            except QMPError as e:
                raise QMPError("no %s event within %gs (%s)" % (name, timeout, e))
            if "event" in msg:
                self.events.append(msg)

    def collect_events(self, seconds):
        """Every event arriving within seconds (plus those already kept)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                msg = self._read_message(deadline)
            except QMPError:
                break
            if "event" in msg:
                self.events.append(msg)
        out, self.events = self.events, []
        return out


def _usage():
    text = __doc__.split("As a command", 1)[1].split("QEMU serves", 1)[0]
    sys.stderr.write("usage: qmp.py [OPTIONS] SOCKET COMMAND...\n" +
                     text.split("\n", 1)[1])
    return 2


def _run(q, cmd, args):
    if cmd == "screendump":
        q.screendump(args[0])
    elif cmd == "send-key":
        q.send_keys(args)
    elif cmd == "query-status":
        print(q.status())
    elif cmd == "hmp":
        sys.stdout.write(q.hmp(args[0]))
    elif cmd == "raw":
        reply = q.send_raw(json.loads(args[0]))
        if "error" in reply:
            raise QMPError(json.dumps(reply["error"]))
        print(json.dumps(reply.get("return")))
    elif cmd == "wait-event":
        print(json.dumps(q.wait_event(args[0], float(args[1]))))
    elif cmd == "events":
        for ev in q.collect_events(float(args[0])):
            print(json.dumps(ev))
    elif cmd == "quit":
        try:
            q.execute("quit")
        except QMPError:
            pass  # QEMU may close the socket before answering


def main(argv):
    connect_timeout, timeout = 10.0, 30.0
    while argv and argv[0].startswith("--"):
        if argv[0] == "--connect-timeout" and len(argv) > 1:
            connect_timeout = float(argv[1])
        elif argv[0] == "--timeout" and len(argv) > 1:
            timeout = float(argv[1])
        else:
            return _usage()
        argv = argv[2:]
    if len(argv) < 2:
        return _usage()
    path, rest = argv[0], argv[1:]
    # Several commands separated by "--" share one connection, so an event
    # a command causes can be awaited: send-key p -- wait-event SHUTDOWN 30
    steps, cur = [], []
    for a in rest:
        if a == "--":
            steps.append(cur)
            cur = []
        else:
            cur.append(a)
    steps.append(cur)
    need = {"screendump": 1, "hmp": 1, "raw": 1, "wait-event": 2, "events": 1,
            "query-status": 0, "quit": 0}
    for step in steps:
        if not step:
            return _usage()
        cmd, args = step[0], step[1:]
        if cmd == "send-key":
            if not args:
                return _usage()
        elif cmd not in need or len(args) != need[cmd]:
            return _usage()
    try:
        with QMP(path, connect_timeout, timeout) as q:
            for step in steps:
                _run(q, step[0], step[1:])
    except QMPError as e:
        sys.stderr.write("qmp.py: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        # The reader (head, grep -q) stopped early: not an error here.
        # Point stdout at /dev/null so the exit-time flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
