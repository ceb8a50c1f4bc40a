import Foundation
import ParleyFuzzTargets

// The fuzzing driver (`Tests/Fuzz/README.md`).
//
// Built with `-sanitize=fuzzer -DPARLEY_LIBFUZZER`, `parley-fuzz <target> [libFuzzer options and
// corpus folders]` runs libFuzzer on one target. Built normally, `parley-fuzz replay <target>
// <files or folders>` runs each input once through the target: a broken invariant stops it.

let usage = """
    usage: parley-fuzz replay <target> <file or folder>...
           parley-fuzz <target> [libFuzzer options] [corpus folder]...   (built with -sanitize=fuzzer -DPARLEY_LIBFUZZER)
    targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))
    """

/// The files under `path` (itself if it is a file), hidden ones left out, in name order.
func inputFiles(_ path: String) -> [String] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
        FileHandle.standardError.write(Data("no such file or folder: \(path)\n".utf8))
        exit(2)
    }
    guard isFolder.boolValue else { return [path] }
    let names = ((try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []).sorted()
    return names.filter { name in
        var isSub: ObjCBool = false
        let full = path + "/" + name
        return !name.split(separator: "/").contains { $0.hasPrefix(".") }
            && FileManager.default.fileExists(atPath: full, isDirectory: &isSub) && !isSub.boolValue
    }.map { path + "/" + $0 }
}

func replay(_ target: FuzzTarget, _ paths: [String]) -> Int32 {
    var count = 0
    for path in paths {
        for file in inputFiles(path) {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                return 2
            }
            target.run([UInt8](data))
            count += 1
        }
    }
    print("\(target.rawValue): replayed \(count) inputs, no invariant broken")
    return 0
}

#if PARLEY_LIBFUZZER
    /// libFuzzer's entry point for programs with their own `main` (`-sanitize=fuzzer` links it in).
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    /// The target libFuzzer runs; set once before the driver starts.
    nonisolated(unsafe) var fuzzedTarget = FuzzTarget.envelope

    func fuzz(_ target: FuzzTarget, _ options: [String]) -> Int32 {
        fuzzedTarget = target
        // libFuzzer sees the program name and the options, without the target name.
        let arguments = [CommandLine.arguments[0]] + options
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var argc = Int32(arguments.count)
        return argv.withUnsafeMutableBufferPointer { buffer in
            var base = buffer.baseAddress
            return LLVMFuzzerRunDriver(&argc, &base) { data, size in
                fuzzedTarget.run(UnsafeRawBufferPointer(start: data, count: size))
                return 0
            }
        }
    }
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "replay", arguments.count >= 3, let target = FuzzTarget(rawValue: arguments[1]) {
    exit(replay(target, Array(arguments.dropFirst(2))))
}
#if PARLEY_LIBFUZZER
    if let name = arguments.first, let target = FuzzTarget(rawValue: name) {
        exit(fuzz(target, Array(arguments.dropFirst())))
    }
#endif
print(usage)
exit(2)
