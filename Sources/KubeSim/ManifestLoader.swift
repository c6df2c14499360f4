import MedicKube
import Foundation
import Yams

/// A manifest that cannot be loaded, named by file and document so it can be fixed.
public struct ManifestError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var message: String
    public var description: String { "\(source): \(message)" }
}

/// Reads YAML (multi-document) or JSON manifests, unwrapping `kind: List` documents, into
/// JSON objects. YAML scalars keep their resolved types, so `replicas: 3` stays an integer
/// and `"3"` stays a string.
enum ManifestLoader {
    /// The objects of a manifest set, each of a kind `catalog` serves or a CRD among them
    /// defines, with the CRDs first so they are established before their objects.
    static func objects(in text: String, source: String, catalog: ResourceCatalog) throws(ManifestError) -> [JSON] {
        let objects = try documents(in: text, source: source)
        let served = catalog.adding(definitionsIn: objects)
        for (index, object) in objects.enumerated() {
            guard let type = served.forObject(object) else {
                throw ManifestError(source: source,
                                    message: "object \(index + 1) has kind \(object["kind"]?.string ?? "<none>"), which KubeSim does not serve")
            }
            if ClusterState.name(object).isEmpty {
                throw ManifestError(source: source, message: "object \(index + 1) (\(type.kind)) has no metadata.name")
            }
        }
        return ResourceCatalog.definitionsFirst(objects)
    }

    /// The objects of the documents, unchecked.
    static func documents(in text: String, source: String) throws(ManifestError) -> [JSON] {
        var objects: [JSON] = []
        do {
            var index = 0
            for node in try Yams.compose_all(yaml: text) {
                index += 1
                let document = try JSON(yaml: node)
                if document == .null { continue }
                guard document.object != nil else {
                    throw ManifestError(source: source, message: "document \(index) is not a mapping")
                }
                if document["kind"]?.string?.hasSuffix("List") == true, let items = document["items"]?.array {
                    objects += items
                } else {
                    objects.append(document)
                }
            }
        } catch let error as ManifestError {
            throw error
        } catch {
            throw ManifestError(source: source, message: "\(error)")
        }
        return objects
    }
}
