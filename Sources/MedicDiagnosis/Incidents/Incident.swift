import MedicKube
import MedicRunbook

/// Findings that one cause explains: its root cause (or several, when independent faults
/// coincide on one path), the symptoms it explains, and the entry points whose paths cross it.
/// The on-call engineer reads the root cause first; `medic run` acts on root causes only.
public struct Incident: Sendable, Encodable {
    /// The id of its first root cause.
    public var id: String
    public var severity: Runbook.Severity
    public var rootCauses: [String]
    public var symptoms: [String]
    public var impact: [Impact]
    /// Why each symptom is grouped under its cause.
    public var links: [CausalLink]

    /// An entry point (a LoadBalancer or NodePort Service, or one the policy names) from which
    /// requests reach a root cause.
    public struct Impact: Sendable, Encodable, Equatable {
        public var entryPoint: ObjectRef
        public var rootCause: String
        /// The routes users come in by to `entryPoint` (`Ingress shop/public`); empty for a
        /// LoadBalancer or NodePort Service, or one a policy names.
        public var via: [String] = []
    }

    /// Links the findings by `rules`, sets each finding's `causedBy`, and returns the incidents,
    /// most severe first, and the findings in incident order: root causes, then their symptoms.
    /// A link that would close a cycle is dropped, and links from causes no dependency can
    /// explain are taken first, so two failing workloads that call each other still leave one
    /// root cause.
    public static func group(_ findings: [Finding], rules: [CausalRule], graph: ServiceGraph,
                             explainedBy: [String: Set<Runbook.Cause>]) -> (findings: [Finding], incidents: [Incident]) {
        guard !findings.isEmpty else { return ([], []) }
        let context = CausalRule.Context(findings: findings, graph: graph, explainedBy: explainedBy)
        let links = Set(rules.flatMap { $0.links(context) })
        // The causes' findings, to rank the links by: none are needed when nothing is linked.
        let byID = links.isEmpty ? [:] : Dictionary(findings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let candidates = links.sorted { a, b in
            let (causeA, causeB) = (byID[a.cause]!, byID[b.cause]!)
            let weakA = context.canBeExplained(causeA, by: .dependency), weakB = context.canBeExplained(causeB, by: .dependency)
            if weakA != weakB { return !weakA }
            if causeA.severity != causeB.severity { return causeA.severity > causeB.severity }
            return (a.cause, a.symptom, a.rule) < (b.cause, b.symptom, b.rule)
        }
        var causes: [String: [String]] = [:]
        var accepted: [CausalLink] = []
        func explains(_ start: String, _ target: String) -> Bool {
            var stack = [start], seen: Set<String> = [start]
            while let node = stack.popLast() {
                if node == target { return true }
                for next in causes[node] ?? [] where seen.insert(next).inserted { stack.append(next) }
            }
            return false
        }
        for link in candidates where link.cause != link.symptom && !(causes[link.symptom] ?? []).contains(link.cause) {
            // The cause must not itself be explained, directly or not, by its symptom.
            guard !explains(link.cause, link.symptom) else { continue }
            causes[link.symptom, default: []].append(link.cause)
            accepted.append(link)
        }

        // Components of the accepted links; every finding is in exactly one. A finding no
        // accepted link names is one alone (most of them, on a large cluster): only the linked
        // ones are joined, by their ids.
        let linkedIDs = Set(accepted.flatMap { [$0.cause, $0.symptom] })
        var parent: [String: String] = [:]
        func root(_ id: String) -> String {
            var node = id
            while let up = parent[node], up != node { node = up }
            return node
        }
        for link in accepted { parent[root(link.symptom)] = root(link.cause) }
        // Each component's findings, in the order of its first one.
        var groups: [[Finding]] = []
        var groupOf: [String: Int] = [:]
        for finding in findings {
            guard linkedIDs.contains(finding.id) else {
                var alone = finding
                // Assigned only when it had causes: an unchanged finding keeps sharing its
                // storage with the diagnosis' copy, which later stages then compare at once.
                if !alone.causedBy.isEmpty { alone.causedBy = [] }
                groups.append([alone])
                continue
            }
            var linked = finding
            linked.causedBy = (causes[finding.id] ?? []).sorted()
            let component = root(finding.id)
            if let index = groupOf[component] {
                groups[index].append(linked)
            } else {
                groupOf[component] = groups.count
                groups.append([linked])
            }
        }
        // Each symptom's links, found once: a component takes its members' (hundreds of
        // components, each searching every link, was quadratic).
        let linksBySymptom = Dictionary(grouping: accepted.enumerated().map { (order: $0.offset, link: $0.element) }, by: \.link.symptom)
        let built = groups.map { group in
            let incident = incident(of: group, links: linksBySymptom, graph: graph)
            let tentative = group.allSatisfy { !$0.causedBy.isEmpty || context.canBeExplained($0, by: .dependency) }
            return (severity: incident.severity, tentative: tentative, incident: incident)
        }
        // Most severe first; among equals, a definite fault before one that could still be a
        // symptom medic cannot see the cause of, then the order of the first finding (name).
        // Positions are sorted, not incidents: a swap of two incidents copies every field.
        let sorted = built.indices.sorted { a, b in
            if built[a].severity != built[b].severity { return built[a].severity > built[b].severity }
            if built[a].tentative != built[b].tentative { return !built[a].tentative }
            return a < b
        }
        // Root causes, then their symptoms, as each incident names them.
        let ordered = sorted.flatMap { groups[$0].filter(\.causedBy.isEmpty) + groups[$0].filter { !$0.causedBy.isEmpty } }
        return (ordered, sorted.map { built[$0].incident })
    }

    /// `links`: each symptom's accepted links, with their place among all of them.
    private static func incident(of group: [Finding], links: [String: [(order: Int, link: CausalLink)]],
                                 graph: ServiceGraph) -> Incident {
        let roots = group.filter(\.causedBy.isEmpty)
        let symptoms = group.filter { !$0.causedBy.isEmpty }
        let impact = roots.flatMap { cause in
            graph.entryPoints(reaching: cause.target).map { Impact(entryPoint: $0, rootCause: cause.id, via: graph.routes[$0] ?? []) }
        }
        return Incident(id: roots.first?.id ?? group[0].id, severity: group.map(\.severity).max()!,
                        rootCauses: roots.map(\.id), symptoms: symptoms.map(\.id), impact: impact,
                        links: group.flatMap { links[$0.id] ?? [] }.sorted { $0.order < $1.order }.map(\.link))
    }

    enum CodingKeys: String, CodingKey { case id, severity, rootCauses, symptoms, impact, links }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(severity.rawValue, forKey: .severity)
        try container.encode(rootCauses, forKey: .rootCauses)
        try container.encode(symptoms, forKey: .symptoms)
        try container.encode(impact, forKey: .impact)
        try container.encode(links, forKey: .links)
    }
}
