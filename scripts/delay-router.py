#!/usr/bin/env python3
"""A wide-area network in userspace for the testbed (issue 16): one TUN device named "wan" in
each given network namespace, and every IPv4 packet between two of them held back by that pair's
one-way delay before it is passed on, after waiting its turn on its sender's uplink when that has
a rate. It stands in for `tc netem` and `tc tbf` on kernels built without them.

Usage: delay-router.py CONFIG.json
  {"endpoints": [{"netns": "ns0", "address": "10.77.0.1"}, ...],   # all in one /16
   "delays_ms": [[0, 42, ...], ...],                              # one-way, row = sender
   "uplink_bytes_per_second": 1250000}                            # optional: each sender's uplink
With an uplink rate, each endpoint sends one packet at a time at that rate (a packet's delay
starts when its last byte is sent), and a packet that would wait more than a second for the
uplink is dropped, as by a router's full queue.
Prints "ready" once every device is up, then routes until its stdin closes (its owner is gone)
or it is killed; the devices vanish with it. A line "cut I" on stdin cuts endpoint I off (every
packet to or from it is dropped from then on, as when a machine loses power) and is answered
with "cut I". Needs root. Packets to an unknown address, and
non-IPv4 packets (e.g. IPv6 neighbour discovery), are dropped, as a real network would.
"""
import ctypes
import fcntl
import heapq
import json
import os
import select
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000
DEVICE = "wan"
MAX_UPLINK_WAIT_S = 1.0

libc = ctypes.CDLL(None, use_errno=True)


def tun_in(netns, address):
    """Opens a TUN device inside netns (entering it only for the open), so its fd stays ours."""
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open("/var/run/netns/" + netns, os.O_RDONLY)
    try:
        if libc.setns(target, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + netns)
        try:
            fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
            fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", DEVICE.encode(), IFF_TUN | IFF_NO_PI))
        finally:
            if libc.setns(home, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(target)
        os.close(home)
    subprocess.run(["ip", "-n", netns, "addr", "add", "%s/16" % address, "dev", DEVICE], check=True)
    subprocess.run(["ip", "-n", netns, "link", "set", DEVICE, "up"], check=True)
    return fd


def main():
    with open(sys.argv[1]) as f:
        config = json.load(f)
    endpoints = config["endpoints"]
    delays = config["delays_ms"]
    rate = config.get("uplink_bytes_per_second", 0)
    uplink_free = [0.0] * len(endpoints)  # when each sender's uplink has sent all it was given
    fds = [tun_in(e["netns"], e["address"]) for e in endpoints]
    index_of = {bytes(map(int, e["address"].split("."))): i for i, e in enumerate(endpoints)}
    print("ready", flush=True)

    queue = []  # (due, sequence, fd, packet): a pair's delay is fixed and a sender's uplink FIFO, so each pair stays in order
    sequence = 0
    cut, cut_fds = set(), set()  # endpoints cut off, and their devices
    commands = b""
    watched = fds + [sys.stdin.fileno()]
    while True:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else None
        readable, _, _ = select.select(watched, [], [], timeout)
        now = time.monotonic()
        for fd in readable:
            if fd == sys.stdin.fileno():
                data = os.read(fd, 4096)
                if not data:
                    return  # the owner closed our stdin: it is gone
                commands += data
                while b"\n" in commands:
                    line, commands = commands.split(b"\n", 1)
                    words = line.split()
                    if len(words) == 2 and words[0] == b"cut":
                        cut.add(int(words[1]))
                        cut_fds.add(fds[int(words[1])])
                        print("cut %d" % int(words[1]), flush=True)
                continue
            while True:
                try:
                    packet = os.read(fd, 65535)
                except BlockingIOError:
                    break
                if len(packet) < 20 or packet[0] >> 4 != 4:
                    continue
                src, dst = index_of.get(packet[12:16]), index_of.get(packet[16:20])
                if src is None or dst is None or src in cut or dst in cut:
                    continue
                sent = now
                if rate:
                    start = max(now, uplink_free[src])
                    if start - now > MAX_UPLINK_WAIT_S:
                        continue
                    sent = uplink_free[src] = start + len(packet) / rate
                sequence += 1
                heapq.heappush(queue, (sent + delays[src][dst] / 1000.0, sequence, fds[dst], packet))
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, fd, packet = heapq.heappop(queue)
            if fd in cut_fds:
                continue  # in flight when its end was cut
            try:
                os.write(fd, packet)
            except OSError:
                pass  # the device is down or full: the packet is lost, as on a real link


if __name__ == "__main__":
    main()
