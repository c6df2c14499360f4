import Foundation
import Testing

@testable import MedicRunbook

/// Parses and evaluates `source` in one step.
func evaluate(_ source: String, _ bindings: [String: CELValue] = [:]) throws -> CELValue {
    try CELExpression(source).evaluate(bindings)
}

/// The error `source` raises when parsed or evaluated; fails the test when there is none.
func failure(
    _ source: String, _ bindings: [String: CELValue] = [:], sourceLocation: SourceLocation = #_sourceLocation
) -> CELError? {
    do {
        let value = try CELExpression(source).evaluate(bindings)
        Issue.record("expected an error, got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

@Suite struct CELExpressionTests {
    @Test func literals() throws {
        #expect(try evaluate("42") == .int(42))
        #expect(try evaluate("0x1F") == .int(31))
        #expect(try evaluate("7u") == .int(7))
        #expect(try evaluate("-9223372036854775808") == .int(.min))
        #expect(try evaluate("2.5") == .double(2.5))
        #expect(try evaluate("1e3") == .double(1000))
        #expect(try evaluate("true") == .bool(true))
        #expect(try evaluate("false") == .bool(false))
        #expect(try evaluate("null") == .null)
        #expect(try evaluate("[1, 'a', null,]") == .list([1, "a", nil]))
        #expect(try evaluate(#"{"k": 1, 'j': [true]}"#) == .map(["k": 1, "j": [true]]))
        #expect(try evaluate("[]") == .list([]))
        #expect(try evaluate("{}") == .map([:]))
    }

    @Test func stringLiterals() throws {
        #expect(try evaluate(#""a\tb\n\"q\"""#) == .string("a\tb\n\"q\""))
        #expect(try evaluate(#"'it\'s'"#) == .string("it's"))
        #expect(try evaluate(#"'\x41\u00e9\U0001F600\101'"#) == .string("Aé😀A"))
        #expect(try evaluate(#"r'\d+\.\w'"#) == .string(#"\d+\.\w"#))
        #expect(try evaluate(#"R"C:\path""#) == .string(#"C:\path"#))
        #expect(try evaluate("'''multi\nline'''") == .string("multi\nline"))
        #expect(try evaluate(#""""say "hi" now""""#) == .string(#"say "hi" now"#))
    }

    @Test func identifiersAndSelection() throws {
        let bindings: [String: CELValue] = ["pod": ["metadata": ["name": "web-1", "namespace": "prod"]]]
        #expect(try evaluate("pod.metadata.name", bindings) == "web-1")
        #expect(try evaluate("pod.metadata.namespace", bindings) == "prod")
        #expect(try evaluate("pod['metadata']['name']", bindings) == "web-1")
        #expect(try evaluate("[10, 20, 30][1]") == 20)
    }

    @Test func selectionErrors() throws {
        let bindings: [String: CELValue] = ["pod": ["metadata": ["name": "web-1"]], "n": 3]
        #expect(failure("pod.spec", bindings)?.description == "1:5: no such key: spec")
        #expect(failure("pod['spec']", bindings)?.description == "1:4: no such key: spec")
        #expect(failure("n.x", bindings)?.description == "1:3: cannot select field 'x' from int")
        #expect(failure("[1, 2][2]")?.description == "1:7: index out of range: 2 (list size 2)")
        #expect(failure("[1, 2][-1]")?.description == "1:7: index out of range: -1 (list size 2)")
        #expect(failure("[1]['a']")?.message == "no such overload: list[string]")
        #expect(failure("missing + 1")?.description == "1:1: undeclared reference to 'missing'")
        #expect(failure("missing")?.kind == .evaluation)
    }

    @Test func precedence() throws {
        #expect(try evaluate("1 + 2 * 3") == 7)
        #expect(try evaluate("(1 + 2) * 3") == 9)
        #expect(try evaluate("10 - 4 - 3") == 3)
        #expect(try evaluate("20 / 2 / 5") == 2)
        #expect(try evaluate("-2 * 3 + 1") == -5)
        #expect(try evaluate("1 + 2 < 4 && 2 * 2 == 4") == true)
        #expect(try evaluate("true || false && false") == true)
        #expect(try evaluate("(true || false) && false") == false)
        #expect(try evaluate("!false && false") == false)
        #expect(try evaluate("false ? 1 : true ? 2 : 3") == 2)
        #expect(try evaluate("1 < 2 ? 'a' : 'b'") == "a")
        #expect(try evaluate("1 in [1] && 'x' in {'x': 1}") == true)
        #expect(try evaluate("!!true") == true)
        #expect(try evaluate("- -3") == 3)
    }

    @Test func rootIdentifiersAndFieldPaths() throws {
        let expression = try CELExpression(
            #"workload.containers.exists(c, c.lastTermination.reason == "OOMKilled" && now - c.lastTermination.finishedAt < duration("30m")) && has(workload.spec.replicas) && c2.size() > 0"#
        )
        #expect(expression.rootIdentifiers == ["workload", "now", "c2"])
        #expect(
            expression.fieldPaths == [
                ["workload", "containers"], ["c", "lastTermination", "reason"], ["now"],
                ["c", "lastTermination", "finishedAt"], ["workload", "spec", "replicas"], ["c2"],
            ])
        let shadowed = try CELExpression("x.all(x, x > 0) && x.size() > 1")
        #expect(shadowed.rootIdentifiers == ["x"])
        #expect(try CELExpression("[1].map(v, v * k)").rootIdentifiers == ["k"])
    }

    @Test func evaluateCondition() throws {
        #expect(try CELExpression("n > 2").evaluateCondition(["n": 3]) == true)
        #expect(throws: CELError.self) { try CELExpression("n + 2").evaluateCondition(["n": 3]) }
        do {
            _ = try CELExpression("n + 2").evaluateCondition(["n": 3])
        } catch {
            #expect(error.message == "condition must evaluate to bool, found int")
        }
    }

    @Test func customFunctions() throws {
        var functions = CELFunctionTable.standard
        functions.register("double_it") { arguments throws(CELError) in
            guard case .int(let number) = arguments.first else { throw .evaluation("double_it needs an int") }
            return .int(number * 2)
        }
        let expression = try CELExpression("double_it(n) + n.double_it()")
        #expect(try expression.evaluate(["n": 4], functions: functions) == 16)
        do {
            _ = try CELExpression("1 + double_it('x')").evaluate([:], functions: functions)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "1:5: double_it needs an int")
        }
    }

    @Test func overriddenMatchesIsUsedForLiteralPatterns() throws {
        var functions = CELFunctionTable.standard
        functions.register("matches") { _ throws(CELError) in .bool(false) }
        #expect(try CELExpression("'abc'.matches('b')").evaluate([:], functions: functions) == false)
        #expect(try CELExpression("'abc'.matches('b')").evaluate([:]) == true)
    }

    @Test func unknownFunctionSuggestsClosestName() throws {
        #expect(failure("[1, 2].sise() > 1")?.description == "1:8: unknown function 'sise' (did you mean 'size'?)")
        #expect(failure("'a'.startswith('a')")?.message == "unknown function 'startswith' (did you mean 'startsWith'?)")
        #expect(failure("frobnicate(1)")?.message == "unknown function 'frobnicate'")
        #expect(failure("m.has(x)", ["m": [:], "x": 1])?.message == "unknown function 'has'")
        #expect(failure("[1].exist(x, true)")?.message == "unknown function 'exist' (did you mean 'exists'?)")
        #expect(throws: Never.self) { try CELExpression("x.sise()") }
        do {
            try CELExpression("a ||\n  b.lowerAsci()").checkFunctions()
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "2:5: unknown function 'lowerAsci' (did you mean 'lowerAscii'?)")
        }
        #expect(throws: Never.self) { try CELExpression("x.lowerAscii().matches('a')").checkFunctions() }
    }

    @Test func expressionsAreSafeToShareAcrossTasks() async throws {
        let expression = try CELExpression("items.filter(i, i.matches('^a')).size()")
        let results = await withTaskGroup(of: CELValue?.self) { group in
            for _ in 0..<8 {
                group.addTask { try? expression.evaluate(["items": ["ab", "ba", "ac"]]) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == Array(repeating: .int(2), count: 8))
    }
}
