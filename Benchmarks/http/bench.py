#!/usr/bin/env python3
"""Negotiations per second over loopback HTTP against parley-server (Spec/HTTP.md).

Runs C concurrent customers (threads, in this separate process) for D seconds. Each customer
keeps one persistent HTTP/1.1 connection, as a real assistant's HTTP stack does (or, with
--connection-per-request, opens one per request), and plays negotiations back to back. Two shapes:

  --shape bench  (against `parley-server --scenario bench --now 2026-04-30T09:00:00Z`): exactly
                 the negotiation of `parley-bench wire`, so the server's CPU time per negotiation
                 compares with that in-process figure: hello, request for 10:00 Berlin on 3 May,
                 accept the first proposal with consent granted and the given name disclosed in the
                 acceptance, confirm, close.
  --shape salon  (against `parley-server --scenario salon --now 2026-05-02T09:00:00Z`): an
                 S1-shaped negotiation with the live salon: request for one of its 14 open days,
                 accept the first proposal, consent-grant and disclose when asked, confirm, then
                 cancel the booking (so the diary never fills) and close.

Prints negotiations/s, p50/p99 latency of one negotiation, HTTP requests per negotiation, and
the server's CPU time per negotiation and per request, read from /proc/PID/stat.

    python3 Benchmarks/http/bench.py URL SERVER_PID [--shape bench|salon] [--customers 64] [--seconds 20]
                                     [--connection-per-request]
"""
import argparse
import http.client
import os
import random
import secrets
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "interop"))
import http_client  # noqa: E402


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class KeepAlive:
    """http_client.request over one persistent connection per thread, counting requests."""

    def __init__(self, reconnect=False):
        self.reconnect = reconnect
        self.local = threading.local()
        self.lock = threading.Lock()
        self.requests = 0

    def connection(self, parts):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=40)
            self.local.connection = connection
        return connection

    def request(self, method, url, body=None, headers=None, attempts=4):
        parts = urllib.parse.urlsplit(url)
        target = parts.path + ("?" + parts.query if parts.query else "")
        delay = 0.2
        for attempt in range(attempts):
            connection = self.connection(parts)
            with self.lock:
                self.requests += 1
            try:
                connection.request(method, target, body=body, headers=headers or {})
                response = connection.getresponse()
                data = response.read()
            except (http.client.HTTPException, ConnectionError, TimeoutError, OSError) as error:
                connection.close()
                self.local.connection = None
                if attempt + 1 == attempts:
                    http_client.fail("company unreachable: %s" % error)
                time.sleep(delay)
                delay *= 2
                continue
            if self.reconnect:
                connection.close()
                self.local.connection = None
            if response.status in (429, 503) and attempt + 1 < attempts:
                time.sleep(max(delay, float(response.headers.get("Retry-After", "0") or 0)))
                delay *= 2
                continue
            return response.status, response.headers, data, url


def grant_for(document, me, root_key, retention_days):
    token_id = "t-" + secrets.token_hex(16)
    expires = "2026-06-02T08:45:00Z"
    token = http_client.mint_token(root_key, token_id, me, [
        "aud = " + document["agent"], "purpose in booking", "fields in givenName", "time < " + expires,
        "retention <= P%dD" % retention_days])
    return {"tokenId": token_id, "token": token, "fields": ["givenName"], "purpose": "booking",
            "retentionDays": retention_days, "expiresAt": expires}


def negotiate_bench(document, endpoint, index):
    """The negotiation of `parley-bench wire` (Bench.customer): consent and data in the acceptance."""
    me = "bench.example/c%d" % index
    session = http_client.Session(endpoint, document["agent"], me)
    root_key = secrets.token_bytes(32)
    session.send("hello", {"role": "customer", "versions": [1]})
    hello = session.next()
    session.send("request", {"service": "haircut-women",
                             "windows": [{"start": "2026-05-03T08:00:00Z", "end": "2026-05-03T08:00:00Z"}],
                             "preferredStart": "2026-05-03T08:00:00Z"}, hello["id"])
    message = session.next()
    if message["type"] != "offer":
        session.send("close", {"outcome": "no-agreement"}, message["id"])
        return message["type"]
    proposal = message["body"]["proposals"][0]
    requirement = proposal["requires"][0]
    grant = grant_for(document, me, root_key, requirement["retentionDays"])
    session.send("accept", {"proposal": proposal["id"], "grants": [grant],
                            "disclosures": [{"tokenId": grant["tokenId"], "data": {"givenName": "Bench"}}]},
                 message["id"])
    message = session.next()
    outcome = "booked" if message["type"] == "confirm" and message["body"].get("status") == "booked" else message["type"]
    session.send("close", {"outcome": "booked" if outcome == "booked" else "no-agreement"}, message["id"])
    return outcome


def negotiate_salon(document, endpoint, index):
    """S1 with the live salon, then cancel the booking so that the diary never fills."""
    me = "bench.example/c%d" % index
    session = http_client.Session(endpoint, document["agent"], me)
    root_key = secrets.token_bytes(32)
    session.send("hello", {"role": "customer", "versions": [1]})
    hello = session.next()
    day = "2026-05-%02d" % random.randint(3, 16)
    session.send("request", {"service": "haircut-women",
                             "windows": [{"start": day + "T07:00:00Z", "end": day + "T15:00:00Z"}]}, hello["id"])
    while True:
        message = session.next()
        kind, body = message["type"], message["body"]
        if kind in ("offer", "counter-offer"):
            session.send("accept", {"proposal": body["proposals"][0]["id"]}, message["id"])
        elif kind == "consent-request":
            grant = grant_for(document, me, root_key, body["retentionDays"])
            grant["request"] = body["id"]
            session.send("consent-grant", grant, message["id"])
            session.send("disclose", {"tokenId": grant["tokenId"], "data": {"givenName": "Bench"}}, message["id"])
        elif kind == "confirm" and body.get("status") == "booked":
            session.send("cancel", {"booking": body["booking"]}, message["id"])
        elif kind == "confirm" and body.get("status") == "cancelled":
            session.send("close", {"outcome": "cancelled"}, message["id"])
            return "booked"
        elif kind == "decline":
            session.send("close", {"outcome": "no-agreement"}, message["id"])
            return "declined:" + body.get("reason", "")
        else:
            return kind


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("pid", type=int)
    parser.add_argument("--customers", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--shape", choices=("bench", "salon"), default="bench")
    parser.add_argument("--connection-per-request", action="store_true",
                        help="open a new TCP connection for every request instead of keeping one per customer")
    args = parser.parse_args()
    keep_alive = KeepAlive(reconnect=args.connection_per_request)
    http_client.request = keep_alive.request
    negotiate = negotiate_bench if args.shape == "bench" else negotiate_salon
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

    requests_before = keep_alive.requests
    cpu_before, wall_before = cpu_seconds(args.pid), time.time()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.customers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.time() - wall_before
    cpu = cpu_seconds(args.pid) - cpu_before
    requests = keep_alive.requests - requests_before
    latencies.sort()
    n = len(latencies)
    print("customers %d, %.1f s: %d negotiations %s" % (args.customers, wall, n, outcomes))
    print("throughput: %.1f negotiations/s" % (n / wall))
    print("latency: p50 %.1f ms, p99 %.1f ms" % (latencies[n // 2] * 1000, latencies[min(n - 1, int(n * 0.99))] * 1000))
    print("HTTP requests: %d, %.2f per negotiation" % (requests, requests / n))
    print("server CPU: %.2f s in all, %.3f ms per negotiation, %.1f us per request"
          % (cpu, cpu / n * 1000, cpu / requests * 1e6))
    if outcomes.get("failed") or not outcomes.get("booked"):
        print("bench: FAIL: %d negotiations failed, %d booked" % (outcomes.get("failed", 0), outcomes.get("booked", 0)))
        sys.exit(1)


if __name__ == "__main__":
    main()
