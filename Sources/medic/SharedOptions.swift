import ArgumentParser
import Foundation
import MedicAuthoring

// The options several commands share, each declared once (as ClusterOptions and
// RunbookOptions are): the same flag has the same help and the same checks everywhere.

/// `--prometheus URL`: where metric conditions are evaluated (advise, explain, run).
struct PrometheusOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Prometheus base URL for metric conditions.", valueName: "url"))
    var prometheus: String?

    func validate() throws {
        if let prometheus, !(prometheus.hasPrefix("http://") || prometheus.hasPrefix("https://")) {
            throw ValidationError("--prometheus '\(prometheus)' must be an http:// or https:// URL")
        }
    }
}

/// `--at TIME`: the evaluation instant (advise, explain).
struct EvaluationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Evaluation instant, RFC 3339 or unix seconds, for queries and object ages (default: when the snapshot was "
            + "captured, else now).",
        valueName: "time"))
    var at: String?

    func validate() throws {
        guard let at else { return }
        do {
            _ = try EvaluationTime.parse(at)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// `--at`, else when the snapshot was captured, else now.
    func instant(capturedAt: Date?) throws -> Date {
        try at.map { text throws in try EvaluationTime.parse(text) } ?? capturedAt ?? Date()
    }
}

/// `--namespace NS`: only objects in one namespace (advise, run, snapshot).
struct NamespaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only objects in this namespace; one that does not exist is an error.",
                                            valueName: "ns"))
    var namespace: String?
}

/// `--output text|json`: for a human or for a program (advise).
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: text, json, or patch (fix files for Git).")
    var output: OutputFormat = .text
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
    /// `advise` only: the fixes as patch files for a manifests repository.
    case patch
}
