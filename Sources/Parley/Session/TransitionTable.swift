/// The session transition table as plain data: the single source of truth for what each role
/// may send in each phase. `Spec/PROTOCOL.md` §6 prints it (`parley spec-table`), and a test
/// checks that the spec and this table never drift apart.
public enum TransitionTable {
    /// One row: in ``phase``, ``sender`` may send ``kind``; the session moves to ``next``.
    public struct Row: Hashable, Sendable {
        /// The phase before the message.
        public let phase: SessionPhase
        /// Who sends it.
        public let sender: Role
        /// The message type.
        public let kind: Message.Kind
        /// When the row applies, if the message's content decides (e.g. "with proposals").
        public let condition: Condition
        /// Where the session goes.
        public let next: Next

        /// Whether the row starts a negotiation round: it enters `requested` or `rescheduling`
        /// (`Spec/PROTOCOL.md` §4.4, `MAX_ROUNDS`).
        public var startsRound: Bool { next == .phase(.requested) || next == .phase(.rescheduling) }
    }

    /// Content conditions that pick between rows of the same phase, sender and type.
    public enum Condition: String, Hashable, Sendable, CaseIterable {
        /// The row always applies.
        case always = ""
        /// A `decline` that carries proposals.
        case withProposals = "with proposals"
        /// A `decline` that carries none.
        case withoutProposals = "without proposals"
        /// A `confirm` with status `booked` or `rescheduled`.
        case bookedOrRescheduled = "status booked/rescheduled"
        /// A `confirm` with status `cancelled`.
        case cancelledStatus = "status cancelled"
        /// An `error` whose code is fatal (§8).
        case fatal = "fatal code"
        /// An `error` whose code is not fatal.
        case nonFatal = "non-fatal code"
    }

    /// The phase after a row.
    public enum Next: Hashable, Sendable, CustomStringConvertible {
        /// A fixed phase.
        case phase(SessionPhase)
        /// The phase does not change.
        case unchanged
        /// The phase the session was in before the pending inquiry, cancel or reschedule.
        case resume

        public var description: String {
            switch self {
            case .phase(let phase): return phase.rawValue
            case .unchanged: return "(unchanged)"
            case .resume: return "(resume)"
            }
        }
    }

    /// Every row, in the order the spec prints them.
    public static let rows: [Row] = {
        var rows: [Row] = []
        func add(_ phase: SessionPhase, _ sender: Role, _ kind: Message.Kind, _ next: Next, _ condition: Condition = .always) {
            rows.append(Row(phase: phase, sender: sender, kind: kind, condition: condition, next: next))
        }
        add(.start, .customer, .hello, .phase(.greeting))
        add(.greeting, .company, .hello, .phase(.ready))
        add(.ready, .customer, .request, .phase(.requested))
        add(.ready, .customer, .cancel, .phase(.cancelling))
        add(.ready, .customer, .reschedule, .phase(.rescheduling))
        add(.ready, .customer, .question, .phase(.inquiring))
        add(.requested, .company, .offer, .phase(.offered))
        add(.requested, .company, .counterOffer, .phase(.offered))
        add(.requested, .company, .question, .phase(.questioned))
        add(.requested, .company, .decline, .phase(.offered), .withProposals)
        add(.requested, .company, .decline, .phase(.declined), .withoutProposals)
        add(.requested, .company, .handoff, .phase(.handedOff))
        add(.questioned, .customer, .answer, .phase(.requested))
        add(.questioned, .customer, .counterRequest, .phase(.requested))
        add(.offered, .customer, .accept, .phase(.accepted))
        add(.offered, .customer, .counterRequest, .phase(.requested))
        add(.offered, .customer, .reject, .phase(.ready))
        add(.offered, .customer, .question, .phase(.inquiring))
        add(.inquiring, .company, .answer, .resume)
        add(.accepted, .company, .consentRequest, .phase(.consentRequested))
        add(.accepted, .company, .confirm, .phase(.booked), .bookedOrRescheduled)
        add(.accepted, .company, .decline, .phase(.offered), .withProposals)
        add(.accepted, .company, .decline, .phase(.declined), .withoutProposals)
        add(.accepted, .company, .handoff, .phase(.handedOff))
        add(.consentRequested, .customer, .consentGrant, .phase(.disclosing))
        add(.consentRequested, .customer, .consentDeny, .phase(.accepted))
        add(.disclosing, .customer, .disclose, .phase(.accepted))
        add(.booked, .customer, .cancel, .phase(.cancelling))
        add(.booked, .customer, .reschedule, .phase(.rescheduling))
        add(.booked, .customer, .question, .phase(.inquiring))
        add(.cancelling, .company, .confirm, .phase(.ready), .cancelledStatus)
        add(.cancelling, .company, .decline, .resume, .withoutProposals)
        add(.rescheduling, .company, .offer, .phase(.offered))
        add(.rescheduling, .company, .counterOffer, .phase(.offered))
        add(.rescheduling, .company, .decline, .resume, .withoutProposals)
        add(.declined, .customer, .request, .phase(.requested))
        add(.declined, .customer, .counterRequest, .phase(.requested))
        add(.declined, .customer, .question, .phase(.inquiring))
        // Messages allowed in every live phase.
        for phase in SessionPhase.allCases where !phase.isTerminal {
            if phase != .start && phase != .greeting {
                add(phase, .customer, .consentRevoke, .unchanged)
            }
            for sender in Role.allCases {
                add(phase, sender, .error, .unchanged, .nonFatal)
                add(phase, sender, .error, .phase(.failed), .fatal)
                add(phase, sender, .close, .phase(.closed))
            }
        }
        return rows
    }()

    /// The rows for a phase, sender and message type (more than one when a ``Condition`` decides).
    public static func rows(in phase: SessionPhase, from sender: Role, kind: Message.Kind) -> [Row] {
        index[Key(phase: phase, sender: sender, kind: kind)] ?? []
    }

    private struct Key: Hashable {
        let phase: SessionPhase
        let sender: Role
        let kind: Message.Kind
    }

    private static let index: [Key: [Row]] = Dictionary(grouping: rows) { Key(phase: $0.phase, sender: $0.sender, kind: $0.kind) }

    /// Error codes after which a session cannot go on (§8): the receiver of an `error` with one of
    /// them, and its sender, move to `failed`.
    public static let fatalErrorCodes: Set<ParleyError.Code> = [
        .noCommonVersion, .unsupportedVersion, .sessionClosed, .deadlineExceeded, .limitExceeded,
        .internalError, .agreementMismatch, .confirmUnsigned, .confirmUnknownKey, .confirmBadSignature,
    ]

    /// Whether an `error` with wire code `code` ends the session. Unknown codes are not fatal.
    public static func isFatal(code: String) -> Bool {
        guard let known = ParleyError.Code(wireValue: code) else { return false }
        return fatalErrorCodes.contains(known)
    }

    /// The table as the Markdown the spec prints in §6: one line per row, the always-allowed rows
    /// (`error`, `close`, `consent-revoke`) summarised once at the end.
    public static func markdown() -> String {
        var lines = [
            "| phase | sender | message | condition | next phase |",
            "|---|---|---|---|---|",
        ]
        for row in rows where row.kind != .error && row.kind != .close && row.kind != .consentRevoke {
            let condition = row.condition == .always ? "" : row.condition.rawValue
            lines.append("| \(row.phase) | \(row.sender) | \(row.kind) | \(condition) | \(row.next) |")
        }
        let live = SessionPhase.allCases.filter { !$0.isTerminal }.map(\.rawValue).joined(separator: ", ")
        let revocable = SessionPhase.allCases.filter { !$0.isTerminal && $0 != .start && $0 != .greeting }
            .map(\.rawValue).joined(separator: ", ")
        lines.append("| every live phase¹ | customer, company | close |  | closed |")
        lines.append("| every live phase¹ | customer, company | error | fatal code | failed |")
        lines.append("| every live phase¹ | customer, company | error | non-fatal code | (unchanged) |")
        lines.append("| every live phase² | customer | consent-revoke |  | (unchanged) |")
        lines.append("")
        lines.append("¹ live phases: \(live).")
        lines.append("² \(revocable).")
        return lines.joined(separator: "\n")
    }
}
