/// What a (sub)command accepts on its command line: its name, usage text, the options that take a
/// value and the flags that don't. Parsing with it gives every command the same behaviour for free:
/// `--help`/`-h` prints ``usage`` and exits 0; an unknown option, a missing value or a bad value is
/// one line on standard error and exit status 64 (see ``ExitStatus``).
///
/// A new command is an enum with a `usage`, a `command` and a throwing `run`, and one `case` in
/// `main.swift` that calls it through ``CommandRunner``:
///
/// ```swift
/// enum DemoCommand {
///     static let usage = "usage: parley demo NAME [--json] [--ics FILE]"
///     static let command = CommandSpec(name: "parley demo", usage: usage, options: ["--ics"], flags: ["--json"], positionals: 1...1)
///
///     static func run(_ arguments: [String]) async throws -> Int32 {
///         let options = try Options(arguments, for: command)
///         let path = try options.string("--ics")
///         guard … else { throw options.mistake("unknown scenario '\(options.positional[0])'") }
///         …
///         return ExitStatus.success
///     }
/// }
///
/// // main.swift
/// case "demo":
///     status = await CommandRunner.run("parley demo") { try await DemoCommand.run(rest) }
/// ```
struct CommandSpec: Sendable {
    /// The command as a person types it, e.g. `parley token mint`; starts every error line.
    let name: String
    /// The text `--help` prints.
    let usage: String
    /// Options followed by a value (`--seed 7` or `--seed=7`); each may be given more than once.
    let options: Set<String>
    /// Options that stand alone (`--json`).
    let flags: Set<String>
    /// How many positional arguments the command takes.
    let positionals: ClosedRange<Int>

    init(name: String, usage: String, options: Set<String> = [], flags: Set<String> = [], positionals: ClosedRange<Int> = 0...0) {
        self.name = name
        self.usage = usage
        self.options = options
        self.flags = flags
        self.positionals = positionals
    }
}

/// The exit statuses of every `parley` command (the BSD `sysexits.h` values where one fits).
enum ExitStatus {
    /// The command did what was asked.
    static let success: Int32 = 0
    /// The command ran, and its answer is "no": an invalid line, a failed case, a denied token, a
    /// simulation with violations, a negotiation that failed.
    static let failure: Int32 = 1
    /// The command line is wrong: an unknown command or option, a missing or malformed value.
    static let usage: Int32 = 64
    /// An input file cannot be read.
    static let noInput: Int32 = 66
    /// A service the command needs cannot be reached or answered wrongly (an HTTP company's
    /// discovery document, say).
    static let unavailable: Int32 = 69
    /// An output file cannot be written.
    static let cannotCreate: Int32 = 73
}

/// A command line that ends the command before it runs: `--help`, or a mistake.
enum CommandLineExit: Error {
    /// `--help` or `-h`: print the usage to standard output, exit 0.
    case help(usage: String)
    /// A mistake on the command line: one line to standard error, exit 64.
    case usage(command: String, message: String)

    /// Prints what the exit says and returns the exit status.
    func report() -> Int32 {
        switch self {
        case .help(let usage):
            print(usage)
            return ExitStatus.success
        case .usage(let command, let message):
            Console.error("\(command): \(message) (see '\(command) --help')")
            return ExitStatus.usage
        }
    }
}

/// A mistake on the command line found after parsing (a value that does not fit, say): the
/// command's name is added when it is reported, and the exit status is 64.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// The parsed command line of one command. Options not declared in its ``CommandSpec`` are an
/// error; `--` ends the options; a lone `-` is a positional argument (standard input).
struct Options {
    /// The command whose command line this is.
    let command: CommandSpec
    private var values: [String: [String]] = [:]
    /// The flags given.
    private(set) var flags: Set<String> = []
    /// The positional arguments, in order.
    private(set) var positional: [String] = []

    /// Parses `arguments` (the words after the command's name); throws ``CommandLineExit``.
    init(_ arguments: [String], for command: CommandSpec) throws(CommandLineExit) {
        self.command = command
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                positional.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            if argument == "--help" || argument == "-h" { throw .help(usage: command.usage) }
            var name = argument
            var inline: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            if command.flags.contains(name) {
                guard inline == nil else { throw .usage(command: command.name, message: "\(name) takes no value") }
                flags.insert(name)
            } else if command.options.contains(name) {
                if let inline {
                    values[name, default: []].append(inline)
                } else {
                    guard index < arguments.count else { throw .usage(command: command.name, message: "\(name) needs a value") }
                    values[name, default: []].append(arguments[index])
                    index += 1
                }
            } else {
                throw .usage(command: command.name, message: "unknown option \(name)")
            }
        }
        if positional.count < command.positionals.lowerBound {
            throw .usage(command: command.name, message: positional.isEmpty ? "missing argument" : "missing arguments")
        }
        if positional.count > command.positionals.upperBound {
            throw .usage(command: command.name, message: "unexpected argument '\(positional[command.positionals.upperBound])'")
        }
    }

    /// A usage error for this command: `throw options.mistake("…")`.
    func mistake(_ message: String) -> CommandLineExit {
        .usage(command: command.name, message: message)
    }

    /// The value of `name`; an error when it was given more than once.
    func string(_ name: String) throws(CommandLineExit) -> String? {
        guard let given = values[name] else { return nil }
        guard given.count == 1 else { throw mistake("\(name) given more than once") }
        return given[0]
    }

    /// The value of `name` made by `parse`; an error naming the option when `parse` returns `nil`.
    func value<Value>(_ name: String, _ parse: (String) -> Value?) throws(CommandLineExit) -> Value? {
        guard let text = try string(name) else { return nil }
        guard let value = parse(text) else { throw mistake("invalid value for \(name): '\(text)'") }
        return value
    }

    /// The value of `name`, which must be given.
    func required<Value>(_ name: String, _ parse: (String) -> Value?) throws(CommandLineExit) -> Value {
        guard let value = try value(name, parse) else { throw mistake("missing \(name)") }
        return value
    }

    /// The value of `name`, which must be given.
    func required(_ name: String) throws(CommandLineExit) -> String {
        try required(name) { $0 }
    }

    /// Every value given for a repeatable option, in order.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// The whole number given for `name`.
    func integer(_ name: String) throws(CommandLineExit) -> Int? {
        guard let text = try string(name) else { return nil }
        guard let value = Int(text) else { throw mistake("\(name) needs a whole number, not '\(text)'") }
        return value
    }

    /// The probability (0 to 1) given for `name`.
    func probability(_ name: String) throws(CommandLineExit) -> Double? {
        guard let text = try string(name) else { return nil }
        guard let value = Double(text), value >= 0, value <= 1 else {
            throw mistake("\(name) needs a probability from 0 to 1, not '\(text)'")
        }
        return value
    }

    /// Every value of a repeatable option, each split at commas.
    func names<Value: Hashable>(_ name: String, _ parse: (String) -> Value?) throws(CommandLineExit) -> Set<Value> {
        var result = Set<Value>()
        for given in values[name] ?? [] {
            for part in given.split(separator: ",", omittingEmptySubsequences: false) {
                guard let value = parse(String(part)) else { throw mistake("invalid value for \(name): '\(part)'") }
                result.insert(value)
            }
        }
        return result
    }
}

/// Runs one command: its `--help`, usage mistakes and failures all end in an exit status here, so
/// every command reports them the same way.
enum CommandRunner {
    static func run(_ name: String, _ body: () async throws -> Int32) async -> Int32 {
        do {
            return try await body()
        } catch let exit as CommandLineExit {
            return exit.report()
        } catch let error as UsageError {
            return CommandLineExit.usage(command: name, message: error.message).report()
        } catch {
            Console.error("\(name): \(error)")
            return ExitStatus.failure
        }
    }
}
