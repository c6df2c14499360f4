import Foundation
import MedicHTTP
import MedicKube
import Testing
@testable import KubeSim

/// CustomResourceDefinitions over the HTTP API: validation and establishing, then the custom
/// resource served like a built-in (discovery, OpenAPI, selectors, watch, patches, the status
/// subresource, strict fields, Tables), and gone again with its CRD.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CustomResourceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/crds")

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    static func fixtureJSON(_ name: String) throws -> JSON {
        try #require(try ManifestLoader.documents(in: try fixture(name), source: name).first)
    }

    static let kustomizations = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations"
    static let crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"

    /// A server with the three fixture CRDs created through the API and a flux-system namespace.
    func withServer(_ options: ServerOptions = ServerOptions(), _ body: (KubeSim, API) async throws -> Void) async throws {
        let sim = KubeSim()
        try sim.load(manifests: "{apiVersion: v1, kind: Namespace, metadata: {name: flux-system}}")
        let server = try await sim.start(options)
        do {
            let api = API(base: server.baseURL)
            for name in ["kustomizations.kustomize.toolkit.fluxcd.io.yaml", "helmreleases.helm.toolkit.fluxcd.io.yaml",
                         "applications.argoproj.io.yaml"] {
                let created = try await api.send("POST", Self.crds, try Self.fixtureJSON(name))
                #expect(created.status == 201, "\(created.json)")
            }
            try await body(sim, api)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    struct API {
        struct Reply {
            var status: Int
            var json: JSON
            var headers: [String: String]
        }

        var base: String

        func send(_ method: String, _ path: String, _ body: JSON? = nil,
                  contentType: String = "application/json", accept: String? = nil) async throws -> Reply {
            var headers = ["Content-Type": contentType]
            if let accept { headers["Accept"] = accept }
            let response = try await HTTPClient().send(HTTPRequest(method: method, url: base + path, headers: headers,
                                                                   body: body?.serialized()))
            return Reply(status: response.status, json: (try? JSON(parsing: response.body)) ?? .null, headers: response.headers)
        }
    }

    static let apps: JSON = [
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
        "metadata": ["name": "apps", "namespace": "flux-system", "labels": ["tier": "apps"]],
        "spec": ["interval": "10m", "prune": true, "sourceRef": ["kind": "GitRepository", "name": "flux-system"]],
    ]

    // MARK: The CRD itself

    @Test func invalidCRDIsRefusedWithTheApiserversTexts() async throws {
        try await withServer { _, api in
            var crd = try Self.fixtureJSON("kustomizations.kustomize.toolkit.fluxcd.io.yaml")
            crd[path: ["metadata", "name"]] = "kustomization.kustomize.toolkit.fluxcd.io"
            crd[path: ["spec", "scope"]] = "Global"
            crd[path: ["spec", "names", "kind"]] = nil
            var versions = try #require(crd[path: ["spec", "versions"]]?.array)
            versions[0]["storage"] = false
            crd[path: ["spec", "versions"]] = .array(versions)
            let refused = try await api.send("POST", Self.crds, crd)
            #expect(refused.status == 422)
            #expect(refused.json["reason"] == "Invalid")
            #expect(refused.json["message"] == .string(
                #"CustomResourceDefinition.apiextensions.k8s.io "kustomization.kustomize.toolkit.fluxcd.io" is invalid: ["#
                    + #"metadata.name: Invalid value: "kustomization.kustomize.toolkit.fluxcd.io": must be spec.names.plural+"."+spec.group, "#
                    + #"spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced", "#
                    + #"spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: must have exactly one version marked as storage version, "#
                    + #"spec.names.kind: Required value]"#))
            #expect(refused.json[path: ["details", "causes"]]?.array?.map { $0["field"] }
                == ["metadata.name", "spec.scope", "spec.versions", "spec.names.kind"])
            // Nothing was stored, nothing is served.
            #expect(try await api.send("GET", Self.crds + "/kustomization.kustomize.toolkit.fluxcd.io").status == 404)
        }
    }

    @Test func createdCRDIsEstablishedWithDefaultedNames() async throws {
        try await withServer { sim, _ in
            let crd = try #require(sim.get(.customResourceDefinition, namespace: "", name: "applications.argoproj.io"))
            let conditions = crd[path: ["status", "conditions"]]?.array ?? []
            #expect(conditions.map { $0["type"] } == ["NamesAccepted", "Established"])
            #expect(conditions.allSatisfy { $0["status"] == "True" })
            #expect(conditions.map { $0["reason"] } == ["NoConflicts", "InitialNamesAccepted"])
            #expect(crd[path: ["status", "acceptedNames", "shortNames"]] == ["app", "apps"])
            #expect(crd[path: ["status", "storedVersions"]] == ["v1alpha1"])
            #expect(crd[path: ["spec", "conversion", "strategy"]] == "None")
            #expect(crd[path: ["metadata", "generation"]] == 1)
            let type = try #require(sim.catalog.named("app"))
            #expect(type.groupResource == "applications.argoproj.io")
            #expect(type.subresources.isEmpty)
            #expect(sim.catalog.named("ks")?.subresources == ["status"])
        }
    }

    // MARK: Discovery and OpenAPI

    @Test func discoveryListsTheCustomGroupOnceEstablished() async throws {
        try await withServer { _, api in
            let aggregated = try await api.send("GET", "/apis", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
            let group = try #require(aggregated.json["items"]?.array?.first { $0[path: ["metadata", "name"]] == "kustomize.toolkit.fluxcd.io" })
            let resource = try #require(group["versions"]?.array?.first?["resources"]?.array?.first)
            #expect(group["versions"]?.array?.first?["version"] == "v1")
            #expect(resource["resource"] == "kustomizations")
            #expect(resource["singularResource"] == "kustomization")
            #expect(resource["scope"] == "Namespaced")
            #expect(resource["shortNames"] == ["ks"])
            #expect(resource["subresources"]?.array?.map { $0["subresource"] } == ["status"])
            let crdGroup = try #require(aggregated.json["items"]?.array?.first { $0[path: ["metadata", "name"]] == "apiextensions.k8s.io" })
            #expect(crdGroup[path: ["versions"]]?.array?.first?["resources"]?.array?.first?["shortNames"] == ["crd", "crds"])

            let legacy = try await api.send("GET", "/apis/argoproj.io/v1alpha1")
            #expect(legacy.json["groupVersion"] == "argoproj.io/v1alpha1")
            #expect(legacy.json["resources"]?.array?.map { $0["name"] } == ["applications"])
            let groups = try await api.send("GET", "/apis")
            let argo = groups.json["groups"]?.array?.first { $0["name"] == "argoproj.io" }
            #expect(argo?["preferredVersion"] == ["groupVersion": "argoproj.io/v1alpha1", "version": "v1alpha1"])
        }
    }

    @Test func openAPIv3DescribesTheCustomGroupVersionFromItsSchema() async throws {
        try await withServer { _, api in
            let index = try await api.send("GET", "/openapi/v3")
            let url = try #require(index.json[path: ["paths", "apis/kustomize.toolkit.fluxcd.io/v1", "serverRelativeURL"]]?.string)
            #expect(url.hasPrefix("/openapi/v3/apis/kustomize.toolkit.fluxcd.io/v1?hash="))
            let document = try await api.send("GET", "/openapi/v3/apis/kustomize.toolkit.fluxcd.io/v1")
            let schema = try #require(document.json[path: ["components", "schemas", "io.fluxcd.toolkit.kustomize.v1.Kustomization"]])
            #expect(schema["x-kubernetes-group-version-kind"] == [["group": "kustomize.toolkit.fluxcd.io", "kind": "Kustomization", "version": "v1"]])
            #expect(schema[path: ["properties", "spec", "properties", "suspend", "type"]] == "boolean")
            #expect(document.json[path: ["components", "schemas", "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]] != nil)
            let patch = try #require(document.json[path: ["paths", Self.kustomizations.replacingOccurrences(of: "flux-system", with: "{namespace}") + "/{name}", "patch"]])
            #expect(patch["parameters"]?.array?.contains { $0["name"] == "fieldValidation" } == true)
        }
    }

    // MARK: Objects

    @Test func customObjectsAreListedBySelectorsAndCountGenerations() async throws {
        try await withServer { _, api in
            #expect(try await api.send("POST", Self.kustomizations, Self.apps).status == 201)
            var infra = Self.apps
            infra[path: ["metadata", "name"]] = "infra"
            infra[path: ["metadata", "labels"]] = ["tier": "infra"]
            #expect(try await api.send("POST", Self.kustomizations, infra).status == 201)

            let byLabel = try await api.send("GET", Self.kustomizations + "?labelSelector=tier%3Dinfra")
            #expect(byLabel.json["items"]?.array?.map { $0[path: ["metadata", "name"]] } == ["infra"])
            #expect(byLabel.json["kind"] == "KustomizationList")
            let byName = try await api.send("GET", "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations?fieldSelector=metadata.name%3Dapps")
            #expect(byName.json["items"]?.array?.map { $0[path: ["metadata", "name"]] } == ["apps"])
            let bySpec = try await api.send("GET", Self.kustomizations + "?fieldSelector=spec.suspend%3Dtrue")
            #expect(bySpec.status == 400)
            #expect(bySpec.json["message"] == "field label not supported: spec.suspend")

            let labelled = try await api.send("PATCH", Self.kustomizations + "/apps", ["metadata": ["labels": ["team": "a"]]],
                                              contentType: "application/merge-patch+json")
            #expect(labelled.json[path: ["metadata", "generation"]] == 1)
            let suspended = try await api.send("PATCH", Self.kustomizations + "/apps", ["spec": ["suspend": true]],
                                               contentType: "application/merge-patch+json")
            #expect(suspended.status == 200)
            #expect(suspended.json[path: ["spec", "suspend"]] == true)
            #expect(suspended.json[path: ["metadata", "generation"]] == 2)
            let resumed = try await api.send("PATCH", Self.kustomizations + "/apps", [["op": "remove", "path": "/spec/suspend"]],
                                             contentType: "application/json-patch+json")
            #expect(resumed.json[path: ["spec", "suspend"]] == nil)
            #expect(resumed.json[path: ["metadata", "generation"]] == 3)

            #expect(try await api.send("DELETE", Self.kustomizations + "/infra").json["status"] == "Success")
            #expect(try await api.send("GET", Self.kustomizations + "/infra").json["message"]
                == #"kustomizations.kustomize.toolkit.fluxcd.io "infra" not found"#)
        }
    }

    @Test func strategicMergePatchIsRefusedForCustomResources() async throws {
        try await withServer { sim, api in
            #expect(try await api.send("POST", Self.kustomizations, Self.apps).status == 201)
            let refused = try await api.send("PATCH", Self.kustomizations + "/apps", ["spec": ["suspend": true]],
                                             contentType: "application/strategic-merge-patch+json")
            #expect(refused.status == 415)
            #expect(refused.json["reason"] == "UnsupportedMediaType")
            #expect(refused.json["message"] == .string("the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"))
            let type = try #require(sim.catalog.named("kustomizations"))
            let stored = try #require(sim.get(type, namespace: "flux-system", name: "apps"))
            #expect(stored[path: ["spec", "prune"]] == true)
            #expect(stored[path: ["spec", "suspend"]] == nil)
        }
    }

    @Test func statusSubresourceSeparatesStatusFromTheRest() async throws {
        try await withServer { _, api in
            var given = Self.apps
            given["status"] = ["observedGeneration": 7]
            let created = try await api.send("POST", Self.kustomizations, given)
            #expect(created.json["status"] == nil)

            let status = try await api.send("PATCH", Self.kustomizations + "/apps/status",
                                            ["spec": ["suspend": true], "status": ["conditions": [["type": "Ready", "status": "True"]]]],
                                            contentType: "application/merge-patch+json")
            #expect(status.status == 200)
            #expect(status.json[path: ["status", "conditions"]]?.array?.first?["status"] == "True")
            #expect(status.json[path: ["spec", "suspend"]] == nil)
            #expect(status.json[path: ["metadata", "generation"]] == 1)

            var replaced = status.json
            replaced["status"] = ["conditions": []]
            replaced[path: ["spec", "path"]] = "./other"
            let put = try await api.send("PUT", Self.kustomizations + "/apps", replaced)
            #expect(put.json[path: ["spec", "path"]] == "./other")
            #expect(put.json[path: ["status", "conditions"]]?.array?.count == 1)
            #expect(put.json[path: ["metadata", "generation"]] == 2)

            // Without a status subresource there is no /status, and status is written with the object.
            let app: JSON = ["apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
                             "metadata": ["name": "guestbook"], "spec": ["project": "default"], "status": ["sync": ["status": "Synced"]]]
            let apps = "/apis/argoproj.io/v1alpha1/namespaces/flux-system/applications"
            #expect(try await api.send("POST", apps, app).json[path: ["status", "sync", "status"]] == "Synced")
            #expect(try await api.send("GET", apps + "/guestbook/status").status == 404)
            let statusOnly = try await api.send("PATCH", apps + "/guestbook", ["status": ["sync": ["status": "OutOfSync"]]],
                                                contentType: "application/merge-patch+json")
            #expect(statusOnly.json[path: ["metadata", "generation"]] == 2)
        }
    }

    @Test func unknownFieldsAreRefusedWhenStrictAndPrunedOtherwise() async throws {
        try await withServer { _, api in
            var body = Self.apps
            body[path: ["spec", "foo"]] = "bar"
            let strict = try await api.send("POST", Self.kustomizations + "?fieldValidation=Strict", body)
            #expect(strict.status == 400)
            #expect(strict.json["message"]
                == #"Kustomization in version "v1" cannot be handled as a Kustomization: strict decoding error: unknown field "spec.foo""#)

            let warned = try await api.send("POST", Self.kustomizations, body)
            #expect(warned.status == 201)
            #expect(warned.headers.first { $0.key.lowercased() == "warning" }?.value == #"299 - "unknown field \"spec.foo\"""#)
            #expect(warned.json[path: ["spec", "foo"]] == nil)
            #expect(warned.json[path: ["spec", "interval"]] == "10m")

            // The HelmRelease's spec keeps unknown fields; its metadata is still ObjectMeta.
            var release = try Self.fixtureJSON("helmrelease.yaml")
            release[path: ["spec", "anything", "deep"]] = 1
            let kept = try await api.send("POST", "/apis/helm.toolkit.fluxcd.io/v2/namespaces/flux-system/helmreleases?fieldValidation=Strict", release)
            #expect(kept.status == 201)
            #expect(kept.json[path: ["spec", "anything", "deep"]] == 1)
            release[path: ["metadata", "name"]] = "other"
            release[path: ["metadata", "colour"]] = "red"
            let badMeta = try await api.send("POST", "/apis/helm.toolkit.fluxcd.io/v2/namespaces/flux-system/helmreleases?fieldValidation=Strict", release)
            #expect(badMeta.json["message"]
                == #"HelmRelease in version "v2" cannot be handled as a HelmRelease: strict decoding error: unknown field "metadata.colour""#)
        }
    }

    @Test func tableHasThePrinterColumns() async throws {
        try await withServer { _, api in
            #expect(try await api.send("POST", Self.kustomizations, Self.apps).status == 201)
            _ = try await api.send("PATCH", Self.kustomizations + "/apps/status",
                                   ["status": ["conditions": [["type": "Healthy", "status": "False"],
                                                              ["type": "Ready", "status": "True", "message": "Applied revision: main@sha1:abc"]]]],
                                   contentType: "application/merge-patch+json")
            let table = try await api.send("GET", Self.kustomizations, accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
            #expect(table.json["kind"] == "Table")
            #expect(table.json["columnDefinitions"]?.array?.map { $0["name"] } == ["Name", "Age", "Ready", "Status"])
            #expect(table.json["columnDefinitions"]?.array?.map { $0["type"] } == ["string", "date", "string", "string"])
            let cells = try #require(table.json["rows"]?.array?.first?["cells"]?.array)
            #expect(cells[0] == "apps")
            #expect(cells[1].string?.hasSuffix("s") == true)
            #expect(Array(cells[2...]) == ["True", "Applied revision: main@sha1:abc"])
        }
    }

    @Test func watchSeesCustomObjectChangesAndEndsWithItsCRD() async throws {
        try await withServer { sim, api in
            #expect(try await api.send("POST", Self.kustomizations, Self.apps).status == 201)
            let version = sim.resourceVersion
            _ = try await api.send("PATCH", Self.kustomizations + "/apps", ["spec": ["suspend": true]],
                                   contentType: "application/merge-patch+json")
            let replay = try await api.send("GET", Self.kustomizations + "?watch=1&resourceVersion=\(version)&timeoutSeconds=1")
            #expect(replay.json["type"] == "MODIFIED")
            #expect(replay.json[path: ["object", "spec", "suspend"]] == true)

            // An open watch closes when the CRD goes, long before its own timeout.
            let started = ContinuousClock.now
            async let watch = api.send("GET", Self.kustomizations + "?watch=1&resourceVersion=\(sim.resourceVersion)&timeoutSeconds=20")
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await api.send("DELETE", Self.crds + "/kustomizations.kustomize.toolkit.fluxcd.io").status == 200)
            let ended = try await watch
            #expect(ended.status == 200)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func watchSendsBookmarksInTheWatchedVersion() async throws {
        try await withServer(ServerOptions(bookmarkInterval: .milliseconds(200))) { _, api in
            #expect(try await api.send("POST", Self.kustomizations, Self.apps).status == 201)
            let response = try await HTTPClient().send(HTTPRequest(
                url: api.base + Self.kustomizations + "?watch=1&allowWatchBookmarks=true&timeoutSeconds=1"))
            let events = try String(decoding: response.body, as: UTF8.self).split(separator: "\n").map { try JSON(parsing: String($0)) }
            #expect(events.first?["type"] == "ADDED")
            let bookmark = try #require(events.first { $0["type"] == "BOOKMARK" })
            #expect(bookmark[path: ["object", "kind"]] == "Kustomization")
            #expect(bookmark[path: ["object", "apiVersion"]] == "kustomize.toolkit.fluxcd.io/v1")
        }
    }

    @Test func deletingTheCRDDeletesItsObjectsAndStopsServingThem() async throws {
        try await withServer { sim, api in
            #expect(try await api.send("POST", Self.kustomizations, Self.apps).status == 201)
            let type = try #require(sim.catalog.named("Kustomization"))
            #expect(sim.objects(type).count == 1)
            let deleted = try await api.send("DELETE", Self.crds + "/kustomizations.kustomize.toolkit.fluxcd.io")
            #expect(deleted.json["status"] == "Success")
            #expect(sim.objects(type).isEmpty)
            #expect(sim.catalog.named("Kustomization") == nil)
            let gone = try await api.send("GET", Self.kustomizations)
            #expect(gone.status == 404)
            #expect(gone.json["message"] == "the server could not find the requested resource")
            let groups = try await api.send("GET", "/apis")
            #expect(groups.json["groups"]?.array?.contains { $0["name"] == "kustomize.toolkit.fluxcd.io" } == false)
            #expect(groups.json["groups"]?.array?.contains { $0["name"] == "helm.toolkit.fluxcd.io" } == true)
            #expect(try await api.send("GET", "/openapi/v3").json[path: ["paths", "apis/kustomize.toolkit.fluxcd.io/v1"]] == nil)
        }
    }

    /// Every served version reads and writes the same objects; only `apiVersion` differs.
    @Test func everyServedVersionServesTheSameObjects() async throws {
        try await withServer { sim, api in
            var crd = try Self.fixtureJSON("kustomizations.kustomize.toolkit.fluxcd.io.yaml")
            var versions = try #require(crd[path: ["spec", "versions"]]?.array)
            versions.append(["name": "v1beta2", "served": true, "storage": false,
                             "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]])
            versions.append(["name": "v1beta1", "served": false, "storage": false])
            crd[path: ["spec", "versions"]] = .array(versions)
            crd[path: ["metadata", "resourceVersion"]] = nil
            #expect(try await api.send("PUT", Self.crds + "/kustomizations.kustomize.toolkit.fluxcd.io", crd).status == 200)

            let beta = "/apis/kustomize.toolkit.fluxcd.io/v1beta2/namespaces/flux-system/kustomizations"
            var apps = Self.apps
            apps["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1beta2"
            apps[path: ["spec", "legacy"]] = "kept"
            let created = try await api.send("POST", beta, apps)
            #expect(created.status == 201)
            #expect(created.json["apiVersion"] == "kustomize.toolkit.fluxcd.io/v1beta2")
            let stable = try await api.send("GET", Self.kustomizations + "/apps")
            #expect(stable.json["apiVersion"] == "kustomize.toolkit.fluxcd.io/v1")
            #expect(stable.json[path: ["spec", "legacy"]] == "kept")

            let version = sim.resourceVersion
            _ = try await api.send("PATCH", Self.kustomizations + "/apps", ["spec": ["suspend": true]],
                                   contentType: "application/merge-patch+json")
            let watched = try await api.send("GET", beta + "?watch=1&resourceVersion=\(version)&timeoutSeconds=1")
            #expect(watched.json["type"] == "MODIFIED")
            #expect(watched.json[path: ["object", "apiVersion"]] == "kustomize.toolkit.fluxcd.io/v1beta2")
            #expect(try await api.send("GET", beta).json["items"]?.array?.map { $0["apiVersion"] } == ["kustomize.toolkit.fluxcd.io/v1beta2"])

            let groups = try await api.send("GET", "/apis")
            let group = groups.json["groups"]?.array?.first { $0["name"] == "kustomize.toolkit.fluxcd.io" }
            #expect(group?["versions"]?.array?.map { $0["version"] } == ["v1", "v1beta2"])
            #expect(group?[path: ["preferredVersion", "version"]] == "v1")
            #expect(try await api.send("GET", "/apis/kustomize.toolkit.fluxcd.io/v1beta1").status == 404)
            #expect(sim.catalog.named("Kustomization")?.version == "v1")
            #expect(sim.get(.customResourceDefinition, namespace: "", name: "kustomizations.kustomize.toolkit.fluxcd.io")?[
                path: ["status", "storedVersions"]] == ["v1"])

            #expect(try await api.send("DELETE", beta + "/apps").status == 200)
            #expect(try await api.send("GET", Self.kustomizations + "/apps").status == 404)
        }
    }

    /// A cluster-scoped custom resource has no namespace; a namespaced one goes with its namespace.
    @Test func clusterScopedObjectsAndNamespaceDeletion() async throws {
        try await withServer { sim, api in
            let crd: JSON = [
                "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": ["name": "remediations.medic.io"],
                "spec": ["group": "medic.io", "scope": "Cluster", "names": ["plural": "remediations", "kind": "Remediation"],
                         "versions": [["name": "v1alpha1", "served": true, "storage": true,
                                       "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]]],
            ]
            #expect(try await api.send("POST", Self.crds, crd).status == 201)
            let remediation: JSON = ["apiVersion": "medic.io/v1alpha1", "kind": "Remediation", "metadata": ["name": "incident-42"],
                                     "spec": ["action": "suspend"]]
            let created = try await api.send("POST", "/apis/medic.io/v1alpha1/remediations", remediation)
            #expect(created.status == 201)
            #expect(created.json[path: ["metadata", "namespace"]] == nil)
            #expect(try await api.send("GET", "/apis/medic.io/v1alpha1/remediations/incident-42").json[path: ["spec", "action"]] == "suspend")
            #expect(try await api.send("GET", "/apis/medic.io/v1alpha1/namespaces/default/remediations/incident-42").status == 404)
            let discovered = try await api.send("GET", "/apis/medic.io/v1alpha1")
            #expect(discovered.json["resources"]?.array?.first?["namespaced"] == false)
            #expect(discovered.json["resources"]?.array?.first?["singularName"] == "remediation")

            #expect(try await api.send("POST", Self.kustomizations, Self.apps).status == 201)
            #expect(try await api.send("DELETE", "/api/v1/namespaces/flux-system").status == 200)
            #expect(sim.objects(try #require(sim.catalog.named("Kustomization"))).isEmpty)
            #expect(sim.objects(try #require(sim.catalog.named("Remediation"))).count == 1)
        }
    }

    @Test func serverSideApplyOwnsCustomFieldsBySchema() async throws {
        try await withServer { _, api in
            let applied = try await api.send("PATCH", Self.kustomizations + "/apps?fieldManager=flux", Self.apps,
                                             contentType: "application/apply-patch+yaml")
            #expect(applied.status == 201)
            let fields = applied.json[path: ["metadata", "managedFields"]]?.array?.first?["fieldsV1"]
            #expect(fields?[path: ["f:spec", "f:sourceRef", "f:name"]] == [:])
            let conflict = try await api.send("PATCH", Self.kustomizations + "/apps?fieldManager=medic",
                                              ["apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
                                               "metadata": ["name": "apps"], "spec": ["prune": false]],
                                              contentType: "application/apply-patch+yaml")
            #expect(conflict.status == 409)
            #expect(conflict.json["message"] == #"Apply failed with 1 conflict: conflict with "flux": .spec.prune"#)
            let suspend = try await api.send("PATCH", Self.kustomizations + "/apps?fieldManager=medic",
                                             ["apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
                                              "metadata": ["name": "apps"], "spec": ["suspend": true]],
                                             contentType: "application/apply-patch+yaml")
            #expect(suspend.status == 200)
            #expect(suspend.json[path: ["spec", "suspend"]] == true)
            #expect(suspend.json[path: ["spec", "prune"]] == true)
        }
    }

    // MARK: Loading

    @Test func manifestsMayHoldCRDsAfterTheirObjects() throws {
        let sim = KubeSim()
        try sim.load(manifests: try Self.fixture("kustomization.yaml") + "\n---\n"
            + (try Self.fixture("kustomizations.kustomize.toolkit.fluxcd.io.yaml")))
        let type = try #require(sim.catalog.named("kustomizations"))
        #expect(sim.objects(type).map(ClusterState.name) == ["apps"])
        #expect(sim.get(.namespace, namespace: "", name: "flux-system") != nil)

        let unknown = #expect(throws: ManifestError.self) {
            try KubeSim().load(manifests: try Self.fixture("application.yaml"), source: "app.yaml")
        }
        #expect(unknown?.description == "app.yaml: object 1 has kind Application, which KubeSim does not serve")
    }

    @Test func scenarioTimelineMayApplyCRDsAndTheirObjects() throws {
        let scenario = try ScenarioLoader.load("""
            apiVersion: kubesim.medic.io/v1
            kind: Scenario
            metadata: {name: gitops}
            spec:
              history: 1m
              timeline:
                - after: 10s
                  apply:
                    - \(try Self.fixtureJSON("kustomization.yaml").text)
                    - \(try Self.fixtureJSON("kustomizations.kustomize.toolkit.fluxcd.io.yaml").text)
            """)
        let sim = KubeSim()
        try sim.play(scenario)
        let type = try #require(sim.catalog.named("Kustomization"))
        #expect(sim.objects(type).map { $0[path: ["spec", "path"]] } == ["./apps"])
    }
}

/// The printer columns' JSONPath subset.
struct PrinterColumnPathTests {
    static let object: JSON = [
        "metadata": ["labels": ["app.kubernetes.io/name": "web"]],
        "spec": ["items": [["name": "a", "n": 1], ["name": "b", "n": 2]], "suspend": true],
        "status": ["conditions": [["type": "Healthy", "status": "False"], ["type": "Ready", "status": "True"]]],
    ]

    func results(_ path: String) -> [JSON]? { PrinterColumnPath(path)?.results(in: Self.object) }

    @Test func fieldsIndexesWildcardsAndFilters() {
        #expect(results(".spec.suspend") == [true])
        #expect(results(".metadata.labels['app.kubernetes.io/name']") == ["web"])
        #expect(results(".spec.items[1].name") == ["b"])
        #expect(results(".spec.items[-1].n") == [2])
        #expect(results(".spec.items[*].name") == ["a", "b"])
        #expect(results(#".status.conditions[?(@.type=="Ready")].status"#) == ["True"])
        #expect(results(".status.conditions[?(@.type=='Missing')].status") == [])
        #expect(results(".spec.absent") == [])
        #expect(PrinterColumnPath(".spec.items[") == nil)
        #expect(PrinterColumnPath("spec") == nil)
    }
}
