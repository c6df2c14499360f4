// swift-tools-version:6.0
import PackageDescription

/// libFuzzer executables over the targets in the main package's MedicFuzz and MedicFuzzServer.
/// Built by bench/fuzz.sh with `-sanitize=fuzzer,address` in its own build directory, so the
/// normal build never sees the sanitizer flags. The target is chosen with MEDIC_FUZZ_TARGET.
let package = Package(
    name: "medic-fuzz",
    dependencies: [.package(name: "medic", path: "..")],
    targets: [
        .executableTarget(name: "medic-fuzz", dependencies: [.product(name: "MedicFuzz", package: "medic")]),
        .executableTarget(
            name: "medic-fuzz-server",
            dependencies: [.product(name: "MedicFuzz", package: "medic"), .product(name: "MedicFuzzServer", package: "medic")]
        ),
    ]
)
