import Foundation
import Parley

// parley-bench: figures for BENCHMARKS.md. `swift run -c release parley-bench [section …]`
// Sections: floor negotiation wire consent scale leak (default: all).
let requested = Set(CommandLine.arguments.dropFirst())
func wants(_ section: String) -> Bool { requested.isEmpty || requested.contains(section) }

print("parley-bench — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB")
let negotiations = 2000
var floorRate: Double?
var typedRate: Double?

if wants("floor") || wants("negotiation") {
    print("\n## Floor and typed negotiation (S1 shape: hello, request, offer, accept+grant+disclose, confirm, close)")
    let floor = await Measurement.run("floor: 7 envelopes through a bare AsyncStream pair", unit: "negotiations/s", count: negotiations) {
        await Bench.floor(negotiations: negotiations)
    }
    print(floor.line)
    floorRate = floor.median
    let typed = await Measurement.run("typed in-process negotiation, 1 worker", unit: "negotiations/s", count: negotiations) {
        await Bench.negotiate(count: negotiations, workers: 1, throughWire: false)
    }
    print(typed.line)
    typedRate = typed.median
    let two = await Measurement.run("typed in-process negotiation, 2 workers", unit: "negotiations/s", count: negotiations) {
        await Bench.negotiate(count: negotiations, workers: 2, throughWire: false)
    }
    print(two.line)
    print(
        String(
            format: "cost relative to the floor: %.1f× (target ≤ 2×); 2 workers / 1 worker: %.2f× (target ≥ 1.7×)",
            floor.median / typed.median, two.median / typed.median))
}

if wants("wire") {
    print("\n## Wire path")
    let wire = await Measurement.run("negotiation with every envelope through the JSON codec", unit: "negotiations/s", count: negotiations)
    {
        await Bench.negotiate(count: negotiations, workers: 1, throughWire: true)
    }
    print(wire.line)
    if let typedRate { print(String(format: "wire path cost relative to typed: %.2f×", typedRate / wire.median)) }
    for line in await Bench.codecComparison() { print(line) }
}

if wants("consent") {
    print("\n## Consent tokens")
    for line in Bench.consent() { print(line) }
}

if wants("scale") {
    print("\n## Scale: resident memory per idle session on one company agent")
    for count in [10_000, 100_000, 1_000_000] {
        print(await Bench.idleSessions(count))
    }
}

if wants("leak") {
    print("\n## Leak check: 100,000 sessions opened and closed, three times")
    for line in await Bench.leakCheck(sessions: 100_000) { print(line) }
}
