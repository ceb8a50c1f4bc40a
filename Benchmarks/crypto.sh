#!/usr/bin/env bash
# SHA-256, SHA-512 and Ed25519: Parley's pure-Swift code against OpenSSL's and Python
# `cryptography`'s, measured in one run, ROUNDS times in turn (default 3), medians reported.
#
#   bash Benchmarks/crypto.sh [ROUNDS]
#
# OpenSSL runs with its SHA extensions disabled (OPENSSL_ia32cap=":~0x20000000"), i.e. its best
# code without the SHA instructions. Every figure is in CPU time (openssl speed's default; the
# Swift bench uses the thread's CPU time; Python uses process_time), so that other work on the
# machine disturbs the ratios less; it still disturbs them (shared caches, SMT siblings).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-3}"
PYTHON="${PYTHON:-python3}"

"$PYTHON" -c 'import cryptography' 2>/dev/null \
    || "$PYTHON" -m pip install --quiet --disable-pip-version-check cryptography
if [ -z "${PARLEY_BENCH:-}" ]; then  # PARLEY_BENCH=path uses an already built parley-bench
    swift build -c release --product parley-bench 2>&1 | tail -n 1
fi
bench="${PARLEY_BENCH:-$(swift build -c release --product parley-bench --show-bin-path)/parley-bench}"

openssl_rate() {  # MB/s (10^6 bytes) at 16 KiB blocks, CPU time
    OPENSSL_ia32cap=":~0x20000000" openssl speed -evp "$1" -bytes 16384 -seconds 2 2>/dev/null \
        | awk -v alg="$1" '$1 == alg { sub(/k$/, "", $2); printf "%.1f", $2 / 1000 }'
}

python_rates() {  # signatures/s and verifications/s, process CPU time
    "$PYTHON" - <<'PY'
import os, time
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
key = Ed25519PrivateKey.generate(); public = key.public_key(); message = os.urandom(64)
def rate(body, n=4000):
    body()
    start = time.process_time()
    for _ in range(n): body()
    return n / (time.process_time() - start)
signature = key.sign(message)
print("%.1f %.1f" % (rate(lambda: key.sign(message)), rate(lambda: public.verify(signature, message))))
PY
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

figures="$(mktemp)"
trap 'rm -f "$figures"' EXIT
for round in $(seq "$rounds"); do
    swift_line="$("$bench" crypto | grep '^crypto-figures')"
    ossl256="$(openssl_rate sha256)"
    ossl512="$(openssl_rate sha512)"
    read -r py_sign py_verify <<<"$(python_rates)"
    s256="$(sed -E 's/.*sha256=([0-9.]+).*/\1/' <<<"$swift_line")"
    s512="$(sed -E 's/.*sha512=([0-9.]+).*/\1/' <<<"$swift_line")"
    ssign="$(sed -E 's/.* sign=([0-9.]+).*/\1/' <<<"$swift_line")"
    sverify="$(sed -E 's/.* verify=([0-9.]+).*/\1/' <<<"$swift_line")"
    printf 'round %d: SHA-256 %s vs %s MB/s; SHA-512 %s vs %s MB/s; sign %s vs %s/s; verify %s vs %s/s (Swift vs OpenSSL/Python)\n' \
        "$round" "$s256" "$ossl256" "$s512" "$ossl512" "$ssign" "$py_sign" "$sverify" "$py_verify"
    echo "$s256 $ossl256 $s512 $ossl512 $ssign $py_sign $sverify $py_verify" >> "$figures"
done

figure() { awk -v c="$1" '{ print $c }' "$figures" | median; }
ratio() { awk -v c="$1" -v d="$2" '{ print $c / $d }' "$figures" | median; }
echo
echo "medians of $rounds rounds (ratio = median of the per-round ratios):"
printf 'SHA-256: Swift %s MB/s, OpenSSL (no SHA extensions) %s MB/s, ratio %.2f (target ≥ 0.80)\n' "$(figure 1)" "$(figure 2)" "$(ratio 1 2)"
printf 'SHA-512: Swift %s MB/s, OpenSSL (no SHA extensions) %s MB/s, ratio %.2f (target ≥ 0.80)\n' "$(figure 3)" "$(figure 4)" "$(ratio 3 4)"
printf 'Ed25519 sign:   Swift %s/s, Python cryptography %s/s, ratio %.2f\n' "$(figure 5)" "$(figure 6)" "$(ratio 5 6)"
printf 'Ed25519 verify: Swift %s/s, Python cryptography %s/s, ratio %.2f\n' "$(figure 7)" "$(figure 8)" "$(ratio 7 8)"
