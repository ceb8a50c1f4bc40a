import Foundation
import Parley
import ParleyCrypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Bench {
    /// Hash throughput in MB/s (10^6 bytes, as `openssl speed` counts) over 16 KiB buffers, and
    /// Ed25519 signatures made and verified per second (64-byte messages).
    ///
    /// Timed in this thread's CPU time, as `openssl speed` times in CPU time, so that other work on
    /// the machine disturbs the ratio less. The last line (`crypto-figures …`) is for
    /// `Benchmarks/crypto.sh`, which compares it with OpenSSL and Python `cryptography`.
    static func crypto() -> [String] {
        var lines: [String] = []
        let buffer = (0..<16_384).map { UInt8(truncatingIfNeeded: $0 &* 131) }
        let hashes = 4_000  // 65.5 MB per round
        var sink: UInt8 = 0
        let megabytes = Double(hashes * buffer.count) / 1e6
        let sha256 = CPUMeasurement.run("SHA-256, 16 KiB buffers", unit: "MB/s", count: megabytes) {
            for _ in 0..<hashes { sink ^= SHA256.hash(buffer)[0] }
        }
        lines.append(sha256.line)
        let sha512 = CPUMeasurement.run("SHA-512, 16 KiB buffers", unit: "MB/s", count: megabytes) {
            for _ in 0..<hashes { sink ^= SHA512.hash(buffer)[0] }
        }
        lines.append(sha512.line)

        var random = SystemRandomNumberGenerator()
        let key = SigningKey(using: &random)
        let message = (0..<64).map { _ in UInt8.random(in: 0...255, using: &random) }
        let count = 2_000
        let sign = CPUMeasurement.run("Ed25519 sign, 64-byte message", unit: "signatures/s", count: Double(count)) {
            for _ in 0..<count { sink ^= key.signature(for: message).rawRepresentation[0] }
        }
        lines.append(sign.line)
        let signature = key.signature(for: message)
        let publicKey = key.publicKey
        let verify = CPUMeasurement.run("Ed25519 verify, 64-byte message", unit: "verifications/s", count: Double(count)) {
            for _ in 0..<count where publicKey.isValidSignature(signature, for: message) { sink ^= 1 }
        }
        lines.append(verify.line)
        let seeds = (0..<count).map { _ in (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) } }
        let keys = CPUMeasurement.run("Ed25519 key from seed", unit: "keys/s", count: Double(count)) {
            for seed in seeds { sink ^= SigningKey(seed: seed)!.publicKey.rawRepresentation[0] }
        }
        lines.append(keys.line)
        lines.append(
            String(
                format: "crypto-figures sha256=%.1f sha512=%.1f sign=%.1f verify=%.1f keys=%.1f (checksum %d)", sha256.median,
                sha512.median, sign.median, verify.median, keys.median, Int(sink)))
        return lines
    }
}

/// Like ``Measurement``, but timed in the calling thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`).
struct CPUMeasurement {
    let name: String
    let unit: String
    var rates: [Double] = []

    /// Runs `body` (which performs `count` units of work) five times after one warm-up round.
    static func run(_ name: String, unit: String, count: Double, _ body: () -> Void) -> CPUMeasurement {
        var measurement = CPUMeasurement(name: name, unit: unit)
        body()
        for _ in 0..<5 {
            let start = threadSeconds()
            body()
            measurement.rates.append(count / (threadSeconds() - start))
        }
        return measurement
    }

    /// The CPU time (user and system) of the whole process so far, in seconds: every thread's.
    static func processSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func threadSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    var median: Double { rates.sorted()[rates.count / 2] }

    var line: String {
        Measurement(name: name + " (CPU time)", unit: unit, rates: rates).line
    }
}
