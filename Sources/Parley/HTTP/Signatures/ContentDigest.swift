internal import ParleyCrypto

/// The `Content-Digest` field (RFC 9530): a digest of the message content, which an HTTP
/// message signature covers so that it covers the body too.
///
/// Parley writes `sha-256` (`sha-256=:BASE64:`); it checks `sha-256` and `sha-512` when present
/// and refuses a field that holds neither (other algorithms are ignored, as RFC 9530 §2 allows).
public enum ContentDigest {
    /// The `Content-Digest` value for `body`: `sha-256=:BASE64:`.
    public static func sha256(_ body: some Collection<UInt8>) -> String {
        "sha-256=:" + Base64.encode(SHA256.hash(Array(body))) + ":"
    }

    /// Checks `value` (a `Content-Digest` field value, `nil` when absent) against `body`.
    ///
    /// - Throws: ``HTTPSignatureError`` `digest-missing` (400) when the field is absent or holds
    ///   neither `sha-256` nor `sha-512`, `signature-malformed` (400) when it is not a
    ///   structured-field dictionary of byte sequences, `digest-mismatch` (400) when a digest
    ///   differs from the body's.
    public static func verify(_ value: String?, body: some Collection<UInt8>) throws(HTTPSignatureError) {
        guard let value else { throw .digestMissing("the message has no Content-Digest field") }
        let members: [(key: String, member: StructuredField.Member)]
        do { members = try StructuredField.parseDictionary(value) } catch {
            throw .malformed("Content-Digest is not a structured-field dictionary: \(error.detail)")
        }
        var checked = 0
        for (algorithm, member) in members where algorithm == "sha-256" || algorithm == "sha-512" {
            guard case .item(let item) = member, case .bytes(let digest) = item.value else {
                throw .malformed("the Content-Digest member \(algorithm) is not a byte sequence")
            }
            let actual = algorithm == "sha-256" ? SHA256.hash(Array(body)) : SHA512.hash(Array(body))
            guard digest == actual else { throw .digestMismatch("the body's \(algorithm) differs from Content-Digest") }
            checked += 1
        }
        guard checked > 0 else { throw .digestMissing("Content-Digest holds neither sha-256 nor sha-512") }
    }
}
