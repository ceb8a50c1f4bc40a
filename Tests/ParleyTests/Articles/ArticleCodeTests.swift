import Foundation
import Testing

/// The documentation articles' Swift code is test code: every ```swift block of an article under
/// `Sources/*/*.docc/` is one `// BEGIN DOCS name` … `// END DOCS name` region of the test sources
/// under `Tests/*/Articles/` (indentation removed), which the tests compile and run; and every
/// region appears in an article. To change an article's code, change the region and paste it.
@Suite("The articles' code blocks are the code the tests run")
struct ArticleCodeTests {
    static let catalogues = ["Sources/Parley/Parley.docc", "Sources/ParleyConformance/ParleyConformance.docc"]
    static let sourceFolders = ["Tests/ParleyTests/Articles", "Tests/ParleyConformanceTests/Articles"]
    static let articles = [
        "Sources/Parley/Parley.docc/BuildACompanyServiceBot.md",
        "Sources/Parley/Parley.docc/BuildAPersonsAssistant.md",
        "Sources/Parley/Parley.docc/ConsentTokensAndReceipts.md",
        "Sources/Parley/Parley.docc/HowASessionWorks.md",
        "Sources/Parley/Parley.docc/Deploying.md",
        "Sources/ParleyConformance/ParleyConformance.docc/TestingWithTheConformanceKit.md",
        "Sources/ParleyConformance/ParleyConformance.docc/TestingABookingStore.md",
    ]

    /// The regions of every test source under `sourceFolders`, by name.
    static func regions() throws -> [String: String] {
        var regions: [String: String] = [:]
        for folder in sourceFolders {
            let files = try FileManager.default.contentsOfDirectory(atPath: Repository.root.appendingPathComponent(folder).path)
            for file in files.sorted() where file.hasSuffix(".swift") {
                let lines = try Repository.text("\(folder)/\(file)").split(separator: "\n", omittingEmptySubsequences: false)
                var open: (name: String, lines: [Substring])?
                for line in lines {
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    if trimmed.hasPrefix("// BEGIN DOCS ") {
                        open = (String(trimmed.dropFirst("// BEGIN DOCS ".count)), [])
                    } else if trimmed.hasPrefix("// END DOCS "), let region = open {
                        #expect(String(trimmed.dropFirst("// END DOCS ".count)) == region.name, "\(file): END DOCS does not match BEGIN")
                        #expect(regions[region.name] == nil, "region \(region.name) appears twice")
                        regions[region.name] = dedented(region.lines)
                        open = nil
                    } else {
                        open?.lines.append(line)
                    }
                }
                #expect(open == nil, "\(file): region \(open?.name ?? "") has no END DOCS")
            }
        }
        return regions
    }

    /// `lines` without the indentation they share, joined with newlines.
    static func dedented(_ lines: [Substring]) -> String {
        let indent = lines.filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { $0.allSatisfy(\.isWhitespace) ? "" : String($0.dropFirst(indent)) }.joined(separator: "\n")
    }

    /// The Swift code blocks of `markdown`, in order.
    static func swiftBlocks(of markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```swift" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test("Every article's Swift block is a region of the test sources, and every region is in an article")
    func blocksAreRegions() throws {
        let regions = try Self.regions()
        #expect(!regions.isEmpty)
        var used = Set<String>()
        for article in Self.articles {
            let blocks = Self.swiftBlocks(of: try Repository.text(article))
            #expect(!blocks.isEmpty, "\(article) has no Swift code")
            for block in blocks {
                if let name = regions.first(where: { $0.value == block })?.key {
                    used.insert(name)
                } else {
                    Issue.record("\(article): this block is not a `// BEGIN DOCS` region of \(Self.sourceFolders):\n\(block)")
                }
            }
        }
        for name in Set(regions.keys).subtracting(used).sorted() {
            Issue.record("region \(name) appears in no article:\n\(regions[name]!)")
        }
    }

    @Test("Every article of the catalogues is one whose code is checked")
    func everyArticleIsChecked() throws {
        for catalogue in Self.catalogues {
            let files = try FileManager.default.contentsOfDirectory(atPath: Repository.root.appendingPathComponent(catalogue).path)
            for file in files where file.hasSuffix(".md") {
                let path = "\(catalogue)/\(file)"
                let text = try Repository.text(path)
                if !Self.swiftBlocks(of: text).isEmpty {
                    #expect(Self.articles.contains(path), "\(path) has Swift code: add it to ArticleCodeTests.articles")
                }
            }
        }
    }
}
