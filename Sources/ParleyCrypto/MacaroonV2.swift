/// Why bytes are not a well-formed version 2 binary macaroon.
package enum MacaroonFormatError: Error, Hashable, Sendable {
    /// The input is longer than the limit.
    case tooLarge(byteCount: Int, limit: Int)
    /// The input has more caveats than the limit.
    case tooManyCaveats(limit: Int)
    /// The first byte is not `2`.
    case unsupportedVersion
    /// The input ends in the middle of a field or before the signature.
    case truncated(offset: Int)
    /// A varint is over-long, non-minimal or does not fit.
    case badVarint(offset: Int)
    /// A field of another type (or an end-of-section byte) appears where `expected` must.
    case unexpectedField(offset: Int, expected: UInt8)
    /// An optional field is present with zero length (the canonical form omits it).
    case emptyOptionalField(offset: Int)
    /// The signature field is not 32 bytes long.
    case badSignatureLength(Int)
    /// Bytes follow the signature.
    case trailingBytes(offset: Int)
}

extension Macaroon {
    /// Limits a parser enforces before it trusts any input.
    package struct Limits: Hashable, Sendable {
        /// The largest accepted binary encoding, in bytes.
        package var maximumBytes: Int
        /// The most caveats accepted.
        package var maximumCaveats: Int

        /// Creates limits.
        package init(maximumBytes: Int = 16_384, maximumCaveats: Int = 64) {
            self.maximumBytes = maximumBytes
            self.maximumCaveats = maximumCaveats
        }
    }

    private enum FieldType {
        static let endOfSection: UInt8 = 0
        static let location: UInt8 = 1
        static let identifier: UInt8 = 2
        static let verificationID: UInt8 = 4
        static let signature: UInt8 = 6
    }

    /// The version 2 binary encoding, exactly as libmacaroons' `macaroon_serialize_v2` writes it.
    package func serializedV2() -> [UInt8] {
        var out: [UInt8] = [2]
        func field(_ type: UInt8, _ bytes: [UInt8]) {
            out.append(type)
            var length = UInt64(bytes.count)
            while length >= 0x80 {
                out.append(UInt8(truncatingIfNeeded: length) | 0x80)
                length >>= 7
            }
            out.append(UInt8(length))
            out += bytes
        }
        if !location.isEmpty { field(FieldType.location, location) }
        field(FieldType.identifier, identifier)
        out.append(FieldType.endOfSection)
        for caveat in caveats {
            if let location = caveat.location, !location.isEmpty { field(FieldType.location, location) }
            field(FieldType.identifier, caveat.identifier)
            if let verificationID = caveat.verificationID { field(FieldType.verificationID, verificationID) }
            out.append(FieldType.endOfSection)
        }
        out.append(FieldType.endOfSection)
        field(FieldType.signature, signature)
        return out
    }

    /// Parses the version 2 binary encoding strictly, within `limits`; never traps on hostile input.
    package init(v2 bytes: [UInt8], limits: Limits = Limits()) throws(MacaroonFormatError) {
        guard bytes.count <= limits.maximumBytes else { throw .tooLarge(byteCount: bytes.count, limit: limits.maximumBytes) }
        var reader = Reader(bytes: bytes)
        guard reader.peek() == 2 else { throw .unsupportedVersion }
        reader.offset = 1
        let location = try reader.optionalField(FieldType.location) ?? []
        let identifier = try reader.requiredField(FieldType.identifier)
        try reader.endOfSection()
        var caveats: [Caveat] = []
        while true {
            guard let next = reader.peek() else { throw .truncated(offset: reader.offset) }
            if next == FieldType.endOfSection { break }
            guard caveats.count < limits.maximumCaveats else { throw .tooManyCaveats(limit: limits.maximumCaveats) }
            let caveatLocation = try reader.optionalField(FieldType.location)
            let caveatIdentifier = try reader.requiredField(FieldType.identifier)
            let verificationID = try reader.optionalField(FieldType.verificationID)
            try reader.endOfSection()
            caveats.append(Caveat(identifier: caveatIdentifier, verificationID: verificationID, location: caveatLocation))
        }
        try reader.endOfSection()
        let signature = try reader.requiredField(FieldType.signature)
        guard signature.count == SHA256.digestByteCount else { throw .badSignatureLength(signature.count) }
        guard reader.offset == bytes.count else { throw .trailingBytes(offset: reader.offset) }
        self.init(location: location, identifier: identifier, caveats: caveats, signature: signature)
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

        mutating func endOfSection() throws(MacaroonFormatError) {
            guard let byte = peek() else { throw .truncated(offset: offset) }
            guard byte == FieldType.endOfSection else { throw .unexpectedField(offset: offset, expected: FieldType.endOfSection) }
            offset += 1
        }

        mutating func optionalField(_ type: UInt8) throws(MacaroonFormatError) -> [UInt8]? {
            guard peek() == type else { return nil }
            let start = offset
            let value = try requiredField(type)
            guard !value.isEmpty else { throw .emptyOptionalField(offset: start) }
            return value
        }

        mutating func requiredField(_ type: UInt8) throws(MacaroonFormatError) -> [UInt8] {
            guard let byte = peek() else { throw .truncated(offset: offset) }
            guard byte == type else { throw .unexpectedField(offset: offset, expected: type) }
            offset += 1
            let length = try varint()
            guard length <= UInt64(bytes.count - offset) else { throw .truncated(offset: offset) }
            let end = offset + Int(length)
            let value = Array(bytes[offset..<end])
            offset = end
            return value
        }

        /// A minimal LEB128 varint of at most 9 bytes (lengths are bounded by the input size anyway).
        mutating func varint() throws(MacaroonFormatError) -> UInt64 {
            let start = offset
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard let byte = peek() else { throw .truncated(offset: offset) }
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 {
                    guard byte != 0 || offset - start == 1 else { throw .badVarint(offset: start) }
                    return value
                }
                shift += 7
                guard shift < 63 else { throw .badVarint(offset: start) }
            }
        }
    }
}
