// Minimal dispatcher for the consent branch; the lead's main.swift replaces it on merge.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "token" {
    exit(TokenCommand.run(Array(arguments.dropFirst())))
}
TokenCommand.writeError(TokenCommand.usage)
exit(64)
