import Foundation
import Parley
import ParleyConformance
import ParleyScenarios
import Testing

/// What one run of a built executable did.
struct ProcessRun {
    let status: Int32
    let output: String
    let error: String

    /// The first line of standard output, or of standard error when nothing went to standard output.
    var firstLine: String {
        let text = output.isEmpty ? error : output
        return String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// Runs `executable` with `arguments`, its standard output and error piped (so never a terminal).
    static func run(_ executable: String, _ arguments: [String]) throws -> ProcessRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe cannot stall the child.
        let errorData = Locked(Data())
        let errorReader = Thread { errorData.set(error.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.finished { usleep(1000) }
        return ProcessRun(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData.value, as: UTF8.self))
    }
}

/// A value set once from another thread.
final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `stored` and `done` are only touched under `lock`.
    private let lock = NSLock()
    private var stored: Value
    private var done = false

    init(_ value: Value) { stored = value }

    func set(_ value: Value) { lock.withLock { (stored, done) = (value, true) } }
    var value: Value { lock.withLock { stored } }
    var finished: Bool { lock.withLock { done } }
}

@Suite("The parley command line: help, exit statuses, version")
struct CommandLineTests {
    /// argv → exit status and the first line printed (standard output, else standard error).
    static let table: [(arguments: [String], status: Int32, firstLine: String)] = [
        ([], 64, "parley: missing command (see 'parley --help')"),
        (["--help"], 0, "usage: parley <command> [options]"),
        (["-h"], 0, "usage: parley <command> [options]"),
        (["help"], 0, "usage: parley <command> [options]"),
        (["frobnicate"], 64, "parley: unknown command 'frobnicate' (see 'parley --help')"),
        (["demo", "--help"], 0, "usage: parley demo haircut|restaurant|three-salons|give-and-take [--json] [--ics FILE] [--receipt FILE]"),
        (["demo", "-h"], 0, "usage: parley demo haircut|restaurant|three-salons|give-and-take [--json] [--ics FILE] [--receipt FILE]"),
        (["demo"], 64, "parley demo: missing argument (see 'parley demo --help')"),
        (["demo", "opera"], 64, "parley demo: unknown scenario 'opera' (see 'parley demo --help')"),
        (["demo", "haircut", "--loud"], 64, "parley demo: unknown option --loud (see 'parley demo --help')"),
        (["demo", "haircut", "--ics"], 64, "parley demo: --ics needs a value (see 'parley demo --help')"),
        (["demo", "haircut", "--json=yes"], 64, "parley demo: --json takes no value (see 'parley demo --help')"),
        (["serve", "--help"], 0, "usage: parley serve --role company --scenario salon|restaurant [--now TIME]"),
        (["serve", "--role", "company"], 64, "parley serve: missing --scenario (see 'parley serve --help')"),
        (
            ["serve", "--role", "customer", "--scenario", "haircut", "--company-key", "zz"], 64,
            "parley serve: invalid value for --company-key: 'zz' (see 'parley serve --help')"
        ),
        (["receipt", "verify"], 64, "parley receipt verify: missing argument (see 'parley receipt verify --help')"),
        (
            ["serve", "--role", "company", "--scenario", "opera"], 64,
            "parley serve: unknown role/scenario company/opera (see 'parley serve --help')"
        ),
        (
            ["simulate", "--help"], 0,
            "usage: parley simulate [--sessions N] [--seed S] [--drop P] [--duplicate P] [--reorder P] [--corrupt P]"
        ),
        (
            ["simulate", "-h"], 0,
            "usage: parley simulate [--sessions N] [--seed S] [--drop P] [--duplicate P] [--reorder P] [--corrupt P]"
        ),
        (["simulate", "--seed"], 64, "parley simulate: --seed needs a value (see 'parley simulate --help')"),
        (["simulate", "--seed", "-1"], 64, "parley simulate: --seed must not be negative (see 'parley simulate --help')"),
        (
            ["simulate", "--sessions", "many"], 64,
            "parley simulate: --sessions needs a whole number, not 'many' (see 'parley simulate --help')"
        ),
        (
            ["simulate", "--drop", "2"], 64,
            "parley simulate: --drop needs a probability from 0 to 1, not '2' (see 'parley simulate --help')"
        ),
        (["simulate", "--fast"], 64, "parley simulate: unknown option --fast (see 'parley simulate --help')"),
        (
            ["simulate", "--sessions", "3", "--sessions", "4"], 64,
            "parley simulate: --sessions given more than once (see 'parley simulate --help')"
        ),
        (["simulate", "extra"], 64, "parley simulate: unexpected argument 'extra' (see 'parley simulate --help')"),
        // `--name=value`, and `--` ending the options.
        (["simulate", "--sessions=2", "--seed=4"], 0, "simulation: 2 sessions, seed 4, drop 0.0, duplicate 0.0, reorder 0.0, corrupt 0.0"),
        (["spec-table", "--", "errors"], 0, "| code | when | fatal | retryable |"),
        (["validate", "--help"], 0, "usage: parley validate FILE|-"),
        (["validate"], 64, "parley validate: missing argument (see 'parley validate --help')"),
        (["validate", "/nonexistent/parley.jsonl"], 66, "parley validate: cannot read /nonexistent/parley.jsonl"),
        (["spec-table", "--help"], 0, "usage: parley spec-table [transitions|errors]"),
        (["spec-table", "chairs"], 64, "parley spec-table: unknown table 'chairs' (see 'parley spec-table --help')"),
        (["token"], 64, "parley token: missing subcommand (see 'parley token --help')"),
        (["token", "--help"], 0, "usage: parley token mint|attenuate|inspect|verify … (each answers --help)"),
        (["token", "help"], 0, "usage: parley token mint|attenuate|inspect|verify … (each answers --help)"),
        (["token", "melt"], 64, "parley token: unknown subcommand 'melt' (see 'parley token --help')"),
        (
            ["token", "mint", "--help"], 0,
            "usage: parley token mint --root-key HEX --id ID --location AGENT --audience AGENT --purpose P… --field F…"
        ),
        (
            ["token", "attenuate", "-h"], 0,
            "usage: parley token attenuate TOKEN [--audience AGENT] [--purpose P…] [--field F…] [--expires TIME]"
        ),
        (["token", "inspect", "--help"], 0, "usage: parley token inspect TOKEN"),
        (
            ["token", "verify", "--help"], 0,
            "usage: parley token verify TOKEN --root-key HEX --audience AGENT --purpose P [--field F…] [--at TIME]"
        ),
        (["token", "mint", "--root-key"], 64, "parley token mint: --root-key needs a value (see 'parley token mint --help')"),
        (["token", "mint", "--colour", "red"], 64, "parley token mint: unknown option --colour (see 'parley token mint --help')"),
        (
            ["token", "mint", "--root-key", "zz"], 64,
            "parley token mint: invalid value for --root-key: 'zz' (see 'parley token mint --help')"
        ),
        (["token", "inspect"], 64, "parley token inspect: missing argument (see 'parley token inspect --help')"),
        (["token", "inspect", "not-a-token"], 1, "error: token-malformed: token is not base64url text"),
        (
            ["conformance", "--help"], 0,
            "usage: parley conformance --peer \"COMMAND\" --role company|customer [--case ID] [--json FILE] [--timeout SECONDS]"
        ),
        (["conformance", "--role", "company"], 64, "parley conformance: missing --peer (or --url) (see 'parley conformance --help')"),
        (
            ["conformance", "--peer", "true", "--role", "boss"], 64,
            "parley conformance: invalid value for --role: 'boss' (see 'parley conformance --help')"
        ),
        (
            ["conformance", "--peer", "true", "--role", "company", "--case", "no.such"], 64,
            "parley conformance: no company case 'no.such'; --list shows the cases (see 'parley conformance --help')"
        ),
    ]

    @Test("argv → exit status and first line", arguments: 0..<table.count)
    func row(_ index: Int) throws {
        let (arguments, status, firstLine) = Self.table[index]
        guard let parley = Binaries.path("parley") else { return }
        let run = try ProcessRun.run(parley, arguments)
        #expect(run.status == status, "parley \(arguments.joined(separator: " ")): \(run.output)\(run.error)")
        #expect(run.firstLine == firstLine, "parley \(arguments.joined(separator: " "))")
        // A mistake is one line on standard error, and nothing on standard output.
        if status == 64 && !arguments.isEmpty {
            #expect(run.output.isEmpty && run.error.split(separator: "\n").count == 1, "\(run.error)")
        }
    }

    @Test("Every command named in 'parley --help' answers --help and -h with its usage, exit 0")
    func everyCommandAnswersHelp() throws {
        guard let parley = Binaries.path("parley") else { return }
        let help = try ProcessRun.run(parley, ["--help"]).output
        let commands = ["demo", "serve", "simulate", "validate", "spec-table", "token", "conformance"]
        for command in commands {
            #expect(help.contains("\n  \(command) "), "parley --help must list \(command)")
            for flag in ["--help", "-h"] {
                let run = try ProcessRun.run(parley, [command, flag])
                #expect(
                    run.status == 0 && run.firstLine.hasPrefix("usage: parley \(command)"), "parley \(command) \(flag): \(run.firstLine)")
            }
        }
        for status in ["0 ", "1 ", "64 ", "66 ", "73 "] {
            #expect(help.contains("\n  \(status)"), "parley --help must document exit status \(status)")
        }
    }

    @Test("--version prints the package version and the protocol versions")
    func version() throws {
        guard let parley = Binaries.path("parley") else { return }
        let run = try ProcessRun.run(parley, ["--version"])
        #expect(run.status == 0)
        #expect(run.output == "parley 0.1.0 (protocol version \(ParleyProtocol.version))\n")
    }

    /// `script` (util-linux) runs a command on a pseudo-terminal, so its standard error is a terminal.
    static let script = "/usr/bin/script"

    @Test(
        "On a terminal, simulate and conformance show their progress on standard error",
        .enabled(if: FileManager.default.isExecutableFile(atPath: script) && isUtilLinuxScript))
    func progressOnATerminal() throws {
        guard let parley = Binaries.path("parley") else { return }
        let simulation = try ProcessRun.run(Self.script, ["-qec", "\(parley) simulate --sessions 200 --seed 3", "/dev/null"])
        #expect(simulation.status == 0)
        #expect(simulation.output.contains("\rsimulate: 200 / 200 sessions done"), "\(simulation.output)")
        #expect(simulation.output.contains("simulation: 200 sessions"))
        let serve = "\(parley) serve --role company --scenario salon"
        let conformance = try ProcessRun.run(
            Self.script, ["-qec", "\(parley) conformance --peer '\(serve)' --role company --case framing.hello", "/dev/null"])
        #expect(conformance.status == 0)
        #expect(conformance.output.contains("\rconformance: 1 / 1 cases, 0 failed"), "\(conformance.output)")
    }

    @Test("Piped, a simulation and a conformance run print no progress: standard error stays empty")
    func noProgressWhenPiped() throws {
        guard let parley = Binaries.path("parley") else { return }
        let simulation = try ProcessRun.run(parley, ["simulate", "--sessions", "20", "--seed", "3"])
        #expect(simulation.status == 0)
        #expect(simulation.error.isEmpty, "\(simulation.error)")
        let command = "\(parley) serve --role company --scenario salon"
        let conformance = try ProcessRun.run(
            parley, ["conformance", "--peer", command, "--role", "company", "--case", "framing.hello"])
        #expect(conformance.status == 0, "\(conformance.output)")
        #expect(!conformance.error.contains("\r") && !conformance.error.contains("cases,"), "\(conformance.error)")
    }
}

/// Collects conformance progress reports.
final class CaseProgress: @unchecked Sendable {
    // @unchecked: `reports` is only touched under `lock`.
    private let lock = NSLock()
    private var reports: [(done: Int, total: Int)] = []

    func record(_ done: Int, _ total: Int) { lock.withLock { reports.append((done, total)) } }
    var all: [(done: Int, total: Int)] { lock.withLock { reports } }
}

@Suite("Conformance progress")
struct ConformanceProgressTests {
    @Test("run(progress:) reports after each case: results so far and the total")
    func progressAfterEachCase() async {
        let progress = CaseProgress()
        let report = await ConformanceSuite().run(
            role: .company, peer: "in process", caseID: "framing.hello", progress: { progress.record($0.count, $1) }
        ) {
            InProcessPeer.company(clock: ShiftedClock(start: World.now)) { Salons.salon().0 }
        }
        #expect(report.passed == 1)
        #expect(progress.all.map(\.done) == [1])
        #expect(progress.all.map(\.total) == [1])
    }
}

/// Whether `/usr/bin/script` is util-linux's, which takes `-q -e -c COMMAND FILE` (BSD's differs).
let isUtilLinuxScript: Bool = {
    #if os(Linux)
        return true
    #else
        return false
    #endif
}()
