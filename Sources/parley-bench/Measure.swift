import Foundation

/// Repeats a measurement and reports minimum, median and maximum rates.
struct Measurement {
    let name: String
    let unit: String
    var rates: [Double] = []

    /// Runs `body` (which performs `count` operations) `rounds` times after one warm-up round.
    static func run(_ name: String, unit: String = "ops/s", count: Int, rounds: Int = 5, _ body: () async throws -> Void) async rethrows
        -> Measurement
    {
        var measurement = Measurement(name: name, unit: unit, rates: [])
        try await body()
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            try await body()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            measurement.rates.append(Double(count) / seconds)
        }
        return measurement
    }

    var median: Double { rates.sorted()[rates.count / 2] }

    var line: String {
        let sorted = rates.sorted()
        return "\(name.padding(toLength: 58, withPad: " ", startingAt: 0)) median \(format(median)) \(unit)  "
            + "(min \(format(sorted.first ?? 0)), max \(format(sorted.last ?? 0)))"
    }

    func format(_ value: Double) -> String {
        if value >= 1_000_000 { return String(format: "%.2fM", value / 1_000_000) }
        if value >= 1_000 { return String(format: "%.1fk", value / 1_000) }
        return String(format: "%.1f", value)
    }
}

/// Resident memory of this process, in bytes (Linux: /proc/self/statm; elsewhere 0).
func residentBytes() -> Int {
    #if os(Linux)
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    #else
        return 0
    #endif
}

func mebibytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
