/// Which items of a list carry a label, per namespace: the postings a selector intersects, so
/// "the pods a Service selects" costs the size of its rarest label's posting list instead of
/// every pod in the namespace, and a namespace of 10,000 pods and 2,000 Services stays linear.
struct LabelIndex {
    private struct Key: Hashable {
        var namespace: String
        var label: String
        var value: String
    }

    /// Item positions, ascending, so a match keeps the list's order.
    private var postings: [Key: [Int]] = [:]

    /// `labels(i)` gives item i's namespace and labels.
    init(count: Int, labels: (Int) -> (namespace: String, labels: [String: String])) {
        for position in 0..<count {
            let (namespace, itemLabels) = labels(position)
            for (label, value) in itemLabels {
                postings[Key(namespace: namespace, label: label, value: value), default: []].append(position)
            }
        }
    }

    /// Positions of the items in `namespace` carrying every label of `selector`, ascending;
    /// none for an empty selector (it selects nothing here, as a Service's does).
    func matching(_ selector: [String: String], in namespace: String) -> [Int] {
        var lists: [[Int]] = []
        for (label, value) in selector {
            guard let list = postings[Key(namespace: namespace, label: label, value: value)] else { return [] }
            lists.append(list)
        }
        lists.sort { $0.count < $1.count }
        guard var result = lists.first else { return [] }
        for list in lists.dropFirst() {
            let members = Set(list)
            result.removeAll { !members.contains($0) }
            if result.isEmpty { break }
        }
        return result
    }

    /// Positions of the items in `namespace` with `label` set to one of `values`, ascending per
    /// value but not across values (the caller sorts the union it builds).
    func carrying(_ label: String, oneOf values: Set<String>, in namespace: String) -> [Int] {
        var positions: [Int] = []
        for value in values {
            positions += postings[Key(namespace: namespace, label: label, value: value)] ?? []
        }
        return positions
    }
}
