// parley-server: a company bot served over HTTP (Spec/HTTP.md) by Hummingbird 2.
//
//   swift run --package-path Examples/Server parley-server --port 8080 --scenario salon [--host 127.0.0.1] [--now RFC3339]
//
// Like `parley serve`, it runs on the system clock and lays the scenario's calendar out from
// tomorrow (Europe/Berlin): open 14 days, the S1 diary tomorrow. `--now` starts the clock at a
// fixed instant instead (it then advances in real time), for reproducible runs.
import Foundation
import Hummingbird
import Parley
import ParleyScenarios
import ParleyServer

let usage = """
    usage: parley-server [--host 127.0.0.1] [--port 8080] --scenario salon|restaurant [--now RFC3339]
                         [--requests-per-second N (0: no limit)] [--sessions-per-client N]
                         [--database postgres://USER@HOST:PORT/DATABASE (bookings in PostgreSQL; default: in memory)]
    """
var configuration = ServerConfiguration()
var scenario = "salon"
var bindingConfiguration = CompanyHTTPBinding.Configuration()
var start: Instant?
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
default: fail("unknown scenario '\(scenario)'")
}
let binding = CompanyHTTPBinding(agent: agent, clock: clock, configuration: bindingConfiguration)
let settings = configuration
let app = buildApplication(binding: binding, configuration: settings) { channel in
    let port = channel.localAddress?.port ?? settings.port
    // Written straight to the file descriptor, unbuffered: scripts wait for this line.
    FileHandle.standardOutput.write(
        Data("parley-server: \(agent.profile.name) (\(agent.profile.id)) on http://\(settings.host):\(port)\n".utf8))
}
try await app.runService()
await binding.shutdown()
await database?.close()
