import Parley

/// `parley validate FILE|-`: decodes every JSON Lines record and reports each invalid one.
enum ValidateCommand {
    static func run(_ arguments: [String]) -> Int32 {
        guard arguments.count == 1, let path = arguments.first else {
            Console.error("usage: parley validate FILE|-")
            return 64
        }
        guard let bytes = Console.readAll(path: path) else {
            Console.error("parley validate: cannot read \(path)")
            return 66
        }
        let report = EnvelopeValidator().validate(bytes)
        for failure in report.failures {
            print("line \(failure.line): \(failure.error.code.wireValue): \(failure.error.message)")
        }
        print("\(report.valid) valid, \(report.failures.count) invalid")
        return report.failures.isEmpty ? 0 : 1
    }
}

/// `parley spec-table`: prints the generated tables of `Spec/PROTOCOL.md`.
enum SpecTableCommand {
    static func run(_ arguments: [String]) -> Int32 {
        switch arguments.first {
        case nil:
            print("## Transitions\n\n\(TransitionTable.markdown())\n\n## Error codes\n\n\(ParleyError.Code.markdown())")
        case "transitions":
            print(TransitionTable.markdown())
        case "errors":
            print(ParleyError.Code.markdown())
        default:
            Console.error("usage: parley spec-table [transitions|errors]")
            return 64
        }
        return 0
    }
}
