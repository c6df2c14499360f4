import MedicKube
/// The few apiserver validation rules a remediation can break, checked on every create and
/// update so a bad change is refused with the same 422 a real cluster gives.
enum Validation {
    static func check(_ type: ResourceType, _ object: JSON) throws(APIError) {
        var causes: [APIError.Cause] = []
        let name = ClusterState.name(object)
        if name.isEmpty {
            causes.append(.init(reason: "FieldValueRequired", message: "Required value: name or generateName is required",
                                field: "metadata.name"))
        }
        switch type {
        case .deployment, .replicaSet, .statefulSet, .daemonSet:
            if let replicas = object[path: ["spec", "replicas"]]?.int, replicas < 0 {
                causes.append(.invalid("spec.replicas", String(replicas), "must be greater than or equal to 0"))
            }
            let selector = LabelSelector(selector: object[path: ["spec", "selector"]])
            if selector.requirements.isEmpty {
                causes.append(.required("spec.selector"))
            } else if !selector.matches(object[path: ["spec", "template", "metadata", "labels"]]?.object ?? [:]) {
                causes.append(.invalid("spec.template.metadata.labels",
                                       labelsText(object[path: ["spec", "template", "metadata", "labels"]]),
                                       "`selector` does not match template `labels`"))
            }
            causes += podSpecCauses(object[path: ["spec", "template", "spec"]], prefix: "spec.template.spec")
        case .pod:
            causes += podSpecCauses(object["spec"], prefix: "spec")
        case .customResourceDefinition:
            causes += CustomResourceDefinitions.causes(object)
        default:
            break
        }
        if !causes.isEmpty { throw APIError.invalid(type, name, causes) }
    }

    private static func podSpecCauses(_ spec: JSON?, prefix: String) -> [APIError.Cause] {
        let containers = spec?["containers"]?.array ?? []
        if containers.isEmpty { return [.required("\(prefix).containers")] }
        var causes: [APIError.Cause] = []
        var seen: Set<String> = []
        for (index, container) in containers.enumerated() {
            let field = "\(prefix).containers[\(index)]"
            let name = container["name"]?.string ?? ""
            if name.isEmpty { causes.append(.required("\(field).name")) }
            if !name.isEmpty, !seen.insert(name).inserted {
                causes.append(.init(reason: "FieldValueDuplicate", message: "Duplicate value: \"\(name)\"", field: "\(field).name"))
            }
            if (container["image"]?.string ?? "").isEmpty { causes.append(.required("\(field).image")) }
            for (envIndex, variable) in (container["env"]?.array ?? []).enumerated()
            where (variable["name"]?.string ?? "").isEmpty {
                causes.append(.required("\(field).env[\(envIndex)].name"))
            }
        }
        return causes
    }

    /// Go's `%#v` of a `map[string]string`, as the apiserver prints label maps.
    private static func labelsText(_ labels: JSON?) -> String {
        let pairs = (labels?.object ?? [:]).sorted { $0.key < $1.key }
            .map { "\"\($0.key)\":\"\($0.value.string ?? "")\"" }
        return "map[string]string{" + pairs.joined(separator: ", ") + "}"
    }
}
