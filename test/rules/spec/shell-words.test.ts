import { describe, expect, it } from "vitest";
import { splitShellWords } from "../../../src/rules/spec/shell-words.js";

describe("splitShellWords", () => {
  it.each([
    ["-X PUT /user", ["-X", "PUT", "/user"]],
    ["  spaced\tout \n words ", ["spaced", "out", "words"]],
    ["'single quoted $HOME \\n'", ["single quoted $HOME \\n"]],
    ['"double \\"quoted\\" \\\\ \\$ \\n"', ['double "quoted" \\ $ \\n']],
    ["back\\ slash\\'s", ["back slash's"]],
    ["a'b'\"c\"d", ["abcd"]],
    ["''", [""]],
    ['-d ""', ["-d", ""]],
    ["-X POST \\\n  /user", ["-X", "POST", "/user"]],
    ["token=${{ token }} x", ["token=${{ token }}", "x"]],
    ['"Bearer ${{ env.TOKEN }}"', ["Bearer ${{ env.TOKEN }}"]],
    ["'${{ token }}'", ["${{ token }}"]],
    ["/a?x=1&y=2", ["/a?x=1&y=2"]],
    ['"a|b;c>d"', ["a|b;c>d"]],
    ["'$(date)'", ["$(date)"]],
    ["price=$5", ["price=$5"]],
    // $'...' (ANSI-C quoting), as pasted from bash scripts: escapes, not a refused $ expansion.
    ["-d $'{\"a\":\\n1}'", ["-d", '{"a":\n1}']],
    ["$'tab\\there' $'it\\'s'", ["tab\there", "it's"]],
    ["$'\\x41\\101\\u20AC\\U0001F600'", ["AA€😀"]],
    ["$'\\xe2\\x82\\xac'", ["€"]],
    ["$'\\a\\b\\e\\f\\r\\v\\\\\\\"\\?\\cA'", ['\x07\b\x1b\f\r\v\\"?\x01']],
    ["$'\\q' x$'y'z", ["\\q", "xyz"]],
    ["\"$'not ansi'\"", ["$'not ansi'"]],
  ])("splits %j", (text, words) => {
    expect(splitShellWords(text)).toEqual(words);
  });

  it.each([
    ["'open", "a single quote (') is not closed"],
    ['"open', 'a double quote (") is not closed'],
    ["trailing\\", "the command ends with a lone backslash"],
    ["${{ token", "'${{ token' opens ${{ without a closing }}"],
    ["/a | jq .", "'|' is shell syntax; the curl shorthand is one curl command and no shell runs it"],
    ["/a; rm x", "';' is shell syntax"],
    ["/a > out", "'>' is shell syntax"],
    ["-H $TOKEN", "'$TOKEN' would be expanded by a shell, but no shell runs here; write ${{ env.TOKEN }}"],
    ['"${TOKEN}"', "'${TOKEN}\"' would be expanded by a shell"],
    ["$(date)", "would be expanded by a shell, but no shell runs here"],
    ["`date`", "backquote command substitution is not supported"],
    ["$'open", "a $'...' quote is not closed"],
  ])("refuses %j", (text, message) => {
    expect(() => splitShellWords(text)).toThrow(message);
  });
});
