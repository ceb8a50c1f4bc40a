// parley-server: a company bot served over HTTP (Spec/HTTP.md) and A2A (Spec/A2A.md) by Hummingbird 2.
//
//   swift run --package-path Examples/Server parley-server --port 8080 --scenario salon [--host 127.0.0.1] [--now RFC3339]
//
// Like `parley serve`, it runs on the system clock and lays the scenario's calendar out from
// tomorrow (Europe/Berlin): open 14 days, the S1 diary tomorrow. `--now` starts the clock at a
// fixed instant instead (it then advances in real time), for reproducible runs. `--scenario fleet`
// is the barber of Examples/Server/fleet-check.sh: one chair, exactly 40 slots, tomorrow only;
// `--scenario bench` the company of `parley-bench` (Benchmarks/http/bench.py), whose diary never fills.
//
// Identity (Spec/HTTP.md §7): `--signing-key HEX` (a 32-byte Ed25519 seed, as `parley key new`
// prints; repeat it during a key rotation, current key first) signs the discovery document and
// every response; `--customer-key AGENT=HEX` registers a customer agent's public key;
// `--require-signatures` refuses unsigned requests (the setting for deployments);
// `--origin URL` is the scheme and authority clients use, which request signatures cover.
import Foundation
import Hummingbird
import Parley
import ParleyScenarios
import ParleyServer

let usage = """
    usage: parley-server [--host 127.0.0.1] [--port 8080] --scenario salon|restaurant|fleet|bench [--now RFC3339]
                         [--requests-per-second N (0: no limit)] [--sessions-per-client N]
                         [--signing-key SEED-HEX …] [--customer-key AGENT=PUBLIC-HEX …] [--require-signatures]
                         [--origin https://HOST[:PORT]]
                         [--database postgres://USER@HOST:PORT/DATABASE (sessions and bookings in PostgreSQL; default: in memory)]
    """
var configuration = ServerConfiguration()
var scenario = "salon"
var bindingConfiguration = CompanyHTTPBinding.Configuration()
var start: Instant?
var signingKeys: [SigningKey] = []
var customerKeys = AgentKeyRegistry()
var database: BookingDatabase?
var arguments = Array(CommandLine.arguments.dropFirst())[...]
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("parley-server: \(message)\n\(usage)\n".utf8))
    exit(64)
}
while let argument = arguments.popFirst() {
    switch argument {
    case "--host":
        guard let value = arguments.popFirst() else { fail("--host needs a value") }
        configuration.host = value
    case "--port":
        guard let value = arguments.popFirst().flatMap(Int.init), (0...65535).contains(value) else { fail("--port needs 0…65535") }
        configuration.port = value
    case "--scenario":
        guard let value = arguments.popFirst() else { fail("--scenario needs a value") }
        scenario = value
    case "--now":
        guard let value = arguments.popFirst().flatMap(Instant.init(rfc3339:)) else { fail("--now needs an RFC 3339 instant") }
        start = value
    case "--requests-per-second":
        guard let value = arguments.popFirst().flatMap(Double.init), value >= 0 else { fail("--requests-per-second needs a number") }
        bindingConfiguration.requestsPerSecondPerClient = value
        bindingConfiguration.burstPerClient = max(1, value * 2)
    case "--sessions-per-client":
        guard let value = arguments.popFirst().flatMap(Int.init), value >= 1 else { fail("--sessions-per-client needs a positive integer") }
        bindingConfiguration.openSessionsPerClient = value
    case "--signing-key":
        guard let value = arguments.popFirst().flatMap({ SigningKey(seedHex: $0) }) else { fail("--signing-key needs a 64-digit hex seed") }
        signingKeys.append(value)
    case "--customer-key":
        guard let value = arguments.popFirst(), let equals = value.lastIndex(of: "="),
            let agent = AgentID(rawValue: String(value[..<equals])),
            let key = PublicSigningKey(hex: String(value[value.index(after: equals)...]))
        else { fail("--customer-key needs AGENT=PUBLIC-KEY-HEX") }
        customerKeys.register(key, for: agent)
    case "--require-signatures":
        bindingConfiguration.requestSignatures = .required
    case "--origin":
        guard let value = arguments.popFirst(), value.hasPrefix("http://") || value.hasPrefix("https://") else {
            fail("--origin needs http(s)://HOST[:PORT]")
        }
        bindingConfiguration.origin = value
    case "--database":
        guard let value = arguments.popFirst() else { fail("--database needs a postgres:// URL") }
        do { database = try BookingDatabase(url: value) } catch { fail("--database: \(error)") }
    case "--help", "-h":
        print(usage)
        exit(0)
    default: fail("unknown argument '\(argument)'")
    }
}
let clock: any AgentClock = start.map { ShiftedClock(start: $0) } ?? SystemClock()
let tomorrow = ScenarioDay.following(clock.now, days: 1)
let agent: CompanyAgent
switch scenario {
case "salon": agent = await database?.salon(from: tomorrow) ?? Salons.liveSalon(from: tomorrow).0
case "restaurant": agent = await database?.restaurant(from: tomorrow) ?? Salons.liveRestaurant(from: tomorrow).0
case "fleet": agent = await database?.fleet(on: tomorrow) ?? Fleet.live(on: tomorrow).0
case "bench":
    // The company of `parley-bench`, for Benchmarks/http/bench.py: its diary never fills.
    guard database == nil else { fail("--scenario bench keeps everything in memory; drop --database") }
    agent = BenchmarkSalon.agent()
default: fail("unknown scenario '\(scenario)'")
}
let binding = CompanyHTTPBinding(
    agent: agent, clock: clock, configuration: bindingConfiguration, signingKeys: signingKeys, customerKeys: customerKeys)
let settings = configuration
let app = buildApplication(binding: binding, a2a: CompanyA2ABinding(http: binding), configuration: settings) { channel in
    let port = channel.localAddress?.port ?? settings.port
    // Written straight to the file descriptor, unbuffered: scripts wait for this line.
    FileHandle.standardOutput.write(
        Data("parley-server: \(agent.profile.name) (\(agent.profile.id)) on http://\(settings.host):\(port)\n".utf8))
}
// With a database, sessions outlive instances: whichever instance is alive fires, every second,
// the timers that sessions left in the store (begun before a restart, or on an instance that is gone).
let timerSweep = database.map { _ in
    Task {
        while !Task.isCancelled {
            await binding.fireDueTimers()
            try? await Task.sleep(nanoseconds: 1_000_000_000)
        }
    }
}
try await app.runService()
timerSweep?.cancel()
await binding.shutdown()
await database?.close()
