#!/usr/bin/env python3
"""Negotiations per second over loopback HTTP against parley-server (Spec/HTTP.md).

Runs C concurrent customers (threads, in this separate process) for D seconds. Each plays an
S1-shaped negotiation with the salon: hello, request for the whole of 3 May, accept the first
proposal, consent-grant + disclose when asked, confirm, then cancel the booking (so the calendar
never fills) and close, as a real assistant does: a session left open would keep the company
retransmitting its last unacknowledged confirm until the idle timeout. Each negotiation asks for
one of the 14 days the live salon is open (parley-server --now 2026-05-02T09:00:00Z lays them
out from 3 May 2026), so that 64 customers do not all race for one day's slots. Prints negotiations/s, p50/p99 latency of one negotiation, and the
server's CPU time per negotiation read from /proc/PID/stat.

    python3 Benchmarks/http/bench.py URL SERVER_PID [--customers 64] [--seconds 20]
"""
import argparse
import os
import random
import secrets
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "interop"))
import http_client  # noqa: E402


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def negotiate(document, endpoint, index):
    me = "bench.example/c%d" % index
    session = http_client.Session(endpoint, document["agent"], me)
    session_me = me

    def send(kind, body, reply_to=None):
        session.send(kind, body, reply_to)

    root_key = secrets.token_bytes(32)
    send("hello", {"role": "customer", "versions": [1]})
    hello = session.next()
    day = "2026-05-%02d" % random.randint(3, 16)
    send("request", {"service": "haircut-women", "windows": [{"start": day + "T07:00:00Z", "end": day + "T15:00:00Z"}]},
         hello["id"])
    while True:
        message = session.next()
        kind, body = message["type"], message["body"]
        if kind in ("offer", "counter-offer"):
            send("accept", {"proposal": body["proposals"][0]["id"]}, message["id"])
        elif kind == "consent-request":
            token_id = "t-" + secrets.token_hex(16)
            expires = "2026-06-02T08:45:00Z"
            token = http_client.mint_token(root_key, token_id, session_me, [
                "aud = " + document["agent"], "purpose in booking", "fields in givenName", "time < " + expires,
                "retention <= P%dD" % body["retentionDays"]])
            send("consent-grant", {"request": body["id"], "tokenId": token_id, "token": token, "fields": ["givenName"],
                                   "purpose": "booking", "retentionDays": body["retentionDays"], "expiresAt": expires},
                 message["id"])
            send("disclose", {"tokenId": token_id, "data": {"givenName": "Bench"}}, message["id"])
        elif kind == "confirm" and body.get("status") == "booked":
            send("cancel", {"booking": body["booking"]}, message["id"])
        elif kind == "confirm" and body.get("status") == "cancelled":
            send("close", {"outcome": "cancelled"}, message["id"])
            return "booked"
        elif kind == "decline":
            send("close", {"outcome": "no-agreement"}, message["id"])
            return "declined:" + body.get("reason", "")
        else:
            return kind


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("pid", type=int)
    parser.add_argument("--customers", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    document, endpoint = http_client.discover(args.url)
    latencies, outcomes, lock = [], {}, threading.Lock()
    stop = time.time() + args.seconds

    def worker(index):
        count = 0
        while time.time() < stop:
            started = time.perf_counter()
            try:
                outcome = negotiate(document, endpoint, index * 100000 + count)
            except SystemExit:
                outcome = "failed"
            elapsed = time.perf_counter() - started
            count += 1
            with lock:
                latencies.append(elapsed)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1

    cpu_before, wall_before = cpu_seconds(args.pid), time.time()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.customers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.time() - wall_before
    cpu = cpu_seconds(args.pid) - cpu_before
    latencies.sort()
    n = len(latencies)
    print("customers %d, %.1f s: %d negotiations %s" % (args.customers, wall, n, outcomes))
    print("throughput: %.1f negotiations/s" % (n / wall))
    print("latency: p50 %.1f ms, p99 %.1f ms" % (latencies[n // 2] * 1000, latencies[min(n - 1, int(n * 0.99))] * 1000))
    print("server CPU: %.2f s in all, %.2f ms per negotiation" % (cpu, cpu / n * 1000))


if __name__ == "__main__":
    main()
