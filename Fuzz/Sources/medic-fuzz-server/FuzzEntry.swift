import Foundation
import MedicFuzz
import MedicFuzzServer

let target = FuzzTarget.selected(from: FuzzTarget.servers)

/// libFuzzer's entry point for the server modules' targets (see medic-fuzz).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = start.map { Data(bytes: $0, count: count) } ?? Data()
    if let violation = target.run(input) { fatalError("\(target.name): \(violation)") }
    return 0
}
