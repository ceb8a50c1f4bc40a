import Foundation
import Parley
import ParleyCrypto

extension Bench {
    /// Hash throughput in MB/s (10^6 bytes, as `openssl speed` counts) over 16 KiB buffers,
    /// and Ed25519 signatures made and verified per second (64-byte messages).
    static func crypto() async -> [String] {
        var lines: [String] = []
        let buffer = (0..<16_384).map { UInt8(truncatingIfNeeded: $0 &* 131) }
        let hashes = 4_000  // 65.5 MB per round
        var sink: UInt8 = 0
        let sha256 = await Measurement.run("SHA-256, 16 KiB buffers", unit: "MB/s", count: hashes * buffer.count / 1_000_000) {
            for _ in 0..<hashes { sink ^= SHA256.hash(buffer)[0] }
        }
        lines.append(sha256.line)
        let sha512 = await Measurement.run("SHA-512, 16 KiB buffers", unit: "MB/s", count: hashes * buffer.count / 1_000_000) {
            for _ in 0..<hashes { sink ^= SHA512.hash(buffer)[0] }
        }
        lines.append(sha512.line)

        var random = SystemRandomNumberGenerator()
        let key = SigningKey(using: &random)
        let message = (0..<64).map { _ in UInt8.random(in: 0...255, using: &random) }
        let count = 2_000
        let sign = await Measurement.run("Ed25519 sign, 64-byte message", unit: "signatures/s", count: count) {
            for _ in 0..<count { sink ^= key.signature(for: message).rawRepresentation[0] }
        }
        lines.append(sign.line)
        let signature = key.signature(for: message)
        let publicKey = key.publicKey
        let verify = await Measurement.run("Ed25519 verify, 64-byte message", unit: "verifications/s", count: count) {
            for _ in 0..<count where publicKey.isValidSignature(signature, for: message) { sink ^= 1 }
        }
        lines.append(verify.line)
        let seeds = (0..<count).map { _ in (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) } }
        let keys = await Measurement.run("Ed25519 key from seed", unit: "keys/s", count: count) {
            for seed in seeds { sink ^= SigningKey(seed: seed)!.publicKey.rawRepresentation[0] }
        }
        lines.append(keys.line)
        lines.append("(checksum \(sink))")
        return lines
    }
}
