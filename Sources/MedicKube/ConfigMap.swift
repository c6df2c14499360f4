/// A ConfigMap, as far as medic reads one: feature-flag files (flagd's `*.flagd.json` and the
/// like) whose flags inject faults. Other data is dropped when the object is decoded, so a
/// snapshot never carries configuration medic does not judge.
public struct ConfigMap: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// Only the keys that hold feature-flag definitions.
    @DefaultEmpty public var data: [String: String]

    public init(apiVersion: String? = "v1", kind: String? = "ConfigMap", metadata: ObjectMeta, data: [String: String] = [:]) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.data = data.filter { Self.holdsFlags($0.value) }
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, data }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decode(ObjectMeta.self, forKey: .metadata)
        let all = try container.decodeIfPresent([String: String].self, forKey: .data) ?? [:]
        data = all.filter { Self.holdsFlags($0.value) }
    }

    /// A feature-flag file: OpenFeature/flagd's JSON has `flags` with `variants` and a
    /// `defaultVariant` per flag.
    public static func holdsFlags(_ text: String) -> Bool {
        text.contains("\"flags\"") && text.contains("\"defaultVariant\"")
    }
}
