"""Peer figures for BENCHMARKS.md: NegMAS bilateral booking negotiations and pymacaroons tokens per second."""
import statistics
import sys
import time


def rate(label, count, body, rounds=5):
    body()  # warm-up
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        body()
        rates.append(count / (time.perf_counter() - start))
    rates.sort()
    print(f"{label:58s} median {statistics.median(rates):,.1f}/s  (min {rates[0]:,.1f}, max {rates[-1]:,.1f})")
    return statistics.median(rates)


def negmas_figure():
    from negmas import SAOMechanism, make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction as LUFun
    from negmas.sao import AspirationNegotiator

    # A booking: 36 start slots (09:00–17:45 every 15 min) × 5 price levels.
    issues = [make_issue(name="slot", values=36), make_issue(name="price", values=5)]

    def one():
        session = SAOMechanism(issues=issues, n_steps=20)
        # The customer prefers slots near 12:00 (index 12) and low prices; the salon prefers high prices and early slots.
        customer = LUFun(
            values={"slot": lambda s: 1 - abs(s - 12) / 36, "price": lambda p: 1 - p / 4}, weights={"slot": 0.6, "price": 0.4},
            outcome_space=session.outcome_space)
        company = LUFun(
            values={"slot": lambda s: 1 - s / 36, "price": lambda p: p / 4}, weights={"slot": 0.3, "price": 0.7},
            outcome_space=session.outcome_space)
        session.add(AspirationNegotiator(name="customer"), preferences=customer)
        session.add(AspirationNegotiator(name="company"), preferences=company)
        session.run()
        return session.agreement

    count = 50
    agreements = [one() for _ in range(5)]
    print(f"negmas: sample agreements {agreements[:3]}")
    return rate("NegMAS SAO bilateral negotiation (≤ 20 rounds)", count, lambda: [one() for _ in range(count)])


def pymacaroons_figures():
    from pymacaroons import Macaroon, Verifier

    key = "k" * 32
    count = 2000

    def mint():
        m = Macaroon(location="assistant.example/lisa", identifier="t-0123456789abcdef0123456789abcdef", key=key)
        for caveat in ("aud = salon.example/bot", "purpose in booking", "fields in givenName", "time < 2026-05-30T09:00:00Z",
                       "retention <= P30D"):
            m.add_first_party_caveat(caveat)
        return m

    token = mint().serialize()

    def verify():
        m = Macaroon.deserialize(token)
        v = Verifier()
        v.satisfy_general(lambda caveat: True)
        v.verify(m, key)

    minted = rate("pymacaroons mint (5 caveats)", count, lambda: [mint() for _ in range(count)])
    verified = rate("pymacaroons parse + verify", count, lambda: [verify() for _ in range(count)])
    return minted, verified


if __name__ == "__main__":
    sections = set(sys.argv[1:]) or {"negmas", "pymacaroons"}
    if "pymacaroons" in sections:
        pymacaroons_figures()
    if "negmas" in sections:
        negmas_figure()
