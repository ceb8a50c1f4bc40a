/// Builds iCalendar text (RFC 5545 §3.1): content lines ending in CRLF, folded so that no line is
/// longer than 75 octets, never inside a UTF-8 sequence.
struct ContentLines {
    /// The longest line in octets, line break excluded (RFC 5545 §3.1).
    static let maximumOctets = 75

    private(set) var text = ""

    /// Appends `NAME[;PARAM…]:VALUE` with `value` written as is (already escaped where its type needs it).
    mutating func append(_ name: String, _ value: String, parameters: [(String, String)] = []) {
        var line = name
        for (key, parameterValue) in parameters {
            line += ";\(key)=\(parameterValue)"
        }
        line += ":\(value)"
        text += ContentLines.folded(line)
    }

    /// Appends a TEXT property, escaping its value (RFC 5545 §3.3.11).
    mutating func append(_ name: String, text value: String, parameters: [(String, String)] = []) {
        append(name, ContentLines.escapedText(value), parameters: parameters)
    }

    /// `line` folded into chunks of at most 75 octets, each continuation starting with one space,
    /// every physical line ending in CRLF.
    static func folded(_ line: String) -> String {
        var out = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let width = UTF8.width(scalar)
            if octets + width > maximumOctets {
                out += "\r\n "
                octets = 1
            }
            out.unicodeScalars.append(scalar)
            octets += width
        }
        return out + "\r\n"
    }

    /// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, every line break
    /// (CRLF, CR or LF) written as `\n`, other control characters (which TEXT cannot hold) as spaces.
    static func escapedText(_ value: String) -> String {
        var out = ""
        var previousWasCR = false
        for scalar in value.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            case "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A parameter value (RFC 5545 §3.2): quoted when it holds `:`, `;` or `,`; double quotes
    /// (which no parameter value can hold) become single quotes and control characters spaces.
    static func parameterValue(_ value: String) -> String {
        var clean = ""
        var needsQuotes = false
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": clean += "'"
            case ":", ";", ",":
                needsQuotes = true
                clean.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    clean += " "
                } else {
                    clean.unicodeScalars.append(scalar)
                }
            }
        }
        return needsQuotes ? "\"\(clean)\"" : clean
    }

    /// A UTC DATE-TIME: `20260430T090000Z`.
    static func utcDateTime(_ instant: Instant) -> String {
        LocalDateTime(secondsSinceEpoch: instant.secondsSinceEpoch, offset: 0).iCalendarText + "Z"
    }

    /// A UTC-OFFSET (RFC 5545 §3.3.14): `+0200`, `-0330`, seconds only when not zero.
    static func utcOffset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let magnitude = abs(seconds)
        var text = "\(sign)\(zeroPadded(magnitude / 3600))\(zeroPadded(magnitude % 3600 / 60))"
        if magnitude % 60 != 0 { text += zeroPadded(magnitude % 60) }
        return text
    }
}
