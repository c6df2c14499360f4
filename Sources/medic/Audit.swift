import ArgumentParser

/// `medic audit`: read the audit log medic writes while it acts.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check and read medic's audit log.",
        discussion: """
        Every finding, decision, request, response, verification and rollback medic makes is \
        one JSON line in its audit log. Each line holds the SHA-256 of the line before it, so \
        an edited, deleted, reordered or inserted line breaks the chain (docs/audit-log.md).

        Examples:
          medic audit verify /var/lib/medic/audit/audit.log
          medic audit show /var/lib/medic/audit/audit.log --target production/auth
        """,
        subcommands: [AuditVerify.self, AuditShow.self, AuditResolve.self]
    )
}
