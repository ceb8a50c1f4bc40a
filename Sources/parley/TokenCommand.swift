import Parley

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `parley token …`: mint, narrow, inspect and verify consent tokens from a shell, for people debugging them.
enum TokenCommand {
    static let usage = """
        usage:
          parley token mint --root-key HEX --id ID --location AGENT --audience AGENT --purpose P… --field F…
                            --expires TIME [--session ID] [--retention PnD]
          parley token attenuate TOKEN [--audience AGENT] [--purpose P…] [--field F…] [--expires TIME]
                            [--session ID] [--retention PnD]
          parley token inspect TOKEN
          parley token verify TOKEN --root-key HEX --audience AGENT --purpose P [--field F…] [--at TIME]
                            [--session ID] [--retention PnD] [--revoked ID…]

        HEX is 64 hex digits (a 32-byte root key); TIME is RFC 3339 UTC, e.g. 2026-05-03T12:00:00Z;
        --purpose and --field may repeat and take comma-separated lists. verify uses the current time
        unless --at is given, exits 0 when the use is allowed, 1 with the error code otherwise.
        Exit status 64 means the command line itself is wrong.
        """

    /// Runs the subcommand given the arguments after `token`; returns the process exit status.
    static func run(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else { return usageError("missing subcommand") }
        do {
            var options = try Options(Array(arguments.dropFirst()))
            switch command {
            case "mint": try mint(&options)
            case "attenuate": try attenuate(&options)
            case "inspect": try inspect(&options)
            case "verify": return try verify(&options)
            case "help", "--help", "-h":
                writeOutput(usage)
            default: return usageError("unknown subcommand '\(command)'")
            }
            return 0
        } catch let error as UsageError {
            return usageError(error.message)
        } catch let error as ParleyError {
            writeError("error: \(error)")
            return 1
        } catch {
            writeError("error: \(error)")
            return 1
        }
    }

    private static func mint(_ options: inout Options) throws {
        let key = try options.rootKey()
        let id = try options.required("--id", { TokenID(rawValue: $0) })
        let location = try options.required("--location", { AgentID(rawValue: $0) })
        let scope = ConsentScope(
            audience: try options.required("--audience", { AgentID(rawValue: $0) }),
            purposes: try options.names("--purpose", Purpose.init(rawValue:)),
            fields: try options.names("--field", DataField.init(rawValue:)),
            expiry: try options.required("--expires", Instant.init(rfc3339:)),
            session: try options.optional("--session", { SessionID(rawValue: $0) }),
            retention: try options.optional("--retention", RetentionPeriod.init(iso8601:)))
        guard !scope.purposes.isEmpty, !scope.fields.isEmpty else { throw UsageError("mint needs --purpose and --field") }
        try options.finish()
        writeOutput(try ConsentIssuer(agent: location, rootKey: key).mint(id: id, scope: scope).serialized)
    }

    private static func attenuate(_ options: inout Options) throws {
        let token = try ConsentToken(serialized: try options.positional("TOKEN"))
        var caveats: [Caveat] = []
        if let audience = try options.optional("--audience", { AgentID(rawValue: $0) }) { caveats.append(.audience(audience)) }
        let purposes = try options.names("--purpose", Purpose.init(rawValue:))
        if !purposes.isEmpty { caveats.append(.purposes(purposes)) }
        let fields = try options.names("--field", DataField.init(rawValue:))
        if !fields.isEmpty { caveats.append(.fields(fields)) }
        if let expiry = try options.optional("--expires", Instant.init(rfc3339:)) { caveats.append(.expiry(expiry)) }
        if let session = try options.optional("--session", { SessionID(rawValue: $0) }) { caveats.append(.session(session)) }
        if let retention = try options.optional("--retention", RetentionPeriod.init(iso8601:)) { caveats.append(.retention(retention)) }
        guard !caveats.isEmpty else { throw UsageError("attenuate needs at least one caveat option") }
        try options.finish()
        writeOutput(token.attenuated(by: caveats).serialized)
    }

    private static func inspect(_ options: inout Options) throws {
        let token = try ConsentToken(serialized: try options.positional("TOKEN"))
        try options.finish()
        var lines = ["id: \(token.id)", "location: \(token.location?.rawValue ?? "")", "caveats:"]
        lines += token.caveatTexts.map { "  \($0)" }
        writeOutput(lines.joined(separator: "\n"))
    }

    private static func verify(_ options: inout Options) throws -> Int32 {
        let text = try options.positional("TOKEN")
        let key = try options.rootKey()
        let audience = try options.required("--audience", { AgentID(rawValue: $0) })
        let purpose = try options.required("--purpose", Purpose.init(rawValue:))
        let fields = try options.names("--field", DataField.init(rawValue:))
        let instant = try options.optional("--at", Instant.init(rfc3339:)) ?? Instant(secondsSinceEpoch: Int64(time(nil)))
        let session = try options.optional("--session", { SessionID(rawValue: $0) })
        let retention = try options.optional("--retention", RetentionPeriod.init(iso8601:))
        let revoked = try options.names("--revoked", { TokenID(rawValue: $0) })
        try options.finish()
        let token = try ConsentToken(serialized: text)
        let issuer = ConsentIssuer(agent: token.location ?? "unknown", rootKey: key, revocations: RevocationList(revoked))
        let use = ConsentUse(audience: audience, purpose: purpose, fields: fields, at: instant, session: session, retention: retention)
        try issuer.verify(token, for: use)
        writeOutput("ok: token \(token.id) allows \(purpose) use of [\(fields.map(\.rawValue).sorted().joined(separator: ","))]")
        return 0
    }

    private static func usageError(_ message: String) -> Int32 {
        writeError("parley token: \(message)\n\n\(usage)")
        return 64
    }

    static func writeOutput(_ text: String) { write(text + "\n", to: 1) }
    static func writeError(_ text: String) { write(text + "\n", to: 2) }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                #if canImport(Glibc)
                    let written = Glibc.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                #else
                    let written = Darwin.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                #endif
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
