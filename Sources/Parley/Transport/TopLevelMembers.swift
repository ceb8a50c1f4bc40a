/// The top-level `session` and `from` members of bytes that may not decode, found wherever they
/// stand in the line (`Spec/PROTOCOL.md` §8): a single pass that keeps constant state — a nesting
/// counter, whether it is inside a string, and at most 257 bytes of the member it is reading — so
/// it works on a line of any length and any depth, including the parts of an over-long line that
/// are never buffered.
///
/// It does not validate JSON: it reads string members of the outermost object, first occurrence
/// first. A value with an escape or longer than an identifier can be is not taken.
struct TopLevelMembers: Hashable, Sendable {
    /// The first top-level `session` member's string value, if any.
    private(set) var session: String?
    /// The first top-level `from` member's string value, if any.
    private(set) var from: String?

    private enum Key: Hashable, Sendable { case session, from, other }
    private enum Reading: Hashable, Sendable { case nothing, key, value(Key) }

    private var depth = 0
    private var inString = false
    private var escaped = false
    private var reading = Reading.nothing
    private var captured: [UInt8] = []
    private var capturedIsUsable = true
    private var lastKey = Key.other
    private var awaitingValue = false

    init() {}

    /// The members of a whole line.
    init(of bytes: some Sequence<UInt8>) {
        feed(bytes)
    }

    /// Reads more bytes of the line.
    mutating func feed(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { read(byte) }
    }

    private mutating func read(_ byte: UInt8) {
        if inString {
            if escaped {
                escaped = false
                capturedIsUsable = false
            } else if byte == 0x5C {
                escaped = true
            } else if byte == 0x22 {
                inString = false
                finishString()
            } else if reading != .nothing {
                if captured.count < Identifier<SessionKind>.maximumLength + 1 { captured.append(byte) } else { capturedIsUsable = false }
            }
            return
        }
        switch byte {
        case 0x22:  // "
            inString = true
            captured.removeAll(keepingCapacity: true)
            capturedIsUsable = true
            if depth == 1, !awaitingValue {
                reading = .key
            } else if depth == 1, awaitingValue {
                reading = lastKey == .other ? .nothing : .value(lastKey)
                awaitingValue = false
            } else {
                reading = .nothing
            }
        case 0x7B, 0x5B:  // { [
            if depth == 1 { awaitingValue = false }
            depth += 1
        case 0x7D, 0x5D:  // } ]
            depth = max(0, depth - 1)
        case 0x3A:  // :
            if depth == 1 { awaitingValue = true }
        case 0x2C:  // ,
            if depth == 1 { awaitingValue = false }
        case 0x20, 0x09, 0x0A, 0x0D:
            break
        default:  // a number or literal value
            if depth == 1 { awaitingValue = false }
        }
    }

    private mutating func finishString() {
        defer { reading = .nothing }
        switch reading {
        case .nothing:
            return
        case .key:
            lastKey =
                !capturedIsUsable
                ? .other : captured.elementsEqual("session".utf8) ? .session : captured.elementsEqual("from".utf8) ? .from : .other
        case .value(let key):
            guard capturedIsUsable else { return }
            let text = String(decoding: captured, as: UTF8.self)
            if key == .session, session == nil { session = text }
            if key == .from, from == nil { from = text }
        }
    }
}
