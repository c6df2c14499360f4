import Foundation

/// A Kubernetes resource quantity (`"128Mi"`, `"1Gi"`, `"500M"`, `"0.5"`, `"100m"`, `"1e3"`,
/// `"2k"`), exact, so a limit can be doubled or compared without float surprises, and written
/// back the way a person writes a limit.
public struct Quantity: Sendable, Hashable, CustomStringConvertible {
    /// The text as written.
    public let text: String
    /// The exact value in base units (bytes, cores).
    public let value: Decimal

    public init(_ text: String) throws(QuantityError) {
        self.text = text
        value = try Self.parse(text)
    }

    public var description: String { text }

    /// The value as memory bytes, rounded up to a whole byte as Kubernetes does.
    public func bytes() throws(QuantityError) -> Int64 {
        try Self.wholeNumber(value, of: text, unit: "bytes")
    }

    /// The value as CPU millicores (`"0.5"` and `"500m"` are both 500), rounded up.
    public func millicores() throws(QuantityError) -> Int64 {
        try Self.wholeNumber(value * 1000, of: text, unit: "millicores")
    }

    /// `Quantity(text).bytes()`.
    public static func bytes(_ text: String) throws(QuantityError) -> Int64 {
        if let whole = wholeNumber(text, inMilli: false) { return whole }
        return try Quantity(text).bytes()
    }

    /// `Quantity(text).millicores()`.
    public static func millicores(_ text: String) throws(QuantityError) -> Int64 {
        if let whole = wholeNumber(text, inMilli: true) { return whole }
        return try Quantity(text).millicores()
    }

    /// What most limits and requests are, `512Mi`, `2`, `250m`, read without `Decimal`: every
    /// workload a pass evaluates reads its containers' resources. Digits, then a suffix that
    /// multiplies them by a whole number; nil for anything else or an overflow, which the exact
    /// reading then handles (and words the error of).
    static func wholeNumber(_ text: String, inMilli: Bool) -> Int64? {
        var digits: Int64 = 0, count = 0
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex, let digit = utf8[index].asciiDigit {
            count += 1
            guard count <= 18 else { return nil }
            digits = digits * 10 + Int64(digit)
            index = utf8.index(after: index)
        }
        guard count > 0 else { return nil }
        let multiplier: Int64
        switch String(decoding: utf8[index...], as: UTF8.self) {
        case "": multiplier = 1
        case "m" where inMilli: return digits
        case "Ki": multiplier = 1 << 10
        case "Mi": multiplier = 1 << 20
        case "Gi": multiplier = 1 << 30
        case "Ti": multiplier = 1 << 40
        case "k": multiplier = 1_000
        case "M": multiplier = 1_000_000
        case "G": multiplier = 1_000_000_000
        case "T": multiplier = 1_000_000_000_000
        default: return nil
        }
        let (base, overflow) = digits.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        guard inMilli else { return base }
        let (milli, overflowed) = base.multipliedReportingOverflow(by: 1000)
        return overflowed ? nil : milli
    }

    /// `134217728` → `"128Mi"`: the largest binary unit that divides evenly, else the plain
    /// number of bytes.
    public static func formatBytes(_ bytes: Int64) -> String {
        guard bytes != 0 else { return "0" }
        for (suffix, power) in binarySuffixes.reversed() {
            let unit = Int64(1) << power
            if bytes % unit == 0 {
                return "\(bytes / unit)\(suffix)"
            }
        }
        return String(bytes)
    }

    /// `500` → `"500m"`, `2000` → `"2"`.
    public static func formatMillicores(_ millicores: Int64) -> String {
        millicores % 1000 == 0 ? String(millicores / 1000) : "\(millicores)m"
    }

    private static let binarySuffixes: [(String, Int)] = [
        ("Ki", 10), ("Mi", 20), ("Gi", 30), ("Ti", 40), ("Pi", 50), ("Ei", 60),
    ]
    private static let decimalSuffixes: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]

    private static func parse(_ text: String) throws(QuantityError) -> Decimal {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var number = ""
        if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
            number.unicodeScalars.append(scalars[index])
            index += 1
        }
        var digits = 0
        var sawPoint = false
        while index < scalars.count, ("0"..."9").contains(scalars[index]) || scalars[index] == "." && !sawPoint {
            if scalars[index] == "." { sawPoint = true } else { digits += 1 }
            number.unicodeScalars.append(scalars[index])
            index += 1
        }
        guard digits > 0 else {
            throw QuantityError(text: text, problem: text.isEmpty ? "it is empty" : "it does not start with a number")
        }
        guard var value = Decimal(string: number, locale: Locale(identifier: "en_US_POSIX")) else {
            throw QuantityError(text: text, problem: "\(number) is not a number")
        }
        let suffix = String(String.UnicodeScalarView(scalars[index...]))
        if let (_, power) = binarySuffixes.first(where: { $0.0 == suffix }) {
            value *= Decimal(sign: .plus, exponent: 0, significand: Decimal(Int64(1) << power))
        } else if let exponent = decimalSuffixes[suffix] {
            value *= Decimal(sign: .plus, exponent: exponent, significand: 1)
        } else if let first = suffix.first, first == "e" || first == "E",
                  let exponent = Int(suffix.dropFirst()), abs(exponent) <= 30 {
            value *= Decimal(sign: .plus, exponent: exponent, significand: 1)
        } else {
            throw QuantityError(
                text: text,
                problem: "unknown suffix \(KubeJSON.quoted(suffix)) (use Ki, Mi, Gi, Ti, Pi, Ei, or n, u, m, k, M, G, T, P, E, or an exponent like e3)"
            )
        }
        return value
    }

    private static func wholeNumber(_ value: Decimal, of text: String, unit: String) throws(QuantityError) -> Int64 {
        guard value >= 0 else {
            throw QuantityError(text: text, problem: "it is negative")
        }
        var exact = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 0, .up)
        guard rounded <= Decimal(Int64.max) else {
            throw QuantityError(text: text, problem: "it is too large to count in \(unit)")
        }
        return NSDecimalNumber(decimal: rounded).int64Value
    }
}

/// A quantity that cannot be read, with the rule it broke.
public struct QuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var problem: String

    public init(text: String, problem: String) {
        self.text = text
        self.problem = problem
    }

    public var description: String {
        "\(KubeJSON.quoted(text)) is not a Kubernetes quantity: \(problem)"
    }
}

/// The canonical spelling of resource quantities ("128Mi", "500m") in the canonical form the API server and kubectl
/// print. kubectl parses `--limits` values and sends the canonical form (`1024Mi` goes out
/// as `1Gi`), so medic has to produce the same string to send the same body. Only whole
/// numbers with an optional suffix are accepted: that covers what runbooks write and keeps
/// the arithmetic exact.
extension Quantity {
    private static let binary = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
    private static let decimal = ["m", "", "k", "M", "G", "T", "P", "E"]

    /// The canonical spelling of `text`, or nil if it is not a whole number with a known suffix.
    public static func canonical(_ text: String) -> String? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let suffix = String(text.dropFirst(digits.count))
        guard !digits.isEmpty, digits.count <= 15, var mantissa = Int(digits),
              binary.contains(suffix) || decimal.contains(suffix) else { return nil }
        if mantissa == 0 { return "0" }
        if let power = binary.firstIndex(of: suffix), power > 0 {
            var power = power
            while mantissa % 1024 == 0, power < binary.count - 1 {
                mantissa /= 1024
                power += 1
            }
            return "\(mantissa)\(binary[power])"
        }
        guard var power = decimal.firstIndex(of: suffix) else { return nil }
        while mantissa % 1000 == 0, power < decimal.count - 1 {
            mantissa /= 1000
            power += 1
        }
        return "\(mantissa)\(decimal[power])"
    }
}

private extension UInt8 {
    var asciiDigit: UInt8? { (0x30...0x39).contains(self) ? self - 0x30 : nil }
}
