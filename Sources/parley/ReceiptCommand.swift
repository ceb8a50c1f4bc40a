import Parley

/// `parley receipt verify FILE [--public HEX]`: checks a booking receipt or a signed consent
/// receipt offline (`Spec/PROTOCOL.md` §5.7, `Spec/CONSENT.md` §10.1).
///
/// Exit 0 when the signature verifies, 1 when it does not or the file is not a receipt, 64 for a
/// command-line mistake (including a malformed `--public`), 66 when FILE cannot be read.
enum ReceiptCommand {
    static let verifyUsage = "usage: parley receipt verify FILE [--public HEX]"

    static let notes = """
        FILE is a receipt document (JSON), e.g. from `parley demo haircut --receipt FILE`, or - for
        standard input. --public HEX is the signer's public key (64 hex digits: the company's for a
        booking receipt, the customer's for a consent receipt). Without it the key stored in the
        receipt is used, which shows only that the receipt is intact: whoever forged it could have
        stored their own key, so compare that key with the signer's published one.

        Prints one line: valid (exit 0) or invalid and why (exit 1). Exit 64 means the command line
        is wrong, 66 that FILE cannot be read.
        """

    static let usage = """
        usage: parley receipt verify FILE [--public HEX]

        Checks a booking receipt (signed by the company) or a signed consent receipt (signed by the
        customer) offline.

        \(notes)
        """

    static let verify = CommandSpec(
        name: "parley receipt verify",
        usage: verifyUsage + "\n\nChecks a booking receipt or a signed consent receipt offline.\n\n" + notes,
        options: ["--public"], positionals: 1...1)

    /// Runs the subcommand given the arguments after `receipt`; returns the process exit status.
    static func run(_ arguments: [String]) throws -> Int32 {
        let rest = Array(arguments.dropFirst())
        switch arguments.first {
        case "verify":
            let options = try Options(rest, for: verify)
            let trusted = try options.value("--public") { PublicSigningKey(hex: $0) }
            let path = options.positional[0]
            guard let bytes = Console.readAll(path: path) else {
                Console.error("parley receipt verify: cannot read '\(path)'")
                return ExitStatus.noInput
            }
            return check(bytes, trusted: trusted)
        case "help", "--help", "-h":
            Console.output(usage)
            return ExitStatus.success
        case nil: throw CommandLineExit.usage(command: "parley receipt", message: "missing subcommand: verify")
        case let other?: throw CommandLineExit.usage(command: "parley receipt", message: "unknown subcommand '\(other)'")
        }
    }

    /// Verifies the receipt in `bytes` and prints the verdict; returns the exit status.
    static func check(_ bytes: [UInt8], trusted: PublicSigningKey?) -> Int32 {
        let receipt: SignedReceipt
        do {
            receipt = try SignedReceipt(json: bytes)
        } catch {
            Console.output("invalid: not a receipt (\(error.code): \(error.message))")
            return ExitStatus.failure
        }
        do {
            let key = try receipt.verify(with: trusted)
            let subject: String
            switch receipt.kind {
            case .booking:
                let confirm = receipt.confirmation
                subject =
                    "booking receipt: \(confirm.map { "\($0.status) \($0.booking), \($0.service) \($0.slot.start), \($0.price)" } ?? "")"
                    + ", \(receipt.company) to \(receipt.customer)"
            case .consent:
                let consent = receipt.consent
                subject =
                    "consent receipt: \(receipt.customer) to \(receipt.company), "
                    + "\(consent.map { "\($0.fields.map(\.rawValue).joined(separator: ",")) for \($0.purpose) until \($0.expiresAt), given \($0.grantedAt)" } ?? "")"
            }
            let source = trusted == nil ? " (key taken from the receipt: compare it with the signer's)" : ""
            Console.output("valid \(subject), session \(receipt.session), signed by key \(key.keyID)\(source)")
            return ExitStatus.success
        } catch {
            Console.output("invalid: \(error.code): \(error.message)")
            return ExitStatus.failure
        }
    }
}
