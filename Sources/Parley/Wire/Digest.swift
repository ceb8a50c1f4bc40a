import ParleyCrypto

/// SHA-256 for the protocol layer (transcripts, duplicates, vectors), backed by ParleyCrypto.
enum Digest {
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        SHA256.hash(bytes)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        Hex.encode(bytes)
    }
}
