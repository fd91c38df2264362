# Memory over one asynchronous reboot, from timeline.csv (written with --timeline): the
# change of the host's MemAvailable and of pvbench's RSS since the reboot request, and the
# old guest's memory cleaned up and the new guest's memory populated (on the second axis, at
# the same scale), against the time since the request; dashed lines at the events
# (reboot_request, alive, cleanup_start, cleanup_end, populated). It shows the last
# iteration of the first async point in the file (its first guest). Without timeline.csv or
# async rows it writes nothing and says why on stderr.
#
#   gnuplot -c plots/timeline.gp DIR [png|svg]     writes DIR/timeline.png|svg
#
# Input: DIR/timeline.csv, columns found by name, and DIR/points.csv if the run is a sweep;
# reshaped by lib/timeline.awk.

name = "timeline"
argc = ARGC; arg1 = ARG1; arg2 = ARG2; arg3 = ARG3
lib = ARG0
p = strlen(lib)
while (p > 0 && lib[p:p] ne "/") { p = p - 1 }
lib = (p > 0 ? lib[1:p] : "./")."lib"

xmin = 0; xmax = 1; ev_rows = 1; what = ""; unit = "MiB"; base = ""
input = "timeline.csv"
skip_missing = "no timeline.csv (run pvbench reboot with --timeline)"
two_pass = 1
awk_files = "csv.awk timeline.awk"
awk_vars = ""
load lib."/prologue.gnuplot"

set encoding utf8
if (fmt eq "svg") {
	set terminal svg size 1100,650 dynamic font "DejaVu Sans,13" background "white" noenhanced
} else {
	set terminal pngcairo size 1100,650 font "DejaVu Sans,11" noenhanced
}
set output out_file

set title "Memory over an async reboot\n".what."\n".base font ",12" offset 0, ev_rows * 1.2
set tmargin 5 + ev_rows * 1.2
set datafile missing "?"
set xrange [xmin : xmax + (xmax - xmin) * 0.02]
set xlabel "time since the reboot request (ms)"
set ylabel "MemAvailable, RSS: change since the request (".unit.")"
set y2label "cleaned up, populated (".unit.")"
set xtics nomirror
set ytics nomirror
set y2tics
set link y2
set offsets 0, 0, graph 0.05, graph 0.05
set grid xtics ytics lt 1 lc rgb "#e0e0e0" lw 1
set border 11 lw 1
set tics out
set key outside bottom center horizontal Left reverse samplen 3 spacing 1.2 width 2

plot $data using 1:2 with lines lw 2 lc rgb "#1f77b4" title "MemAvailable", \
	'' using 1:3 with lines lw 2 lc rgb "#ff7f0e" title "RSS of pvbench (both guests)", \
	'' using 1:4 axes x1y2 with lines lw 2 dt 2 lc rgb "#d62728" title "old guest cleaned up", \
	'' using 1:5 axes x1y2 with lines lw 2 dt 2 lc rgb "#2ca02c" title "new guest populated"
