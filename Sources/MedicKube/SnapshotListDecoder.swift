import Foundation
import Synchronization

/// Decodes a `List` snapshot one item at a time: each item's bytes go through `TapeReader`
/// (or, where it cannot vouch for its reading, `JSONDecoder`) alone and straight into its model,
/// so only one item's tokens exist at any moment, instead of a parse tree for a document of
/// hundreds of megabytes beside the models it fills; and equal values across items (the pods of
/// one ReplicaSet) are decoded once and shared.
///
/// It answers only when it can answer exactly as the whole-document decode would: for anything
/// else (not a List, a document `JSONListLayout` does not handle, any error) it gives nil and
/// the caller decodes the whole document, which also words the error with its file position or
/// item and field.
enum SnapshotListDecoder {
    /// The snapshot in `bytes`, or nil (see above). `release` is told, every few megabytes and
    /// from any thread, which bytes were just read and are not needed again soon, so a mapped
    /// file's pages can be dropped (they are read twice: once to find the items, once to
    /// decode them).
    static func decode(_ bytes: UnsafeRawBufferPointer, release: @Sendable (Range<Int>) -> Void = { _ in }) -> Snapshot? {
        var released = 0
        func progress(_ offset: Int) {
            guard offset - released >= releaseStep else { return }
            release(released..<offset)
            released = offset
        }
        guard let layout = JSONListLayout(scanning: bytes, progress: progress) else { return nil }
        let decoder = KubeJSON.makeDecoder()
        func data(_ range: Range<Int>) -> Data { slice(bytes, range) }
        do {
            // The whole-document decode checks every member's syntax, read or not.
            for member in layout.members {
                _ = try decoder.decode(Skipped.self, from: data(member.value))
            }
            if let items = layout.member("items"), try decoder.decode(Skipped?.self, from: data(items)) != nil {
                return nil
            }
            let kind = try layout.member("kind").flatMap { try decoder.decode(String?.self, from: data($0)) }
            guard let kind, kind.hasSuffix("List") else { return nil }
            let listAPIVersion = try layout.member("apiVersion").flatMap { try decoder.decode(String?.self, from: data($0)) }
            let annotations = try? layout.member("metadata").flatMap {
                try decoder.decode(ListMetadata?.self, from: data($0))?.annotations
            }
            let context = ItemContext(listKind: kind == "List" ? nil : String(kind.dropLast(4)), listAPIVersion: listAPIVersion)
            release(released..<bytes.count)
            guard var snapshot = decodeItems(layout.items, of: bytes, context: context, release: release) else { return nil }
            snapshot.capturedAt = annotations?[Snapshot.capturedAtAnnotation].flatMap { RFC3339.parse($0) }
            return snapshot
        } catch {
            return nil
        }
    }

    /// The items, decoded in contiguous parts on as many cores as there are (up to
    /// `maximumParts`) and joined in order; nil if any item fails.
    private static func decodeItems(
        _ items: [Range<Int>], of bytes: UnsafeRawBufferPointer, context: ItemContext, release: @Sendable (Range<Int>) -> Void
    ) -> Snapshot? {
        // Only read, and alive until `concurrentPerform` returns.
        nonisolated(unsafe) let bytes = bytes
        let parts = items.count < itemsPerPart ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, maximumParts)
        // Parts of about equal bytes: the kinds differ several times in size (a pod against an
        // Event), and a part of small items ends early while the other still decodes.
        let bytesPerPart = Swift.max(1, ((items.last?.upperBound ?? 0) - (items.first?.lowerBound ?? 0)) / parts)
        var bounds = [0]
        for (index, item) in items.enumerated() where bounds.count < parts
            && item.lowerBound - items[0].lowerBound >= bytesPerPart * bounds.count {
            bounds.append(index)
        }
        while bounds.count <= parts { bounds.append(items.count) }
        let partBounds = bounds
        let results = Mutex<[Snapshot?]>(Array(repeating: nil, count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let share = items[partBounds[part]..<partBounds[part + 1]]
            // Each item is read from its tape; one the tape reader leaves to `JSONDecoder` is
            // decoded by it, as before. Values are shared across this part's items.
            let reader = TapeReader(userInfo: [ItemContext.key: context],
                                    sharedFor: (share.last?.upperBound ?? 0) - (share.first?.lowerBound ?? 0))
            let decoder = KubeJSON.makeDecoder()
            decoder.userInfo[ItemContext.key] = context
            var snapshot = Snapshot()
            let start = share.first?.lowerBound ?? 0
            var released = start
            do {
                for item in share {
                    let decoded = try reader.decode(ContextualItem.self, from: UnsafeRawBufferPointer(rebasing: bytes[item]))
                        ?? decoder.decode(ContextualItem.self, from: slice(bytes, item))
                    snapshot.add(decoded.item)
                    if item.upperBound - released >= releaseStep {
                        // From the part's start: pages of shared values, read again to compare
                        // them, are let go again.
                        release(start..<item.upperBound)
                        released = item.upperBound
                    }
                }
            } catch {
                return
            }
            release(start..<(share.last?.upperBound ?? start))
            results.withLock { $0[part] = snapshot }
        }
        // Moved out, not copied: appending to a part still held elsewhere would copy its arrays.
        var decoded = results.withLock { parts in
            let all = parts
            parts = []
            return all
        }
        guard decoded.allSatisfy({ $0 != nil }), var snapshot = decoded[0].take() else { return nil }
        for index in decoded.indices.dropFirst() { snapshot.append(contentsOf: decoded[index].take()!) }
        return snapshot
    }

    /// The bytes in `range`, not copied: valid while `bytes` is.
    private static func slice(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Data {
        Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + range.lowerBound),
             count: range.count, deallocator: .none)
    }

    /// Below this many items per core, one core decodes them all.
    private static let itemsPerPart = 2_000
    /// Parts beyond a few cores gain little and cost a parser each.
    private static let maximumParts = 4

    /// How many bytes pass between calls to `release`.
    private static let releaseStep = 1 << 20

    /// The List's own metadata, for `Snapshot.capturedAtAnnotation`.
    private struct ListMetadata: Decodable {
        var annotations: [String: String]?
    }

    /// Any JSON value, read only for its syntax.
    private struct Skipped: Decodable {
        init(from decoder: any Decoder) {}
    }

    /// What an item needs from the List around it.
    private struct ItemContext: Sendable {
        static let key = CodingUserInfoKey(rawValue: "medic.snapshotList.item")!
        var listKind: String?
        var listAPIVersion: String?
    }

    /// An item decoded with its List's context, which `JSONDecoder.userInfo` carries in.
    private struct ContextualItem: Decodable {
        var item: SnapshotItem

        init(from decoder: any Decoder) throws {
            let context = decoder.userInfo[ItemContext.key] as? ItemContext
            item = try SnapshotItem(from: decoder, listKind: context?.listKind, listAPIVersion: context?.listAPIVersion)
        }
    }
}
