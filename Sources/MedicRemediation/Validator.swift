import MedicKube

/// The checks behind `Remediation.validate()`, phrased once so every action refuses the same
/// things with the same words. Each check exists because the value would otherwise change
/// the meaning of the kubectl command (a leading "-" becomes a flag, "=" splits a pair, ","
/// splits a list), cannot be carried at all (NUL), or names something Kubernetes cannot hold.
public struct Validator {
    let actionType: String
    let target: ObjectRef

    func refuse(_ reason: String) -> RemediationError {
        refuse(.invalidParameter, reason)
    }

    func refuse(_ code: RemediationError.Code, _ reason: String) -> RemediationError {
        RemediationError(code, "\(actionType) on \(target): \(reason)")
    }

    // MARK: Targets

    func targetKind() throws(RemediationError) -> TargetKind {
        guard let kind = target.targetKind else {
            let known = TargetKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw refuse(.wrongTargetKind, "unknown kind \(quoted(target.kind)); medic acts only on \(known)")
        }
        return kind
    }

    func requireKind(_ allowed: [TargetKind]) throws(RemediationError) {
        let kind = try targetKind()
        guard allowed.contains(kind) else {
            let names = allowed.map(\.rawValue).joined(separator: " or ")
            throw refuse(.wrongTargetKind, "\(actionType) needs a \(names) target, not a \(kind.rawValue)")
        }
    }

    func requireWorkload() throws(RemediationError) {
        try requireKind(TargetKind.workloads)
    }

    func checkTargetNames() throws(RemediationError) {
        _ = try targetKind()
        try dnsLabel(target.namespace, "namespace")
        try dnsSubdomain(target.name, "object name")
    }

    // MARK: Kubernetes names

    /// RFC 1123 label: what namespaces and container names must be.
    func dnsLabel(_ value: String, _ what: String) throws(RemediationError) {
        try commonChecks(value, what)
        guard value.utf8.count <= 63, isLabelShaped(value) else {
            throw refuse("\(what) \(quoted(value)) is not a valid name: use at most 63 lowercase letters, digits and \"-\", starting and ending with a letter or digit")
        }
    }

    /// RFC 1123 subdomain: what workload, pod and service names must be.
    func dnsSubdomain(_ value: String, _ what: String) throws(RemediationError) {
        try commonChecks(value, what)
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard value.utf8.count <= 253, parts.allSatisfy({ isLabelShaped(String($0)) }) else {
            throw refuse("\(what) \(quoted(value)) is not a valid name: use at most 253 lowercase letters, digits, \"-\" and \".\", each dot-separated part starting and ending with a letter or digit")
        }
    }

    private func isLabelShaped(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        let alnum: (UInt8) -> Bool = { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
        return alnum(first) && alnum(last) && bytes.allSatisfy { alnum($0) || $0 == 0x2D }
    }

    /// Environment variable names as kubectl checks them (`[-._a-zA-Z][-._a-zA-Z0-9]*`), minus
    /// a leading "-", which kubectl's argument parser would take for a flag.
    func envName(_ value: String) throws(RemediationError) {
        let what = "environment variable name"
        try commonChecks(value, what)
        if value.contains("=") {
            throw refuse("\(what) \(quoted(value)) contains \"=\", so kubectl would split it into a different NAME=VALUE pair")
        }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._".unicodeScalars)
        let digits = Set("0123456789".unicodeScalars)
        guard value.unicodeScalars.allSatisfy(allowed.contains), !digits.contains(value.unicodeScalars.first!) else {
            throw refuse("\(what) \(quoted(value)) is not valid: use letters, digits, \"_\", \"-\" and \".\", not starting with a digit")
        }
    }

    /// Label keys: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters.
    func labelKey(_ value: String) throws(RemediationError) {
        let what = "selector key"
        try commonChecks(value, what)
        let pieces = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(pieces.last!)
        if pieces.count == 2 {
            try dnsSubdomain(String(pieces[0]), "selector key prefix")
        }
        guard isLabelValueShaped(name), !name.isEmpty else {
            throw refuse("\(what) \(quoted(value)) is not a valid label key: the name part needs 1 to 63 letters, digits, \"-\", \"_\" or \".\", starting and ending with a letter or digit")
        }
    }

    func labelValue(_ value: String) throws(RemediationError) {
        guard isLabelValueShaped(value) else {
            throw refuse("selector value \(quoted(value)) is not a valid label value: use at most 63 letters, digits, \"-\", \"_\" or \".\", starting and ending with a letter or digit")
        }
    }

    private func isLabelValueShaped(_ value: String) -> Bool {
        if value.isEmpty { return true }
        let bytes = Array(value.utf8)
        let alnum: (UInt8) -> Bool = {
            (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0) || (0x30...0x39).contains($0)
        }
        return bytes.count <= 63 && alnum(bytes.first!) && alnum(bytes.last!)
            && bytes.allSatisfy { alnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }

    // MARK: Free-form values

    /// Values that travel inside one argument (an env value, a notify message): anything but NUL.
    func argumentValue(_ value: String, _ what: String) throws(RemediationError) {
        if value.unicodeScalars.contains("\0") {
            throw refuse("\(what) contains a NUL byte, which no command line can carry")
        }
    }

    func nonEmpty(_ value: String, _ what: String) throws(RemediationError) {
        if value.isEmpty { throw refuse("\(what) is empty") }
    }

    private func commonChecks(_ value: String, _ what: String) throws(RemediationError) {
        try nonEmpty(value, what)
        try argumentValue(value, "\(what) \(quoted(value))")
        if value.hasPrefix("-") {
            throw refuse("\(what) \(quoted(value)) starts with \"-\", so kubectl would read it as a flag")
        }
    }

    func quoted(_ value: String) -> String {
        String(reflecting: value)
    }
}
