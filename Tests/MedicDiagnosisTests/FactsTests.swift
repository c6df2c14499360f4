import Testing
@testable import MedicDiagnosis

@Suite struct FactsTests {
    @Test func imagePullCauses() {
        let notFound = #"Failed to pull image "ghcr.io/x/api:v0.0.29": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/x/api:v0.0.29": failed to resolve reference "ghcr.io/x/api:v0.0.29": ghcr.io/x/api:v0.0.29: not found"#
        let unauthorized = #"Failed to pull image "registry.example.net/x/parts:1": rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.net/x/parts:1": failed to resolve reference "registry.example.net/x/parts:1": pulling from host registry.example.net failed with status code [manifests 1]: 401 Unauthorized"#
        let dockerHub = #"Failed to pull image "kubefleet-dashboard:latest": failed to pull and unpack image "docker.io/library/kubefleet-dashboard:latest": failed to resolve reference "docker.io/library/kubefleet-dashboard:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"#
        #expect(ImagePullCause.classify(notFound) == .notFound)
        #expect(ImagePullCause.classify(unauthorized) == .unauthorized)
        #expect(ImagePullCause.classify(dockerHub) == .ambiguous)
        #expect(ImagePullCause.classify("rpc error: code = Unknown desc = dial tcp 10.0.0.1:443: i/o timeout") == .other)
    }

    @Test func chaosFlagNamesAndValues() {
        // Whole words: CHAOS anywhere wins over the resilience words.
        for name in ["CHAOS_FAILURE_RATE", "PAYMENT_FAILURE_RATE", "FAULT_INJECTION_ENABLED", "chaos_mode", "CHAOS",
                     "CART_ERROR_RATE", "FAULT_DELAY_MS", "CHAOS_MAX_DELAY", "APP_CHAOS_ENABLED", "INJECT_LATENCY_MS"] {
            #expect(ChaosFlags.isChaosName(name), "\(name)")
        }
        // Resilience settings are not fault injection: switching them "off" would do harm.
        for name in ["DATABASE_URL", "LOG_LEVEL", "CHAOSMONKEY_HOME_DIR_X".replacingOccurrences(of: "_", with: ""),
                     "FAULT_TOLERANCE_ENABLED", "FAULT_TOLERANT_MODE", "FAULT_RECOVERY", "FAULT_HANDLER_ENABLED",
                     "FAULT_REPORTING", "CIRCUIT_FAILURE_THRESHOLD", "DB_FAILURE_THRESHOLD", "SLO_ERROR_RATE",
                     "MAX_ERROR_RATE", "ALERT_ERROR_RATE", "FAULT_DOMAIN", "FAULT_ZONE", "RETRY_FAILURE_RATE"] {
            #expect(!ChaosFlags.isChaosName(name), "\(name)")
        }
        for value in ["0", "0.0", "false", "False", "off", "no", "", "disabled"] {
            #expect(!ChaosFlags.isOn(value), "\(value)")
        }
        for value in ["0.5", "1", "true", "on", "yes"] {
            #expect(ChaosFlags.isOn(value), "\(value)")
        }
        let active = ChaosFlags.active(in: [("CHAOS_FAILURE_RATE", "0.5"), ("FAULT_INJECTION_ENABLED", "false"),
                                            ("CHAOS_LATENCY_MS", nil), ("DB_HOST", "db")])
        #expect(active.map(\.name) == ["CHAOS_FAILURE_RATE"])
        #expect(ChaosFlags.offValue(for: "0.5") == "0")
        #expect(ChaosFlags.offValue(for: "true") == "false")
        #expect(ChaosFlags.offValue(for: "ON") == "off")
    }

    @Test func poolSizeSettings() {
        let settings = PoolSizeSettings.settings(in: [("DB_POOL_SIZE", "20"), ("DATABASE_MAX_CONNECTIONS", "50"),
                                                     ("POOL_SIZE", "x"), ("REDIS_POOL_SIZE", "0"), ("PORT", "80")])
        #expect(settings.map(\.name) == ["DB_POOL_SIZE", "DATABASE_MAX_CONNECTIONS"])
        #expect(settings.map(\.value) == [20, 50])
    }

    @Test func resemblance() {
        #expect(IntendedWorkload.resembles("paymnt", "payment"))
        // Containing a value is not resembling it: a short label is inside many unrelated ones.
        #expect(!IntendedWorkload.resembles("nginx-gateway", "gateway"))
        #expect(!IntendedWorkload.resembles("geo", "mongodb-geo"))
        #expect(!IntendedWorkload.resembles("billing", "gateway"))
        #expect(!IntendedWorkload.resembles("db", "dc"))
        #expect(IntendedWorkload.normalized("orders-service") == "orders")
    }
}

@Suite struct MissingEnvironmentTests {
    @Test(arguments: [
        "FATAL: environment variable DB_NAME is not set",
        "Error: missing required env var DB_NAME",
        "panic: DB_NAME must be set",
        "KeyError: 'DB_NAME'",
        "TypeError: process.env.DB_NAME is undefined",
        "config error: required environment variable \"DB_NAME\" is missing",
        // Go: a panic, and kelseyhightower/envconfig.
        "panic: environment variable \"DB_NAME\" not set",
        "envconfig: required key DB_NAME missing value",
        // Java: an exception, and Spring's placeholder resolution.
        "Exception in thread \"main\" java.lang.IllegalStateException: Environment variable DB_NAME is not set",
        "java.lang.IllegalArgumentException: Could not resolve placeholder 'DB_NAME' in value \"${DB_NAME}\"",
        // Python: os.environ[...] and a hand-written check.
        "    raise KeyError(key) from None\nKeyError: 'DB_NAME'",
        "RuntimeError: DB_NAME environment variable is not set",
        // Node.
        "Error: Missing required environment variable: DB_NAME",
        // Shell: dash's `${DB_NAME:?}`, bash's `set -u`.
        "/docker-entrypoint.sh: 12: DB_NAME: parameter not set",
        "/docker-entrypoint.sh: line 12: DB_NAME: unbound variable",
    ])
    func recognisesHowProgramsSayIt(line: String) {
        let found = MissingEnvironment.names(inLog: "starting\n\(line)\nexiting", env: ["DB_HOST"])
        #expect(found.map(\.name) == ["DB_NAME"])
        #expect(found.first.map { line.contains($0.line) } == true)
    }

    @Test func variablesTheContainerHasAreNoEvidence() {
        #expect(MissingEnvironment.names(inLog: "environment variable DB_HOST is not set", env: ["DB_HOST"]).isEmpty)
        #expect(MissingEnvironment.names(inLog: "connection refused to db:5432", env: []).isEmpty)
        #expect(MissingEnvironment.names(inLog: "the path is not set yet", env: []).isEmpty)
    }
}

@Suite struct ServiceReferenceTests {
    let services: Set<String> = ["database-service", "auth-service", "gateway"]

    @Test func aURLNamingAMissingServiceGetsTheNearIdenticalOne() throws {
        let reference = try #require(DanglingServiceReference.find(
            name: "DATABASE_URL", value: "postgres://app:secret@database:5432/orders", namespace: "production",
            services: services))
        #expect(reference.service == "database")
        #expect(reference.candidates == ["database-service"])
        #expect(reference.fixedValue == "postgres://app:secret@database-service:5432/orders")
    }

    @Test func hostPortAndClusterDomainForms() {
        #expect(DanglingServiceReference.find(name: "AUTH", value: "auth:8080", namespace: "production", services: services)?
            .fixedValue == "auth-service:8080")
        #expect(DanglingServiceReference.find(name: "AUTH", value: "http://auth.production.svc.cluster.local/v1",
                                              namespace: "production", services: services)?
            .fixedValue == "http://auth-service.production.svc.cluster.local/v1")
    }

    @Test func existingOtherNamespaceExternalAndPlainValuesAreLeftAlone() {
        for value in ["http://gateway:80", "http://api.other.svc:80", "https://example.com/x", "localhost:5432",
                      "10.0.0.1:5432", "database", "true", "0.5"] {
            #expect(DanglingServiceReference.find(name: "X", value: value, namespace: "production", services: services) == nil,
                    "\(value)")
        }
    }

    @Test func aNameInsideAnotherIsReportedButNeverFixed() {
        // Re-pointing a cache or database address at the app's own Service would be a guess.
        for (value, services) in [("redis://cart-cache:6379", ["cart"]), ("postgres://inventory-db/x", ["inventory"]),
                                  ("db:5432", ["db-primary", "db-replica"])] {
            let reference = DanglingServiceReference.find(name: "URL", value: value, namespace: "p", services: Set(services))
            #expect(reference?.candidates == services.sorted(), "\(value)")
            #expect(reference?.fixedValue == nil, "\(value)")
        }
    }

    @Test func aBareHostCountsWhenTheVariableIsNamedLikeAHost() {
        #expect(DanglingServiceReference.find(name: "DB_HOST", value: "database", namespace: "p", services: services)?
            .fixedValue == "database-service")
        #expect(DanglingServiceReference.find(name: "DB_NAME", value: "database", namespace: "p", services: services) == nil)
    }

    @Test func twoCandidatesMeansNoFixedValue() {
        let reference = DanglingServiceReference.find(name: "DB", value: "ordrs:5432", namespace: "p",
                                                      services: ["orders", "orders-service"])
        #expect(reference?.candidates == ["orders", "orders-service"])
        #expect(reference?.fixedValue == nil)
    }
}
