#!/usr/bin/env bash
# man.sh — gatescope(1), generated from `gatescope --help` (so the two never disagree)
# with the window's keys, the files and examples around it.  The build runs it
# (app/CMakeLists.txt) and installs the page gzipped.
#   usage: scripts/man.sh path/to/gatescope VERSION [OUT.1.gz]
#   (without OUT, the page goes to standard output; with it, gzipped into OUT)
set -euo pipefail
bin=$1
version=$2
if [ $# -ge 3 ]; then
    out=$3
    bash "$0" "$bin" "$version" | gzip -9n >"$out.tmp" && mv "$out.tmp" "$out"
    exit
fi

cat <<EOF
.TH GATESCOPE 1 "" "gatescope $version" "User Commands"
.SH NAME
gatescope \\- watch recurrent cells think: gates, state drift and vanishing gradients
.SH SYNOPSIS
.B gatescope
[\\fIOPTIONS\\fR]
.br
.B gatescope \\-\\-lesson
.I FILE
.br
.B gatescope \\-\\-check
.I FILE...
.br
.B gatescope \\-\\-record
.I FILE.mp4
[\\fIsetup flags\\fR]
.SH DESCRIPTION
gatescope steps several recurrent cell variants (vanilla RNN, the prototype LSTM and
its bounded repairs, GRUs, LSTMs, Greff et al.'s ablations) through the same input,
one time step at a time, and draws what happens inside each: the gates opening and
closing, the state drifting or staying bounded, and the gradient shrinking (or not)
as it flows back through time.
Without a mode flag it opens a window; the flags below also run it without one.
EOF

# the options, from --help: "Section:" lines become .SS, option lines .TP entries,
# their continuation lines (indented 25) the entry's text
"$bin" --help | awk '
    function esc(s) {
        gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s)
        if (s ~ /^[.\x27]/) s = "\\&" s
        return s }
    BEGIN { started = 0 }
    /^Modes:/ { started = 1 }
    !started { next }
    /^Exit status/ { exit }
    /^[A-Z][^:]*:?[ ]*$/ || /^[A-Z][^:]*\(.*\):$/ {
        t = $0; sub(/:[ ]*$/, "", t); print ".SS \"" t "\""; next }
    /^      With / { sub(/^ +/, ""); print ".PP"; print esc($0); next }
    /^  [ -]/ && substr($0, 7, 2) == "--" || /^  -h/ {
        line = $0; sub(/^ +/, "", line)
        flag = line; text = ""
        if (match(line, /  +/)) { flag = substr(line, 1, RSTART - 1); text = substr(line, RSTART + RLENGTH) }
        print ".TP"; print "\\fB" esc(flag) "\\fR"
        if (text != "") print esc(text)
        next }
    /^                    / { t = $0; sub(/^ +/, "", t); print esc(t); next }
    /^$/ { next }
    { print esc($0) }
'

cat <<'EOF'
.SH "THE WINDOW"
Everything is a key and a button;
.B ?
lists them all.
Space plays, \(<-/\(-> step, Home/End jump, [ and ] set the speed, 1\(en8 show or hide a
variant, Shift+\(<-/\(-> walk the backward pass, Tab and \(ua/\(da choose what the
equations show, T L N I W F K (and Shift+) change the setup, R draws a new sequence,
S M C D switch the colour scale, magnitudes, palette and theme, G trains the shown
variants (Shift+G resets, J/Shift+J scrub the snapshots), F2 lists the lessons, F5 is
presenter mode, F11 fullscreen, Ctrl+Q quits.
.PP
For teaching: F12 saves a PNG of the window (Shift+F12: of the selected pane) to
\fI~/Pictures/gatescope\fR; F9 records the window (Shift+F9: as a GIF) to
\fI~/Videos/gatescope\fR until pressed again; Ctrl+S saves the view as a one-step
lesson and Ctrl+K keeps the weights, both in \fI~/Documents/gatescope\fR (the XDG user
folders when set); Ctrl+C copies the command line of the view.
Drop a \fB.lesson\fR, a weights \fB.json\fR or a folder of them on the window to open it.
.SH FILES
.TP
.I /usr/share/gatescope/assets
fonts and the text corpus
.TP
.I /usr/share/gatescope/lessons
the shipped lessons (F2 in the window); their format is described in
.I /usr/share/gatescope/lessons/README.md
.SH "EXIT STATUS"
0 on success, 1 on a runtime error (a file cannot be read or written, a weights file
does not fit, an expectation of a lesson fails), 2 on a usage error.
Every error is one line on standard error, starting "gatescope: ".
.SH EXAMPLES
.nf
gatescope --variants rnn,lstm --task adding --length 100
gatescope --lesson /usr/share/gatescope/lessons/04-gates.lesson --present
gatescope --record adding.mp4 --size 1280x720 --variants gru,lstm --backward
gatescope --save-lesson mine.lesson --variants gru,lstm --at 50 --backward=20
gatescope --train --variants rnn,gru,lstm --iterations 3000 --save-weights trained/
.fi
.SH "SEE ALSO"
The documentation in the source tree: docs/cli.md, docs/window.md, lessons/README.md.
EOF
