import Foundation
import MedicKube
import Testing

@Suite struct ObjectRefTests {
    @Test func describesKindNamespaceAndName() {
        #expect(ObjectRef(kind: "Deployment", namespace: "production", name: "auth-service").description
            == "Deployment production/auth-service")
    }

    @Test func encodesTheFieldsTheAdviseContractNames() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(ObjectRef(kind: "Service", namespace: "shop", name: "gateway"))
        #expect(String(decoding: data, as: UTF8.self) == #"{"kind":"Service","name":"gateway","namespace":"shop"}"#)
        #expect(try JSONDecoder().decode(ObjectRef.self, from: data) == ObjectRef(kind: "Service", namespace: "shop", name: "gateway"))
    }
}
