import Parley

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `parley` — the command-line tool: demos, validation, spec tables, token debugging.
let arguments = Array(CommandLine.arguments.dropFirst())
let rest = Array(arguments.dropFirst())
let status: Int32
switch arguments.first {
case "validate":
    status = await CommandRunner.run("parley validate") { try ValidateCommand.run(rest) }
case "spec-table":
    status = await CommandRunner.run("parley spec-table") { try SpecTableCommand.run(rest) }
case "token":
    status = await CommandRunner.run("parley token") { try TokenCommand.run(rest) }
case "serve":
    status = await CommandRunner.run("parley serve") { try await ServeCommand.run(rest) }
case "demo":
    status = await CommandRunner.run("parley demo") { try await DemoCommand.run(rest) }
case "key":
    status = await CommandRunner.run("parley key") { try KeyCommand.run(rest) }
case "receipt":
    status = await CommandRunner.run("parley receipt") { try ReceiptCommand.run(rest) }
case "conformance":
    status = await CommandRunner.run("parley conformance") { try await ConformanceCommand.run(rest) }
case "discover":
    status = await CommandRunner.run("parley discover") { try await HTTPCommands.discover(rest) }
case "book":
    status = await CommandRunner.run("parley book") { try await HTTPCommands.book(rest) }
case "simulate":
    status = await CommandRunner.run("parley simulate") { try await SimulateCommand.run(rest) }
case "--version":
    print(Usage.version)
    status = ExitStatus.success
case "help", "--help", "-h":
    print(Usage.text)
    status = ExitStatus.success
case nil:
    Console.error("parley: missing command (see 'parley --help')")
    status = ExitStatus.usage
default:
    Console.error("parley: unknown command '\(arguments[0])' (see 'parley --help')")
    status = ExitStatus.usage
}
exit(status)
