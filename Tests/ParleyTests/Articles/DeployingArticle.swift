import Foundation
import Parley

// The code of the article "Deploying: HTTP, a fleet on PostgreSQL"
// (Sources/Parley/Parley.docc/Deploying.md), compiled here and run by ArticleTests over a real
// loopback HTTP connection; ArticleCodeTests checks that each `// BEGIN DOCS` region stands in the
// article verbatim.

/// A salon served over HTTP on the real clock, and an assistant that finds it and books.
enum DeployingArticle {
    /// The salon's agent and its HTTP binding, on the system clock.
    static func companyBinding() -> CompanyHTTPBinding {
        // BEGIN DOCS deploy-company
        let clock = SystemClock()  // the real clock: no fixed dates anywhere in a deployment
        var hours = OpeningHours(timeZone: "Europe/Berlin")
        hours.open(Set(Weekday.allCases), from: "09:00", to: "18:00")
        let salon = CompanyAgent(
            profile: CompanyProfile(id: "salon.example/bot", name: "Salon Krause", timeZone: "Europe/Berlin"),
            catalogue: Catalogue(services: [
                Service(
                    id: "haircut-women", category: "haircut", title: "Women's haircut", durationMinutes: 45,
                    price: Money(amount: 4500, currency: "EUR"),
                    requires: [DataRequirement(fields: [.givenName], purpose: .booking, retentionDays: 30)])
            ]),
            store: InMemoryBookingStore(hours: hours))

        var limits = CompanyHTTPBinding.Configuration()
        limits.requestsPerSecondPerClient = 20  // per ParleyHTTPRequest.client: pass the real client address
        limits.burstPerClient = 40
        limits.maximumParkedPolls = 5_000  // long polls held at once; beyond it, 503 with Retry-After
        limits.openSessionsPerClient = 200  // an assistant provider's egress fronts many people
        let binding = CompanyHTTPBinding(agent: salon, clock: clock, configuration: limits)
        // END DOCS deploy-company
        return binding
    }

    /// `instances` bindings of `template`'s company sharing `sessions` and `bookings`, as a fleet
    /// behind a load balancer does.
    static func fleet(of template: CompanyAgent, instances: Int, sessions: any SessionStore, bookings: any BookingStore)
        -> [CompanyHTTPBinding]
    {
        let (profile, catalogue) = (template.profile, template.catalogue)
        // BEGIN DOCS deploy-fleet
        // Every instance gets the same two stores: in Examples/Server, PostgresSessionStore and
        // PostgresBookingStore on one database. Any instance then takes any request of any session.
        let bindings = (0..<instances).map { _ in
            CompanyHTTPBinding(
                agent: CompanyAgent(profile: profile, catalogue: catalogue, store: bookings, sessionStore: sessions),
                clock: SystemClock())
        }
        // END DOCS deploy-fleet
        return bindings
    }

    /// What a host server does with one request it has parsed: `peerAddress` is the client's
    /// address (the one a trusted proxy forwarded, behind a proxy).
    static func handle(
        method: String, target: String, headers: [(name: String, value: String)], body: [UInt8], peerAddress: String,
        binding: CompanyHTTPBinding
    ) async -> ParleyHTTPResponse {
        // BEGIN DOCS deploy-host
        // In the server's handler, for every request on any path (the binding answers 404 itself).
        // Stop collecting the body at the binding's limit and answer 413 yourself:
        guard body.count <= binding.configuration.maximumBodyBytes else {
            return ParleyHTTPResponse(status: 413)
        }
        let answer = await binding.respond(
            to: ParleyHTTPRequest(method: method, target: target, headers: headers, body: body, client: peerAddress))
        return answer  // write answer.status, answer.headers and answer.body back to the client
        // END DOCS deploy-host
    }

    /// Called when the host begins a graceful shutdown.
    static func stop(_ binding: CompanyHTTPBinding) async {
        // BEGIN DOCS deploy-shutdown
        await binding.shutdown()  // answers parked polls at once; then drain in-flight requests
        // END DOCS deploy-shutdown
    }

    /// The person's assistant: discovers the salon at `location`, books tomorrow morning, and
    /// returns the outcome.
    static func book(at location: String) async throws -> NegotiationOutcome {
        // BEGIN DOCS deploy-customer
        // `location` is the company's name, e.g. "salon.example": discovery reads
        // https://salon.example/.well-known/parley and checks the document.
        let company = try await HTTPClientTransport.discover(location)
        let transport = HTTPClientTransport(endpoint: company.endpoint, agent: "assistant.example/lisa")

        let clock = SystemClock()
        let berlin = LocalTime(timeZone: "Europe/Berlin")!  // the person's time zone
        let today = berlin.components(of: clock.now)
        let tomorrow = LocalDate(year: today.year, month: today.month, day: today.day)!.next
        let assistant = CustomerAgent(
            id: "assistant.example/lisa",
            wishes: Wishes(
                service: "haircut-women",
                windows: [
                    TimeWindow(
                        start: berlin.instant(year: tomorrow.year, month: tomorrow.month, day: tomorrow.day, hour: 10),
                        end: berlin.instant(year: tomorrow.year, month: tomorrow.month, day: tomorrow.day, hour: 12))
                ],
                priceCeiling: Money(amount: 6000, currency: "EUR")),
            policy: PrivacyPolicy(rules: [.booking: .init(fields: [.givenName], decision: .allow)]),
            personalData: [.givenName: "Lisa"],
            consentKey: consentKey,
            clock: clock)
        await assistant.connect(to: company.document.agent, over: transport)
        let outcome = await assistant.book(at: company.document.agent)
        await assistant.disconnect()
        await transport.close()
        // END DOCS deploy-customer
        return outcome
    }

    /// The assistant's consent key (an application keeps one per person, safely stored).
    static let consentKey: ConsentRootKey = {
        var generator = SystemRandomNumberGenerator()
        return ConsentRootKey(using: &generator)
    }()
}
