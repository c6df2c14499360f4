import Foundation
import MedicKube

/// The request bodies kubectl sends in Kubernetes protobuf (`application/vnd.kubernetes.protobuf`):
/// its typed clients do so for the authorization reviews of `kubectl auth can-i`. Only those two
/// kinds are read, and only the fields a review uses; KubeSim answers in JSON, which kubectl
/// also accepts. The envelope is `k8s\0` then a `runtime.Unknown` (1: typeMeta, 2: raw).
enum ProtobufReview {
    static let contentType = "application/vnd.kubernetes.protobuf"
    private static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// The review as JSON; nil when the bytes are not such an envelope.
    static func decode(_ data: Data, as type: ResourceType) -> JSON? {
        let bytes = [UInt8](data)
        guard bytes.starts(with: magic), let envelope = fields(ArraySlice(bytes.dropFirst(4))),
              let raw = envelope[2], let review = fields(raw), let spec = review[2].flatMap(fields) else { return nil }
        switch type {
        case .selfSubjectAccessReview:
            var specJSON: JSON = [:]
            if let attributes = spec[1].flatMap(fields) {
                let names = [1: "namespace", 2: "verb", 3: "group", 4: "version", 5: "resource", 6: "subresource", 7: "name"]
                specJSON["resourceAttributes"] = .object(strings(attributes, names))
            }
            if let attributes = spec[2].flatMap(fields) {
                specJSON["nonResourceAttributes"] = .object(strings(attributes, [1: "path", 2: "verb"]))
            }
            return ["apiVersion": .string(type.apiVersion), "kind": .string(type.kind), "spec": specJSON]
        default:
            return ["apiVersion": .string(type.apiVersion), "kind": .string(type.kind),
                    "spec": .object(strings(spec, [1: "namespace"]))]
        }
    }

    private static func strings(_ fields: [Int: ArraySlice<UInt8>], _ names: [Int: String]) -> [String: JSON] {
        var result: [String: JSON] = [:]
        for (number, name) in names {
            if let value = fields[number] { result[name] = .string(String(decoding: value, as: UTF8.self)) }
        }
        return result
    }

    /// The length-delimited fields of one message by number (the last one wins); varints are
    /// skipped. Nil on malformed input.
    private static func fields(_ bytes: ArraySlice<UInt8>) -> [Int: ArraySlice<UInt8>]? {
        var result: [Int: ArraySlice<UInt8>] = [:]
        var index = bytes.startIndex
        func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.endIndex, shift < 64 {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        while index < bytes.endIndex {
            guard let key = varint() else { return nil }
            switch key & 7 {
            case 0:
                guard varint() != nil else { return nil }
            case 2:
                guard let length = varint(), length <= UInt64(bytes.endIndex - index) else { return nil }
                result[Int(key >> 3)] = bytes[index..<index + Int(length)]
                index += Int(length)
            default:
                return nil
            }
        }
        return result
    }
}
