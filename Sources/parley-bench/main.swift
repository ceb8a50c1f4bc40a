import Dispatch
import Foundation
import Parley

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// parley-bench: figures for BENCHMARKS.md. `swift run -c release parley-bench [section …]`
// Sections: floor negotiation wire consent crypto httpsig scale purge leak (default: all).
// `parley-bench profile negotiation|wire|binding|consent|session|encode COUNT` does fixed work for callgrind and exits.
// The main thread waits on a semaphore instead of running an async top level: an async `main`
// parks the main thread in `dispatch_main`, whose `sigsuspend` crashes valgrind 3.19, and the
// profile mode exists to run under valgrind.
let arguments = Array(CommandLine.arguments.dropFirst())
let finished = DispatchSemaphore(value: 0)
Task.detached {
    await runBench()
    finished.signal()
}
finished.wait()

func runBench() async {
    if arguments.first == "profile" {
        let workload = arguments.count > 1 ? arguments[1] : ""
        let count = arguments.count > 2 ? Int(arguments[2]) ?? 0 : 200
        guard count > 0, let result = await Bench.profile(workload, count: count) else {
            print("usage: parley-bench profile negotiation|wire|binding|consent|session|encode [COUNT]")
            exit(64)
        }
        print("profile \(workload) × \(count): \(result)")
        return
    }
    let sections: Set = ["floor", "negotiation", "wire", "consent", "crypto", "httpsig", "scale", "purge", "leak"]
    if arguments.contains("--help") || arguments.contains("-h") {
        print(
            """
            usage: parley-bench [floor|negotiation|wire|consent|crypto|httpsig|scale|purge|leak …]
                   parley-bench profile negotiation|wire|binding|consent|session|encode [COUNT]

            Measures the figures of BENCHMARKS.md (all sections unless some are named); build with -c release.
            """)
        return
    }
    if let unknown = arguments.first(where: { !sections.contains($0) }) {
        FileHandle.standardError.write(Data("parley-bench: unknown section '\(unknown)' (see 'parley-bench --help')\n".utf8))
        exit(64)
    }
    let requested = Set(arguments)
    func wants(_ section: String) -> Bool { requested.isEmpty || requested.contains(section) }

    print(
        "parley-bench — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB"
    )
    let negotiations = 2000
    var typedRate: Double?

    if wants("floor") || wants("negotiation") {
        showSection("negotiation")
        print("\n## Floor and typed negotiation (S1 shape: hello, request, offer, accept+grant+disclose, confirm, close)")
        let floor = await Measurement.run("floor: 7 envelopes through a bare AsyncStream pair", unit: "negotiations/s", count: negotiations)
        {
            await Bench.floor(negotiations: negotiations)
        }
        print(floor.line)
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
        showSection("wire")
        print("\n## Wire path")
        // Process CPU time (all threads), which other work on the machine does not inflate: the
        // figures to compare with a server's CPU time per negotiation.
        var cpuBefore = CPUMeasurement.processSeconds()
        let wire = await Measurement.run(
            "negotiation with every envelope through the JSON codec", unit: "negotiations/s", count: negotiations
        ) {
            await Bench.negotiate(count: negotiations, workers: 1, throughWire: true)
        }
        let wireCPU = (CPUMeasurement.processSeconds() - cpuBefore) * 1000 / Double(6 * negotiations)
        print(wire.line)
        print(
            String(format: "process CPU time per negotiation, both agents, wire path: %.3f ms (%d negotiations)", wireCPU, 6 * negotiations)
        )
        if let typedRate { print(String(format: "wire path cost relative to typed: %.2f×", typedRate / wire.median)) }
        cpuBefore = CPUMeasurement.processSeconds()
        let binding = await Measurement.run(
            "the same, the company behind CompanyHTTPBinding, no sockets", unit: "negotiations/s", count: negotiations
        ) {
            await Bench.negotiateThroughBinding(count: negotiations)
        }
        let bindingCPU = (CPUMeasurement.processSeconds() - cpuBefore) * 1000 / Double(6 * negotiations)
        print(binding.line)
        print(
            String(
                format: "process CPU time per negotiation, both agents, through the HTTP binding: %.3f ms (%.2f× the wire path)",
                bindingCPU, bindingCPU / wireCPU))
        for line in await Bench.codecComparison() { print(line) }
    }

    if wants("consent") {
        showSection("consent")
        print("\n## Consent tokens")
        for line in Bench.consent() { print(line) }
    }

    if wants("crypto") {
        showSection("crypto")
        print("\n## Crypto: SHA-256, SHA-512, Ed25519 (Benchmarks/crypto.sh compares with OpenSSL and Python cryptography)")
        for line in Bench.crypto() { print(line) }
    }

    if wants("httpsig") {
        showSection("httpsig")
        print("\n## HTTP message signatures (RFC 9421, Ed25519, Content-Digest): per request")
        for line in Bench.httpSignatures() { print(line) }
    }

    if wants("scale") {
        showSection("scale")
        print("\n## Scale: resident memory per idle session on one company agent")
        for count in [10_000, 100_000, 1_000_000] {
            print(await Bench.idleSessions(count))
        }
    }

    if wants("purge") {
        let count = Int(ProcessInfo.processInfo.environment["PARLEY_BENCH_PURGE_SESSIONS"] ?? "") ?? 1_000_000
        print("\n## Long-running agent: \(count) short sessions over virtual time, no purge by hand")
        for line in await Bench.autoPurge(sessions: count) { print(line) }
    }

    if wants("leak") {
        showSection("leak")
        print("\n## Leak check: 100,000 sessions opened and closed, three times")
        for line in await Bench.leakCheck(sessions: 100_000) { print(line) }
    }
    showSection(nil)
}

/// Names the section now running on standard error when it is a terminal (a run takes minutes);
/// `nil` clears the line. Piped or redirected output gets nothing extra.
func showSection(_ name: String?) {
    guard isatty(2) == 1 else { return }
    let text = name.map { "\rparley-bench: running \($0)…\u{1B}[K" } ?? "\r\u{1B}[K"
    FileHandle.standardError.write(Data(text.utf8))
}
