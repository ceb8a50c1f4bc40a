// swift-tools-version: 6.0
import PackageDescription

/// The Parley HTTP binding served by Hummingbird 2: a company bot reachable over loopback HTTP.
/// Its own package, so the root package keeps no package dependencies.
let settings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "ParleyServer",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "parley-server", targets: ["parley-server"]),
        .library(name: "ParleyServer", targets: ["ParleyServer"]),
    ],
    dependencies: [
        .package(name: "Parley", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "ParleyServer",
            dependencies: [
                .product(name: "Parley", package: "Parley"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings),
        // PostgresBookingStore: bookings and holds on PostgreSQL, double booking refused by the database.
        .target(
            name: "ParleyPostgres",
            dependencies: [
                .product(name: "Parley", package: "Parley"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings),
        .executableTarget(
            name: "parley-server",
            dependencies: ["ParleyServer", "ParleyPostgres", .product(name: "ParleyScenarios", package: "Parley")],
            swiftSettings: settings),
        .testTarget(
            name: "ParleyServerTests",
            dependencies: [
                "ParleyServer",
                .product(name: "ParleyScenarios", package: "Parley"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: settings),
        // The booking and session store contracts (ParleyConformance) against a real PostgreSQL,
        // restarts and compare-and-set races of company agents on it: skipped unless
        // PARLEY_TEST_DATABASE_URL is set (postgres-check.sh sets it).
        .testTarget(
            name: "ParleyPostgresTests",
            dependencies: [
                "ParleyPostgres", .product(name: "ParleyConformance", package: "Parley"),
                .product(name: "ParleyScenarios", package: "Parley"),
            ],
            swiftSettings: settings),
    ]
)
