#!/usr/bin/env python3
"""Does a translated man page keep everything of the English one that is
syntax rather than prose?  Used by tests/lint/test_man_es.sh.

Usage: man_coverage.py ENGLISH_PAGE TRANSLATED_PAGE [CATALOGUE.po]
Prints one line per item of the English page missing from the translation
("option --foo", "key combination Ctrl+Alt+X", ...) and exits 1 if any.

What counts as syntax, as the English pages write it:
- options: -x and --word anywhere in the text (-WORD in capitals is a
  placeholder after a minus sign);
- key combinations: Ctrl+..., Alt+..., Shift+..., Super+... anywhere;
- environment variables: capital words with an underscore (VMPLAY_QEMU);
- VM-file sections: [name] or [name. in bold text and in headings;
- every other bold text (commands and subcommands, VM-file keys with their
  values, URIs, program names...): bold in the translation too. Bold text
  that is prose is left out: text starting with a capitalised word (menu
  labels such as Run, run-in headings such as "The display."), words all in
  capitals without an underscore (placeholders such as NAME, references to
  sections such as LIBRARY), and an example's comment after " ; ".
  A bold text that is one of the program's messages (a window title such
  as "vmplay: libvirt asks") may be, in bold, its translation from the
  catalogue instead: the page then names what the user sees.
"""
import os
import re
import sys

ESCAPES = [(r'\(ti', '~'), (r'\(dq', '"'), (r'\(aq', "'"), (r'\(lq', '"'),
           (r'\(rq', '"'), (r'\-', '-'), (r'\&', ''), (r'\e', '\\'),
           (r'\ ', ' '), (r'\~', ' '), (r'\|', ''), (r'\^', '')]
FONT_ESCAPE = re.compile(r'\\f(\[[^\]]*\]|\(..|.)')
# font macros: the fonts their arguments take in turn (B and I: all of them)
FONT_MACROS = {'B': 'B', 'I': 'I', 'BR': 'BR', 'BI': 'BI', 'IB': 'IB',
               'RB': 'RB', 'IR': 'IR', 'RI': 'RI'}


def unescape(text):
    for escape, char in ESCAPES:
        text = text.replace(escape, char)
    return text


def macro_args(text):
    """A macro line's arguments, split as groff does (quotes group)."""
    args, i = [], 0
    while i < len(text):
        if text[i] == ' ':
            i += 1
        elif text[i] == '"':
            j, arg = i + 1, ''
            while j < len(text):
                if text[j] == '"':
                    if text[j + 1:j + 2] == '"':
                        arg += '"'
                        j += 2
                        continue
                    break
                arg += text[j]
                j += 1
            args.append(arg)
            i = j + 1
        else:
            j = text.find(' ', i)
            j = len(text) if j < 0 else j
            args.append(text[i:j])
            i = j
    return args


def font_runs(text, font, previous):
    """Splits text at its \\f escapes: ([(font, piece)...], font, previous)."""
    runs, pos = [], 0
    for m in FONT_ESCAPE.finditer(text):
        runs.append((font, text[pos:m.start()]))
        name = m.group(1).strip('[]')
        name = {'1': 'R', '2': 'I', '3': 'B'}.get(name, name)
        if name == 'P':
            font, previous = previous, font
        else:
            font, previous = name, font
        pos = m.end()
    runs.append((font, text[pos:]))
    return runs, font, previous


def parse(path):
    """(bold texts, headings, the page's whole text) of a man page."""
    bold, headings, lines = [], [], []
    font = previous = 'R'      # text lines carry the font on
    current, piece = None, ''  # the font and text of the run being read

    def add(runs):
        """Appends runs to the current run; returns their text."""
        nonlocal current, piece
        text = ''
        for f, t in runs:
            t = unescape(t)
            text += t
            if f != current or f == '|':
                if current == 'B' and piece.strip():
                    bold.append(piece)
                current, piece = f, ''
            piece += t
        return text

    with open(path, encoding='utf-8') as page:
        for line in page:
            line = line.rstrip('\n')
            if re.match(r'[.\']\s*\\"', line):
                continue
            if not line.startswith('.'):
                # filled text: a bold run goes on across the line break
                runs, font, previous = font_runs(line, font, previous)
                lines.append(add(runs))
                piece += ' '
                continue
            add([('|', '')])          # a macro line ends any run
            m = re.match(r'\.(\S+)\s*(.*)', line)
            if not m:
                continue
            name, rest = m.group(1), m.group(2)
            if name in ('SH', 'SS'):
                heading = unescape(' '.join(macro_args(rest)))
                headings.append(heading)
                lines.append(heading)
                continue
            if name not in FONT_MACROS:
                continue
            fonts = FONT_MACROS[name]
            args = macro_args(rest)
            if len(fonts) == 1:
                args = [' '.join(args)]
            runs = []
            for k, arg in enumerate(args):
                f = fonts[k % len(fonts)]
                # .BI key " = " value: the value is a placeholder,
                # as in .BI "key = " value
                if name in ('BI', 'IB') and k and args[k - 1].strip() == '=':
                    f = 'I'
                runs += font_runs(arg, f, f)[0]
                runs.append(('|', ''))  # each argument ends a bold text
            lines.append(add(runs))
    add([('|', '')])
    return bold, headings, '\n'.join(lines)


PLACEHOLDER = re.compile(r'(?<![\w$/~.-])[A-Z]{2,}(?:[.:-][A-Z]{2,})*(?![\w])')


def literal(text):
    """The syntax in a bold text, or None when it is prose."""
    text = re.sub(r'\s+', ' ', text).strip()
    text = re.sub(r'\s;\s.*', '', text)          # an example's comment
    text = re.sub(r'\s*=$', '', text)             # key = (the value apart)
    if re.match(r'[A-Z][a-z]', text) and '+' not in text:
        return None                              # prose: Run, The display.
    text = PLACEHOLDER.sub('', text)
    text = re.sub(r'\s+', ' ', text).strip()
    return text if re.search(r'[A-Za-z0-9]', text) else None


# (not -SIZE: a placeholder after a minus sign)
OPTION = re.compile(r'(?<![\w\\-])--?(?![A-Z]{2,}\b)[A-Za-z][\w-]*')
COMBINATION = re.compile(r'\b(?:Ctrl|Alt|Shift|Super)(?:\+\w+)+')
ENVIRONMENT = re.compile(r'(?<!\w)[A-Z][A-Z0-9]*_[A-Z0-9_]*')
SECTION = re.compile(r'\[[a-z][\w-]*(?=[.\]])')


def items(path):
    """{category: set of items} of a page."""
    bold, headings, text = parse(path)
    literals = {t for t in map(literal, bold) if t}
    sections = set()
    for t in bold + [h for h in headings if h.startswith('[')]:
        sections |= {s + ']' for s in SECTION.findall(t)}
    return {
        'option': set(OPTION.findall(text)),
        'key combination': set(COMBINATION.findall(text)),
        'environment variable': set(ENVIRONMENT.findall(text)),
        'section': sections,
        'bold text': literals,
    }


def catalogue(path):
    """{msgid: msgstr} of a .po file's translated single messages."""
    entries, field, current = {}, None, {}

    def keep():
        if current.get('msgid') and current.get('msgstr'):
            entries[current['msgid']] = current['msgstr']

    with open(path, encoding='utf-8') as po:
        for line in po:
            line = line.strip()
            m = re.match(r'(msgid|msgstr|msgid_plural|msgctxt)\s+"(.*)"$', line)
            if m:
                if m.group(1) in ('msgid', 'msgctxt') and field == 'msgstr':
                    keep()
                    current = {}
                field = m.group(1)
                current[field] = m.group(2)
            elif line.startswith('"') and field:
                current[field] = current.get(field, '') + line[1:-1]
            elif not line:
                if field == 'msgstr':
                    keep()
                field, current = None, {}
        keep()
    unquote = {'\\"': '"', '\\n': '\n', '\\\\': '\\'}
    return {re.sub(r'\\[n"\\]', lambda m: unquote[m.group(0)], k):
            re.sub(r'\\[n"\\]', lambda m: unquote[m.group(0)], v)
            for k, v in entries.items()}


def main():
    english, translated = items(sys.argv[1]), items(sys.argv[2])
    messages = catalogue(sys.argv[3]) if len(sys.argv) > 3 and \
        os.path.exists(sys.argv[3]) else {}
    missing = []
    named = set()
    for category in english:
        for item in sorted(english[category] - translated[category]):
            if category == 'bold text' and item in named:
                continue
            if category == 'bold text' and item in messages and \
                    literal(messages[item]) in translated[category]:
                continue
            named.add(item)
            missing.append(f'{category} {item}')
    for line in missing:
        print(line)
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
