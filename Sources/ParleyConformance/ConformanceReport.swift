public import Parley

/// The results of a run: one line per case for people, JSON for machines.
public struct ConformanceReport: Sendable {
    /// One case's result.
    public struct Result: Sendable {
        /// The case id.
        public var id: String
        /// The case's group.
        public var group: ConformanceCase.Group
        /// The case's title.
        public var title: String
        /// The spec section it checks.
        public var specSection: String
        /// How it ended.
        public var outcome: ConformanceOutcome
        /// Notes from a passing case.
        public var notes: [String] = []
        /// The peer's diagnostics (standard error) when the case failed.
        public var diagnostics = ""

        init(_ conformanceCase: ConformanceCase, _ outcome: ConformanceOutcome) {
            id = conformanceCase.id
            group = conformanceCase.group
            title = conformanceCase.title
            specSection = conformanceCase.specSection
            self.outcome = outcome
        }
    }

    /// What was tested (the peer command).
    public var peer: String
    /// The peer's role.
    public var role: Role
    /// The results, in run order.
    public var results: [Result]

    /// How many cases passed.
    public var passed: Int { results.filter { $0.outcome == .pass }.count }
    /// How many cases failed.
    public var failed: Int { results.filter { if case .fail = $0.outcome { true } else { false } }.count }
    /// How many cases were skipped.
    public var skipped: Int { results.filter { if case .skip = $0.outcome { true } else { false } }.count }

    /// The ids of the failed cases.
    public var failedIDs: [String] {
        results.compactMap { if case .fail = $0.outcome { $0.id } else { nil } }
    }

    /// One line per case, then `N passed, N failed, N skipped` alone on the last line.
    public var text: String {
        var lines: [String] = []
        for result in results {
            switch result.outcome {
            case .pass:
                lines.append("PASS \(result.id)  \(result.title)")
            case .fail(let reason, let offending):
                var line = "FAIL \(result.id)  \(reason)"
                if let offending { line += " — offending: \(Self.truncate(offending, to: 240))" }
                lines.append(line)
            case .skip(let why):
                lines.append("SKIP \(result.id)  \(why)")
            }
        }
        lines.append("\(passed) passed, \(failed) failed, \(skipped) skipped")
        return lines.joined(separator: "\n")
    }

    /// The machine-readable report.
    public var json: JSONValue {
        .object([
            "peer": .string(peer),
            "role": .string(role.rawValue),
            "passed": .number(Double(passed)),
            "failed": .number(Double(failed)),
            "skipped": .number(Double(skipped)),
            "cases": .array(
                results.map { result in
                    var members: [String: JSONValue] = [
                        "id": .string(result.id), "group": .string(result.group.rawValue), "title": .string(result.title),
                        "spec": .string(result.specSection),
                    ]
                    switch result.outcome {
                    case .pass:
                        members["result"] = .string("pass")
                    case .fail(let reason, let offending):
                        members["result"] = .string("fail")
                        members["reason"] = .string(reason)
                        if let offending { members["offending"] = .string(offending) }
                        if !result.diagnostics.isEmpty { members["diagnostics"] = .string(result.diagnostics) }
                    case .skip(let why):
                        members["result"] = .string("skip")
                        members["reason"] = .string(why)
                    }
                    if !result.notes.isEmpty { members["notes"] = .array(result.notes.map { .string($0) }) }
                    return .object(members)
                }),
        ])
    }

    /// The JSON report as text (sorted members, one line).
    public var jsonText: String {
        String(decoding: JSONText.encode(json), as: UTF8.self)
    }

    static func truncate(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length)) + "…"
    }
}

/// A small JSON writer for reports (sorted keys, minimal escapes).
enum JSONText {
    static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, to: &out)
        return out
    }

    private static func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .number(let number):
            out += Array((number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)).utf8)
        case .string(let text): writeString(text, to: &out)
        case .array(let items):
            out.append(0x5B)
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(0x2C) }
                write(item, to: &out)
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out.append(0x2C) }
                writeString(key, to: &out)
                out.append(0x3A)
                write(members[key]!, to: &out)
            }
            out.append(0x7D)
        }
    }

    private static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(0x22)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += Array("\\\"".utf8)
            case "\\": out += Array("\\\\".utf8)
            case "\n": out += Array("\\n".utf8)
            case "\r": out += Array("\\r".utf8)
            case "\t": out += Array("\\t".utf8)
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                } else {
                    out += Array(String(scalar).utf8)
                }
            }
        }
        out.append(0x22)
    }
}
