import ArgumentParser
import Foundation
import MedicAudit
import MedicProm
import MedicReport

/// `medic report`: the incident an audit log records, as a report a human can hand on.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an incident report (Markdown and self-contained HTML) from an audit log.",
        discussion: """
        Reads the audit log medic wrote while it acted and writes, into --output:
          report.md         the report, for a ticket or a pull request
          report.html       the same in one file, charts inline, nothing fetched
          alert-rules.yaml  alerting rules for what was found (promtool accepts it)
          chart-*.svg       the charts report.md links to

        The report opens with the answer (what broke, whether it is fixed, how long it took), \
        then the timeline (detected: first finding; contained: first change applied; \
        diagnosed: first decision on a root cause; resolved: every applied fix verified), \
        the findings root cause first, each action with its command (secrets masked), who \
        approved it and whether it held, the charts, a postmortem skeleton with what a human \
        must still do, and the alert rules.

        The charts (error rate, p95 latency, restarts, and the saturation the root cause is \
        about: connection pool, memory or CPU against its limit) come from --prometheus with \
        range queries from 15 minutes before detection; a dashed line marks each action. \
        Without --prometheus, or when Prometheus cannot answer, the report says so where the \
        chart would be.

        Examples:
          medic report --audit-log audit.jsonl --prometheus http://prometheus:9090
          medic report --audit-log audit.jsonl --output incident-2026-12-02
          promtool check rules incident-2026-12-02/alert-rules.yaml

        Exit codes: 0 written, 2 the audit log cannot be read or the directory cannot be written.
        """
    )

    @Option(name: .customLong("audit-log"), help: ArgumentHelp("The audit log medic run wrote (JSON Lines).", valueName: "file"))
    var auditLog: String

    @OptionGroup var prometheus: PrometheusOptions

    @Option(name: .long, help: ArgumentHelp("Directory to write the report into (created if missing).", valueName: "dir"))
    var output: String = "medic-report"

    func run() async throws {
        let records: [AuditRecord]
        do {
            records = try AuditLog.records(at: URL(fileURLWithPath: auditLog))
        } catch {
            throw InputError(description: "medic: \(error)")
        }
        let report = IncidentReport(records: records)
        let client = prometheus.prometheus.map { PrometheusClient(baseURL: $0, timeout: .seconds(10)) }
        let charts = await ReportChart.fetch(for: report, client: client)
        let written: ReportWriter.Written
        do {
            written = try ReportWriter(directory: URL(fileURLWithPath: output)).write(report, charts: charts)
        } catch {
            throw InputError(description: "medic: \(error)")
        }
        print(written.html.path)
        print(written.markdown.path)
    }
}
