import MedicRemediation

/// Which parameters each action takes in a runbook, and in what shape. Checked when the file
/// loads, so a runbook with a misspelt or missing parameter never reaches a cluster.
struct ActionSchema {
    enum Shape { case template, map, list, templateOrMap, templateOrList }

    struct Parameter {
        var name: String
        var shape: Shape
        var required: Bool
    }

    static func parameters(for kind: ActionKind) -> [Parameter] {
        switch kind {
        case .rolloutRestart: []
        case .setEnv: [.init(name: "container", shape: .template, required: false),
                       .init(name: "env", shape: .map, required: true)]
        case .unsetEnv: [.init(name: "container", shape: .template, required: false),
                         .init(name: "names", shape: .templateOrList, required: true)]
        case .setImage: [.init(name: "container", shape: .template, required: true),
                         .init(name: "image", shape: .template, required: true)]
        case .rolloutUndo: [.init(name: "toRevision", shape: .template, required: false)]
        case .setResources: [.init(name: "container", shape: .template, required: false),
                             .init(name: "limits", shape: .map, required: false),
                             .init(name: "requests", shape: .map, required: false)]
        case .patchProbe: [.init(name: "container", shape: .template, required: true),
                           .init(name: "probe", shape: .template, required: true),
                           .init(name: "handler", shape: .template, required: true),
                           .init(name: "port", shape: .template, required: true)]
        case .patchSelector: [.init(name: "selector", shape: .templateOrMap, required: true)]
        case .patchServicePort: [.init(name: "port", shape: .template, required: true),
                                 .init(name: "targetPort", shape: .template, required: true),
                                 .init(name: "from", shape: .template, required: true)]
        case .scale: [.init(name: "replicas", shape: .template, required: true)]
        case .deletePod: [.init(name: "pod", shape: .template, required: true)]
        case .notify: [.init(name: "message", shape: .template, required: true)]
        }
    }
}
