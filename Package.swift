// swift-tools-version:6.0
import PackageDescription

/// One setting list for every target: Swift 6 language mode (the tools default) and
/// explicit `any` for existentials.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "medic",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "medic", targets: ["medic"]),
        .executable(name: "kube-sim", targets: ["kube-sim"]),
        .library(name: "KubeSim", targets: ["KubeSim"]),
        // For the libFuzzer build in Fuzz/, which links these into sanitized executables.
        .library(name: "MedicFuzz", targets: ["MedicFuzz"]),
        .library(name: "MedicFuzzServer", targets: ["MedicFuzzServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"6.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Transport: libcurl underneath every HTTP request medic makes.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "MedicHTTP", dependencies: ["CCurl"], swiftSettings: swiftSettings),
        // Children: every program medic or its tests start (plugins, promtool, Prometheus).
        .target(name: "CSpawn"),
        .target(name: "MedicProcess", dependencies: ["CSpawn"], swiftSettings: swiftSettings),

        // Observe: Kubernetes objects and Prometheus samples.
        .target(name: "MedicKube", dependencies: ["MedicHTTP", "MedicProcess", .product(name: "Yams", package: "Yams")], swiftSettings: swiftSettings),
        .target(name: "MedicProm", dependencies: ["MedicHTTP", "MedicProcess"], swiftSettings: swiftSettings),

        // Rules: runbook files and the expression language they are written in.
        .target(
            name: "MedicRunbook",
            dependencies: ["MedicRemediation", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),

        // Act: the closed set of remediations, rendered as kubectl commands.
        .target(
            name: "MedicRemediation",
            dependencies: ["MedicKube", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),

        // Enrich + diagnose: the joined view and rule evaluation. Pure, no I/O.
        .target(
            name: "MedicDiagnosis",
            dependencies: ["MedicKube", "MedicRunbook", "MedicRemediation", "MedicProm"],
            swiftSettings: swiftSettings
        ),

        // Decide + record: the safety gate and the tamper-evident audit log.
        .target(name: "MedicPolicy", dependencies: ["MedicKube", "MedicRunbook", "MedicRemediation"],
                swiftSettings: swiftSettings),
        .target(
            name: "MedicAudit",
            dependencies: ["MedicKube", "MedicRemediation", "MedicPolicy", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),

        // The loop: observe → … → record on a schedule, with leader election, health and metrics.
        .target(
            name: "MedicController",
            dependencies: [
                "MedicKube", "MedicProm", "MedicRunbook", "MedicDiagnosis", "MedicRemediation", "MedicPolicy",
                "MedicAudit", "MedicNotify",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // Notify: findings, proposals, actions and escalations posted to Slack, PagerDuty and webhooks.
        .target(
            name: "MedicNotify",
            dependencies: [
                "MedicKube", "MedicHTTP", "MedicPolicy", "MedicRunbook", "MedicDiagnosis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // Test support that ships: a Kubernetes API server double that real kubectl accepts.
        .target(
            name: "KubeSim",
            dependencies: [
                "MedicKube",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kube-sim",
            dependencies: ["KubeSim", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "UnixSignals", package: "swift-service-lifecycle")],
            swiftSettings: swiftSettings
        ),

        // Authoring and reporting: runbook tests, lint, explain, and the text of advise, in
        // process; the CLI only parses arguments and prints what these return.
        .target(
            name: "MedicAuthoring",
            dependencies: ["MedicKube", "MedicProm", "MedicRunbook", "MedicRemediation", "MedicDiagnosis",
                           "MedicPolicy", "MedicProcess"],
            swiftSettings: swiftSettings
        ),

        // GitOps: a fix carried to the manifests Argo CD or Flux sync from, instead of a live patch.
        .target(
            name: "MedicGitOps",
            dependencies: ["MedicKube", "MedicRemediation", "MedicDiagnosis", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Reporting: an audit log (and Prometheus, for the charts) as an incident report.
        .target(name: "MedicReport", dependencies: ["MedicKube", "MedicProm", "MedicAudit"], swiftSettings: swiftSettings),

        // The command line.
        .executableTarget(
            name: "medic",
            dependencies: [
                "MedicAuthoring", "MedicController", "MedicGitOps", "MedicReport", "MedicKube", "MedicProm", "MedicRunbook",
                "MedicRemediation", "MedicDiagnosis",
                "MedicPolicy", "MedicAudit", "MedicNotify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // Fuzz targets: every input format medic parses, driven by libFuzzer from Fuzz/ and
        // replayed from the seed corpus by MedicFuzzTests. Split so the parsers' fuzzer does
        // not build the servers.
        .target(
            name: "MedicFuzz", dependencies: ["MedicKube", "MedicProm", "MedicRunbook", "MedicPolicy"],
            swiftSettings: swiftSettings
        ),
        .target(name: "MedicFuzzServer", dependencies: ["MedicFuzz", "KubeSim", "MedicController"], swiftSettings: swiftSettings),

        .testTarget(name: "MedicKubeTests", dependencies: ["MedicProcess", "MedicKube", "KubeSim"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MedicPromTests", dependencies: ["MedicProcess", "MedicProm", "MedicHTTP"], exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "MedicProcessTests", dependencies: ["MedicProcess"], swiftSettings: swiftSettings),
        .testTarget(name: "MedicRunbookTests", dependencies: ["MedicRunbook", "MedicKube"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MedicRemediationTests", dependencies: ["MedicProcess", "MedicRemediation"], exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MedicDiagnosisTests",
            dependencies: ["MedicDiagnosis", "MedicKube", "MedicRunbook", "MedicRemediation", "MedicProm"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MedicGitOpsTests", dependencies: ["MedicProcess", "MedicGitOps", "MedicKube", "MedicDiagnosis", "MedicRemediation"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MedicNotifyTests",
            dependencies: ["MedicProcess", "MedicNotify", "MedicPolicy", "MedicKube", "MedicRunbook", "MedicHTTP", "MedicDiagnosis",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MedicPolicyTests", dependencies: ["MedicPolicy", "MedicKube", "MedicRunbook", "MedicRemediation"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MedicAuditTests", dependencies: ["MedicProcess", "MedicAudit", "MedicPolicy", "MedicKube", "MedicRemediation"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MedicControllerTests",
            dependencies: ["MedicProcess", "MedicController", "KubeSim", "MedicKube", "MedicAudit", "MedicPolicy", "MedicNotify", "MedicProm",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KubeSimTests", dependencies: ["MedicProcess", "KubeSim", "MedicKube", "MedicHTTP"], exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        // The install: Dockerfile, kustomize overlays and RBAC, checked against the code and KubeSim.
        .testTarget(
            name: "DeployTests",
            dependencies: ["MedicProcess", "medic", "KubeSim", "MedicKube", "MedicHTTP", "MedicRemediation", "MedicPolicy",
                           .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MedicCLITests",
            dependencies: ["MedicProcess", "medic", "MedicProm", "MedicPolicy", "MedicRemediation", "MedicDiagnosis", "MedicRunbook", "MedicKube", "KubeSim",
                           "MedicController", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MedicReportTests", dependencies: ["MedicProcess", "MedicReport", "MedicAudit", "MedicProm", "MedicKube"],
            exclude: ["Fixtures"], swiftSettings: swiftSettings
        ),
        .testTarget(name: "MedicFuzzTests", dependencies: ["MedicFuzz", "MedicFuzzServer"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MedicAuthoringTests",
            dependencies: ["MedicProcess", "MedicAuthoring", "MedicDiagnosis", "MedicProm", "MedicRunbook", "MedicKube"],
            swiftSettings: swiftSettings
        ),
    ]
)
