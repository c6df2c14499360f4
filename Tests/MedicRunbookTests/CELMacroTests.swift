import Testing

@testable import MedicRunbook

@Suite struct CELMacroTests {
    let bindings: [String: CELValue] = [
        "nums": [1, 2, 3, 4],
        "labels": ["app": "web", "tier": "front"],
        "pod": ["metadata": ["name": "web-1", "annotations": nil]],
    ]

    @Test func has() throws {
        #expect(try evaluate("has(pod.metadata)", bindings) == true)
        #expect(try evaluate("has(pod.spec)", bindings) == false)
        #expect(try evaluate("has(pod.metadata.name)", bindings) == true)
        #expect(try evaluate("has(pod.metadata.annotations.x)", bindings) == false)
        #expect(try evaluate("has(labels.app) && !has(labels.zone)", bindings) == true)
        #expect(failure("has(pod.spec.x)", bindings)?.description == "1:9: no such key: spec")
        #expect(failure("has(nums.x)", bindings)?.description == "1:1: has() needs a map, found list")
    }

    @Test func all() throws {
        #expect(try evaluate("nums.all(n, n > 0)", bindings) == true)
        #expect(try evaluate("nums.all(n, n > 1)", bindings) == false)
        #expect(try evaluate("[].all(n, n > 1)") == true)
        #expect(try evaluate("labels.all(k, k.size() >= 3)", bindings) == true)
    }

    @Test func allLetsFalseWinOverErrors() throws {
        #expect(try evaluate("[0, 1].all(n, 10 / n > 20)") == false)
        #expect(failure("[0, 1].all(n, 10 / n > 1)")?.description == "1:18: division by zero: 10 / 0")
    }

    @Test func exists() throws {
        #expect(try evaluate("nums.exists(n, n == 3)", bindings) == true)
        #expect(try evaluate("nums.exists(n, n > 4)", bindings) == false)
        #expect(try evaluate("[].exists(n, true)") == false)
        #expect(try evaluate("labels.exists(k, labels[k] == 'front')", bindings) == true)
    }

    @Test func existsLetsTrueWinOverErrors() throws {
        #expect(try evaluate("[{}, {'a': 1}].exists(m, m.a == 1)") == true)
        #expect(failure("[{}, {'a': 2}].exists(m, m.a == 1)")?.description == "1:28: no such key: a")
        #expect(failure("[1].exists(n, n)")?.description == "1:15: predicate of exists() must be bool, found int")
    }

    @Test func existsOne() throws {
        #expect(try evaluate("nums.exists_one(n, n > 3)", bindings) == true)
        #expect(try evaluate("nums.exists_one(n, n > 2)", bindings) == false)
        #expect(try evaluate("nums.exists_one(n, n > 9)", bindings) == false)
        #expect(failure("[0, 1].exists_one(n, 1 / n == 1)")?.message == "division by zero: 1 / 0")
    }

    @Test func map() throws {
        #expect(try evaluate("nums.map(n, n * n)", bindings) == [1, 4, 9, 16])
        #expect(try evaluate("nums.map(n, n % 2 == 0, n * 10)", bindings) == [20, 40])
        #expect(try evaluate("labels.map(k, k + '=' + labels[k])", bindings) == ["app=web", "tier=front"])
        #expect(failure("nums.map(n, n, n)", bindings)?.message == "predicate of map() must be bool, found int")
    }

    @Test func filter() throws {
        #expect(try evaluate("nums.filter(n, n % 2 == 1)", bindings) == [1, 3])
        #expect(try evaluate("labels.filter(k, k.startsWith('t'))", bindings) == ["tier"])
        #expect(try evaluate("nums.filter(n, n > 1).map(n, n - 1).exists(n, n == 3)", bindings) == true)
    }

    @Test func rangeMustBeAListOrMap() {
        #expect(failure("'abc'.all(c, true)")?.description == "1:7: all() needs a list or map, found string")
    }

    @Test func variablesShadowAndNest() throws {
        #expect(try evaluate("nums.exists(n, n == 2) && n == 9", ["nums": [1, 2], "n": 9]) == true)
        #expect(try evaluate("[[1, 2], [3]].map(l, l.map(x, x * 10))") == [[10, 20], [30]])
        #expect(try evaluate("[1, 2].all(x, [x].exists(x, x == x))") == true)
        #expect(try evaluate("[1, 2].map(x, [3].map(y, x + y))") == [[4], [5]])
        #expect(failure("[1].map(x, x) == [x]")?.description == "1:19: undeclared reference to 'x'")
    }
}
