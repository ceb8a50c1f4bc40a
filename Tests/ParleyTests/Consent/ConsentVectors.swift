#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `Spec/vectors/consent.json`, exactly as the file is laid out.
struct ConsentVectors: Decodable {
    struct MacaroonCase: Decodable, CustomStringConvertible {
        var name, origin, rootKey, location, identifier, signature, serialized: String
        var caveats: [String]
        var description: String { name }
    }

    struct MacaroonVerifyCase: Decodable, CustomStringConvertible {
        var name, origin, rootKey, serialized: String
        var satisfied: [String]
        var authorized: Bool
        var description: String { name }
    }

    struct Scope: Decodable {
        var audience: String
        var purposes, fields: [String]
        var expiry: String
        var session, retention: String?
    }

    struct MintCase: Decodable, CustomStringConvertible {
        var name, origin, rootKey, id, location, serialized: String
        var scope: Scope
        var caveats: [String]
        var description: String { name }
    }

    struct AttenuateCase: Decodable, CustomStringConvertible {
        var name, origin, token, serialized: String
        var caveats: [String]
        var description: String { name }
    }

    struct Use: Decodable {
        var audience, purpose, at: String
        var fields: [String]
        var session, retention: String?
    }

    struct VerifyCase: Decodable, CustomStringConvertible {
        var name, origin, rootKey, token, expect: String
        var revoked: [String]
        var use: Use
        var description: String { name }
    }

    var description: String
    var macaroons: [MacaroonCase]
    var macaroonVerify: [MacaroonVerifyCase]
    var mint: [MintCase]
    var attenuate: [AttenuateCase]
    var verify: [VerifyCase]

    /// Loads the vectors; a missing or unreadable file is a test failure (the test cannot silently pass).
    static let shared: ConsentVectors = {
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Spec/vectors/consent.json")
        do {
            return try JSONDecoder().decode(ConsentVectors.self, from: Data(contentsOf: path))
        } catch {
            fatalError("cannot load \(path.path): \(error)")
        }
    }()
}
