import Foundation

/// A request to the Kubernetes API that RBAC refused, as a crashed container's last words quote
/// the API server: `pods is forbidden: User "system:serviceaccount:shop:reader" cannot list
/// resource "pods" in API group "" in the namespace "shop"`. The fix is a Role rule for that
/// ServiceAccount, which medic never writes itself (it would widen privileges on a guess about
/// intent); it says exactly which rule is missing.
public struct ForbiddenAPICall: Sendable, Equatable {
    public var user: String
    public var verb: String
    public var resource: String
    public var group: String
    /// Empty at the cluster scope.
    public var namespace: String
    public var line: String

    /// The ServiceAccount's namespace and name, when the refused user is one.
    public var serviceAccount: (namespace: String, name: String)? {
        let parts = user.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount" else { return nil }
        return (String(parts[2]), String(parts[3]))
    }

    public static func == (a: Self, b: Self) -> Bool {
        (a.user, a.verb, a.resource, a.group, a.namespace, a.line) == (b.user, b.verb, b.resource, b.group, b.namespace, b.line)
    }

    /// Every distinct refusal in `text`, in order.
    static func find(in text: String) -> [ForbiddenAPICall] {
        let pattern = #"is forbidden: User "([^"]+)" cannot ([a-z]+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)"| at the cluster scope)"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        var found: [ForbiddenAPICall] = []
        for line in text.split(whereSeparator: \.isNewline).map(String.init) {
            let range = NSRange(line.startIndex..., in: line)
            for match in regex.matches(in: line, range: range) {
                func group(_ index: Int) -> String {
                    Range(match.range(at: index), in: line).map { String(line[$0]) } ?? ""
                }
                let call = ForbiddenAPICall(user: group(1), verb: group(2), resource: group(3), group: group(4),
                                            namespace: group(5), line: String(line.prefix(300)))
                if !found.contains(where: { ($0.user, $0.verb, $0.resource, $0.group, $0.namespace)
                    == (call.user, call.verb, call.resource, call.group, call.namespace) }) {
                    found.append(call)
                }
            }
        }
        return found
    }
}
