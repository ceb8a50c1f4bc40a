import Parley

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `parley token …`: mint, narrow, inspect and verify consent tokens from a shell, for people debugging them.
enum TokenCommand {
    static let mintUsage = """
        usage: parley token mint --root-key HEX --id ID --location AGENT --audience AGENT --purpose P… --field F…
                                 --expires TIME [--session ID] [--retention PnD]
        """
    static let attenuateUsage = """
        usage: parley token attenuate TOKEN [--audience AGENT] [--purpose P…] [--field F…] [--expires TIME]
                                      [--session ID] [--retention PnD]
        """
    static let inspectUsage = "usage: parley token inspect TOKEN"
    static let verifyUsage = """
        usage: parley token verify TOKEN --root-key HEX --audience AGENT --purpose P [--field F…] [--at TIME]
                                   [--session ID] [--retention PnD] [--revoked ID…]
        """
    static let notes = """
        HEX is 64 hex digits (a 32-byte root key); TIME is RFC 3339 UTC, e.g. 2026-05-03T12:00:00Z;
        --purpose, --field and --revoked may repeat and take comma-separated lists. verify uses the
        current time unless --at is given, exits 0 when the use is allowed, 1 with the error code
        otherwise. Exit status 64 means the command line itself is wrong.
        """

    static let usage = """
        usage: parley token mint|attenuate|inspect|verify … (each answers --help)

        \([mintUsage, attenuateUsage, inspectUsage, verifyUsage].map { "  " + $0.dropFirst("usage: ".count) }.joined(separator: "\n"))

        \(notes)
        """

    static let mint = CommandSpec(
        name: "parley token mint", usage: mintUsage + "\n\nMints a consent token signed with the root key.\n\n" + notes,
        options: ["--root-key", "--id", "--location", "--audience", "--purpose", "--field", "--expires", "--session", "--retention"])
    static let attenuate = CommandSpec(
        name: "parley token attenuate", usage: attenuateUsage + "\n\nNarrows a token with more caveats; needs no key.\n\n" + notes,
        options: ["--audience", "--purpose", "--field", "--expires", "--session", "--retention"], positionals: 1...1)
    static let inspect = CommandSpec(
        name: "parley token inspect", usage: inspectUsage + "\n\nPrints a token's id, location and caveats.", positionals: 1...1)
    static let verify = CommandSpec(
        name: "parley token verify", usage: verifyUsage + "\n\nChecks that the token allows one use.\n\n" + notes,
        options: ["--root-key", "--audience", "--purpose", "--field", "--at", "--session", "--retention", "--revoked"],
        positionals: 1...1)

    /// Runs the subcommand given the arguments after `token`; returns the process exit status.
    static func run(_ arguments: [String]) throws -> Int32 {
        let rest = Array(arguments.dropFirst())
        do {
            switch arguments.first {
            case "mint": try mint(Options(rest, for: mint))
            case "attenuate": try attenuate(Options(rest, for: attenuate))
            case "inspect": try inspect(Options(rest, for: inspect))
            case "verify": return try verify(Options(rest, for: verify))
            case "help", "--help", "-h":
                Console.output(usage)
            case nil: throw CommandLineExit.usage(command: "parley token", message: "missing subcommand")
            case let other?: throw CommandLineExit.usage(command: "parley token", message: "unknown subcommand '\(other)'")
            }
            return ExitStatus.success
        } catch let error as ParleyError {
            Console.error("error: \(error)")
            return ExitStatus.failure
        }
    }

    private static func mint(_ options: Options) throws {
        let key = try options.required("--root-key", ConsentRootKey.init(hex:))
        let id = try options.required("--id", { TokenID(rawValue: $0) })
        let location = try options.required("--location", { AgentID(rawValue: $0) })
        let scope = ConsentScope(
            audience: try options.required("--audience", { AgentID(rawValue: $0) }),
            purposes: try options.names("--purpose", Purpose.init(rawValue:)),
            fields: try options.names("--field", DataField.init(rawValue:)),
            expiry: try options.required("--expires", Instant.init(rfc3339:)),
            session: try options.value("--session", { SessionID(rawValue: $0) }),
            retention: try options.value("--retention", RetentionPeriod.init(iso8601:)))
        guard !scope.purposes.isEmpty, !scope.fields.isEmpty else { throw options.mistake("mint needs --purpose and --field") }
        Console.output(try ConsentIssuer(agent: location, rootKey: key).mint(id: id, scope: scope).serialized)
    }

    private static func attenuate(_ options: Options) throws {
        let token = try ConsentToken(serialized: options.positional[0])
        var caveats: [Caveat] = []
        if let audience = try options.value("--audience", { AgentID(rawValue: $0) }) { caveats.append(.audience(audience)) }
        let purposes = try options.names("--purpose", Purpose.init(rawValue:))
        if !purposes.isEmpty { caveats.append(.purposes(purposes)) }
        let fields = try options.names("--field", DataField.init(rawValue:))
        if !fields.isEmpty { caveats.append(.fields(fields)) }
        if let expiry = try options.value("--expires", Instant.init(rfc3339:)) { caveats.append(.expiry(expiry)) }
        if let session = try options.value("--session", { SessionID(rawValue: $0) }) { caveats.append(.session(session)) }
        if let retention = try options.value("--retention", RetentionPeriod.init(iso8601:)) { caveats.append(.retention(retention)) }
        guard !caveats.isEmpty else { throw options.mistake("attenuate needs at least one caveat option") }
        Console.output(token.attenuated(by: caveats).serialized)
    }

    private static func inspect(_ options: Options) throws {
        let token = try ConsentToken(serialized: options.positional[0])
        var lines = ["id: \(token.id)", "location: \(token.location?.rawValue ?? "")", "caveats:"]
        lines += token.caveatTexts.map { "  \($0)" }
        Console.output(lines.joined(separator: "\n"))
    }

    private static func verify(_ options: Options) throws -> Int32 {
        let text = options.positional[0]
        let key = try options.required("--root-key", ConsentRootKey.init(hex:))
        let audience = try options.required("--audience", { AgentID(rawValue: $0) })
        let purpose = try options.required("--purpose", Purpose.init(rawValue:))
        let fields = try options.names("--field", DataField.init(rawValue:))
        let instant = try options.value("--at", Instant.init(rfc3339:)) ?? Instant(secondsSinceEpoch: Int64(time(nil)))
        let session = try options.value("--session", { SessionID(rawValue: $0) })
        let retention = try options.value("--retention", RetentionPeriod.init(iso8601:))
        let revoked = try options.names("--revoked", { TokenID(rawValue: $0) })
        let token = try ConsentToken(serialized: text)
        let issuer = ConsentIssuer(agent: token.location ?? "unknown", rootKey: key, revocations: RevocationList(revoked))
        let use = ConsentUse(audience: audience, purpose: purpose, fields: fields, at: instant, session: session, retention: retention)
        try issuer.verify(token, for: use)
        Console.output("ok: token \(token.id) allows \(purpose) use of [\(fields.map(\.rawValue).sorted().joined(separator: ","))]")
        return ExitStatus.success
    }
}
