import Foundation
import Testing

@testable import MedicRunbook

@Suite struct CELOperatorTests {
    @Test func integerArithmetic() throws {
        #expect(try evaluate("7 + 3") == 10)
        #expect(try evaluate("7 - 10") == -3)
        #expect(try evaluate("7 * 3") == 21)
        #expect(try evaluate("7 / 2") == 3)
        #expect(try evaluate("-7 / 2") == -3)
        #expect(try evaluate("7 % 3") == 1)
        #expect(try evaluate("-7 % 3") == -1)
        #expect(try evaluate("-(3)") == -3)
    }

    @Test func integerOverflowIsAnError() {
        #expect(failure("9223372036854775807 + 1")?.description == "1:21: integer overflow: 9223372036854775807 + 1")
        #expect(failure("-9223372036854775808 - 1")?.message == "integer overflow: -9223372036854775808 - 1")
        #expect(failure("4611686018427387904 * 2")?.message == "integer overflow: 4611686018427387904 * 2")
        #expect(failure("-9223372036854775808 / -1")?.message == "integer overflow: -9223372036854775808 / -1")
        #expect(failure("-(-9223372036854775808)")?.message == "integer overflow: -(-9223372036854775808)")
        #expect(failure("x * 2", ["x": .int(.max)])?.description == "1:3: integer overflow: 9223372036854775807 * 2")
    }

    @Test func divisionByZero() {
        #expect(failure("1 / 0")?.description == "1:3: division by zero: 1 / 0")
        #expect(failure("1 % 0")?.description == "1:3: modulus by zero: 1 % 0")
    }

    @Test func doubleArithmetic() throws {
        #expect(try evaluate("0.5 + 0.25") == 0.75)
        #expect(try evaluate("1.0 / 4.0") == 0.25)
        #expect(try evaluate("1.0 / 0.0") == .double(.infinity))
        #expect(try evaluate("-2.5") == -2.5)
        #expect(try evaluate("-(2.5)") == -2.5)
        #expect(failure("5.0 % 2.0")?.message == "no such overload: double % double")
    }

    @Test func mixedIntAndDoubleArithmeticPromotesToDouble() throws {
        #expect(try evaluate("3 / 4.0") == 0.75)
        #expect(try evaluate("active / max", ["active": 45, "max": 50.0]) == 0.9)
        #expect(try evaluate("2 * 1.5") == 3.0)
        #expect(try evaluate("1 + 0.5") == 1.5)
        #expect(try evaluate("1 - 0.5") == 0.5)
    }

    @Test func stringsAndListsConcatenate() throws {
        #expect(try evaluate("'ab' + \"cd\"") == "abcd")
        #expect(try evaluate("[1] + [2, 3]") == [1, 2, 3])
        #expect(failure("'a' + 1")?.description == "1:5: no such overload: string + int")
        #expect(failure("[1] + 'a'")?.message == "no such overload: list + string")
    }

    @Test func comparisons() throws {
        #expect(try evaluate("1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3") == true)
        #expect(try evaluate("1 < 1.5 && 2.0 >= 2 && 3 > 2.9") == true)
        #expect(try evaluate("'abc' < 'abd' && 'b' > 'abc' && 'a' <= 'a'") == true)
        #expect(try evaluate("false < true") == true)
        #expect(try evaluate("0.0 / 0.0 < 1.0 || 0.0 / 0.0 >= 1.0") == false)
        #expect(failure("1 < 'a'")?.description == "1:3: no such overload: int < string")
        #expect(failure("[1] < [2]")?.message == "no such overload: list < list")
        #expect(failure("null < 1")?.message == "no such overload: null_type < int")
    }

    @Test func equality() throws {
        #expect(try evaluate("1 == 1.0") == true)
        #expect(try evaluate("1 != 1.5") == true)
        #expect(try evaluate("'1' == 1") == false)
        #expect(try evaluate("null == false") == false)
        #expect(try evaluate("null == null") == true)
        #expect(try evaluate("[1, 'a'] == [1.0, 'a']") == true)
        #expect(try evaluate("[1, 2] == [1]") == false)
        #expect(try evaluate("{'a': 1, 'b': [2]} == {'b': [2.0], 'a': 1}") == true)
        #expect(try evaluate("{'a': 1} == {'b': 1}") == false)
        #expect(try evaluate("{'a': 1} != {'a': 1}") == false)
        #expect(try evaluate("0.0 / 0.0 == 0.0 / 0.0") == false)
        #expect(try evaluate("duration('60s') == duration('1m')") == true)
    }

    @Test func membership() throws {
        #expect(try evaluate("2 in [1, 2, 3]") == true)
        #expect(try evaluate("2.0 in [1, 2, 3]") == true)
        #expect(try evaluate("'x' in ['a']") == false)
        #expect(try evaluate("'app' in {'app': 'web'}") == true)
        #expect(try evaluate("'tier' in {'app': 'web'}") == false)
        #expect(try evaluate("1 in {'app': 'web'}") == false)
        #expect(failure("'a' in 'abc'")?.message == "no such overload: string in string")
    }

    @Test func unaryOperatorTypes() {
        #expect(failure("!1")?.description == "1:1: no such overload: !int")
        #expect(failure("-'a'")?.description == "1:1: no such overload: -string")
    }

    @Test func andAbsorbsErrorsFromEitherSide() throws {
        #expect(try evaluate("false && missing") == false)
        #expect(try evaluate("missing && false") == false)
        #expect(try evaluate("1 / 0 == 1 && false") == false)
        #expect(try evaluate("false && 'not a bool'") == false)
        #expect(try evaluate("'not a bool' && false") == false)
        #expect(failure("true && missing")?.description == "1:9: undeclared reference to 'missing'")
        #expect(failure("missing && true")?.description == "1:1: undeclared reference to 'missing'")
        #expect(failure("missing && other")?.message == "undeclared reference to 'missing'")
        #expect(failure("true && 1")?.description == "1:6: no such overload: '&&' needs bool operands, found int")
    }

    @Test func orAbsorbsErrorsFromEitherSide() throws {
        #expect(try evaluate("true || missing") == true)
        #expect(try evaluate("missing || true") == true)
        #expect(try evaluate("m.nokey || true", ["m": [:]]) == true)
        #expect(try evaluate("false || false") == false)
        #expect(failure("false || missing")?.message == "undeclared reference to 'missing'")
        #expect(failure("missing || false")?.message == "undeclared reference to 'missing'")
        #expect(failure("'x' || false")?.description == "1:5: no such overload: '||' needs bool operands, found string")
    }

    @Test func conditionalEvaluatesOnlyTheChosenBranch() throws {
        #expect(try evaluate("true ? 1 : missing") == 1)
        #expect(try evaluate("false ? missing : 2") == 2)
        #expect(failure("1 ? 2 : 3")?.description == "1:3: condition of '?:' must be bool, found int")
    }

    @Test func mapLiteralErrors() {
        #expect(failure("{1: 'a'}")?.description == "1:2: map keys must be strings")
        #expect(failure("{'a': 1, 'a': 2}")?.description == "1:10: duplicate map key 'a'")
    }
}
