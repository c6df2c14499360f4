/// POSIX shell quoting for the commands medic prints, so that pasting one into a shell
/// runs exactly the argv medic meant, whatever the names and values contain.
public struct ShellQuoting {
    /// Characters that mean nothing to a POSIX shell in any position of a word.
    private static let bare = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-".unicodeScalars)

    /// Leaves safe words bare; otherwise wraps in single quotes, writing each `'` as `'"'"'`.
    /// The empty word becomes `''` so it survives as an argument.
    public static func quote(_ word: String) -> String {
        if word.isEmpty { return "''" }
        if word.unicodeScalars.allSatisfy(bare.contains) { return word }
        return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'"'"'"#) + "'"
    }

    /// Quotes each word and joins them with single spaces.
    public static func command(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }
}
