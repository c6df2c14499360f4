import Testing
@testable import MedicKube

/// The cache hands back its last read whole only for the same containers at the same crash:
/// a container that crashes again, or another one, is a read of its own.
@Suite struct CrashLogCacheTests {
    static func key(_ pod: String, restarts: Int) -> CrashLogCache.Key {
        .init(namespace: "shop", pod: pod, uid: "uid-\(pod)", container: "api", restartCount: restarts)
    }

    @Test func theLatestReadIsKeptForTheSameKeysInTheSameOrder() async {
        let cache = CrashLogCache()
        let (a, b) = (Self.key("api-1", restarts: 3), Self.key("api-2", restarts: 1))
        let log = PodLog(namespace: "shop", pod: "api-1", container: "api", previous: true, log: "panic: db refused")
        #expect(await cache.latestRead(of: [a, b]) == nil, "nothing read yet")
        await cache.replace(with: [a: .success(log), b: .failure(.init(warning: "no log for api-2"))], keys: [a, b],
                            read: ([log], ["no log for api-2"]))
        let kept = await cache.latestRead(of: [a, b])
        #expect(kept?.logs == [log])
        #expect(kept?.warnings == ["no log for api-2"])
        #expect(await cache.latestRead(of: [b, a]) == nil)
        #expect(await cache.latestRead(of: [a, Self.key("api-2", restarts: 2)]) == nil, "api-2 crashed again")
        #expect(await cache.latestRead(of: [a]) == nil, "api-2 no longer crash-loops")
        #expect(await cache.count == 2)
    }
}
