#!/usr/bin/env python3
"""The customers of the fleet check (Examples/Server/fleet-check.sh), in their own process.

C customers, at most K at a time (threads), each an HTTP client written from Spec/HTTP.md with the
standard library (the envelopes and the consent token of Tests/interop/http_client.py). Every
request, exchange POST and poll GET alike, goes to an instance drawn at random: no affinity
(HTTP.md §4). A customer:

  1. sends hello, then a request for the trim over the whole window (`--window`, every slot of
     the day), with a preferred start drawn from the seed (so that 300 customers do not all race
     for the earliest slot: the company offers the free starts nearest the preferred one first);
  2. accepts the first proposal of every offer, counter-offer or decline that carries proposals;
  3. grants consent for the given name when asked (consent-grant, then disclose);
  4. on `confirm` (booked), polls once (`after` its cursor, `wait=0`, on a random instance: the
     session must be known there) and closes with outcome `booked`;
  5. on a decline without proposals (`no-availability`, or `slot-taken` with nothing else free)
     asks again (counter-request, same window) after `--reask-pause` seconds, up to `--asks`
     asks in all; a decline to the last ask makes the customer `no-availability` (polls once,
     closes with `no-agreement`).
Anything else — an `error` envelope, an HTTP status other than 200/204, an unexpected message, a
request still failing after every retry — makes the customer `failed`.

A request that fails with a connection error (refused, reset, closed without a response, timed
out) is sent again, the same bytes (ids make it idempotent: PROTOCOL.md §5.5, HTTP.md §3.3), to a
different instance drawn at random, with HTTP.md's backoff (0.2 s doubling, at most 2 s here,
up to 10 attempts); 429, 502, 503 and 504 are retried the same way.

Everything random — session ids, consent keys, which instance gets each request — comes from
`--seed` (printed), so a run can be replayed with the same choices; only the interleaving of
threads differs.

Why B = min(40, C) is the right answer. Offers hold nothing; a slot is held only when a customer
accepts it (an atomic hold in the booking store: the database's exclusion constraint), and these
customers never give a hold up: each holder grants consent and gets its confirm, retrying lost
requests on other instances until they succeed, or it is counted in F. So with F = 0 every hold
becomes a booking. The company answers "nothing free" only when every one of the 40 starts was
booked or held when it looked; held ones become bookings; so once any customer is told there is
no room, all 40 slots end up booked: with C >= 40, B = 40. With C < 40 a customer is never told
there is no room (the other C - 1 customers hold at most C - 1 slots), so B = C. The second ask
(`--asks 2`) guards against an answer "nothing free" that is not true: a hold that lapsed or was
released, or a store that answered "not free" because the database failed (PostgresBookingStore
answers a database error with "not free", never with a double booking). If such an answer
slipped through on the last ask too, B < min(40, C) fails the check, as it should.

The kill. With `--kill-file F --kill-at-bookings N`, once N customers have booked (or half of
them have finished, whichever is first) the script creates F; fleet-check.sh then kills instance
`--killed-instance` with SIGKILL, restarts it on the same port and database a few seconds later
and creates F.restarted. R, "sessions resumed on another instance", counts the customers that had
at least one request fail with a connection error against the killed instance, whose retry of
that request was answered by another instance, and that then reached their outcome (booked or
no-availability).

Output: progress and figures on stdout (negotiations/s, p50/p99 latency of a whole customer
without its own pause before asking again, requests per instance), and with `--result FILE` a JSON object with the counts for the script.

    python3 Examples/Server/fleet-customers.py http://127.0.0.1:P1 http://127.0.0.1:P2 ... \\
        [--customers 300] [--concurrency 24] [--seed N] [--window START/END] \\
        [--kill-file F --kill-at-bookings 20 --killed-instance 1] [--result FILE]
"""
import argparse
import calendar
import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "interop"))
import http_client  # noqa: E402

RETRY_STATUSES = (429, 502, 503, 504)
ATTEMPTS = 10


class Failed(Exception):
    """The customer cannot go on: counted in F."""


class Fleet:
    """The instances, and what happened to requests against them (shared by all customers)."""

    def __init__(self, origins, killed, kill_file):
        self.origins = origins
        self.endpoints = [None] * len(origins)
        self.killed = killed
        self.kill_file = kill_file
        self.lock = threading.Lock()
        self.served = [0] * len(origins)
        self.connection_errors = [0] * len(origins)
        self.served_after_restart = 0

    def restarted(self):
        return bool(self.kill_file) and os.path.exists(self.kill_file + ".restarted")

    def record(self, instance, ok):
        with self.lock:
            if ok:
                self.served[instance] += 1
                if instance == self.killed and self.restarted():
                    self.served_after_restart += 1
            else:
                self.connection_errors[instance] += 1


def http_once(method, url, body, headers, timeout=30):
    """One HTTP exchange: (status, headers, body); raises OSError/HTTPException on connection errors."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
    except urllib.error.URLError as error:
        raise ConnectionError(str(error.reason)) from error


class Customer(http_client.Session):
    """One customer: http_client.Session's envelopes and ordering, sent to random instances."""

    def __init__(self, fleet, company, index, rng):
        super().__init__(None, company, "fleet.example/c%d" % index)
        self.fleet = fleet
        self.rng = rng
        self.id = "s-%032x" % rng.getrandbits(128)
        self.failed_on_killed = False   # a request of this session failed against the killed instance
        self.resumed = False            # ... and its retry was answered by another instance
        self.paused = 0.0               # seconds spent in the customer's own pause before asking again

    def exchange(self, method, suffix, body=None, headers=None):
        """Sends one request to a random instance; on a connection error (or 429/50x), the same
        bytes to another instance. Returns (status, headers, body)."""
        count = len(self.fleet.origins)
        instance = self.rng.randrange(count)
        delay = 0.2
        failed_here = None
        for attempt in range(ATTEMPTS):
            url = self.fleet.endpoints[instance] + suffix
            try:
                status, reply_headers, reply = http_once(method, url, body, headers)
            except (OSError, http.client.HTTPException) as error:
                self.fleet.record(instance, False)
                self.log.append("%s to instance %d failed: %s" % (method, instance, error))
                if instance == self.fleet.killed:
                    self.failed_on_killed = True
                    failed_here = instance
                status = None
            if status is not None and status not in RETRY_STATUSES:
                self.fleet.record(instance, True)
                if failed_here is not None and instance != failed_here:
                    self.resumed = True
                return status, reply_headers, reply
            if attempt + 1 == ATTEMPTS:
                break
            if status is not None:
                retry_after = float((reply_headers.get("Retry-After") or "0").strip() or 0)
                time.sleep(max(delay, retry_after))
            elif count > 1:
                time.sleep(0.02)   # another instance is up: go there at once
            else:
                time.sleep(delay)
            delay = min(delay * 2, 2.0)
            if count > 1:
                instance = self.rng.choice([i for i in range(count) if i != instance])
        raise Failed("%s %s: no instance answered after %d attempts" % (method, suffix, ATTEMPTS))

    def send(self, kind, body, in_reply_to=None):
        envelope = self.envelope(kind, body, in_reply_to)
        data = json.dumps(envelope, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
        self.log.append("me -> %s" % kind)
        status, headers, reply = self.exchange("POST", "", data, {"Content-Type": http_client.ENVELOPE_TYPE})
        if status != 200:
            raise Failed("POST %s answered HTTP %d: %r" % (kind, status, reply[:200]))
        if reply and not (headers.get("Content-Type") or "").startswith(http_client.BATCH_TYPE):
            raise Failed("reply media type %r" % headers.get("Content-Type"))
        self.take(reply)

    def poll(self, wait):
        suffix = "/sessions/%s/messages?after=%d&wait=%d" % (self.id, self.ack, wait)
        status, _, body = self.exchange("GET", suffix, headers={"Parley-Agent": self.me})
        if status == 200:
            self.take(body)
        elif status != 204:
            raise Failed("poll answered HTTP %d: %r" % (status, body[:200]))

    def next(self, deadline=15):
        end = time.time() + deadline
        while not self.inbox:
            if time.time() > end:
                raise Failed("no message from the company within %d s" % deadline)
            self.poll(5)
        return self.inbox.pop(0)


def rfc3339(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def seconds(instant):
    return calendar.timegm(time.strptime(instant, "%Y-%m-%dT%H:%M:%SZ"))


def negotiate(customer, window, asks, pause):
    """One customer's negotiation: ("booked", slot, reference) or ("no-availability", None, None)."""
    # The whole window, and a preferred start on its 15-minute grid drawn from the seed: the
    # company offers the free starts nearest to it first, so customers do not all race for the
    # earliest slot (they would, with one preference, and most accepts would lose the race).
    first, last = seconds(window["start"]), seconds(window["end"])
    preferred = first + 900 * customer.rng.randrange((last - first) // 900 + 1)
    ask = {"service": "trim", "windows": [window], "preferredStart": rfc3339(preferred)}
    customer.send("hello", {"role": "customer", "versions": [1]})
    hello = customer.next()
    if hello["type"] != "hello":
        raise Failed("expected hello, got %s" % hello["type"])
    customer.send("request", ask, hello["id"])
    asked = 1
    root_key = customer.rng.randbytes(32)
    while True:
        message = customer.next()
        kind, body = message["type"], message["body"]
        if kind in ("offer", "counter-offer") or (kind == "decline" and body.get("proposals")):
            customer.send("accept", {"proposal": body["proposals"][0]["id"]}, message["id"])
        elif kind == "decline":
            if asked < asks:
                time.sleep(pause)
                customer.paused += pause
                asked += 1
                customer.send("counter-request", ask, message["id"])
                continue
            customer.poll(0)
            customer.send("close", {"outcome": "no-agreement"}, message["id"])
            return "no-availability", None, None
        elif kind == "consent-request":
            if body["fields"] != ["givenName"] or body["purpose"] != "booking":
                raise Failed("the company asks for more than the given name: %s" % body)
            token_id = "t-%032x" % customer.rng.getrandbits(128)
            expires = "2026-06-02T08:45:00Z"
            token = http_client.mint_token(root_key, token_id, customer.me, [
                "aud = " + customer.company, "purpose in booking", "fields in givenName", "time < " + expires,
                "retention <= P%dD" % body["retentionDays"]])
            customer.send("consent-grant", {"request": body["id"], "tokenId": token_id, "token": token,
                                            "fields": ["givenName"], "purpose": "booking",
                                            "retentionDays": body["retentionDays"], "expiresAt": expires}, message["id"])
            customer.send("disclose", {"tokenId": token_id, "data": {"givenName": "Kim"}}, message["id"])
        elif kind == "confirm" and body.get("status") == "booked":
            customer.poll(0)
            customer.send("close", {"outcome": "booked"}, message["id"])
            return "booked", body["slot"], body["booking"]
        else:
            raise Failed("unexpected %s: %s" % (kind, json.dumps(body)[:300]))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("origins", nargs="+", help="the instances, e.g. http://127.0.0.1:8080")
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=24)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--window", default="2026-05-03T06:00:00Z/2026-05-03T15:45:00Z",
                        help="the start times every customer asks for (START/END, RFC 3339)")
    parser.add_argument("--asks", type=int, default=2, help="asks before a decline counts as no-availability")
    parser.add_argument("--reask-pause", type=float, default=0.2)
    parser.add_argument("--kill-file", default=None)
    parser.add_argument("--kill-at-bookings", type=int, default=20)
    parser.add_argument("--killed-instance", type=int, default=1)
    parser.add_argument("--result", default=None)
    parser.add_argument("--verbose", action="store_true", help="print the log of every failed customer")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1 << 31)
    print("fleet-customers: seed %d (replay with --seed %d), %d customers, %d at a time, %d instance(s)"
          % (args.seed, args.seed, args.customers, args.concurrency, len(args.origins)), flush=True)
    start, end = args.window.split("/")
    window = {"start": start, "end": end}
    killed = args.killed_instance if args.kill_file else -1
    fleet = Fleet(args.origins, killed, args.kill_file)
    company = None
    for index, origin in enumerate(args.origins):
        document, endpoint = http_client.discover(origin)
        fleet.endpoints[index] = endpoint
        if company not in (None, document["agent"]):
            sys.exit("fleet-customers: the instances are different companies")
        company = document["agent"]

    lock = threading.Lock()
    outcomes = {"booked": 0, "no-availability": 0, "failed": 0}
    slots, latencies, failures = [], [], []
    resumed = [0]
    finished = [0]
    killed_at = [None]
    next_index = [0]

    def maybe_kill():
        if not args.kill_file or killed_at[0] is not None:
            return
        if outcomes["booked"] >= args.kill_at_bookings or finished[0] >= args.customers // 2:
            killed_at[0] = time.time()
            with open(args.kill_file, "w") as handle:
                handle.write("kill instance %d\n" % args.killed_instance)
            print("fleet-customers: %d booked, %d finished: asking for instance %d to be killed"
                  % (outcomes["booked"], finished[0], args.killed_instance), flush=True)

    def worker():
        while True:
            with lock:
                index = next_index[0]
                if index >= args.customers:
                    return
                next_index[0] += 1
            customer = Customer(fleet, company, index, random.Random("%d/%d" % (args.seed, index)))
            started = time.perf_counter()
            try:
                outcome, slot, reference = negotiate(customer, window, args.asks, args.reask_pause)
            except (Failed, KeyError, ValueError, TypeError) as error:
                outcome, slot, reference = "failed", None, None
                customer.log.append("FAILED: %r" % (error,))
            elapsed = time.perf_counter() - started - customer.paused
            with lock:
                finished[0] += 1
                outcomes[outcome] += 1
                latencies.append(elapsed)
                if outcome == "booked":
                    slots.append((slot["start"], slot["end"], reference))
                if outcome != "failed" and customer.failed_on_killed and customer.resumed:
                    resumed[0] += 1
                if outcome == "failed":
                    failures.append((index, customer.id, customer.log))
                maybe_kill()

    wall_started = time.time()
    threads = [threading.Thread(target=worker) for _ in range(max(1, args.concurrency))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.time() - wall_started

    # Double bookings as the customers were told them (the script counts them in the database).
    slots.sort()
    told_overlaps = sum(1 for a, b in zip(slots, slots[1:]) if b[0] < a[1])
    for index, session, log in failures if args.verbose else failures[:3]:
        print("customer %d (%s) failed:\n  %s" % (index, session, "\n  ".join(log[-12:])), flush=True)
    n = len(latencies)
    print("fleet-customers: %d booked, %d no-availability, %d failed in %.1f s; resumed on another instance: %d"
          % (outcomes["booked"], outcomes["no-availability"], outcomes["failed"], wall, resumed[0]))
    print("throughput: %.1f negotiations/s; latency of a whole customer (less its pause): p50 %.1f ms, p99 %.1f ms"
          % (n / wall if wall else 0.0, percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000))
    print("requests answered per instance: %s; connection errors per instance: %s; answered by the restarted instance: %d"
          % (fleet.served, fleet.connection_errors, fleet.served_after_restart), flush=True)
    if args.result:
        with open(args.result, "w") as handle:
            json.dump({"seed": args.seed, "customers": args.customers, "booked": outcomes["booked"],
                       "noAvailability": outcomes["no-availability"], "failed": outcomes["failed"],
                       "resumed": resumed[0], "toldOverlaps": told_overlaps, "seconds": wall,
                       "negotiationsPerSecond": n / wall if wall else 0.0,
                       "p50ms": percentile(latencies, 0.5) * 1000, "p99ms": percentile(latencies, 0.99) * 1000,
                       "served": fleet.served, "connectionErrors": fleet.connection_errors,
                       "servedAfterRestart": fleet.served_after_restart,
                       "references": sorted(reference for _, _, reference in slots)}, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
