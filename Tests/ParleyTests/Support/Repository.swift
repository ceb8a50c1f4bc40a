import Foundation

/// Locates files of the repository from the test sources, so tests read `Spec/` in place.
enum Repository {
    /// The repository root (two levels above `Tests/ParleyTests`).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The bytes of `path` relative to the root. A missing file is an error, never a skip.
    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(path))
    }

    /// The text of `path` relative to the root.
    static func text(_ path: String) throws -> String {
        String(decoding: try data(path), as: UTF8.self)
    }

    /// The text between `<!-- BEGIN name -->` and `<!-- END name -->` in `text`, trimmed.
    static func section(_ name: String, in text: String) -> String? {
        guard let begin = text.range(of: "<!-- BEGIN \(name) -->"), let end = text.range(of: "<!-- END \(name) -->"),
            begin.upperBound <= end.lowerBound
        else { return nil }
        return text[begin.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
