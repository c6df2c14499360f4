import MedicRemediation
import Testing

/// The env diff beyond the recorded bodies: the cases follow kubectl's `updateEnv` and the
/// two-way strategic merge diff (k8s-api-facts §2).
@Suite struct EnvListPatchTests {
    let target = Fixtures.deployment("api", in: "prod")

    func body(_ action: Action, _ env: [PodTemplateSnapshot.EnvVar]) throws -> String? {
        let current = PodTemplateSnapshot(containers: [.init(name: "app", image: "app:1", env: env)])
        return Fixtures.text(try Remediation(target: target, action: action).apiRequest(current: current)?.body)
    }

    @Test func replacingAValueFromDropsTheReference() throws {
        let body = try body(.setEnv(container: "app", variables: [.init(name: "DB_URL", value: "postgres://db")]),
                            [.init(name: "DB_URL", hasValueFrom: true)])
        #expect(body == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"$setElementOrder/env":[{"name":"DB_URL"}],"env":[{"name":"DB_URL","value":"postgres://db","valueFrom":null}],"name":"app"}]}}}}"#)
    }

    @Test func settingAnEmptyValueNullsIt() throws {
        let body = try body(.setEnv(container: nil, variables: [.init(name: "MODE", value: "")]), [.init(name: "MODE", value: "chaos")])
        #expect(body == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"$setElementOrder/env":[{"name":"MODE"}],"env":[{"name":"MODE","value":null}],"name":"app"}]}}}}"#)
    }

    @Test func newVariablesKeepTheirOrderAndEmptyValuesAreOmitted() throws {
        let body = try body(.setEnv(container: nil, variables: [.init(name: "Z", value: "1"), .init(name: "A", value: "")]), [])
        #expect(body == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"env":[{"name":"Z","value":"1"},{"name":"A"}],"name":"app"}]}}}}"#)
    }

    @Test func deletionsComeLastSortedByName() throws {
        let body = try body(.unsetEnv(container: nil, names: ["ZED", "ALPHA"]),
                            [.init(name: "ZED", value: "1"), .init(name: "KEEP", value: "2"), .init(name: "ALPHA", value: "3")])
        #expect(body == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"$setElementOrder/env":[{"name":"KEEP"}],"env":[{"$patch":"delete","name":"ALPHA"},{"$patch":"delete","name":"ZED"}],"name":"app"}]}}}}"#)
    }

    @Test func valuesAreEscapedAsGoEscapesThem() throws {
        let body = try body(.setEnv(container: nil, variables: [.init(name: "V", value: "<a&b>\"\\\n\t\u{1}\u{2028}é")]), [])
        #expect(body == #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"env":[{"name":"V","value":"\u003ca\u0026b\u003e\"\\\n\t\u0001\u2028é"}],"name":"app"}]}}}}"#)
    }

    @Test func snapshotReadsEnvImageAndResources() throws {
        let web = try Fixtures.web
        #expect(web.containers.map(\.name) == ["c", "sidecar"])
        #expect(web.containers[0].image == "nginx:1.25")
        #expect(web.containers[0].env == [.init(name: "FOO", value: "bar"), .init(name: "KEEP", value: "yes")])
        #expect(try Fixtures.one.containers[0].limits == ["cpu": "500m"])
    }
}
