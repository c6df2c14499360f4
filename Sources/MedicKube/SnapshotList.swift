import Foundation

extension Snapshot {
    /// The snapshot as a `kubectl get -o json`-style `List` (PodLog items included), which
    /// `Snapshot.decode` reads back into an equal value: what `medic snapshot` saves.
    public func encodedList() throws -> Data {
        var items: [any Encodable] = []
        items += namespaces as [any Encodable]
        items += pods as [any Encodable]
        items += deployments as [any Encodable]
        items += replicaSets as [any Encodable]
        items += statefulSets as [any Encodable]
        items += daemonSets as [any Encodable]
        items += jobs as [any Encodable]
        items += services as [any Encodable]
        items += endpoints as [any Encodable]
        items += events as [any Encodable]
        items += configMaps as [any Encodable]
        items += networkPolicies as [any Encodable]
        items += ingresses as [any Encodable]
        items += httpRoutes as [any Encodable]
        items += chaosExperiments as [any Encodable]
        items += podLogs as [any Encodable]
        let encoder = KubeJSON.makeEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        let annotations = capturedAt.map { [Snapshot.capturedAtAnnotation: RFC3339.format($0)] }
        return try encoder.encode(ListDocument(metadata: .init(annotations: annotations), items: items.map(AnyItem.init)))
    }

    private struct ListDocument: Encodable {
        var apiVersion = "v1"
        var kind = "List"
        var metadata: ListMeta
        var items: [AnyItem]
    }

    private struct ListMeta: Encodable {
        var resourceVersion = ""
        var annotations: [String: String]?
    }

    private struct AnyItem: Encodable {
        var value: any Encodable
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
    }
}
