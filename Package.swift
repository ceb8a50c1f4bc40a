// swift-tools-version: 6.0
import PackageDescription

/// Settings every Parley target shares: Swift 6 language mode (strict concurrency) plus the
/// upcoming features that keep APIs explicit.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// The runnable examples: one executable per reference scenario.
let examples: [(name: String, path: String)] = [
    ("hair-salon", "Examples/HairSalon"),
    ("restaurant", "Examples/Restaurant"),
    ("three-salons", "Examples/ThreeSalons"),
    ("give-and-take", "Examples/GiveAndTake"),
]

let package = Package(
    name: "Parley",
    platforms: [.macOS(.v14), .iOS(.v17), .watchOS(.v10), .tvOS(.v17), .visionOS(.v1)],
    products: [
        .library(name: "Parley", targets: ["Parley"]),
        .executable(name: "parley", targets: ["parley"]),
        .executable(name: "parley-bench", targets: ["parley-bench"]),
        // The conformance kit: cases that test any Parley peer, in process or over stdio.
        .library(name: "ParleyConformance", targets: ["ParleyConformance"]),
        // The reference scenarios, for hosts such as Examples/Server that serve them.
        .library(name: "ParleyScenarios", targets: ["ParleyScenarios"]),
    ],
    targets: [
        // SHA-256, SHA-512, HMAC-SHA256, Ed25519 and the macaroon format. Internal to the package: `package` access only.
        .target(name: "ParleyCrypto", swiftSettings: strictSettings),
        .target(name: "Parley", dependencies: ["ParleyCrypto"], swiftSettings: strictSettings),
        // The reference scenarios (scenarios.md) as code, shared by the examples, the CLI and the tests.
        .target(name: "ParleyScenarios", dependencies: ["Parley"], path: "Examples/Scenarios", swiftSettings: strictSettings),
        .target(name: "ParleyConformance", dependencies: ["Parley", "ParleyCrypto"], swiftSettings: strictSettings),
        .executableTarget(name: "parley", dependencies: ["Parley", "ParleyScenarios", "ParleyConformance"], swiftSettings: strictSettings),
        // Benchmarks: `swift run -c release parley-bench`; figures in BENCHMARKS.md.
        .executableTarget(
            name: "parley-bench", dependencies: ["Parley", "ParleyCrypto", "ParleyScenarios"], swiftSettings: strictSettings),
        // Deliberately broken peers (test fixtures only, never shipped): real agents with one injected defect.
        .executableTarget(
            name: "parley-broken-peer", dependencies: ["Parley", "ParleyScenarios", "ParleyConformance"], path: "Tests/Fixtures/BrokenPeer",
            swiftSettings: strictSettings),
        // Coverage-guided fuzzing (Tests/Fuzz/README.md): the targets, and the driver that runs them
        // under libFuzzer (built with -sanitize=fuzzer -DPARLEY_LIBFUZZER) or replays inputs.
        .target(
            name: "ParleyFuzzTargets", dependencies: ["Parley", "ParleyCrypto"], path: "Tests/Fuzz/Targets", swiftSettings: strictSettings),
        .executableTarget(
            name: "parley-fuzz", dependencies: ["ParleyFuzzTargets"], path: "Tests/Fuzz/Driver", swiftSettings: strictSettings),
        .target(name: "ParleyTestSupport", dependencies: ["Parley"], path: "Tests/Support", swiftSettings: strictSettings),
        .testTarget(name: "ParleyCryptoTests", dependencies: ["ParleyCrypto"], swiftSettings: strictSettings),
        .testTarget(
            name: "ParleyTests", dependencies: ["Parley", "ParleyCrypto", "ParleyScenarios", "ParleyFuzzTargets", "ParleyTestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ParleyConformanceTests", dependencies: ["ParleyConformance", "Parley", "ParleyScenarios", "ParleyTestSupport"],
            swiftSettings: strictSettings),
    ]
        + examples.map {
            .executableTarget(name: $0.name, dependencies: ["Parley", "ParleyScenarios"], path: $0.path, swiftSettings: strictSettings)
        }
)
