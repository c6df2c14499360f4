import Testing
@testable import medic

@Suite struct MallocArenasTests {
    @Test func anArenaLimitTheOperatorSetIsLeftAsIs() {
        #expect(MallocArenas.limit(environment: ["MALLOC_ARENA_MAX": "8"]) == .leftToTheEnvironment("8"))
    }

    #if canImport(Glibc)
    @Test func withoutOneGlibcIsToldToKeepTwoArenas() {
        #expect(MallocArenas.limit(environment: [:]) == .limited(to: 2))
    }
    #endif
}
