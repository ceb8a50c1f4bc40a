import Parley

/// A mistake on the command line (exit status 64).
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension TokenCommand {
    /// Hand-written option parsing: `--name value` pairs (repeatable) and positional arguments.
    struct Options {
        private var values: [String: [String]] = [:]
        private var positionals: [String] = []

        init(_ arguments: [String]) throws {
            var index = 0
            while index < arguments.count {
                let argument = arguments[index]
                if argument.hasPrefix("--") {
                    guard index + 1 < arguments.count else { throw UsageError("\(argument) needs a value") }
                    values[argument, default: []].append(arguments[index + 1])
                    index += 2
                } else {
                    positionals.append(argument)
                    index += 1
                }
            }
        }

        mutating func positional(_ name: String) throws -> String {
            guard !positionals.isEmpty else { throw UsageError("missing \(name)") }
            return positionals.removeFirst()
        }

        mutating func optional<Value>(_ name: String, _ parse: (String) -> Value?) throws -> Value? {
            guard let given = values.removeValue(forKey: name) else { return nil }
            guard given.count == 1 else { throw UsageError("\(name) given more than once") }
            guard let value = parse(given[0]) else { throw UsageError("invalid value for \(name): '\(given[0])'") }
            return value
        }

        mutating func required<Value>(_ name: String, _ parse: (String) -> Value?) throws -> Value {
            guard let value = try optional(name, parse) else { throw UsageError("missing \(name)") }
            return value
        }

        /// Every value of a repeatable option, each split at commas.
        mutating func names<Value: Hashable>(_ name: String, _ parse: (String) -> Value?) throws -> Set<Value> {
            var result = Set<Value>()
            for given in values.removeValue(forKey: name) ?? [] {
                for part in given.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let value = parse(String(part)) else { throw UsageError("invalid value for \(name): '\(part)'") }
                    result.insert(value)
                }
            }
            return result
        }

        mutating func rootKey() throws -> ConsentRootKey {
            try required("--root-key", ConsentRootKey.init(hex:))
        }

        /// Fails on any option or argument the subcommand did not take.
        func finish() throws {
            if let unknown = values.keys.sorted().first { throw UsageError("unexpected option \(unknown)") }
            if let extra = positionals.first { throw UsageError("unexpected argument '\(extra)'") }
        }
    }
}
