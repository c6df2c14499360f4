/// What a request path names: a discovery document or a resource (collection, object,
/// subresource), parsed from the apiserver's real URL layout.
enum APIPath: Equatable {
    case version
    case health
    case coreVersions
    case groups
    case groupVersion(String)
    case resource(type: ResourceType, namespace: String?, name: String?, subresource: String?, legacyWatch: Bool)
    /// The simulated traffic's metrics, in Prometheus text format.
    case metrics
    /// `/openapi/v2`, `/openapi/v3`, `/openapi/v3/apis/apps/v1`: the path after `/openapi/`.
    case openAPI(String)
    /// `/api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy[/{path}]`.
    case serviceProxy(namespace: String, service: String, path: String)

    /// `catalog` decides which resource paths exist.
    init?(_ path: String, catalog: ResourceCatalog) {
        var segments = path.split(separator: "/").map(String.init)
        switch segments {
        case ["version"]: self = .version; return
        case ["healthz"], ["readyz"], ["livez"]: self = .health; return
        case ["metrics"]: self = .metrics; return
        case ["api"]: self = .coreVersions; return
        case ["apis"]: self = .groups; return
        default: break
        }
        if segments.first == "openapi", segments.count >= 2 {
            self = .openAPI(segments.dropFirst().joined(separator: "/"))
            return
        }
        if segments.count >= 7, segments[0] == "api", segments[1] == "v1", segments[2] == "namespaces",
           segments[4] == "services", segments[6] == "proxy" {
            let rest = segments.dropFirst(7).joined(separator: "/")
            let trailing = path.hasSuffix("/") && !rest.isEmpty ? "/" : ""
            self = .serviceProxy(namespace: segments[3], service: segments[5], path: "/" + rest + trailing)
            return
        }
        let prefixLength: Int
        if segments.first == "api", segments.count >= 2 {
            prefixLength = 2
        } else if segments.first == "apis", segments.count >= 3 {
            prefixLength = 3
        } else {
            return nil
        }
        let groupVersion = "/" + segments.prefix(prefixLength).joined(separator: "/")
        segments.removeFirst(prefixLength)
        if segments.isEmpty {
            self = .groupVersion(groupVersion)
            return
        }
        var legacyWatch = false
        if segments.first == "watch" {
            legacyWatch = true
            segments.removeFirst()
        }
        var namespace: String?
        if segments.count >= 3, segments[0] == "namespaces",
           let type = catalog.at(groupVersionPath: groupVersion, plural: segments[2]), type.namespaced {
            namespace = segments[1]
            segments.removeFirst(2)
            _ = type
        }
        guard let plural = segments.first, let type = catalog.at(groupVersionPath: groupVersion, plural: plural),
              segments.count <= 3 else { return nil }
        if namespace == nil, type.namespaced, segments.count > 1 { return nil }
        self = .resource(type: type, namespace: namespace, name: segments.count > 1 ? segments[1] : nil,
                         subresource: segments.count > 2 ? segments[2] : nil, legacyWatch: legacyWatch)
    }
}
