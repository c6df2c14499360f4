/// What containerd and the kubelet say about pulling an image from the scenario's registry.
enum ImagePull {
    /// `cloudmart/x:v2.0` → `docker.io/cloudmart/x:v2.0`, `nginx` → `docker.io/library/nginx:latest`:
    /// the name containerd resolves and reports.
    static func normalized(_ image: String) -> String {
        var name = image
        let first = name.split(separator: "/", maxSplits: 1).first.map(String.init) ?? name
        if !name.contains("/") {
            name = "docker.io/library/\(name)"
        } else if !(first.contains(".") || first.contains(":") || first == "localhost") {
            name = "docker.io/\(name)"
        }
        let last = name.split(separator: "/").last.map(String.init) ?? name
        if !last.contains(":"), !name.contains("@") { name += ":latest" }
        return name
    }

    /// Whether the registry has the image; an empty registry has everything.
    static func available(_ image: String, in registry: Set<String>) -> Bool {
        registry.isEmpty || registry.contains { normalized($0) == normalized(image) }
    }

    /// The CRI error for a tag the registry does not have (containerd against an anonymous registry).
    static func notFoundError(_ image: String) -> String {
        let reference = normalized(image)
        return "rpc error: code = NotFound desc = failed to pull and unpack image \"\(reference)\": "
            + "failed to resolve reference \"\(reference)\": \(reference): not found"
    }

    /// The `ImagePullBackOff` waiting message since v1.32: the previous error is appended.
    static func backOffMessage(_ image: String, error: String) -> String {
        "Back-off pulling image \"\(image)\": ErrImagePull: \(error)"
    }

    /// The image ID a pulled image reports (`repository@sha256:…`).
    static func imageID(_ image: String) -> String {
        let reference = normalized(image)
        let repository = Scenario.repository(of: reference)
        return "\(repository)@sha256:\(Timestamp.hexID(of: reference))"
    }
}
