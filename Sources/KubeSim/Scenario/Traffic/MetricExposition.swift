/// Prometheus text exposition format 0.0.4, as `GET /metrics` serves it to a scraper: each
/// family once, with HELP and TYPE (counters under their `_total` name), its series below.
enum MetricExposition {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func text(_ samples: [MetricSample]) -> String {
        var order: [MetricFamily] = []
        var byFamily: [MetricFamily: [MetricSample]] = [:]
        for sample in samples {
            if byFamily[sample.family] == nil { order.append(sample.family) }
            byFamily[sample.family, default: []].append(sample)
        }
        var text = ""
        for family in order {
            let name = family.kind == .counter ? family.name + "_total" : family.name
            text += "# HELP \(name) \(family.help)\n# TYPE \(name) \(family.kind.rawValue)\n"
            for sample in byFamily[family] ?? [] {
                text += "\(sample.series()) \(MetricSample.format(sample.value))\n"
            }
        }
        return text
    }
}
