/// Splits a byte stream into JSON Lines records, incrementally (`Spec/PROTOCOL.md` §4.6).
///
/// Feed it chunks as they arrive, with any boundaries, and call ``finish()`` at the end of the
/// stream. It removes one CR before each LF, skips empty lines, reports a line longer than the
/// limit once, when it ends, as ``Piece/tooLarge(_:)`` without ever holding more than the limit
/// (plus one CR) of it — only its top-level `session` and `from` members, read as it passes
/// (``TopLevelMembers``) — and resumes after the next LF; bytes after the last LF are a final line.
struct JSONLineSplitter: Sendable {
    /// What the splitter found.
    enum Piece: Hashable, Sendable {
        /// One line's bytes, without CR and LF; never empty.
        case line([UInt8])
        /// A line longer than the limit, which was discarded, with the members that identify its session.
        case tooLarge(TopLevelMembers)
    }

    /// The longest line accepted, in bytes, without the CR and LF.
    let maximumLineBytes: Int
    private var buffer: [UInt8] = []
    /// Inside an over-long line: read its members, drop its bytes, up to the next LF.
    private var discarding: TopLevelMembers?

    /// How many bytes of the current line are held (never more than the limit plus one CR).
    var bufferedCount: Int { buffer.count }

    init(maximumLineBytes: Int) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// Consumes `chunk` and returns the pieces it completes, in order.
    mutating func feed(_ chunk: [UInt8]) -> [Piece] {
        var pieces: [Piece] = []
        var rest = chunk[...]
        while !rest.isEmpty {
            guard let lineFeed = rest.firstIndex(of: 0x0A) else {
                appendPartial(rest, to: &pieces)
                break
            }
            completeLine(rest[..<lineFeed], to: &pieces)
            rest = rest[rest.index(after: lineFeed)...]
        }
        return pieces
    }

    /// Ends the stream: returns the final line, if bytes followed the last LF.
    mutating func finish() -> [Piece] {
        defer {
            buffer = []
            discarding = nil
        }
        if let members = discarding { return [.tooLarge(members)] }
        if buffer.isEmpty { return [] }
        guard buffer.count <= maximumLineBytes else { return [.tooLarge(TopLevelMembers(of: buffer))] }
        return [.line(buffer)]
    }

    private mutating func appendPartial(_ bytes: ArraySlice<UInt8>, to pieces: inout [Piece]) {
        if discarding != nil {
            discarding?.feed(bytes)
            return
        }
        let total = buffer.count + bytes.count
        // One byte over the limit is allowed while it may be the CR of a CRLF.
        if total <= maximumLineBytes || (total == maximumLineBytes + 1 && bytes.last == 0x0D) {
            buffer.append(contentsOf: bytes)
        } else {
            var members = TopLevelMembers(of: buffer)
            members.feed(bytes)
            buffer = []
            discarding = members
        }
    }

    private mutating func completeLine(_ bytes: ArraySlice<UInt8>, to pieces: inout [Piece]) {
        defer { buffer = [] }
        if var members = discarding {
            members.feed(bytes)
            discarding = nil
            pieces.append(.tooLarge(members))
            return
        }
        let last = bytes.last ?? buffer.last
        let length = buffer.count + bytes.count - (last == 0x0D ? 1 : 0)
        guard length <= maximumLineBytes else {
            var members = TopLevelMembers(of: buffer)
            members.feed(bytes)
            pieces.append(.tooLarge(members))
            return
        }
        guard length > 0 else { return }
        var line = buffer
        line.append(contentsOf: bytes)
        if last == 0x0D { line.removeLast() }
        pieces.append(.line(line))
    }
}
