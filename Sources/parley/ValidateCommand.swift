import Parley

/// `parley validate FILE|-`: decodes every JSON Lines record and reports each invalid one.
enum ValidateCommand {
    static let usage = """
        usage: parley validate FILE|-

        Decodes every line of FILE (or standard input for -) as a JSON Lines envelope and prints each
        invalid line with its error code, then the totals. Exits 1 when a line is invalid.
        """

    static let command = CommandSpec(name: "parley validate", usage: usage, positionals: 1...1)

    static func run(_ arguments: [String]) throws -> Int32 {
        let options = try Options(arguments, for: command)
        let path = options.positional[0]
        guard let bytes = Console.readAll(path: path) else {
            Console.error("parley validate: cannot read \(path)")
            return ExitStatus.noInput
        }
        let report = EnvelopeValidator().validate(bytes)
        for failure in report.failures {
            print("line \(failure.line): \(failure.error.code.wireValue): \(failure.error.message)")
        }
        print("\(report.valid) valid, \(report.failures.count) invalid")
        return report.failures.isEmpty ? ExitStatus.success : ExitStatus.failure
    }
}

/// `parley spec-table`: prints the generated tables of `Spec/PROTOCOL.md`.
enum SpecTableCommand {
    static let usage = """
        usage: parley spec-table [transitions|errors]

        Prints the transition table and the error codes (or only one of them) as Markdown, generated
        from the code: Spec/PROTOCOL.md holds the same tables.
        """

    static let command = CommandSpec(name: "parley spec-table", usage: usage, positionals: 0...1)

    static func run(_ arguments: [String]) throws -> Int32 {
        let options = try Options(arguments, for: command)
        switch options.positional.first {
        case nil:
            print("## Transitions\n\n\(TransitionTable.markdown())\n\n## Error codes\n\n\(ParleyError.Code.markdown())")
        case "transitions":
            print(TransitionTable.markdown())
        case "errors":
            print(ParleyError.Code.markdown())
        default:
            throw options.mistake("unknown table '\(options.positional[0])'")
        }
        return ExitStatus.success
    }
}
