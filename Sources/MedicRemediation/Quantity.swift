/// Resource quantities ("128Mi", "500m") in the canonical form the API server and kubectl
/// print. kubectl parses `--limits` values and sends the canonical form (`1024Mi` goes out
/// as `1Gi`), so medic has to produce the same string to send the same body. Only whole
/// numbers with an optional suffix are accepted: that covers what runbooks write and keeps
/// the arithmetic exact.
enum Quantity {
    private static let binary = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
    private static let decimal = ["m", "", "k", "M", "G", "T", "P", "E"]

    /// The canonical spelling of `text`, or nil if it is not a whole number with a known suffix.
    static func canonical(_ text: String) -> String? {
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
