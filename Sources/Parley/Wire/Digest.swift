/// SHA-256 for the protocol layer (transcripts, duplicates, vectors), backed by ParleyCrypto.
enum Digest {
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        fatalError("pending merge")
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

enum CanonicalJSON {
    static func append(_ value: JSONValue, to output: inout [UInt8]) { fatalError("pending merge") }
}
