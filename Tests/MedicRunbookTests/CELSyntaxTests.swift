import Testing

@testable import MedicRunbook

@Suite struct CELSyntaxTests {
    /// The syntax error of `source`, or nil (and a recorded issue) when it parses.
    private func syntaxError(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) -> CELError? {
        do {
            _ = try CELExpression(source)
            Issue.record("expected a syntax error", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(error.kind == .syntax, sourceLocation: sourceLocation)
            return error
        }
    }

    @Test func positionsAreExact() throws {
        let error = try #require(syntaxError("a.b +"))
        #expect(error.offset == 5)
        #expect(error.line == 1)
        #expect(error.column == 6)
        #expect(error.description == "1:6: unexpected end of expression")

        let multiline = try #require(syntaxError("workload.containers.exists(c,\n  c.name == 'x' &&\n  c.ready = true)"))
        #expect(multiline.position == CELError.Position(offset: 59, line: 3, column: 11))
        #expect(multiline.message == "unexpected '='; did you mean '=='?")
    }

    @Test func messagesNameWhatWasFound() {
        #expect(syntaxError("(1 + 2")?.description == "1:7: expected ')' to close '(' but found end of expression")
        #expect(syntaxError("[1, 2")?.description == "1:6: expected ']' after element but found end of expression")
        #expect(syntaxError("{'a' 1}")?.description == "1:6: expected ':' after map key but found number")
        #expect(syntaxError("a b")?.description == "1:3: unexpected 'b' after expression")
        #expect(syntaxError("a.")?.description == "1:3: expected a field or method name after '.' but found end of expression")
        #expect(syntaxError("a ? b")?.description == "1:6: expected ':' in conditional 'a ? b : c' but found end of expression")
        #expect(syntaxError("a & b")?.description == "1:3: unexpected '&'; did you mean '&&'?")
        #expect(syntaxError("a | b")?.description == "1:3: unexpected '|'; did you mean '||'?")
        #expect(syntaxError("a # b")?.description == "1:3: unexpected character '#'")
        #expect(syntaxError(")")?.description == "1:1: unexpected ')'")
        #expect(syntaxError("")?.description == "1:1: unexpected end of expression")
    }

    @Test func literalErrors() {
        #expect(syntaxError("'abc")?.description == "1:1: unterminated string literal")
        #expect(syntaxError("x == \"a\nb\"")?.description == "1:6: unterminated string literal")
        #expect(syntaxError(#"'\q'"#)?.description == #"1:2: invalid escape sequence '\q'"#)
        #expect(syntaxError("b'abc'")?.description == "1:1: bytes literals are not supported")
        #expect(syntaxError("9223372036854775808")?.description == "1:1: integer literal out of range: 9223372036854775808")
        #expect(syntaxError("-9223372036854775809")?.message == "integer literal out of range: -9223372036854775809")
        #expect(syntaxError("99999999999999999999")?.message == "integer literal out of range: 99999999999999999999")
        #expect(syntaxError("0x")?.message == "hexadecimal literal needs digits after '0x'")
    }

    @Test func macroShapes() {
        #expect(syntaxError("has(a)")?.description == "1:1: has() takes one field selection, e.g. has(a.b)")
        #expect(syntaxError("xs.all(x)")?.description == "1:4: all takes (x, predicate), got 1 argument(s)")
        #expect(syntaxError("xs.map(x, 1, 2, 3)")?.message == "map takes (x, transform) or (x, predicate, transform), got 4 argument(s)")
        #expect(syntaxError("xs.exists(x.y, true)")?.description == "1:13: the first argument of exists must be a variable name")
        #expect(syntaxError("exists(xs, x, true)")?.message == "exists is a macro called on a list or map, e.g. items.exists(x, …)")
    }

    @Test func invalidLiteralRegexIsASyntaxError() throws {
        let error = try #require(syntaxError("name.matches('([a-z')"))
        #expect(error.column == 14)
        #expect(error.message.hasPrefix("invalid regular expression '([a-z'"))
    }

    @Test func commentsAndWhitespace() throws {
        #expect(try evaluate("1 + // one\n 2 // two") == 3)
        #expect(try evaluate("\t[\n1,\r\n2\n]\n") == [1, 2])
    }

    @Test func reservedWordsOfFullCELAreFieldNames() throws {
        let bindings: [String: CELValue] = ["metadata": ["namespace": "prod", "package": "x"]]
        #expect(try evaluate("metadata.namespace + metadata.package", bindings) == "prodx")
    }

    @Test func deepNestingIsRejectedNotCrashed() {
        let source = String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
        #expect(syntaxError(source)?.message == "expression nests more than 128 levels deep")
    }
}
