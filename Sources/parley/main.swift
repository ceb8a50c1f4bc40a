#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `parley` — the command-line tool: demos, validation, spec tables, token debugging.
let arguments = Array(CommandLine.arguments.dropFirst())
let status: Int32
switch arguments.first {
case "validate":
    status = ValidateCommand.run(Array(arguments.dropFirst()))
case "spec-table":
    status = SpecTableCommand.run(Array(arguments.dropFirst()))
case "token":
    status = TokenCommand.run(Array(arguments.dropFirst()))
case "serve":
    status = await ServeCommand.run(Array(arguments.dropFirst()))
case "demo":
    status = await DemoCommand.run(Array(arguments.dropFirst()))
case "conformance" where arguments.contains("--url"):
    status = await HTTPCommands.conformance(Array(arguments.dropFirst()))
case "conformance":
    status = await ConformanceCommand.run(Array(arguments.dropFirst()))
case "discover":
    status = await HTTPCommands.discover(Array(arguments.dropFirst()))
case "book":
    status = await HTTPCommands.book(Array(arguments.dropFirst()))
case "simulate":
    status = await SimulateCommand.run(Array(arguments.dropFirst()))
case "help", "--help", "-h", nil:
    print(Usage.text)
    status = arguments.isEmpty ? 64 : 0
default:
    Console.error("parley: unknown command '\(arguments[0])'\n\n\(Usage.text)")
    status = 64
}
exit(status)
