import Foundation
import MedicKube
import MedicPolicy

/// Reads the Argo CD Application or Flux Kustomization / HelmRelease that syncs an owned
/// object, for `gitops: suspend`: whether it still reverts live changes, and the object itself
/// (its labels say whether it is synced in turn; an approval annotation on it approves its
/// suspension). Read at decision time, never from a cache: suspending is decided on what the
/// server says now, and anything it cannot tell is `unknown`, which changes nothing.
enum SyncReading {
    static func read(_ owner: GitOpsOwner, argoCDNamespace: String, reader: KubeReader) async -> (SyncState, LiveTarget?) {
        guard let ref = owner.syncObject(argoCDNamespace: argoCDNamespace) else {
            let label = owner.syncer == .fluxHelmRelease ? "helm.toolkit.fluxcd.io/namespace" : "kustomize.toolkit.fluxcd.io/namespace"
            return (.unknown("no label \(label) says which namespace \(owner) is in"), nil)
        }
        let data: Data
        do {
            data = try await reader.getJSON(owner.syncer.resource, name: ref.name, namespace: ref.namespace)
        } catch {
            return (.unknown("cannot read \(ref.kind) \(ref.namespace)/\(ref.name): \(error.description)"), nil)
        }
        let object: JSON
        do {
            object = try JSON(parsing: data)
        } catch {
            return (.unknown("the API server's copy of \(ref.kind) \(ref.namespace)/\(ref.name) is not JSON: \(error)"), nil)
        }
        guard let suspended = owner.syncer.isSuspended(object) else {
            return (.unknown("the API server's copy of \(ref.kind) \(ref.namespace)/\(ref.name) is not a \(ref.kind) with a spec"), nil)
        }
        let live = LiveTarget(metadata: ObjectMeta(
            name: ref.name, namespace: ref.namespace, uid: object[path: ["metadata", "uid"]]?.string,
            labels: strings(object[path: ["metadata", "labels"]]), annotations: strings(object[path: ["metadata", "annotations"]])))
        return (suspended ? .suspended : .running(ref), live)
    }

    private static func strings(_ json: JSON?) -> [String: String] {
        (json?.object ?? [:]).compactMapValues(\.string)
    }
}
