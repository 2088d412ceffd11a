#!/usr/bin/env python3
"""Every comparison of a secret is constant-time (issue 13, section 5).

Secrets live in Secret<T> (src/domain/Secret.h) and are read only through reveal(), so a secret
is compared with ==, !=, memcmp, strcmp or std::equal exactly when one of these touches
  - a reveal() value (its size or emptiness is public and allowed),
  - a local that holds a reveal() value, or
  - a name that says it holds key material, a PIN, a password or a code.
Such a comparison must go through constantTimeEquals. Also Secret itself must not grow an
equality operator, which would make `a == b` on two secrets compile. Prints file:line: why for
each finding and exits 1 if there is any.

usage: check-constant-time.py SOURCE_DIR
"""
import pathlib
import re
import sys

# The one place that may compare bytes: constantTimeEquals' own body.
EXEMPT = {"Secret.cpp"}

COMPARE = re.compile(r"[=!]=|\bmemcmp\b|\bstr(n)?cmp\b|\bbcmp\b|\bstd::equal\b|\.compare\(")
# reveal() followed by a size question is no secret compare.
PUBLIC_PART = re.compile(r"reveal\(\)\s*\.\s*(size|length|empty)\(\)")
HOLDS_REVEALED = re.compile(r"(\w+)\s*=\s*[^=;]*\breveal\(\)")
SECRET_NAME = re.compile(
    r"\b\w*(localKey|loginKey|sessionKey|secretKey|authKey|offlineKey|remoteKey|checkCode|"
    r"passcode|password|Password|pin|Pin)\w*\b(?<!File)(?<!Path)(?<!Dir)")
SECRET_OPERATOR = re.compile(r"operator\s*(==|!=|<=>)")


def code_of(line):
    """The line without its // comment and string literals (which may say "key == ...")."""
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    return line.split("//", 1)[0]


def compared(code, name):
    """`name` is an operand of a comparison on this line (not only its public size)."""
    for match in re.finditer(r"\b%s\b(?!\s*\.\s*(size|length|empty)\()" % re.escape(name), code):
        before, after = code[: match.start()], code[match.end():]
        if re.match(r"\s*(\[[^\]]*\]\s*)?[=!]=", after) or re.search(r"[=!]=\s*\*?$", before):
            return True
        if re.search(r"\b(memcmp|strn?cmp|bcmp|std::equal)\s*\([^;]*$", before):
            return True
        if re.match(r"\s*\.compare\(", after):
            return True
    return False


def check(path, findings):
    lines = path.read_text(errors="replace").splitlines()
    revealed = set()
    for number, raw in enumerate(lines, 1):
        code = code_of(raw)
        held = HOLDS_REVEALED.search(code)
        if held and "==" not in code:
            revealed.add(held.group(1))
        if path.name == "Secret.h" and SECRET_OPERATOR.search(code) and "delete" not in code:
            findings.append(f"{path}:{number}: Secret must not define {SECRET_OPERATOR.search(code).group(0)}")
        if path.name in EXEMPT or not COMPARE.search(code):
            continue
        stripped = PUBLIC_PART.sub("", code)
        if "reveal()" in stripped and COMPARE.search(stripped):
            findings.append(f"{path}:{number}: a reveal() value compared: use constantTimeEquals")
            continue
        for name in sorted(revealed):
            if compared(code, name):
                findings.append(f"{path}:{number}: `{name}` holds a secret and is compared: use "
                                "constantTimeEquals")
        for match in SECRET_NAME.finditer(code):
            if match.group(0) not in revealed and compared(code, match.group(0)):
                findings.append(f"{path}:{number}: `{match.group(0)}` names a secret and is "
                                "compared: use constantTimeEquals")


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 64
    root = pathlib.Path(sys.argv[1])
    files = sorted(p for p in root.rglob("*") if p.suffix in {".h", ".cpp"})
    findings = []
    for path in files:
        check(path, findings)
    findings = list(dict.fromkeys(findings))  # one line naming a secret twice is one finding
    for finding in findings:
        print(finding)
    print(f"{len(files)} files, {len(findings)} non-constant-time secret comparisons")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
