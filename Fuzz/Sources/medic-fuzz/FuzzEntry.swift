import Foundation
import MedicFuzz

let target = FuzzTarget.selected(from: FuzzTarget.parsers)

/// libFuzzer's entry point: a broken promise is a crash, so libFuzzer keeps the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = start.map { Data(bytes: $0, count: count) } ?? Data()
    if let violation = target.run(input) { fatalError("\(target.name): \(violation)") }
    return 0
}
