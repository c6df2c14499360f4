import Foundation
import MedicKube
import Testing

/// The Lease model reads and writes the API's shape: MicroTime with six fractional digits
/// (the API server rejects a plain RFC 3339 time there), absent fields left out.
struct LeaseTests {
    @Test func encodesMicroTimesAndOmitsAbsentFields() throws {
        let acquired = Date(timeIntervalSince1970: 1_714_557_600)  // 2024-05-01T10:00:00Z
        let lease = Lease(
            metadata: ObjectMeta(name: "medic", namespace: "demo", resourceVersion: "4711"),
            spec: .init(holderIdentity: "pod-abc", leaseDurationSeconds: 15, acquireTime: acquired,
                        renewTime: acquired.addingTimeInterval(2.25), leaseTransitions: 3))
        let json = String(decoding: try KubeJSON.makeEncoder().encode(lease), as: UTF8.self)
        #expect(json == """
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":\
            {"name":"medic","namespace":"demo","resourceVersion":"4711"},\
            "spec":{"acquireTime":"2024-05-01T10:00:00.000000Z","holderIdentity":"pod-abc","leaseDurationSeconds":15,\
            "leaseTransitions":3,"renewTime":"2024-05-01T10:00:02.250000Z"}}
            """)
    }

    @Test func decodesTheAPIShapeAndALeaseWithoutSpec() throws {
        let text = """
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
             "metadata":{"name":"my-controller","namespace":"demo","resourceVersion":"4711"},
             "spec":{"holderIdentity":"pod-abc_6f1c","leaseDurationSeconds":15,
                     "acquireTime":"2024-05-01T10:00:00.000000Z","renewTime":"2024-05-01T10:00:02.000000Z",
                     "leaseTransitions":3}}
            """
        let lease = try KubeJSON.makeDecoder().decode(Lease.self, from: Data(text.utf8))
        #expect(lease.spec.holderIdentity == "pod-abc_6f1c")
        #expect(lease.spec.renewTime == Date(timeIntervalSince1970: 1_714_557_602))
        #expect(lease.spec.leaseTransitions == 3)
        #expect(lease.metadata.resourceVersion == "4711")
        let bare = try KubeJSON.makeDecoder().decode(Lease.self, from: Data(#"{"metadata":{"name":"x"}}"#.utf8))
        #expect(bare.spec == Lease.Spec())
    }

    @Test func aBadTimeSaysWhatWasExpected() {
        let text = #"{"metadata":{"name":"x"},"spec":{"renewTime":"yesterday"}}"#
        #expect {
            try KubeJSON.makeDecoder().decode(Lease.self, from: Data(text.utf8))
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.debugDescription == #"expected a MicroTime such as "2024-05-01T10:00:00.000000Z", found "yesterday""#
        }
    }
}
