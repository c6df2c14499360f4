import Foundation
import Testing

@testable import MedicRunbook

@Suite struct CELFunctionTests {
    @Test func size() throws {
        #expect(try evaluate("size('héllo')") == 5)
        #expect(try evaluate("'héllo'.size()") == 5)
        #expect(try evaluate("[1, 2].size()") == 2)
        #expect(try evaluate("size({'a': 1})") == 1)
        #expect(failure("size(1)")?.description == "1:1: no such overload: size(int)")
        #expect(failure("size('a', 'b')")?.message == "no such overload: size(string, string)")
    }

    @Test func stringPredicates() throws {
        #expect(try evaluate("'connection refused'.contains('refused')") == true)
        #expect(try evaluate("'abc'.contains('')") == true)
        #expect(try evaluate("contains('abc', 'x')") == false)
        #expect(try evaluate("'CHAOS_RATE'.startsWith('CHAOS_')") == true)
        #expect(try evaluate("'abc'.startsWith('b')") == false)
        #expect(try evaluate("'DB_FAILURE_RATE'.endsWith('_FAILURE_RATE')") == true)
        #expect(try evaluate("'abc'.endsWith('b')") == false)
        #expect(failure("'abc'.contains(1)")?.message == "no such overload: contains(string, int)")
    }

    @Test func matches() throws {
        #expect(try evaluate("'registry.io/app:v1.2'.matches(':v[0-9]+\\\\.[0-9]+$')") == true)
        #expect(try evaluate("'abc'.matches('b')") == true)
        #expect(try evaluate("'abc'.matches('^b')") == false)
        #expect(try evaluate("matches('ERR_X', r'^ERR_\\w+$')") == true)
        #expect(try evaluate("s.matches(p)", ["s": "é", "p": "^.$"]) == true)
        #expect(try evaluate("s.matches('^(?i)ab$')", ["s": "AB"]) == true)
        #expect(failure("'a'.matches(p)", ["p": "("])?.message.hasPrefix("invalid regular expression '('") == true)
    }

    @Test func caseAndTrim() throws {
        #expect(try evaluate("'ImagePullBackOff'.lowerAscii()") == "imagepullbackoff")
        #expect(try evaluate("'Straße'.upperAscii()") == "STRAßE")
        #expect(try evaluate("'  padded \\n'.trim()") == "padded")
    }

    @Test func splitAndJoin() throws {
        #expect(try evaluate("'a,b,,c'.split(',')") == ["a", "b", "", "c"])
        #expect(try evaluate("''.split(',')") == [""])
        #expect(try evaluate("'abc'.split('')") == ["a", "b", "c"])
        #expect(try evaluate("['a', 'b'].join(', ')") == "a, b")
        #expect(try evaluate("['a', 'b'].join()") == "ab")
        #expect(try evaluate("'x=1;y=2'.split(';').map(p, p.split('=')[0]).join('+')") == "x+y")
        #expect(failure("[1].join(',')")?.message == "join needs a list of strings, found int 1")
    }

    @Test func conversions() throws {
        #expect(try evaluate("int('42')") == 42)
        #expect(try evaluate("int(-2.9)") == -2)
        #expect(try evaluate("int(timestamp('2024-01-01T00:00:00Z'))") == 1_704_067_200)
        #expect(failure("int('4x')")?.message == "cannot convert '4x' to int")
        #expect(failure("int(1e19)")?.message == "int() out of range: 1e+19")
        #expect(try evaluate("double(3)") == 3.0)
        #expect(try evaluate("double('0.25')") == 0.25)
        #expect(failure("double('x')")?.message == "cannot convert 'x' to double")
        #expect(try evaluate("string(3) + string(2.0) + string(true) + string(null)") == "32truenull")
        #expect(try evaluate("string(duration('90s'))") == "1m30s")
        #expect(try evaluate("string([1, 'a'])") == #"[1,"a"]"#)
        #expect(try evaluate("bool('true') && !bool('0')") == true)
        #expect(failure("bool('yes')")?.message == "cannot convert 'yes' to bool")
        #expect(failure("bool(1)")?.message == "no such overload: bool(int)")
    }

    @Test func minMaxAbs() throws {
        #expect(try evaluate("min([3, 1, 2])") == 1)
        #expect(try evaluate("max(3, 1.5, 2)") == 3)
        #expect(try evaluate("min(3, 1.5, 2)") == 1.5)
        #expect(try evaluate("max(['b', 'a'])") == "b")
        #expect(try evaluate("max([duration('1m'), duration('90s')])") == .duration(90))
        #expect(try evaluate("min(7)") == 7)
        #expect(failure("min([])")?.message == "min() of an empty list")
        #expect(failure("max([1, 'a'])")?.message == "no such overload: string < int")
        #expect(try evaluate("abs(-3)") == 3)
        #expect(try evaluate("abs(-0.5)") == 0.5)
        #expect(try evaluate("abs(duration('-5m'))") == .duration(300))
        #expect(failure("abs(-9223372036854775808)")?.message == "integer overflow: abs(-9223372036854775808)")
    }

    @Test func editDistance() {
        #expect(CELFunctionTable.editDistance("sise", "size") == 1)
        #expect(CELFunctionTable.editDistance("", "abc") == 3)
        #expect(CELFunctionTable.editDistance("kitten", "sitting") == 3)
    }

    @Test func standardTableListsItsNames() {
        #expect(
            CELFunctionTable.standard.names == [
                "abs", "bool", "contains", "double", "duration", "endsWith", "int", "join", "lowerAscii", "matches",
                "max", "min", "size", "split", "startsWith", "string", "timestamp", "trim", "upperAscii",
            ])
    }
}
